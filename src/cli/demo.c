/*
 * demo.c - `qingling demo`: fills a fresh database with a believable
 * county (岫岩满族自治县 of 鞍山市, Liaoning, the county of seed 003) -
 * its towns, the county safety committee office, member departments and
 * one account per role - so that a newcomer sees Qingling working.
 * Every change goes through the same store functions as the API and is
 * audited.  Refuses to run on a database that already has users.
 */
#include "cli.h"
#include "../core/risk.h"
#include "../core/date.h"
#include "../core/validate.h"
#include "../lib/clock.h"
#include "../store/migrate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
	"用法：qingling demo --db DB [--password P]\n"
	"  在一个新建的数据库中生成演示数据（区划、部门、各角色账号）。\n"
	"  所有演示账号的密码为 P（默认 Demo@2026）。\n";

static const struct {
	const char *code, *name;
} REGIONS[] = {
	{"21", "辽宁省"},
	{"2103", "鞍山市"},
	{"210323", "岫岩满族自治县"},
	{"210323100", "岫岩镇"},
	{"210323101", "兴隆街道"},
	{"210323102", "雅河街道"},
	{"210323103", "前营子镇"},
	{"210323104", "偏岭镇"},
	{"210323105", "哈达碑镇"},
	{"210323106", "石庙子镇"},
	{"210323107", "黄花甸镇"},
	{"210323108", "大营子镇"},
};

static const char *const DEPARTMENTS[] = {
	"县应急管理局",	    "县住房城乡建设局", "县交通运输局", "县工业和信息化局",
	"县农业农村局",	    "县市场监管局",	"县消防救援大队", "县自然资源局",
};

struct demo_user {
	const char *login, *name, *role;
	int scope; /* 0 none, 1 county region, 2 first department, 3 town */
};

static const struct demo_user USERS[] = {
	{"admin", "系统管理员", "sysadmin", 0},
	{"secadmin", "安全管理员", "secadmin", 0},
	{"auditor", "安全审计员", "auditor", 0},
	{"county_office", "县安委办 王主任", "office", 1},
	{"town_office", "岫岩镇安委办 李干事", "office", 3},
	{"yjj_inspector", "县应急管理局 赵科长", "regulator", 2},
};

/* --- enterprises and hazards -------------------------------------------- */

/* A small deterministic generator, so that every demo looks the same. */
static uint64_t seed = 20260301;
static int rnd(int n)
{
	seed = seed * 6364136223846793005ull + 1442695040888963407ull;
	return (int)((seed >> 33) % (uint64_t)n);
}

static const struct {
	const char *industry, *kind;
	bool high_risk;
	int dept;	/* index into DEPARTMENTS */
	int major;	/* index of its trade's major finding in FINDINGS, or -1 */
} TRADES[] = {
	{"B1019", "矿业有限公司", true, 0, 0},	    {"C2614", "化工有限公司", true, 0, 1},
	{"C2671", "烟花爆竹有限公司", true, 0, 2},  {"E4720", "建筑工程有限公司", true, 1, 3},
	{"G5430", "运输有限公司", true, 2, -1},	    {"C3110", "钢铁有限公司", true, 3, -1},
	{"C1331", "饲料有限公司", false, 4, -1},    {"F5261", "商贸有限公司", false, 5, -1},
	{"C3021", "水泥制品有限公司", false, 3, -1}, {"H6110", "酒店管理有限公司", false, 6, -1},
};
static const char *const PLACES[] = {"岫岩", "东山", "南沟", "北岭", "玉石", "清凉", "红旗",
				     "兴隆", "雅河", "偏岭", "哈达碑", "石庙"};
static const char *const SURNAMES[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
				       "徐", "孙", "马", "朱", "胡", "郭"};
static const char *const GIVEN[] = {"建国", "志强", "秀英", "海燕", "立新", "德明", "春华", "国庆",
				    "玉兰", "永刚", "丽娟", "宝山"};
