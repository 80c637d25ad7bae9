/*
 * risk.h - risk assessment of a risk list 风险清单 (seed 000; DESIGN.md
 * "Risk list"), pure.
 *
 * LEC (作业条件危险性评价法): D = L × E × C with the method's standard
 * scales - L likelihood 0.1 … 10, E exposure 0.5 … 10, C consequence
 * 1 … 100 - and its bands: D > 320 极其危险, 160–320 高度危险, 70–160
 * 显著危险, 20–70 一般危险, < 20 稍有危险.  Bands to the four levels:
 * > 320 重大 (red), 160 ≤ D ≤ 320 较大 (orange), 70 ≤ D < 160 一般
 * (yellow), D < 70 低 (blue).  Values travel in tenths (L10 = 10 × L) so
 * that the arithmetic is exact.
 *
 * The risk matrix 5×5: likelihood 1–5 × severity 1–5 = R 1–25, mapped by
 * three thresholds that an installation may set; by default R ≥ 20 重大,
 * R ≥ 12 较大, R ≥ 6 一般, else 低 (the diagonal bands of the common
 * 5×5 matrix: 5×4 and above red; 4×3, 3×4 orange; 2×3 and up yellow).
 */
#ifndef QL_RISK_H
#define QL_RISK_H

#include <stdbool.h>
#include <stdint.h>

enum risk_level { RL_NONE = -1, RL_MAJOR, RL_LARGER, RL_GENERAL, RL_LOW, RL_COUNT };

/* The allowed values of each LEC scale, in tenths, with their meanings. */
struct risk_scale_value {
	int tenths;
	const char *label;
};
extern const struct risk_scale_value RISK_L[], RISK_E[], RISK_C[];
extern const int RISK_NL, RISK_NE, RISK_NC;

/* True if v (tenths) is a value of the scale. */
bool risk_on_scale(const struct risk_scale_value *scale, int n, int tenths);
/* D × 100 for L, E, C given in tenths (C is an integer scale: C10 = 10 C). */
int64_t risk_lec_d100(int l10, int e10, int c10);
enum risk_level risk_lec_level(int64_t d100);
/* The LEC band's own name: 极其危险 … 稍有危险. */
const char *risk_lec_band(int64_t d100);

struct risk_matrix {
	int red, orange, yellow; /* lowest R of each level */
};
extern const struct risk_matrix RISK_MATRIX_DEFAULT;
/* -1 if the thresholds are not 1 <= yellow < orange < red <= 25. */
int risk_matrix_check(const struct risk_matrix *m);
enum risk_level risk_matrix_level(const struct risk_matrix *m, int likelihood, int severity);

const char *risk_level_name(enum risk_level l);	  /* major, larger, general, low */
const char *risk_level_label(enum risk_level l);  /* 重大风险 … 低风险 */
const char *risk_level_colour(enum risk_level l); /* red, orange, yellow, blue */
enum risk_level risk_level_parse(const char *s);

/* Control levels 管控层级. */
int risk_control_parse(const char *s); /* 0..3 or -1 */
const char *risk_control_label(int c);

#endif
