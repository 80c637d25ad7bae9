/*
 * test_multipart.c - the multipart/form-data reader of io/multipart.c:
 * the boundary from Content-Type, parts with names, file names and
 * types, bytes kept exactly (binary, CRLF, near-boundaries), and every
 * malformed body refused with a 400.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "io/multipart.h"
#include "lib/buf.h"

static int setup(void **state)
{
	*state = arena_new();
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

/* Parses a body given as a literal (which may hold NUL bytes). */
#define PARSE(a, boundary, lit, parts, err) \
	multipart_parse((a), (boundary), (lit), sizeof(lit) - 1, (parts), (err))

static void test_boundary_from_content_type(void **state)
{
	struct arena *a = *state;
	assert_string_equal(multipart_boundary(a, "multipart/form-data; boundary=abc123"), "abc123");
	assert_string_equal(multipart_boundary(a, "Multipart/Form-Data;BOUNDARY=\"a b:c\""), "a b:c");
	assert_string_equal(
		multipart_boundary(a, "multipart/form-data; charset=utf-8; boundary=----WebKitFormBoundary7MA4YWxk"),
		"----WebKitFormBoundary7MA4YWxk");
	assert_null(multipart_boundary(a, NULL));
	assert_null(multipart_boundary(a, "application/json"));
	assert_null(multipart_boundary(a, "multipart/form-data"));
	assert_null(multipart_boundary(a, "multipart/form-data; charset=utf-8"));
	assert_null(multipart_boundary(a, "multipart/mixed; boundary=abc"));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary="));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=\"unterminated"));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=a\x01z"));
	char longb[128];
	snprintf(longb, sizeof longb, "multipart/form-data; boundary=%071d", 0);
	assert_null(multipart_boundary(a, longb));
	snprintf(longb, sizeof longb, "multipart/form-data; boundary=%070d", 0);
	assert_non_null(multipart_boundary(a, longb));
}

static void test_parts_with_names_filenames_and_types(void **state)
{
	struct arena *a = *state;
	struct multipart_part *p;
	struct ql_error err = {0};
	int n = PARSE(a, "XyZ",
		      "--XyZ\r\n"
		      "Content-Disposition: form-data; name=\"note\"\r\n"
		      "\r\n"
		      "现场照片\r\n"
		      "--XyZ\r\n"
		      "content-disposition: form-data; name=file; filename=\"配电箱.PNG\"\r\n"
		      "Content-Type: Image/PNG; foo=bar\r\n"
		      "X-Other: ignored\r\n"
		      "\r\n"
		      "\x89PNG\r\n\x1a\n\0\0\r\n--XyY-not\r\n--Xy\r\n"
		      "\r\n"
		      "--XyZ--\r\n",
		      &p, &err);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].name, "note");
	assert_null(p[0].filename);
	assert_null(p[0].content_type);
	assert_int_equal(p[0].len, strlen("现场照片"));
	assert_memory_equal(p[0].data, "现场照片", p[0].len);
	assert_string_equal(p[1].name, "file");
	assert_string_equal(p[1].filename, "配电箱.PNG");
	assert_string_equal(p[1].content_type, "image/png");
	static const char bytes[] = "\x89PNG\r\n\x1a\n\0\0\r\n--XyY-not\r\n--Xy\r\n";
	assert_int_equal(p[1].len, sizeof bytes - 1);
	assert_memory_equal(p[1].data, bytes, sizeof bytes - 1);
	assert_ptr_equal(multipart_find(p, n, "file"), &p[1]);
	assert_null(multipart_find(p, n, "photo"));
}

static void test_delimiter_inside_data_must_be_a_whole_line(void **state)
{
	struct arena *a = *state;
	struct multipart_part *p;
	struct ql_error err = {0};
	/* "\r\n--b" followed by more boundary characters is a broken delimiter. */
	int n = PARSE(a, "b",
		      "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nab\r\n--bc\r\n--b--",
		      &p, &err);
	assert_int_equal(n, -1);
	assert_int_equal(err.kind, QLE_BAD_REQUEST);
}

static void test_preamble_padding_and_epilogue_are_ignored(void **state)
{
	struct arena *a = *state;
	struct multipart_part *p;
	struct ql_error err = {0};
	int n = PARSE(a, "b",
		      "This is the preamble.\r\n--b \t\r\n"
		      "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
		      "--b\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n"
		      "--b--\r\nepilogue --b\r\n",
		      &p, &err);
	assert_int_equal(n, 2);
	assert_int_equal(p[0].len, 1);
	assert_memory_equal(p[0].data, "1", 1);
	assert_string_equal(p[1].name, "empty");
	assert_int_equal(p[1].len, 0);
}