static const struct {
	const char *location, *description, *basis;
	bool major, site;
} FINDINGS[] = {
	{"井下运输巷", "主要通风机未按规定设置备用风机", "金属非金属矿山重大事故隐患判定标准 第二条", true, true},
	{"罐区", "涉及重点监管危险化工工艺的装置未实现自动化控制", "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准 第五条", true, true},
	{"成品仓库", "仓库内超量储存烟花爆竹成品", "烟花爆竹生产经营单位重大生产安全事故隐患判定标准 第九条", true, true},
	{"3号楼施工现场", "深基坑未按设计要求进行支护和监测", "房屋市政工程生产安全重大事故隐患判定标准 第六条", true, true},
	{"车间配电箱", "配电箱门缺失，线路裸露", NULL, false, true},
	{"消防通道", "消防通道堆放杂物，影响通行", NULL, false, true},
	{"灭火器配置点", "灭火器压力不足，未定期检查", NULL, false, true},
	{"有限空间作业点", "有限空间作业未执行审批和检测制度", NULL, false, false},
	{"安全管理台账", "未按规定开展全员安全生产教育培训", NULL, false, false},
	{"特种作业岗位", "叉车司机未持证上岗", NULL, false, false},
	{"高处作业区", "临边防护栏杆缺失", NULL, false, true},
	{"危化品库房", "危险化学品未分类分库储存", NULL, false, true},
	{"应急管理", "生产安全事故应急预案未按期演练", NULL, false, false},
	{"机械加工车间", "设备旋转部位未设置防护罩", NULL, false, true},
};

static char *person_name(struct arena *a)
{
	return arena_printf(a, "%s%s", SURNAMES[rnd(16)], GIVEN[rnd(12)]);
}

static char *phone(struct arena *a)
{
	return arena_printf(a, "13%d%08d", 4 + rnd(6), rnd(100000000));
}

static char *date_minus(struct arena *a, int64_t now, int days)
{
	char d[16];
	clock_format_date_cn(now - (int64_t)days * 86400, d, sizeof d);
	return arena_strdup(a, d);
}

static char *date_plus(struct arena *a, const char *day, int days)
{
	int64_t dn;
	date_parse(day, &dn);
	int y, m, d;
	date_from_days(dn + days, &y, &m, &d);
	return arena_printf(a, "%04d-%02d-%02d", y, m, d);
}

struct demo_ctx {
	struct db *db;
	struct arena *a;
	int64_t now;
	struct user office, regulator;
};

static int event(struct demo_ctx *c, struct hazard *h, const struct user *by, const char *action,
		 const char *from, const char *to, int64_t at, const char *note)
{
	h->status = (char *)to;
	struct hazard_event e = {.hazard_id = h->id, .action = (char *)action,
				 .from_status = (char *)from, .to_status = (char *)to,
				 .user_id = by->id, .user_name = by->name, .at = at,
				 .note = (char *)note};
	return store_hazard_event_insert(c->db, &e);
}

