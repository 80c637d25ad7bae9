/*
 * clock.h - the current time, and RFC 3339 / date conversions.
 *
 * If the environment variable QINGLING_NOW holds an RFC 3339 time, that
 * time is the current time for the whole process (frozen), so that tests
 * and demonstrations of deadlines, lock-outs and session expiry are
 * reproducible.  Times are seconds since the epoch, in UTC.
 */
#ifndef QL_CLOCK_H
#define QL_CLOCK_H

#include <stdint.h>
#include <stddef.h>

/* Reads QINGLING_NOW; returns -1 (and leaves the clock real) if it is set
 * but not a valid RFC 3339 time. */
int clock_init(void);
int64_t clock_now(void);

/* Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|+hh:mm|-hh:mm)"; -1 if invalid. */
int clock_parse_rfc3339(const char *s, int64_t *out);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void clock_format_rfc3339(int64_t t, char *out, size_t n);
/* Writes the Asia/Shanghai calendar date of t as "YYYY-MM-DD". */
void clock_format_date_cn(int64_t t, char *out, size_t n);

#endif
