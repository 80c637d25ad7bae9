/*
 * accident.h - accident types 事故类别 for risk lists, as versioned
 * dictionaries: a risk names the dictionary its codes come from, so that
 * lists kept under an earlier standard stay readable when a later one
 * is added.
 *
 * GB/T 6441-1986 《企业职工伤亡事故分类》, clause 2 "事故类别": twenty
 * categories numbered 01-20 in the standard's own order.
 *
 * GB 6441-2025 《生产安全事故分类与编码》 (in force 2026-07-01) replaces
 * it; its list is to be added from the standard's text as a second
 * dictionary.  It is not here yet: the published summaries at hand
 * disagree on its categories (27 or 29), and a dictionary is copied from
 * the standard, not from a summary.
 */
#ifndef QL_ACCIDENT_H
#define QL_ACCIDENT_H

struct accident_type {
	const char *code, *name;
};

struct accident_dictionary {
	const char *version;	/* "GB6441-1986" */
	const char *title;	/* the standard's name */
	const struct accident_type *types;
	int ntypes;
};

extern const struct accident_dictionary ACCIDENT_DICTIONARIES[];
extern const int ACCIDENT_DICTIONARY_COUNT;
extern const char *const ACCIDENT_DEFAULT_VERSION;

const struct accident_dictionary *accident_dictionary(const char *version);
/* The name of a code in a dictionary, or NULL. */
const char *accident_type_name(const struct accident_dictionary *d, const char *code);

#endif
