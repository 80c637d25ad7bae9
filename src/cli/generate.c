/*
 * generate.c - `qingling generate`: a synthetic province for benchmarks
 * (bench/), the same for a given seed every time: 14 cities, 7 counties
 * each, 12 towns per county, 15 departments per county, enterprises with
 * valid credit codes spread over the towns, hazards over three years in
 * every status (about 5 % major, some overdue, some supervised) with their
 * histories, inspections, enforcement records and public tip-offs, and an
 * office account for the province and for one county.
 *
 * The load is one transaction through the database's bulk path
 * (db_load_*: COPY on PostgreSQL, batched INSERTs on SQLite), with the
 * connection in bulk mode (a benchmark database is rebuilt, not
 * recovered).  The same seed gives the same rows on both backends.
 * --csv FILE also writes the hazard rows as CSV, for the bare-table floor
 * the benchmark compares with.
 */
#include "cli.h"
#include "../core/date.h"
#include "../core/hazard.h"
#include "../core/validate.h"
#include "../lib/clock.h"
#include "../lib/crypto.h"
#include "../store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char USAGE[] =
	"用法：qingling generate --db DB [--enterprises N] [--hazards M] [--seed S] [--csv FILE]\n"
	"  生成用于性能测试的合成省份数据（确定性：同一 seed 每次相同），写入新建的数据库。\n"
	"  默认 200000 家企业、2000000 条隐患；--csv 同时把隐患行写成 CSV 文件。\n";

static uint64_t state;
static uint64_t next(void)
{
	state = state * 6364136223846793005ull + 1442695040888963407ull;
	return state >> 33;
}
static int rnd(int n)
{
	return (int)(next() % (uint64_t)n);
}

#define CITIES 14
#define COUNTIES 7
#define TOWNS 12
#define DEPTS 15
#define PROVINCE "37"

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int region(struct db *db, const char *code, const char *name, const char *parent,
		  int level)
{
	struct region g = {(char *)code, (char *)name, (char *)parent, level};
	return store_region_insert(db, &g);
}

/* The bulk path: the secondary indexes of the big tables are dropped for
 * the load and built again after it, from their own definitions as the
 * database reports them, so that nothing here restates the schema. */
#define MAX_SAVED 32
struct saved_indexes {
	char *name[MAX_SAVED], *create[MAX_SAVED];
	int n;
};

static int drop_indexes(struct db *db, struct arena *a, const char *table,
			struct saved_indexes *x)
{
	int got = db_secondary_indexes(db, table, x->name + x->n, x->create + x->n,
				       MAX_SAVED - x->n);
	if (got < 0)
		return got;
	for (int i = x->n; i < x->n + got; i++)
		if (db_exec(db, arena_printf(a, "DROP INDEX %s", x->name[i])) < 0)
			return DB_ERR;
	x->n += got;
	return 0;
}

/* Builds the dropped indexes again and frees their definitions. */
static int build_indexes(struct db *db, struct saved_indexes *x)
{
	int rc = 0;
	for (int i = 0; i < x->n; i++) {
		if (rc == 0 && db_exec(db, x->create[i]) < 0)
			rc = DB_ERR;
		free(x->name[i]);
		free(x->create[i]);
	}
	x->n = 0;
	return rc;
}

static const char *const STATUSES[] = {"open", "rectifying", "awaiting_acceptance",
				       "awaiting_verification", "closed", "void"};
/* per mille: most closed, a good share in rectification */
static const int STATUS_PM[] = {80, 200, 60, 40, 600, 20};

static int pick_status(void)
{
	int x = rnd(1000), acc = 0;
	for (int i = 0; i < 6; i++)
		if (x < (acc += STATUS_PM[i]))
			return i;
	return 4;
}

