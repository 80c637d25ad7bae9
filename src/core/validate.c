/*
 * validate.c - validation rules of the domain (see validate.h).
 */
#include "validate.h"

#include <string.h>

bool region_code_valid(const char *code)
{
	if (!code)
		return false;
	size_t n = strlen(code);
	if (n != 2 && n != 4 && n != 6 && n != 9 && n != 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (code[i] < '0' || code[i] > '9')
			return false;
	/* GB/T 2260 never uses 00 as a province. */
	return !(code[0] == '0' && code[1] == '0');
}

size_t region_parent_len(size_t n)
{
	switch (n) {
	case 4: return 2;
	case 6: return 4;
	case 9: return 6;
	case 12: return 9;
	default: return 0;
	}
}

int region_level(const char *code)
{
	if (!region_code_valid(code))
		return 0;
	switch (strlen(code)) {
	case 2: return 1;
	case 4: return 2;
	case 6: return 3;
	case 9: return 4;
	default: return 5;
	}
}

bool region_in_subtree(const char *code, const char *root)
{
	return code && root && strncmp(code, root, strlen(root)) == 0;
}

long utf8_length(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	long n = 0;
	while (*s) {
		int len;
		if (*s < 0x80)
			len = 1;
		else if ((*s & 0xE0) == 0xC0 && *s >= 0xC2)
			len = 2;
		else if ((*s & 0xF0) == 0xE0)
			len = 3;
		else if ((*s & 0xF8) == 0xF0 && *s <= 0xF4)
			len = 4;
		else
			return -1;
		for (int i = 1; i < len; i++)
			if ((s[i] & 0xC0) != 0x80)
				return -1;
		s += len;
		n++;
	}
	return n;
}

bool password_acceptable(const char *pw, const char *login, int min_len)
{
	if (!pw)
		return false;
	size_t bytes = strlen(pw);
	long chars = utf8_length(pw);
	if (chars < 0 || chars < min_len || bytes > 128)
		return false;
	if (login && strcmp(pw, login) == 0)
		return false;
	int lower = 0, upper = 0, digit = 0, other = 0;
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
		if (*p < 0x20 || *p == 0x7F)
			return false;
		if (*p >= 'a' && *p <= 'z')
			lower = 1;
		else if (*p >= 'A' && *p <= 'Z')
			upper = 1;
		else if (*p >= '0' && *p <= '9')
			digit = 1;
		else
			other = 1;
	}
	return lower + upper + digit + other >= 3;
}

bool login_valid(const char *login)
{
	if (!login)
		return false;
	size_t n = strlen(login);
	if (n < 3 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = login[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '@' || c == '-'))
			return false;
	}
	return true;
}

/* GB 32100-2015: the 31-character code alphabet and the weights of the
 * first 17 positions (3^(i) mod 31). */
static const char USCC_ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int USCC_WEIGHTS[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int uscc_value(char c)
{
	const char *p = c ? strchr(USCC_ALPHABET, c) : NULL;
	return p ? (int)(p - USCC_ALPHABET) : -1;
}

char uscc_check_char(const char *first17)
{
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		int v = uscc_value(first17[i]);
		if (v < 0)
			return 0;
		sum += v * USCC_WEIGHTS[i];
	}
	int c = 31 - sum % 31;
	if (c == 31)
		c = 0;
	return USCC_ALPHABET[c];
}

bool uscc_valid(const char *uscc)
{
	if (!uscc || strlen(uscc) != 18)
		return false;
	if (uscc_value(uscc[17]) < 0)
		return false;
	char c = uscc_check_char(uscc);
	return c && c == uscc[17];
}

bool phone_valid(const char *phone)
{
	if (!phone)
		return false;
	size_t n = strlen(phone);
	if (n == 11 && phone[0] == '1') {
		for (size_t i = 0; i < n; i++)
			if (phone[i] < '0' || phone[i] > '9')
				return false;
		return true;
	}
	if (n < 7 || n > 20)
		return false;
	int dashes = 0;
	for (size_t i = 0; i < n; i++) {
		if (phone[i] == '-') {
			if (++dashes > 2 || i == 0 || i == n - 1)
				return false;
		} else if (phone[i] < '0' || phone[i] > '9') {
			return false;
		}
	}
	return true;
}

bool industry_code_valid(const char *code)
{
	if (!code || !*code)
		return false;
	const char *p = code;
	if (*p >= 'A' && *p <= 'T')
		p++;
	size_t digits = strlen(p);
	if (p == code && (digits < 2 || digits > 4))
		return false;
	if (p != code && digits != 0 && (digits < 2 || digits > 4))
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}