/* Registers one hazard and walks it to a status chosen by weight. */
static int demo_hazard(struct demo_ctx *c, const struct enterprise *e, const struct user *eu,
		       int64_t dept_id, int trade, int n)
{
	struct arena *a = c->a;
	const struct user *reg = &c->regulator;
	int f = TRADES[trade].major >= 0 && rnd(100) < 25 ? TRADES[trade].major : 4 + rnd(10);
	bool major = FINDINGS[f].major;
	bool by_dept = rnd(100) < 35;
	int age = 3 + rnd(300);
	struct hazard h = {0};
	h.enterprise_id = e->id;
	h.region_code = e->region_code;
	h.industry_code = e->industry_code;
	h.level = major ? "major" : "general";
	h.category = FINDINGS[f].site ? "site" : "management";
	h.source = by_dept ? (rnd(4) == 0 ? "supervision" : "inspection") : "self";
	h.location = (char *)FINDINGS[f].location;
	h.description = (char *)FINDINGS[f].description;
	h.basis = (char *)FINDINGS[f].basis;
	h.found_on = date_minus(a, c->now, age);
	h.found_by = by_dept ? reg->name : eu->name;
	h.department_id = by_dept ? dept_id : 0;
	h.created_by = by_dept ? reg->id : eu->id;
	h.funds_fen = -1;
	int64_t t0 = c->now - (int64_t)age * 86400 + 3600 * 9;
	h.created_at = h.updated_at = t0;
	bool on_spot = !major && !by_dept && rnd(100) < 10;
	h.rectified_on_spot = on_spot;
	h.status = on_spot ? "closed" : "open";
	if (on_spot) {
		h.closed_at = t0;
		h.measures = "现场立即整改完毕";
	}
	h.code = arena_printf(a, "YH-210323-%.4s-%06d", h.found_on, n);
	int rc = store_hazard_insert(c->db, &h);
	if (rc < 0)
		return rc;
	const struct user *finder = by_dept ? reg : eu;
	if ((rc = event(c, &h, finder, "register", NULL, h.status, t0,
			on_spot ? "即查即改" : NULL)) < 0)
		return rc;
	if (on_spot)
		return 0;
	/* How far along the loop it got: older hazards further on. */
	int roll = rnd(100);
	int stage = age < 20 ? (roll < 60 ? 0 : 1) : roll < 8 ? 0 : roll < 40 ? 1 : roll < 50 ? 2 : roll < 95 ? 4 : 5;
	int64_t t = t0 + 86400;
	if (stage == 5) {
		h.updated_at = t;
		if ((rc = event(c, &h, by_dept ? reg : &c->office, "void", "open", "void", t,
				"重复登记，予以作废")) < 0)
			return rc;
		return store_hazard_update(c->db, &h);
	}
	if (stage >= 1) {
		h.responsible_person = person_name(a);
		h.measures = major ? "停产整改，编制治理方案，委托专业机构实施" : "立即安排维修整改";
		h.deadline = date_plus(a, h.found_on, major ? 60 + rnd(60) : 7 + rnd(40));
		if (major) {
			h.funds_fen = (int64_t)(50000 + rnd(500000)) * 100;
			h.emergency_plan = "启动企业专项应急预案，危险区域人员撤离";
			h.interim_measures = "设置警戒区域，安排专人监护";
		}
		if ((rc = event(c, &h, eu, "plan", "open", "rectifying", t, NULL)) < 0)
			return rc;
		t += 86400 * (1 + rnd(10));
	}
	if (stage >= 2) {
		if ((rc = event(c, &h, eu, "submit", "rectifying", "awaiting_acceptance", t,
				"已按方案完成整改")) < 0)
			return rc;
		t += 86400 * (1 + rnd(5));
	}
	if (stage >= 4) {
		const struct user *acceptor = by_dept ? reg : eu;
		const char *to = major ? "awaiting_verification" : "closed";
		if ((rc = event(c, &h, acceptor, "accept", "awaiting_acceptance", to, t,
				arena_printf(a, "验收人：%s", acceptor->name))) < 0)
			return rc;
		if (major && rnd(3) > 0) {
			t += 86400 * (1 + rnd(5));
			if ((rc = event(c, &h, reg, "verify", "awaiting_verification", "closed", t,
					"经现场核查，整改到位，同意销号")) < 0)
				return rc;
		}
		if (strcmp(h.status, "closed") == 0)
			h.closed_at = t < c->now ? t : c->now;
	}
	h.updated_at = t < c->now ? t : c->now;
	if (major && strcmp(h.status, "void") != 0 && rnd(2) == 0) {
		struct hazard_supervision v = {.hazard_id = h.id, .region_code = "210323",
					       .listed_by = c->office.id, .listed_at = t0 + 86400 * 2,
					       .deadline = date_plus(a, h.found_on, 90),
					       .note = "县安委办挂牌督办"};
		if ((rc = store_supervision_insert(c->db, &v)) < 0)
			return rc;
		h.supervised = true;
		if (strcmp(h.status, "closed") == 0 && rnd(2) == 0) {
			if ((rc = store_supervision_delist(c->db, v.id, c->office.id, h.updated_at)) < 0)
				return rc;
			h.supervised = false;
		}
	}
	return store_hazard_update(c->db, &h);
}

/* The enterprise's own duties (core/duty.h), most kept, some not, so that
 * the compliance page has something to show: files, monthly leader
 * inspections, drills, certificates (a few expired or expiring), and now
 * and then an outsourcing contract without a safety agreement. */
