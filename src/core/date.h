/*
 * date.h - civil calendar arithmetic (proleptic Gregorian), pure.
 *
 * Dates travel through Qingling as "YYYY-MM-DD" text; these functions
 * validate them and convert to day numbers (days since 1970-01-01) for
 * deadline arithmetic.
 */
#ifndef QL_DATE_H
#define QL_DATE_H

#include <stdbool.h>
#include <stdint.h>

bool date_leap(int y);
int date_days_in_month(int y, int m);
bool date_valid(int y, int m, int d);
int64_t date_to_days(int y, int m, int d);
void date_from_days(int64_t days, int *y, int *m, int *d);
/* Parses exactly "YYYY-MM-DD" (a real calendar day, years 1900-2999);
 * returns 0 and the day number, or -1. */
int date_parse(const char *s, int64_t *days);

#endif
