/*
 * dispatch_form.h - the monthly return as the paper form reads it: the
 * numbered items of each section with their values written out (units,
 * 万元, 是/否), and the form's fixed lines.  The Excel and PDF writers lay
 * out the same text.
 */
#ifndef QL_DISPATCH_FORM_H
#define QL_DISPATCH_FORM_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"

#define FORM_SECTIONS 4
#define FORM_MAX_ITEMS 64

extern const char *const FORM_TITLE;
extern const char *const FORM_SECTION_NAMES[FORM_SECTIONS + 1]; /* 1-based */
extern const char *const FORM_HEADS[7];
extern const char *const FORM_NOTE;

/* One numbered item of the form: one or two values (e.g. 次 and 万元). */
struct form_item {
	int section, no;
	const char *label;
	char value[96];
};

/* Fills items (FORM_MAX_ITEMS) in form order; returns how many. */
int form_items(const struct dispatch_return *d, struct form_item *items);
/* The line under the title: unit, period, date filled. */
void form_info_line(const struct dispatch_return *d, int64_t now, char *out, size_t n);
/* The signature line: 填表人 and 审核人, blank lines until signed. */
void form_signature_line(const struct dispatch_return *d, char *out, size_t n);

#endif
