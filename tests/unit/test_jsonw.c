/*
 * test_jsonw.c - JSON string escaping (lib/jsonw.c): what passes as it is,
 * what is escaped, and bytes that are not UTF-8.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_passes_as_it_is),
		cmocka_unit_test(test_quotes_backslashes_and_controls_are_escaped),
		cmocka_unit_test(test_bytes_that_are_not_utf8_become_replacement_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