static int demo_duties(struct demo_ctx *c, const struct enterprise *e, const struct user *u)
{
	int rc = 0;
	struct duty_record d = {.enterprise_id = e->id, .created_by = u->id, .created_at = c->now};
	if (rnd(10) < 8) {
		d.kind = "duty_list", d.title = "领导带班值班表";
		d.date = date_minus(c->a, c->now, 200 + rnd(100));
		if ((rc = store_duty_insert(c->db, &d, &(int64_t){0})) < 0)
			return rc;
	}
	if (rnd(10) < 8) {
		d.kind = "safety_org", d.title = "安全生产管理机构及专职安全管理人员配备";
		d.date = date_minus(c->a, c->now, 250 + rnd(100));
		if ((rc = store_duty_insert(c->db, &d, &(int64_t){0})) < 0)
			return rc;
	}
	d.kind = "leader_inspection", d.title = "主要负责人带队安全检查", d.leader = e->main_person.name;
	for (int m = 0; m < 11; m++)
		if (rnd(10) < 7) {
			d.date = date_minus(c->a, c->now, m * 30 + rnd(25));
			if ((rc = store_duty_insert(c->db, &d, &(int64_t){0})) < 0)
				return rc;
		}
	d.kind = "drill", d.title = "生产安全事故应急演练", d.leader = NULL, d.participants = 10 + rnd(60);
	for (int h = 0; h < 2; h++)
		if (rnd(10) < 7) {
			d.date = date_minus(c->a, c->now, h * 180 + rnd(150));
			if ((rc = store_duty_insert(c->db, &d, &(int64_t){0})) < 0)
				return rc;
		}
	static const char *const CATEGORIES[] = {"电工作业", "焊接与热切割作业", "高处作业",
						 "危险化学品安全作业"};
	int ncert = rnd(4);
	for (int k = 0; k < ncert; k++) {
		struct certificate ct = {.enterprise_id = e->id, .holder = person_name(c->a),
			.category = CATEGORIES[rnd(4)],
			.number = arena_printf(c->a, "T%06lld%02d", (long long)e->id, k),
			.valid_until = date_minus(c->a, c->now, 30 - rnd(400)),
			.created_by = u->id, .created_at = c->now};
		if ((rc = store_certificate_insert(c->db, &ct, &(int64_t){0})) < 0)
			return rc;
	}
	/* A few risks, assessed by LEC, for the four-colour picture. */
	static const struct { const char *point, *source, *types; } RISKS[] = {
		{"配电室", "高低压配电柜", "[\"05\",\"08\"]"},
		{"生产车间", "旋转机械设备", "[\"03\"]"},
		{"原料仓库", "易燃物料堆垛", "[\"08\",\"10\"]"},
		{"厂内道路", "叉车及运输车辆", "[\"02\"]"},
		{"有限空间", "污水池、储罐", "[\"19\"]"},
	};
	static const int L[] = {1, 2, 5, 10, 30, 60}, E[] = {10, 20, 30, 60}, C[] = {30, 70, 150, 400};
	for (int n = 1 + rnd(4), k = 0; k < n; k++) {
		int p = rnd(5);
		struct risk rk = {.enterprise_id = e->id, .region_code = e->region_code,
				  .risk_point = RISKS[p].point, .hazard_source = RISKS[p].source,
				  .dictionary = "GB6441-1986", .accident_types = RISKS[p].types,
				  .method = "lec", .l10 = L[rnd(6)], .e10 = E[rnd(4)], .c10 = C[rnd(4)],
				  .control_measures = "定期检查、挂牌警示、持证上岗",
				  .control_level = (const char *[]){"company", "workshop", "team", "post"}[rnd(4)],
				  .responsible_person = e->main_person.name, .created_by = u->id,
				  .created_at = c->now};
		rk.score = risk_lec_d100((int)rk.l10, (int)rk.e10, (int)rk.c10);
		rk.level = risk_level_name(risk_lec_level(rk.score));
		if ((rc = store_risk_insert(c->db, &rk, &(int64_t){0})) < 0)
			return rc;
	}
	if (rnd(4) == 0) {
		struct contract k = {.enterprise_id = e->id, .contractor = "岫岩县安达设备检修有限公司",
			.work = "设备检修及吊装作业", .start_date = date_minus(c->a, c->now, 100),
			.end_date = date_minus(c->a, c->now, -200), .safety_agreement = rnd(3) != 0,
			.created_by = u->id, .created_at = c->now};
		if ((rc = store_contract_insert(c->db, &k, &(int64_t){0})) < 0)
			return rc;
	}
	return 0;
}

