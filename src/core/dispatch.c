/*
 * dispatch.c - the items of the monthly return (see dispatch.h), in the
 * order and wording of seed 001's attachment.
 */
#include "dispatch.h"

#include <stdio.h>
#include <string.h>

const struct dispatch_item DISPATCH_ITEMS[] = {
	{"self_major", 1, 1, "企业自查发现的重大事故隐患", "个", DT_COUNT, false},
	{"self_major_closed", 1, 2, "企业自查发现重大事故隐患中已完成整改的", "个", DT_COUNT, false},
	{"dept_major", 1, 3, "部门检查发现的重大事故隐患", "个", DT_COUNT, false},
	{"dept_major_closed", 1, 4, "部门检查发现重大事故隐患中已完成整改的", "个", DT_COUNT, false},
	{"supervised_major", 1, 5, "政府挂牌督办的重大事故隐患", "个", DT_COUNT, false},
	{"supervised_major_closed", 1, 6, "挂牌督办重大事故隐患中已完成整改的", "个", DT_COUNT, false},
	{"spot_checked", 2, 1, "部门抽查检查的企业总数", "家", DT_COUNT, false},
	{"leader_not_studied", 2, 2, "企业主要负责人未按要求亲自研究排查整治工作", "家", DT_COUNT, false},
	{"leader_no_inspection", 2, 3, "企业主要负责人未带队检查", "家", DT_COUNT, false},
	{"no_duty_list", 2, 4, "企业未制定分管负责人职责清单", "家", DT_COUNT, false},
	{"no_safety_org", 2, 5, "企业未依法建立安全管理机构和配足安全管理人员", "家", DT_COUNT, false},
	{"uncertified_operators", 2, 6, "电焊等特种作业岗位人员无证上岗作业", "家", DT_COUNT, false},
	{"outsourcing_chaos", 2, 7, "外包外租安全管理混乱", "家", DT_COUNT, false},
	{"no_drill", 2, 8, "未按规定开展应急演练、员工不熟悉逃生出口", "家", DT_COUNT, false},
	{"assistance", 3, 1, "帮扶指导", "个次", DT_COUNT, false},
	{"assistance_key", 3, 2, "帮扶指导重点企业", "家次", DT_COUNT, false},
	{"penalties", 3, 3, "行政处罚", "次", DT_COUNT, false},
	{"penalty_amount", 3, 3, "行政处罚金额", "万元", DT_AMOUNT, false},
	{"double_penalties", 3, 4, "企业和企业主要负责人“一案双罚”", "次", DT_COUNT, false},
	{"judicial_transfers", 3, 5, "移送司法机关", "人", DT_COUNT, false},
	{"suspensions", 3, 6, "责令停产整顿", "家", DT_COUNT, false},
	{"exposed", 3, 7, "曝光、约谈、联合惩戒企业", "家", DT_COUNT, false},
	{"typical_cases", 3, 8, "公布典型案例", "个", DT_COUNT, false},
	{"dangerous_operation_cases", 3, 8, "其中危险作业罪案例", "个", DT_COUNT, false},
	{"accountability", 3, 9, "责任倒查追责问责", "人", DT_COUNT, false},
	{"region_interviews", 3, 10, "约谈通报有关地区及部门", "次", DT_COUNT, false},
	{"study_sessions", 4, 1, "党委政府分别组织专题学习安全生产十五条硬措施", "次", DT_COUNT, false},
	{"special_research", 4, 2, "党委政府主要负责同志分别专题研究", "次", DT_COUNT, false},
	{"onsite_supervision", 4, 3, "政府负责同志分别现场督导检查", "次", DT_COUNT, false},
	{"member_visits", 4, 4, "安委会成员单位负责同志分别到企业", "次", DT_COUNT, false},
	{"tip_rewards", 4, 5, "举报奖励", "万元", DT_AMOUNT, false},
	{"anonymous_tip_rewards", 4, 5, "其中匿名举报查实奖励", "万元", DT_AMOUNT, false},
	{"media_column", 4, 6, "是否在市级、县级主流媒体播放安全生产专题栏目", "", DT_BOOL, true},
	{"tech_inspectors", 4, 7, "配备专兼职技术检查员数量", "人", DT_COUNT, true},
	{"assessment_inspections", 4, 8, "组织开展考核巡查督导检查", "次", DT_COUNT, false},
};
const int DISPATCH_ITEM_COUNT = sizeof DISPATCH_ITEMS / sizeof DISPATCH_ITEMS[0];

const struct dispatch_item *dispatch_item(const char *key)
{
	for (int i = 0; key && i < DISPATCH_ITEM_COUNT; i++)
		if (strcmp(DISPATCH_ITEMS[i].key, key) == 0)
			return &DISPATCH_ITEMS[i];
	return NULL;
}

int dispatch_period_end(const char *period, char out[11])
{
	int y, m;
	char tail;
	if (!period || strlen(period) != 7 || sscanf(period, "%4d-%2d%c", &y, &m, &tail) != 2 ||
	    period[4] != '-' || y < 1900 || y > 2999 || m < 1 || m > 12)
		return -1;
	snprintf(out, 11, "%04d-%02d-24", y, m);
	return 0;
}
