/*
 * risk.c - LEC and the 5×5 matrix (see risk.h).
 */
#include "risk.h"

#include <string.h>

const struct risk_scale_value RISK_L[] = {
	{100, "完全可以预料"}, {60, "相当可能"}, {30, "可能，但不经常"}, {10, "可能性小，完全意外"},
	{5, "很不可能，可以设想"}, {2, "极不可能"}, {1, "实际不可能"},
};
const struct risk_scale_value RISK_E[] = {
	{100, "连续暴露"}, {60, "每天工作时间内暴露"}, {30, "每周一次或偶然暴露"},
	{20, "每月一次暴露"}, {10, "每年几次暴露"}, {5, "非常罕见地暴露"},
};
const struct risk_scale_value RISK_C[] = {
	{1000, "大灾难，许多人死亡"}, {400, "灾难，数人死亡"}, {150, "非常严重，一人死亡"},
	{70, "严重，重伤"}, {30, "重大，致残"}, {10, "引人注目，需要救护"},
};
const int RISK_NL = sizeof RISK_L / sizeof RISK_L[0];
const int RISK_NE = sizeof RISK_E / sizeof RISK_E[0];
const int RISK_NC = sizeof RISK_C / sizeof RISK_C[0];

bool risk_on_scale(const struct risk_scale_value *scale, int n, int tenths)
{
	for (int i = 0; i < n; i++)
		if (scale[i].tenths == tenths)
			return true;
	return false;
}

int64_t risk_lec_d100(int l10, int e10, int c10)
{
	/* D = (l10/10)(e10/10)(c10/10): D × 100 = l10 · e10 · c10 / 10. */
	return (int64_t)l10 * e10 * c10 / 10;
}

enum risk_level risk_lec_level(int64_t d100)
{
	if (d100 > 32000)
		return RL_MAJOR;
	if (d100 >= 16000)
		return RL_LARGER;
	if (d100 >= 7000)
		return RL_GENERAL;
	return RL_LOW;
}

const char *risk_lec_band(int64_t d100)
{
	return d100 > 32000	? "极其危险，不能继续作业"
	       : d100 >= 16000 ? "高度危险，需立即整改"
	       : d100 >= 7000	? "显著危险，需要整改"
	       : d100 >= 2000	? "一般危险，需要注意"
				: "稍有危险，可以接受";
}

const struct risk_matrix RISK_MATRIX_DEFAULT = {20, 12, 6};

int risk_matrix_check(const struct risk_matrix *m)
{
	return m->yellow >= 1 && m->yellow < m->orange && m->orange < m->red && m->red <= 25 ? 0 : -1;
}

enum risk_level risk_matrix_level(const struct risk_matrix *m, int likelihood, int severity)
{
	if (likelihood < 1 || likelihood > 5 || severity < 1 || severity > 5)
		return RL_NONE;
	int r = likelihood * severity;
	return r >= m->red ? RL_MAJOR : r >= m->orange ? RL_LARGER : r >= m->yellow ? RL_GENERAL : RL_LOW;
}

static const char *const NAMES[RL_COUNT] = {"major", "larger", "general", "low"};
static const char *const LABELS[RL_COUNT] = {"重大风险", "较大风险", "一般风险", "低风险"};
static const char *const COLOURS[RL_COUNT] = {"red", "orange", "yellow", "blue"};

const char *risk_level_name(enum risk_level l)
{
	return l >= 0 && l < RL_COUNT ? NAMES[l] : "";
}

const char *risk_level_label(enum risk_level l)
{
	return l >= 0 && l < RL_COUNT ? LABELS[l] : "";
}

const char *risk_level_colour(enum risk_level l)
{
	return l >= 0 && l < RL_COUNT ? COLOURS[l] : "";
}

enum risk_level risk_level_parse(const char *s)
{
	for (int i = 0; s && i < RL_COUNT; i++)
		if (strcmp(s, NAMES[i]) == 0)
			return i;
	return RL_NONE;
}

static const char *const CONTROL[] = {"company", "workshop", "team", "post"};
static const char *const CONTROL_LABEL[] = {"公司级", "车间（部门）级", "班组级", "岗位级"};

int risk_control_parse(const char *s)
{
	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, CONTROL[i]) == 0)
			return i;
	return -1;
}

const char *risk_control_label(int c)
{
	return c >= 0 && c < 4 ? CONTROL_LABEL[c] : "";
}