static int demo_business(struct db *db, struct arena *a, const char *password, int64_t now,
			 int *nent, int *nhaz, struct ql_error *err)
{
	struct demo_ctx c = {.db = db, .a = a, .now = now};
	int rc;
	if ((rc = store_user_by_login(db, a, "county_office", &c.office)) <= 0 ||
	    (rc = store_user_by_login(db, a, "yjj_inspector", &c.regulator)) <= 0)
		return ql_fail(err, QLE_INTERNAL, "demo", NULL, "演示账号缺失");
	int64_t dept_ids[16];
	struct department *depts;
	int64_t ndept;
	int nd = store_department_list(db, a, "210323", 0, 16, &depts, &ndept);
	for (int i = 0; i < nd; i++)
		dept_ids[i] = depts[i].id;
	int hz = 0;
	char *shared_hash = NULL;
	for (int i = 0; i < 50; i++) {
		int tr = rnd(10);
		struct enterprise e = {0};
		char first17[32];
		snprintf(first17, sizeof first17, "91210323MA%07d", 1000000 + i * 7919 % 9000000);
		e.uscc = arena_printf(a, "%s%c", first17, uscc_check_char(first17));
		e.name = arena_printf(a, "岫岩满族自治县%s%s", PLACES[i % 12],
				      TRADES[tr].kind);
		if (i >= 12)
			e.name = arena_printf(a, "岫岩县%s%s%s", PLACES[rnd(12)],
					      (const char *[]){"鑫源", "恒达", "宏远", "金盛", "瑞丰",
							       "泰和", "永安", "顺通"}[rnd(8)],
					      TRADES[tr].kind);
		e.region_code = (char *)REGIONS[3 + rnd(9)].code;
		e.industry_code = (char *)TRADES[tr].industry;
		e.high_risk = TRADES[tr].high_risk;
		e.main_person.name = person_name(a);
		e.main_person.phone = phone(a);
		e.controller.name = rnd(3) ? e.main_person.name : person_name(a);
		e.controller.phone = rnd(3) ? e.main_person.phone : phone(a);
		int64_t sup[2] = {dept_ids[TRADES[tr].dept], dept_ids[6]};
		e.department_ids = sup;
		e.ndepartments = TRADES[tr].dept == 6 ? 1 : 2;
		if (enterprise_save(db, a, &e, NULL, &cli_actor, now, err) < 0)
			return -1;
		/* One account per enterprise, for its safety manager. */
		struct user u = {0};
		u.login = arena_printf(a, "ent%02d", i + 1);
		u.name = arena_printf(a, "%s（安全管理员）", person_name(a));
		u.role = ROLE_ENTERPRISE;
		u.enterprise_id = e.id;
		if (i == 0) {
			if (account_create(db, a, &u, password, &cli_actor, now, err) < 0)
				return -1;
			struct user first;
			if ((rc = store_user_by_id(db, a, u.id, &first)) <= 0)
				return db_fail(db, rc, err);
			shared_hash = first.password_hash;
		} else {
			/* Same demo password: reuse the first hash instead of paying
			 * argon2id fifty times. */
			u.password_hash = shared_hash;
			u.created_at = now;
			if ((rc = store_user_insert(db, &u)) < 0 ||
			    (rc = store_audit_append(db, &cli_actor, now, "user.create", "user",
						     arena_printf(a, "%lld", (long long)u.id), NULL,
						     NULL, "ok")) < 0)
				return db_fail(db, rc, err);
		}
		int k = 2 + rnd(10);
		for (int j = 0; j < k; j++)
			if ((rc = demo_hazard(&c, &e, &u, sup[0], tr, ++hz)) < 0)
				return db_fail(db, rc, err);
		if ((rc = demo_duties(&c, &e, &u)) < 0)
			return db_fail(db, rc, err);
	}
	/* Numbering continues after the demo's hazards. */
	struct db_stmt *st = db_stmt(db, "INSERT INTO hazard_code_seq (county, year, next)"
					 " VALUES ('210323', ?, ?)"
					 " ON CONFLICT (county, year) DO UPDATE SET next = excluded.next");
	char day[16];
	clock_format_date_cn(now, day, sizeof day);
	db_bind_int(st, 1, atoi(day));
	db_bind_int(st, 2, hz);
	if ((rc = db_run(st)) < 0)
		return db_fail(db, rc, err);
	*nent = 50;
	*nhaz = hz;
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	const char *target = NULL, *password = "Demo@2026";
	const struct cli_opt opts[] = {
		{"--db", &target, NULL}, {"--password", &password, NULL}, {NULL, NULL, NULL}};
	int p = cli_parse(argc, argv, 2, opts, NULL, 0, "demo", USAGE);
	if (p != 0)
		return p < 0 ? 2 : 0;
	struct db *db = cli_open_db("demo", target, true);
	if (!db)
		return 1;
	struct arena *a = arena_new();
	struct ql_error err = {0};
	int64_t now = clock_now();
	int status = 0, rc;
	int64_t users = db_one_int(db_stmt(db, "SELECT count(*) FROM users"), 0);
	if (users > 0) {
		status = cli_fail("demo", "数据库中已有账号，演示数据只能写入新建的数据库");
		goto out;
	}
	if ((rc = db_begin(db)) != 0) {
		status = cli_fail("demo", "数据库错误：%s", db_errmsg(db));
		goto out;
	}
	for (size_t i = 0; i < sizeof REGIONS / sizeof REGIONS[0]; i++) {
		struct region g = {(char *)REGIONS[i].code, (char *)REGIONS[i].name, NULL, 0};
		size_t pl = region_parent_len(strlen(g.code));
		g.parent_code = pl ? arena_strndup(a, g.code, pl) : NULL;
		g.level = region_level(g.code);
		if ((rc = store_region_insert(db, &g)) < 0 ||
		    (rc = store_audit_append(db, &cli_actor, now, "region.create", "region", g.code,
					     NULL, NULL, "ok")) < 0)
			goto fail;
	}
	int64_t first_dept = 0;
	for (size_t i = 0; i < sizeof DEPARTMENTS / sizeof DEPARTMENTS[0]; i++) {
		struct department d = {0, (char *)DEPARTMENTS[i], "210323"};
		if ((rc = store_department_insert(db, &d)) < 0 ||
		    (rc = store_audit_append(db, &cli_actor, now, "department.create", "department",
					     arena_printf(a, "%lld", (long long)d.id), NULL, NULL,
					     "ok")) < 0)
			goto fail;
		if (!first_dept)
			first_dept = d.id;
	}
	for (size_t i = 0; i < sizeof USERS / sizeof USERS[0]; i++) {
		struct user u = {0};
		u.login = (char *)USERS[i].login;
		u.name = (char *)USERS[i].name;
		u.role = role_parse(USERS[i].role);
		if (USERS[i].scope == 1)
			u.region_code = "210323";
		else if (USERS[i].scope == 3)
			u.region_code = "210323100";
		else if (USERS[i].scope == 2)
			u.department_id = first_dept;
		if (account_create(db, a, &u, password, &cli_actor, now, &err) < 0) {
			db_rollback(db);
			status = cli_fail("demo", "%s", err.message);
			goto out;
		}
	}
	int nent = 0, nhaz = 0;
	if (demo_business(db, a, password, now, &nent, &nhaz, &err) < 0) {
		db_rollback(db);
		status = cli_fail("demo", "%s", err.message);
		goto out;
	}
	if ((rc = db_commit(db)) != 0)
		goto fail;
	printf("演示数据已写入：%zu 个区划、%zu 个部门、%d 家企业、%d 条隐患、%zu 个管理账号"
	       "（密码 %s）\n",
	       sizeof REGIONS / sizeof REGIONS[0], sizeof DEPARTMENTS / sizeof DEPARTMENTS[0], nent,
	       nhaz, sizeof USERS / sizeof USERS[0], password);
	goto out;
fail:
	status = cli_fail("demo", "写入演示数据失败：%s", db_errmsg(db));
	db_rollback(db);
out:
	arena_free(a);
	db_close(db);
	return status;
}
