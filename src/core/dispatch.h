/*
 * dispatch.h - the monthly progress return 调度表 of seed 001: its 35
 * values in four sections, how each is keyed in the API, and the period
 * rule (cumulative to the end of the 24th, due on the 25th).  Pure data
 * and date rules; store/dispatch.c does the counting.
 */
#ifndef QL_DISPATCH_H
#define QL_DISPATCH_H

#include <stdbool.h>

enum dispatch_type { DT_COUNT, DT_AMOUNT, DT_BOOL };

struct dispatch_item {
	const char *key;
	int section;		/* 1..4 (一 .. 四) */
	int item;		/* the form's number within the section */
	const char *label;	/* the form's wording */
	const char *unit;	/* 个 家 次 人 万元 … */
	enum dispatch_type type;
	bool entered;		/* entered by the unit, not computed */
};

extern const struct dispatch_item DISPATCH_ITEMS[];
extern const int DISPATCH_ITEM_COUNT;

const struct dispatch_item *dispatch_item(const char *key);
/* Parses "YYYY-MM" and writes the last counted day "YYYY-MM-24";
 * -1 if the period is not a real month. */
int dispatch_period_end(const char *period, char out[11]);

#endif
