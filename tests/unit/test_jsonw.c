/*
 * test_jsonw.c - the JSON writer (lib/jsonw.c): string escaping (what
 * passes as it is, what is escaped, bytes that are not UTF-8) and
 * integers, written without printf.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/jsonw.h"

static void check(const char *in, size_t n, const char *want)
{
	struct buf b = BUF_INIT;
	json_escape(&b, in, n);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void test_plain_text_passes_as_it_is(void **state)
{
	(void)state;
	check("", 0, "\"\"");
	check("abc 123", 7, "\"abc 123\"");
	check("配电箱门缺失", strlen("配电箱门缺失"), "\"配电箱门缺失\"");
}

static void test_quotes_backslashes_and_controls_are_escaped(void **state)
{
	(void)state;
	check("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	check("一\n二\t三\r", strlen("一\n二\t三\r"), "\"一\\n二\\t三\\r\"");
	check("\b\f\x01x", 4, "\"\\b\\f\\u0001x\"");
	check("\"", 1, "\"\\\"\"");
}

static void test_bytes_that_are_not_utf8_become_replacement_characters(void **state)
{
	(void)state;
	check("a\xff" "b", 3, "\"a\xEF\xBF\xBD" "b\"");
	/* a sequence cut short at the end */
	check("x\xe9\x85", 3, "\"x\xEF\xBF\xBD\xEF\xBF\xBD\"");
	/* embedded NUL is a control character */
	check("a\0b", 3, "\"a\\u0000b\"");
}

static void test_integers_at_their_limits(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct jsonw w;
	jw_init(&w, &b);
	jw_arr(&w);
	const int64_t v[] = {0, 7, -7, 10, -10, 1234567890123, INT64_MAX, INT64_MIN};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		jw_int(&w, v[i]);
	jw_arr_end(&w);
	assert_string_equal(buf_str(&b), "[0,7,-7,10,-10,1234567890123,9223372036854775807,"
					 "-9223372036854775808]");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_passes_as_it_is),
		cmocka_unit_test(test_quotes_backslashes_and_controls_are_escaped),
		cmocka_unit_test(test_bytes_that_are_not_utf8_become_replacement_characters),
		cmocka_unit_test(test_integers_at_their_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
