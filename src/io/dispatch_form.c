/*
 * dispatch_form.c - the monthly return's text as the form prints it
 * (see dispatch_form.h).
 */
#include "dispatch_form.h"
#include "../core/dispatch.h"
#include "../lib/clock.h"

#include <stdio.h>
#include <string.h>

const char *const FORM_TITLE = "重大事故隐患专项排查整治行动进展情况调度表";
const char *const FORM_SECTION_NAMES[FORM_SECTIONS + 1] = {
	"", "总体情况", "对企业自查自改进行抽查检查情况", "部门精准严格执法情况",
	"党委政府组织领导情况"};
const char *const FORM_HEADS[7] = {"类别", "序号", "项目", "数值", "序号", "项目", "数值"};
const char *const FORM_NOTE =
	"注：每月 25 日上报截至本月 24 日的累计情况，如遇节假日提前上报。"
	"“数值”中除填报项外均由系统根据隐患、检查、执法、举报和活动记录自动统计。";

static void format_value(const struct dispatch_item *it, int64_t v, char *out, size_t n)
{
	if (it->type == DT_BOOL)
		snprintf(out, n, "%s", v ? "是" : "否");
	else if (it->type == DT_AMOUNT) {
		int64_t yuan = (v + 50) / 100;
		char tmp[48];
		snprintf(tmp, sizeof tmp, "%lld.%04lld", (long long)(yuan / 10000), (long long)(yuan % 10000));
		char *e = tmp + strlen(tmp) - 1;
		while (*e == '0')
			*e-- = 0;
		if (*e == '.')
			*e = 0;
		snprintf(out, n, "%s", tmp);
	} else
		snprintf(out, n, "%lld", (long long)v);
}

int form_items(const struct dispatch_return *d, struct form_item *items)
{
	int n = 0;
	for (int i = 0; i < DISPATCH_ITEM_COUNT && n < FORM_MAX_ITEMS; i++) {
		const struct dispatch_item *it = &DISPATCH_ITEMS[i];
		char v[48];
		format_value(it, d->values[i], v, sizeof v);
		if (n > 0 && items[n - 1].section == it->section && items[n - 1].no == it->item) {
			/* The second value of the same numbered item. */
			size_t len = strlen(items[n - 1].value);
			snprintf(items[n - 1].value + len, sizeof items[n - 1].value - len,
				 "；%s %s%s", strncmp(it->label, "其中", 6) == 0 ? it->label : "金额", v,
				 it->unit);
			continue;
		}
		items[n].section = it->section;
		items[n].no = it->item;
		items[n].label = it->label;
		snprintf(items[n].value, sizeof items[n].value, "%s%s", v,
			 it->type == DT_BOOL ? "" : it->unit);
		n++;
	}
	return n;
}

void form_info_line(const struct dispatch_return *d, int64_t now, char *out, size_t n)
{
	char today[16];
	clock_format_date_cn(now, today, sizeof today);
	snprintf(out, n,
		 "填报单位：%s（加盖公章）    统计期间：%s 至 %s（截至当月 24 日累计）"
		 "    填表时间：%.4s年%.2s月%.2s日",
		 d->unit_name, d->since, d->until, today, today + 5, today + 8);
}

void form_signature_line(const struct dispatch_return *d, char *out, size_t n)
{
	snprintf(out, n, "填表人：%s                    审核人：%s",
		 d->filler ? d->filler : "________", d->reviewer ? d->reviewer : "________");
}