static void test_extended_filename_is_decoded_and_preferred(void **state)
{
	struct arena *a = *state;
	struct multipart_part *p;
	struct ql_error err = {0};
	int n = PARSE(a, "b",
		      "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\";"
		      " filename*=UTF-8''%E9%9A%90%E6%82%A3%20%E6%8A%A5%E5%91%8A.pdf\r\n\r\nx\r\n"
		      "--b\r\nContent-Disposition: form-data; name=\"g\"; filename=\"C:\\dir\\say \\\"hi\\\".png\"\r\n\r\ny\r\n"
		      "--b\r\nContent-Disposition: form-data; name=\"h\"; filename=\"x.png\"; filename*=UTF-8''bad%zz\r\n\r\nz\r\n"
		      "--b--",
		      &p, &err);
	assert_int_equal(n, 3);
	assert_string_equal(p[0].filename, "隐患 报告.pdf");
	assert_string_equal(p[1].filename, "C:\\dir\\say \"hi\".png");
	assert_string_equal(p[2].filename, "x.png");
}

static void test_malformed_bodies_are_refused(void **state)
{
	struct arena *a = *state;
	struct multipart_part *p;
	struct ql_error err;
	static const char *const bad[] = {
		"",
		"no delimiter at all",
		/* no closing delimiter: a truncated upload */
		"--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nabc",
		"--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nabc\r\n",
		/* no name */
		"--b\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\nabc\r\n--b--",
		"--b\r\nContent-Type: text/plain\r\n\r\nabc\r\n--b--",
		/* not form-data */
		"--b\r\nContent-Disposition: attachment; name=\"f\"\r\n\r\nabc\r\n--b--",
		/* header without colon, with a control character, unterminated quote */
		"--b\r\nContent-Disposition form-data\r\n\r\nabc\r\n--b--",
		"--b\r\nContent-Disposition: form-data; name=\"f\x01\"\r\n\r\nabc\r\n--b--",
		"--b\r\nContent-Disposition: form-data; name=\"f\r\n\r\nabc\r\n--b--",
		/* headers never end */
		"--b\r\nContent-Disposition: form-data; name=\"f\"\r\n",
		/* delimiter not followed by a line end */
		"--bxyz\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nabc\r\n--b--",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&err, 0, sizeof err);
		int n = multipart_parse(a, "b", bad[i], strlen(bad[i]), &p, &err);
		if (n != -1)
			fail_msg("case %zu parsed (%d parts)", i, n);
		assert_int_equal(err.kind, QLE_BAD_REQUEST);
		assert_string_equal(err.code, "invalid_multipart");
		assert_true(strstr(err.message, "multipart") != NULL);
	}
	assert_int_equal(multipart_parse(a, "b", NULL, 0, &p, &err), -1);
}

static void test_part_count_and_header_size_are_bounded(void **state)
{
	struct arena *a = *state;
	struct multipart_part *p;
	struct ql_error err = {0};
	struct buf b = BUF_INIT;
	for (int i = 0; i < MULTIPART_MAX_PARTS; i++)
		buf_printf(&b, "--b\r\nContent-Disposition: form-data; name=\"p%d\"\r\n\r\n%d\r\n", i, i);
	buf_puts(&b, "--b--");
	assert_int_equal(multipart_parse(a, "b", b.data, b.len, &p, &err), MULTIPART_MAX_PARTS);
	b.len -= 5;
	buf_puts(&b, "--b\r\nContent-Disposition: form-data; name=\"one-too-many\"\r\n\r\nx\r\n--b--");
	assert_int_equal(multipart_parse(a, "b", b.data, b.len, &p, &err), -1);
	buf_reset(&b);
	buf_puts(&b, "--b\r\nContent-Disposition: form-data; name=\"f\"\r\nX-Pad: ");
	for (int i = 0; i < MULTIPART_MAX_HEADER; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "\r\n\r\nabc\r\n--b--");
	memset(&err, 0, sizeof err);
	assert_int_equal(multipart_parse(a, "b", b.data, b.len, &p, &err), -1);
	assert_int_equal(err.kind, QLE_BAD_REQUEST);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_boundary_from_content_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parts_with_names_filenames_and_types, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_delimiter_inside_data_must_be_a_whole_line, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_preamble_padding_and_epilogue_are_ignored, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_extended_filename_is_decoded_and_preferred, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_malformed_bodies_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_part_count_and_header_size_are_bounded, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
