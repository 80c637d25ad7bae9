/*
 * validate.h - validation rules of the domain, pure functions.
 *
 * Each returns true when the value is acceptable.  The rules come from
 * public standards: GB/T 2260 region codes, GB 32100 unified social credit
 * codes, and the password policy of GB/T 22239 (等保 2.0) level 3.
 */
#ifndef QL_VALIDATE_H
#define QL_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

/* A region code: 2, 4, 6, 9 or 12 digits. */
bool region_code_valid(const char *code);
/* The parent's code length for a code of length n (0 for a province). */
size_t region_parent_len(size_t n);
/* The region level: 1 province, 2 city, 3 county, 4 town, 5 village; 0 invalid. */
int region_level(const char *code);
/* True if code lies in the subtree of root (code starts with root). */
bool region_in_subtree(const char *code, const char *root);

/* Password policy: at least min_len characters (bytes of UTF-8 count as
 * characters of class "other"), at most 128 bytes, at least three of the
 * four classes lower / upper / digit / other, and not the login itself. */
bool password_acceptable(const char *pw, const char *login, int min_len);

/* A login name: 3-64 characters of [A-Za-z0-9_.@-]. */
bool login_valid(const char *login);

/* GB 32100: 18 characters, the first 17 from the code alphabet
 * 0-9 A-H J-N P-R T U W-Y, and the 18th the mod-31 check character. */
bool uscc_valid(const char *uscc);
/* The check character for the first 17 characters, or 0 if they are not
 * of the alphabet. */
char uscc_check_char(const char *first17);

/* A mainland phone number: 11-digit mobile starting with 1, or a fixed
 * line of digits with an optional area code and dash (7-20 chars). */
bool phone_valid(const char *phone);

/* A GB/T 4754-2017 industry code: a section letter A-T, optionally
 * followed by a 2-4 digit division/group/class code ("C", "C26", "C2614"),
 * or the 2-4 digits alone ("2614"). */
bool industry_code_valid(const char *code);

/* Length of s in Unicode code points, -1 if not valid UTF-8. */
long utf8_length(const char *s);

#endif