static void day_string(int64_t days, char out[11])
{
	int y, m, d;
	date_from_days(days, &y, &m, &d);
	char t[32];
	snprintf(t, sizeof t, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	memcpy(out, t, 10);
	out[10] = 0;
}

/* What the phases share: the province's shape and the generated keys. */
struct province {
	struct db *db;
	struct arena *a;
	int64_t nent, nhaz, now, today, creator;
	char today_cn[16];	/* today in Asia/Shanghai, for the overdue flag */
	double index_seconds;	/* spent building the hazards' indexes */
	int ncounties, ntowns;
	char (*counties)[16], (*towns)[16];
	int64_t *depts;		/* DEPTS per county */
	int *ent_town;		/* per enterprise (id = index + 1) */
	unsigned char *haz_status; /* per hazard (id = index + 1) */
	int64_t *haz_at;	/* its registration time */
	int64_t *seq;		/* codes used, per county and year slot */
	FILE *csv;
	struct ql_error *err;
};

static int regions(struct province *p)
{
	char code[32], name[64];
	if (region(p->db, PROVINCE, "合成省", NULL, 1) < 0)
		return DB_ERR;
	for (int c = 1; c <= CITIES; c++) {
		char city[16];
		snprintf(city, sizeof city, PROVINCE "%02d", c);
		snprintf(name, sizeof name, "合成省第%d市", c);
		if (region(p->db, city, name, PROVINCE, 2) < 0)
			return DB_ERR;
		for (int k = 1; k <= COUNTIES; k++) {
			snprintf(code, sizeof code, "%s%02d", city, k);
			strcpy(p->counties[p->ncounties++], code);
			snprintf(name, sizeof name, "第%d市第%d县", c, k);
			if (region(p->db, code, name, city, 3) < 0)
				return DB_ERR;
			for (int t = 1; t <= TOWNS; t++) {
				char *town = p->towns[p->ntowns++];
				snprintf(town, 16, "%.6s%03d", code, (100 + t) % 1000);
				snprintf(name, sizeof name, "第%d市第%d县第%d镇", c, k, t);
				if (region(p->db, town, name, code, 4) < 0)
					return DB_ERR;
			}
		}
	}
	return 0;
}

static int departments(struct province *p)
{
	for (int k = 0; k < p->ncounties; k++)
		for (int d = 0; d < DEPTS; d++) {
			struct department dp = {0, arena_printf(p->a, "第%d部门", d + 1), p->counties[k]};
			if (store_department_insert(p->db, &dp) < 0)
				return DB_ERR;
			p->depts[k * DEPTS + d] = dp.id;
		}
	return 0;
}

/* A province office and one county office; the first is the creator of
 * the generated records. */
static int accounts(struct province *p, const char *password, struct ql_error *err)
{
	const char *logins[2][2] = {{"province_office", PROVINCE}, {"county_office", p->counties[0]}};
	for (int i = 0; i < 2; i++) {
		struct user u = {.login = (char *)logins[i][0], .name = (char *)logins[i][0],
				 .role = ROLE_OFFICE, .region_code = (char *)logins[i][1]};
		if (account_create(p->db, p->a, &u, password, &cli_actor, p->now, err) < 0)
			return -1;
		if (!p->creator)
			p->creator = u.id;
	}
	return 0;
}

/* Fills p->err from the database's message unless a phase already did;
 * returns -1. */
static int fail(struct province *p, int rc)
{
	if (!p->err->message[0])
		db_fail(p->db, rc < 0 ? rc : DB_ERR, p->err);
	return -1;
}

/* The loads give no ids back: in a fresh table they are 1..n in the order
 * of the rows, which this checks once the load is over. */
static int check_ids(struct province *p, const char *sql, int64_t n)
{
	struct db_stmt *st = db_stmt(p->db, sql);
	if (!st || db_step(st) != DB_ROW)
		return fail(p, DB_ERR);
	bool ok = db_col_int(st, 0) == (n ? 1 : 0) && db_col_int(st, 1) == n &&
		  db_col_int(st, 2) == n;
	db_done(st);
	if (!ok)
		return ql_fail(p->err, QLE_INTERNAL, "ids", NULL, "生成的编号不连续：数据库不是新建的");
	return 0;
}

/* Ends a load begun by the caller: rc, or the end's own failure. */
static int end_load(struct province *p, struct db_load *l, int rc)
{
	int end = db_load_end(l);
	if (rc >= 0 && end < 0)
		rc = end;
	return rc < 0 ? fail(p, rc) : 0;
}

/* Loads n rows into table, row() writing the i-th (from 0); every
 * 500,000 rows it tells progress under the label, when there is one. */
static int load_rows(struct province *p, const char *table, const char *columns, int64_t n,
		     void (*row)(struct province *p, struct db_load *l, int64_t i), const char *label)
{
	struct db_load *l = db_load_begin(p->db, table, columns);
	if (!l)
		return fail(p, DB_ERR);
	int rc = 0;
	for (int64_t i = 0; i < n && rc >= 0; i++) {
		row(p, l, i);
		rc = db_load_row(l);
		if (label && (i + 1) % 500000 == 0)
			fprintf(stderr, "%s %lld / %lld\n", label, (long long)i + 1, (long long)n);
	}
	return end_load(p, l, rc);
}

static const char *const INDUSTRY[] = {"C2614", "B0810", "E4710", "C3110", "G5430", "C2661"};

static void enterprise_row(struct province *p, struct db_load *l, int64_t i)
{
	char first17[48], uscc[64], ename[64];
	snprintf(first17, sizeof first17, "91%.6sMA%07lld", "370101", (long long)(i % 10000000));
	snprintf(uscc, sizeof uscc, "%s%c", first17, uscc_check_char(first17));
	int town = rnd(p->ntowns);
	p->ent_town[i] = town;
	snprintf(ename, sizeof ename, "合成企业%07lld有限公司", (long long)i);
	db_load_text(l, uscc);
	db_load_text(l, ename);
	db_load_text(l, p->towns[town]);
	db_load_text(l, INDUSTRY[rnd(6)]);
	db_load_int(l, rnd(4) == 0);
	db_load_text(l, "张三");
	db_load_text(l, "13800000000");
	db_load_text(l, "张三");
	db_load_text(l, "13800000000");
	db_load_int(l, p->now);
	db_load_int(l, p->now);
}

static int enterprises(struct province *p)
{
	if (load_rows(p, "enterprises",
		      "uscc, name, region_code, industry_code, high_risk, main_person_name,"
		      " main_person_phone, controller_name, controller_phone, created_at, updated_at",
		      p->nent, enterprise_row, NULL) < 0)
		return -1;
	return check_ids(p, "SELECT min(id), max(id), count(*) FROM enterprises", p->nent);
}

/* Each enterprise under its county's first department and one other. */
static int enterprise_departments(struct province *p)
{
	struct db_load *l = db_load_begin(p->db, "enterprise_departments",
					  "enterprise_id, department_id");
	if (!l)
		return fail(p, DB_ERR);
	int rc = 0;
	for (int64_t i = 0; i < p->nent && rc >= 0; i++) {
		int64_t *dept = &p->depts[p->ent_town[i] / TOWNS * DEPTS];
		db_load_int(l, i + 1);
		db_load_int(l, dept[0]);
		if ((rc = db_load_row(l)) < 0)
			break;
		db_load_int(l, i + 1);
		db_load_int(l, dept[1 + rnd(DEPTS - 1)]);
		rc = db_load_row(l);
	}
	return end_load(p, l, rc);
}

static const char *const LOCATIONS[] = {"配电室", "生产车间", "原料仓库", "厂内道路", "有限空间",
					 "危化品库房", "锅炉房", "高处作业区"};

/* One hazard, in any status, found in the three years before today: in
 * the order of time, as a real register grows, so that ids follow the
 * dates (and codes within a county and year follow the ids). */
static void hazard_row(struct province *p, struct db_load *l, int64_t i)
{
	int64_t e = rnd((int)p->nent);
	int town = p->ent_town[e], county = town / TOWNS;
	int64_t found = p->today - 3 * 365 + i * 3 * 365 / p->nhaz;
	char found_on[11], deadline[11], hcode[48];
	day_string(found, found_on);
	int year = atoi(found_on);
	int s = pick_status();
	bool major = rnd(100) < 5;
	bool planned = s != 0 && s != 5;
	day_string(found + 15 + rnd(120), deadline);
	bool supervised = major && s != 5 && rnd(3) == 0;
	int slot = county * 4 + (year & 3); /* three years: four slots never collide */
	snprintf(hcode, sizeof hcode, "YH-%s-%d-%06lld", p->counties[county], year,
		 (long long)++p->seq[slot]);
	int64_t at = found * 86400 + 3600;
	p->haz_status[i] = (unsigned char)s;
	p->haz_at[i] = at;
	db_load_text(l, hcode);
	db_load_int(l, e + 1);
	db_load_text(l, p->towns[town]);
	db_load_text(l, "C2614");
	db_load_text(l, major ? "major" : "general");
	db_load_text(l, rnd(3) ? "site" : "management");
	db_load_text(l, rnd(3) ? "self" : "inspection");
	db_load_text(l, LOCATIONS[rnd(8)]);
	db_load_text(l, "合成数据：设备防护缺失");
	db_load_text(l, found_on);
	db_load_text(l, STATUSES[s]);
	db_load_text(l, planned ? deadline : NULL);
	db_load_int(l, supervised);
	db_load_int(l, p->creator);
	db_load_int(l, at);
	db_load_int(l, at);
	db_load_opt_int(l, s == 4 ? at + 86400 * (10 + rnd(60)) : 0);
	db_load_int(l, hazard_overdue(hazard_status_parse(STATUSES[s]), planned ? deadline : NULL,
				      p->today_cn));
	if (p->csv)
		fprintf(p->csv, "%s,%lld,%s,%s,%s,%s,%s,%d\n", hcode, (long long)e + 1, p->towns[town],
			major ? "major" : "general", STATUSES[s], found_on, planned ? deadline : "",
			supervised);
}

static int hazards(struct province *p)
{
	if (p->csv)
		fputs("code,enterprise_id,region_code,level,status,found_on,deadline,supervised\n", p->csv);
	if (load_rows(p, "hazards",
		      "code, enterprise_id, region_code, industry_code, level, category, source,"
		      " location, description, found_on, status, deadline, supervised, created_by,"
		      " created_at, updated_at, closed_at, overdue",
		      p->nhaz, hazard_row, "隐患") < 0)
		return -1;
	return check_ids(p, "SELECT min(id), max(id), count(*) FROM hazards", p->nhaz);
}

/* The history: a register event for every hazard and one more for each
 * that moved on (planned, or voided). */
static int hazard_events(struct province *p)
{
	struct db_load *l = db_load_begin(p->db, "hazard_events",
					  "hazard_id, action, from_status, to_status, user_id,"
					  " user_name, at");
	if (!l)
		return fail(p, DB_ERR);
	int rc = 0;
	for (int64_t i = 0; i < p->nhaz && rc >= 0; i++) {
		int s = p->haz_status[i];
		for (int k = 0; k < (s == 0 ? 1 : 2) && rc >= 0; k++) {
			db_load_int(l, i + 1);
			db_load_text(l, k ? (s == 5 ? "void" : "plan") : "register");
			db_load_text(l, k ? "open" : NULL);
			db_load_text(l, k ? STATUSES[s] : "open");
			db_load_int(l, p->creator);
			db_load_text(l, "province_office");
			db_load_int(l, p->haz_at[i] + k * 86400);
			rc = db_load_row(l);
		}
	}
	return end_load(p, l, rc);
}

/* The server's numbering goes on after the generated codes. */
static int code_sequences(struct province *p)
{
	for (int k = 0; k < p->ncounties * 4; k++) {
		if (!p->seq[k])
			continue;
		int year = (int)(p->today / 365.2425) + 1970;
		while ((year & 3) != k % 4)
			year--;
		struct db_stmt *st =
			db_stmt(p->db, "INSERT INTO hazard_code_seq (county, year, next) VALUES (?, ?, ?)");
		db_bind_text(st, 1, p->counties[k / 4]);
		db_bind_int(st, 2, year);
		db_bind_int(st, 3, p->seq[k]);
		int rc = db_run(st);
		if (rc < 0)
			return fail(p, rc);
	}
	return 0;
}

/* The timed part: hazards with their history, the hazards' secondary
 * indexes dropped for the load and built again after it (those of the
 * history are kept: it is written in their order). */
static int hazards_phase(struct province *p)
{
	struct saved_indexes saved = {0};
	int rc = drop_indexes(p->db, p->a, "hazards", &saved);
	if (rc < 0) {
		build_indexes(p->db, &saved);
		return fail(p, rc);
	}
	rc = hazards(p);
	if (rc >= 0)
		rc = hazard_events(p);
	if (rc >= 0)
		rc = code_sequences(p);
	double t = seconds();
	if (build_indexes(p->db, &saved) < 0 && rc >= 0)
		rc = fail(p, DB_ERR);
	p->index_seconds = seconds() - t;
	/* the exact counters of what was loaded, and the overdue flags
	 * recorded as current for today */
	int64_t marked;
	if (rc >= 0 && (store_hazard_counts_rebuild(p->db) < 0 ||
			store_hazards_mark_overdue(p->db, p->today_cn, &marked) < 0))
		rc = fail(p, DB_ERR);
	return rc;
}
/* A day in the three years before today, and its date text. */
static int64_t past_day(struct province *p, char out[11])
{
	int64_t day = p->today - 1 - rnd(3 * 365);
	day_string(day, out);
	return day;
}

static const char *const METHODS[] = {"four_no_two_direct", "unannounced", "double_random",
				      "cross", "remote", "routine", "special"};

/* Inspections: one in four a spot check of the enterprise's own
 * inspection, with the problems it found. */
static void inspection_row(struct province *p, struct db_load *l, int64_t i)
{
	int64_t e = rnd((int)p->nent);
	int town = p->ent_town[e];
	char date[11];
	int64_t day = past_day(p, date);
	bool spot = rnd(4) == 0;
	db_load_int(l, e + 1);
	db_load_text(l, p->towns[town]);
	db_load_int(l, p->depts[town / TOWNS * DEPTS + rnd(DEPTS)]);
	db_load_text(l, date);
	db_load_text(l, METHODS[rnd(7)]);
	db_load_text(l, "[\"检查员甲\",\"检查员乙\"]");
	db_load_text(l, rnd(5) == 0 ? "[\"专家丙\"]" : NULL);
	db_load_int(l, spot);
	for (int k = 0; k < 7; k++)
		db_load_int(l, spot && rnd(8) == 0);
	db_load_int(l, p->creator);
	db_load_int(l, day * 86400 + 36000);
}

static int inspections(struct province *p, int64_t n)
{
	return load_rows(p, "inspections",
			 "enterprise_id, region_code, department_id, date, method, inspectors,"
			 " experts, spot_check, leader_not_studied, leader_no_inspection,"
			 " no_duty_list, no_safety_org, uncertified_operators, outsourcing_chaos,"
			 " no_drill, created_by, created_at",
			 n, inspection_row, NULL);
}

/* Enforcement kinds with their share in per mille; the last two concern
 * a county rather than an enterprise. */
static const struct {
	const char *kind;
	int pm;
} ENF_KINDS[] = {{"assistance", 400},	     {"penalty", 250},	  {"double_penalty", 50},
		 {"judicial_transfer", 30},  {"suspension", 70},  {"exposure", 80},
		 {"typical_case", 70},	     {"accountability", 30}, {"region_interview", 20}};
enum { ENF_PENALTY = 1, ENF_JUDICIAL = 3, ENF_TYPICAL = 6, ENF_ACCOUNTABILITY = 7 };

static int pick_enforcement(void)
{
	int x = rnd(1000), acc = 0;
	for (int i = 0; i < 8; i++)
		if (x < (acc += ENF_KINDS[i].pm))
			return i;
	return 8;
}

static void enforcement_row(struct province *p, struct db_load *l, int64_t i)
{
	int k = pick_enforcement();
	int64_t e = rnd((int)p->nent);
	int town = p->ent_town[e];
	bool of_county = k >= ENF_ACCOUNTABILITY;
	char date[11];
	int64_t day = past_day(p, date);
	db_load_text(l, ENF_KINDS[k].kind);
	db_load_text(l, date);
	db_load_int(l, p->depts[town / TOWNS * DEPTS + rnd(DEPTS)]);
	db_load_opt_int(l, of_county ? 0 : e + 1);
	db_load_text(l, of_county ? p->counties[town / TOWNS] : p->towns[town]);
	db_load_int(l, k == ENF_PENALTY ? (int64_t)(1 + rnd(50)) * 1000000 : 0);
	db_load_int(l, k == ENF_JUDICIAL || k == ENF_ACCOUNTABILITY ? 1 + rnd(3) : 0);
	db_load_int(l, rnd(3) == 0);
	db_load_int(l, k == ENF_TYPICAL && rnd(2) == 0);
	db_load_int(l, p->creator);
	db_load_int(l, day * 86400 + 36000);
}

static int enforcement(struct province *p, int64_t n)
{
	return load_rows(p, "enforcement",
			 "kind, date, department_id, enterprise_id, region_code, amount_fen, persons,"
			 " key_enterprise, dangerous_operation, created_by, created_at",
			 n, enforcement_row, NULL);
}

/* A tracking code like the server's (JB and twelve letters), unique by
 * its first six letters, which spell i. */
static void tip_code(int64_t i, char out[15])
{
	static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRTUWXY";
	int base = (int)sizeof alphabet - 1;
	out[0] = 'J', out[1] = 'B';
	for (int k = 7; k >= 2; k--, i /= base)
		out[k] = alphabet[i % base];
	for (int k = 8; k < 14; k++)
		out[k] = alphabet[rnd(base)];
	out[14] = 0;
}

/* A public tip-off, half of them naming an enterprise; a fifth still
 * pending, the others verified (with a reward) or rejected. */
static void tip_row(struct province *p, struct db_load *l, int64_t i)
{
	char code[15], created[11], reviewed[11];
	tip_code(i, code);
	int64_t e = rnd((int)p->nent);
	int town = p->ent_town[e];
	int64_t day = past_day(p, created);
	int64_t rday = day + 1 + rnd(20);
	day_string(rday < p->today ? rday : p->today - 1, reviewed);
	int r = rnd(10);
	bool pending = r < 2, verified = r >= 2 && r < 7, anonymous = rnd(3) == 0;
	db_load_text(l, code);
	db_load_text(l, p->towns[town]);
	db_load_text(l, "合成数据：企业违规动火作业");
	db_load_text(l, LOCATIONS[rnd(8)]);
	db_load_opt_int(l, rnd(2) ? e + 1 : 0);
	db_load_int(l, anonymous);
	db_load_text(l, anonymous ? NULL : "13900000000");
	db_load_text(l, "198.51.100.7");
	db_load_text(l, pending ? "pending" : verified ? "verified" : "rejected");
	db_load_text(l, pending ? NULL : reviewed);
	db_load_opt_int(l, pending ? 0 : p->creator);
	db_load_opt_int(l, pending ? 0 : p->depts[town / TOWNS * DEPTS]);
	db_load_int(l, verified ? (int64_t)(1 + rnd(20)) * 10000 : 0);
	db_load_text(l, pending || verified ? NULL : "经核查不属实");
	db_load_int(l, day * 86400 + 36000);
}

static int tips(struct province *p, int64_t n)
{
	return load_rows(p, "tips",
			 "tracking_code, region_code, description, place, enterprise_id, anonymous,"
			 " contact, address, status, reviewed_on, reviewed_by, reviewer_department_id,"
			 " reward_fen, reason, created_at",
			 n, tip_row, NULL);
}

/* What the monthly return counts besides hazards, in proportion to the
 * enterprises: two inspections each in three years, an enforcement
 * record for one in four, a tip-off for one in ten. */
static int records(struct province *p)
{
	if (inspections(p, p->nent * 2) < 0 || enforcement(p, p->nent / 4) < 0 ||
	    tips(p, p->nent / 10) < 0)
		return -1;
	return 0;
}

static double rate(int64_t n, double s)
{
	return n / (s > 0 ? s : 1e-9);
}

static int generate(struct province *p, const char *password)
{
	double t0 = seconds();
	if (regions(p) < 0 || departments(p) < 0)
		return fail(p, DB_ERR);
	if (accounts(p, password, p->err) < 0)
		return -1;
	printf("区划 %d 个县、%d 个乡镇，部门 %d 个（%.1f 秒）\n", p->ncounties, p->ntowns,
	       p->ncounties * DEPTS, seconds() - t0);
	double t1 = seconds();
	if (enterprises(p) < 0 || enterprise_departments(p) < 0)
		return -1;
	double t = seconds() - t1;
	printf("企业 %lld 家（%.1f 秒，%.0f 家/秒）\n", (long long)p->nent, t, rate(p->nent, t));
	double t2 = seconds();
	if (hazards_phase(p) < 0)
		return -1;
	t = seconds() - t2;
	printf("隐患 %lld 条（含闭环记录与索引重建，%.1f 秒，%.0f 条/秒）\n", (long long)p->nhaz, t,
	       rate(p->nhaz, t));
	printf("RATE hazards_per_second %.0f\n", rate(p->nhaz, t));
	/* what the rows themselves cost, and what building the indexes does */
	printf("索引重建 %.1f 秒；不计索引重建 %.0f 条/秒\n", p->index_seconds,
	       rate(p->nhaz, t - p->index_seconds));
	printf("RATE hazards_per_second_without_indexes %.0f\n", rate(p->nhaz, t - p->index_seconds));
	printf("INDEX_SECONDS %.1f\n", p->index_seconds);
	double t3 = seconds();
	if (records(p) < 0)
		return -1;
	printf("检查 %lld 条、执法 %lld 条、举报 %lld 条（%.1f 秒）\n", (long long)p->nent * 2,
	       (long long)p->nent / 4, (long long)p->nent / 10, seconds() - t3);
	return 0;
}

/* Allocates the province's tables (the small ones in p->a);
 * province_free() frees the others.  Returns -1 when memory runs short. */
static int province_init(struct province *p)
{
	size_t ncounties = CITIES * COUNTIES;
	p->counties = arena_alloc(p->a, sizeof *p->counties * ncounties);
	p->towns = arena_alloc(p->a, sizeof *p->towns * ncounties * TOWNS);
	p->depts = arena_alloc(p->a, sizeof *p->depts * ncounties * DEPTS);
	p->seq = arena_alloc(p->a, sizeof *p->seq * ncounties * 4);
	memset(p->seq, 0, sizeof *p->seq * ncounties * 4);
	p->ent_town = malloc(sizeof *p->ent_town * (size_t)p->nent);
	p->haz_status = malloc((size_t)p->nhaz + 1);
	p->haz_at = malloc(sizeof *p->haz_at * ((size_t)p->nhaz + 1));
	if (!p->ent_town || !p->haz_status || !p->haz_at)
		return ql_fail(p->err, QLE_INTERNAL, "memory", NULL, "内存不足");
	return 0;
}

static void province_free(struct province *p)
{
	free(p->ent_town);
	free(p->haz_status);
	free(p->haz_at);
}

int cmd_generate(int argc, char **argv)
{
	const char *target = NULL, *ents = "200000", *hazs = "2000000", *seed = "20260301",
		   *csv_path = NULL;
	const struct cli_opt opts[] = {
		{"--db", &target, NULL},	  {"--enterprises", &ents, NULL},
		{"--hazards", &hazs, NULL},	  {"--seed", &seed, NULL},
		{"--csv", &csv_path, NULL},	  {NULL, NULL, NULL},
	};
	int p = cli_parse(argc, argv, 2, opts, NULL, 0, "generate", USAGE);
	if (p != 0)
		return p < 0 ? 2 : 0;
	int64_t nent = atoll(ents), nhaz = atoll(hazs);
	if (nent < 1 || nent > 10000000 || nhaz < 0 || nhaz > 100000000)
		return cli_fail("generate", "企业数应为 1 到 10000000，隐患数应为 0 到 100000000");
	state = (uint64_t)atoll(seed);
	struct db *db = cli_open_db("generate", target, true);
	if (!db)
		return 1;
	struct arena *a = arena_new();
	struct ql_error err = {0};
	struct province pv = {.db = db, .a = a, .nent = nent, .nhaz = nhaz, .now = clock_now(),
			      .err = &err};
	pv.today = pv.now / 86400;
	clock_format_date_cn(pv.now, pv.today_cn, sizeof pv.today_cn);
	int status = 0;
	if (db_one_int(db_stmt(db, "SELECT count(*) FROM regions"), 0) > 0) {
		status = cli_fail("generate", "数据库中已有数据，合成数据只能写入新建的数据库");
		goto out;
	}
	if (csv_path && !(pv.csv = fopen(csv_path, "w"))) {
		status = cli_fail("generate", "无法写入 %s", csv_path);
		goto out;
	}
	if (db_bulk_mode(db) < 0) {
		status = cli_fail("generate", "%s", db_errmsg(db));
		goto out;
	}
	if (province_init(&pv) < 0 || db_begin(db) != 0 || generate(&pv, "Bench@2026x") < 0) {
		db_rollback(db);
		status = cli_fail("generate", "%s", err.message[0] ? err.message : db_errmsg(db));
		goto out;
	}
	if (db_commit(db) != 0) {
		status = cli_fail("generate", "提交失败：%s", db_errmsg(db));
		goto out;
	}
	double t = seconds();
	if (db_bulk_done(db) < 0) {
		status = cli_fail("generate", "%s", db_errmsg(db));
		goto out;
	}
	printf("统计信息更新（%.1f 秒）\n", seconds() - t);
out:
	province_free(&pv);
	if (pv.csv)
		fclose(pv.csv);
	arena_free(a);
	db_close(db);
	return status;
}
