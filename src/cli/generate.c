/*
 * generate.c - `qingling generate`: a synthetic province for benchmarks
 * (bench/), the same for a given seed every time: 14 cities, 7 counties
 * each, 12 towns per county, 15 departments per county, enterprises with
 * valid credit codes spread over the towns, hazards over three years in
 * every status (about 5 % major, some overdue, some supervised) with their
 * histories, and an office account for the province and for one county.
 *
 * The load is one transaction of prepared statements; on SQLite the
 * journal is kept in memory and not synced while it runs (a benchmark
 * database is rebuilt, not recovered).  --csv FILE also writes the hazard
 * rows as CSV, for the bare-table floor the benchmark compares with.
 */
#include "cli.h"
#include "../core/date.h"
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

static int run(struct db *db, const char *sql)
{
	int rc = db_exec(db, sql);
	if (rc < 0)
		fprintf(stderr, "qingling generate: %s\n", db_errmsg(db));
	return rc;
}

static int region(struct db *db, const char *code, const char *name, const char *parent,
		  int level)
{
	struct region g = {(char *)code, (char *)name, (char *)parent, level};
	return store_region_insert(db, &g);
}

/* The bulk path on SQLite: the secondary indexes of the big tables are
 * dropped for the load and built again after it, from their own
 * definitions (sqlite_master), so that nothing here restates the schema. */
struct saved_indexes {
	char *name[32], *sql[32];
	int n;
};

static int drop_indexes(struct db *db, struct arena *a, struct saved_indexes *x)
{
	x->n = 0;
	struct db_stmt *st = db_stmt(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
					 " AND tbl_name IN ('hazards', 'hazard_events') AND sql IS NOT NULL");
	if (!st)
		return DB_ERR;
	while (db_step(st) == DB_ROW && x->n < 32) {
		x->name[x->n] = arena_strdup(a, db_col_text(st, 0));
		x->sql[x->n++] = arena_strdup(a, db_col_text(st, 1));
	}
	db_done(st);
	for (int i = 0; i < x->n; i++)
		if (db_exec(db, arena_printf(a, "DROP INDEX %s", x->name[i])) < 0)
			return DB_ERR;
	return 0;
}

static int build_indexes(struct db *db, const struct saved_indexes *x)
{
	for (int i = 0; i < x->n; i++)
		if (db_exec(db, x->sql[i]) < 0)
			return DB_ERR;
	return 0;
}

/* The overdue flags and the counters of the loaded hazards. */
static int mark_and_count(struct db *db, int64_t now)
{
	char today[16];
	clock_format_date_cn(now, today, sizeof today);
	struct db_stmt *st = db_stmt(db, "UPDATE hazards SET overdue = 1 WHERE status IN ('open',"
					 " 'rectifying', 'awaiting_acceptance', 'awaiting_verification')"
					 " AND deadline < ?");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, today);
	int rc = db_run(st);
	if (rc >= 0)
		rc = store_hazard_counts_rebuild(db);
	int64_t marked;
	return rc < 0 ? rc : store_hazards_mark_overdue(db, today, &marked);
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

static int generate(struct db *db, struct arena *a, int64_t nent, int64_t nhaz, FILE *csv,
		    int64_t now, const char *password, struct ql_error *err)
{
	double t0 = seconds();
	struct db_stmt *st;
	char code[32], name[64];
	/* regions */
	if (region(db, PROVINCE, "合成省", NULL, 1) < 0)
		return db_fail(db, DB_ERR, err);
	int ncounties = 0, ntowns = 0;
	char (*towns)[16] = arena_alloc(a, sizeof *towns * CITIES * COUNTIES * TOWNS);
	char (*counties)[16] = arena_alloc(a, sizeof *counties * CITIES * COUNTIES);
	for (int c = 1; c <= CITIES; c++) {
		char city[8];
		snprintf(city, sizeof city, PROVINCE "%02d", c);
		snprintf(name, sizeof name, "合成省第%d市", c);
		if (region(db, city, name, PROVINCE, 2) < 0)
			return db_fail(db, DB_ERR, err);
		for (int k = 1; k <= COUNTIES; k++) {
			snprintf(code, sizeof code, "%s%02d", city, k);
			strcpy(counties[ncounties++], code);
			snprintf(name, sizeof name, "第%d市第%d县", c, k);
			if (region(db, code, name, city, 3) < 0)
				return db_fail(db, DB_ERR, err);
			for (int t = 1; t <= TOWNS; t++) {
				char town[32];
				snprintf(town, sizeof town, "%.6s%03d", code, (100 + t) % 1000);
				strcpy(towns[ntowns++], town);
				snprintf(name, sizeof name, "第%d市第%d县第%d镇", c, k, t);
				if (region(db, town, name, code, 4) < 0)
					return db_fail(db, DB_ERR, err);
			}
		}
	}
	/* departments: DEPTS per county */
	int64_t *depts = arena_alloc(a, sizeof *depts * (size_t)(ncounties * DEPTS));
	for (int k = 0; k < ncounties; k++)
		for (int d = 0; d < DEPTS; d++) {
			struct department dp = {0, arena_printf(a, "第%d部门", d + 1), counties[k]};
			if (store_department_insert(db, &dp) < 0)
				return db_fail(db, DB_ERR, err);
			depts[k * DEPTS + d] = dp.id;
		}
	/* accounts: a province office and one county office */
	const char *logins[2][2] = {{"province_office", PROVINCE}, {"county_office", counties[0]}};
	int64_t creator = 0;
	for (int i = 0; i < 2; i++) {
		struct user u = {.login = (char *)logins[i][0], .name = (char *)logins[i][0],
				 .role = ROLE_OFFICE, .region_code = (char *)logins[i][1]};
		if (account_create(db, a, &u, password, &cli_actor, now, err) < 0)
			return -1;
		if (!creator)
			creator = u.id;
	}
	printf("区划 %d 个县、%d 个乡镇，部门 %d 个（%.1f 秒）\n", ncounties, ntowns, ncounties * DEPTS,
	       seconds() - t0);
	/* enterprises */
	double t1 = seconds();
	const char *SQL_ENT =
		"INSERT INTO enterprises (uscc, name, region_code, industry_code, high_risk,"
		" main_person_name, main_person_phone, controller_name, controller_phone, created_at,"
		" updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
	const char *SQL_ENT_DEPT =
		"INSERT INTO enterprise_departments (enterprise_id, department_id) VALUES (?, ?)";
	static const char *const INDUSTRY[] = {"C2614", "B0810", "E4710", "C3110", "G5430", "C2661"};
	int64_t *ent_id = malloc(sizeof *ent_id * (size_t)nent);
	int *ent_town = malloc(sizeof *ent_town * (size_t)nent);
	if (!ent_id || !ent_town)
		return ql_fail(err, QLE_INTERNAL, "memory", NULL, "内存不足");
	for (int64_t i = 0; i < nent; i++) {
		char first17[48], uscc[64], ename[64];
		snprintf(first17, sizeof first17, "91%.6sMA%07lld", "370101", (long long)(i % 10000000));
		snprintf(uscc, sizeof uscc, "%s%c", first17, uscc_check_char(first17));
		int town = rnd(ntowns);
		ent_town[i] = town;
		snprintf(ename, sizeof ename, "合成企业%07lld有限公司", (long long)i);
		st = db_stmt(db, SQL_ENT);
		db_bind_text(st, 1, uscc);
		db_bind_text(st, 2, ename);
		db_bind_text(st, 3, towns[town]);
		db_bind_text(st, 4, INDUSTRY[rnd(6)]);
		db_bind_bool(st, 5, rnd(4) == 0);
		db_bind_text(st, 6, "张三");
		db_bind_text(st, 7, "13800000000");
		db_bind_text(st, 8, "张三");
		db_bind_text(st, 9, "13800000000");
		db_bind_int(st, 10, now);
		db_bind_int(st, 11, now);
		if (db_insert_id(st, &ent_id[i]) < 0) {
			free(ent_id);
			free(ent_town);
			return db_fail(db, DB_ERR, err);
		}
		int county = town / TOWNS;
		for (int k = 0; k < 2; k++) {
			st = db_stmt(db, SQL_ENT_DEPT);
			db_bind_int(st, 1, ent_id[i]);
			db_bind_int(st, 2, depts[county * DEPTS + (k ? 1 + rnd(DEPTS - 1) : 0)]);
			if (db_run(st) < 0) {
				free(ent_id);
				free(ent_town);
				return db_fail(db, DB_ERR, err);
			}
		}
		if ((i + 1) % 100000 == 0)
			fprintf(stderr, "企业 %lld / %lld\n", (long long)i + 1, (long long)nent);
	}
	double tent = seconds() - t1;
	printf("企业 %lld 家（%.1f 秒，%.0f 家/秒）\n", (long long)nent, tent, nent / (tent > 0 ? tent : 1));
	/* hazards over three years before now, with a register event and one
	 * more for each that moved on */
	double t2 = seconds();
	struct saved_indexes saved = {0};
	if (db_kind(db) == DB_SQLITE && drop_indexes(db, a, &saved) < 0)
		return db_fail(db, DB_ERR, err);
	const char *SQL_HAZ =
		"INSERT INTO hazards (code, enterprise_id, region_code, industry_code, level, category,"
		" source, location, description, found_on, status, deadline, supervised, created_by,"
		" created_at, updated_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		" RETURNING id";
	const char *SQL_EVENT =
		"INSERT INTO hazard_events (hazard_id, action, from_status, to_status, user_id, user_name, at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?)";
	int64_t today = now / 86400;
	int64_t *seq = calloc((size_t)ncounties * 4, sizeof *seq);
	static const char *const LOCATIONS[] = {"配电室", "生产车间", "原料仓库", "厂内道路", "有限空间",
						 "危化品库房", "锅炉房", "高处作业区"};
	if (csv)
		fputs("code,enterprise_id,region_code,level,status,found_on,deadline,supervised\n", csv);
	int rc = 0;
	for (int64_t i = 0; i < nhaz && rc >= 0; i++) {
		int64_t e = rnd((int)nent);
		int town = ent_town[e], county = town / TOWNS;
		int64_t found = today - 1 - rnd(3 * 365);
		char found_on[11], deadline[11];
		day_string(found, found_on);
		int year = atoi(found_on);
		int s = pick_status();
		bool major = rnd(100) < 5;
		bool planned = s != 0 && s != 5;
		day_string(found + 15 + rnd(120), deadline);
		bool supervised = major && s != 5 && rnd(3) == 0;
		int slot = county * 4 + (year & 3); /* three years: four slots never collide */
		++seq[slot];
		char hcode[48];
		snprintf(hcode, sizeof hcode, "YH-%s-%d-%06lld", counties[county], year,
			 (long long)seq[slot]);
		int64_t at = found * 86400 + 3600;
		st = db_stmt(db, SQL_HAZ);
		db_bind_text(st, 1, hcode);
		db_bind_int(st, 2, ent_id[e]);
		db_bind_text(st, 3, towns[town]);
		db_bind_text(st, 4, "C2614");
		db_bind_text(st, 5, major ? "major" : "general");
		db_bind_text(st, 6, rnd(3) ? "site" : "management");
		db_bind_text(st, 7, rnd(3) ? "self" : "inspection");
		db_bind_text(st, 8, LOCATIONS[rnd(8)]);
		db_bind_text(st, 9, "合成数据：设备防护缺失");
		db_bind_text(st, 10, found_on);
		db_bind_text(st, 11, STATUSES[s]);
		db_bind_text(st, 12, planned ? deadline : NULL);
		db_bind_bool(st, 13, supervised);
		db_bind_int(st, 14, creator);
		db_bind_int(st, 15, at);
		db_bind_int(st, 16, at);
		db_bind_opt_int(st, 17, s == 4 ? at + 86400 * (10 + rnd(60)) : 0);
		int64_t hid;
		if ((rc = db_insert_id(st, &hid)) < 0)
			break;
		for (int k = 0; k < (s == 0 ? 1 : 2) && rc >= 0; k++) {
			st = db_stmt(db, SQL_EVENT);
			db_bind_int(st, 1, hid);
			db_bind_text(st, 2, k ? (s == 5 ? "void" : "plan") : "register");
			db_bind_text(st, 3, k ? "open" : NULL);
			db_bind_text(st, 4, k ? STATUSES[s] : "open");
			db_bind_int(st, 5, creator);
			db_bind_text(st, 6, "province_office");
			db_bind_int(st, 7, at + k * 86400);
			rc = db_run(st);
		}
		if (csv)
			fprintf(csv, "%s,%lld,%s,%s,%s,%s,%s,%d\n", hcode, (long long)ent_id[e], towns[town],
				major ? "major" : "general", STATUSES[s], found_on, planned ? deadline : "",
				supervised);
		if ((i + 1) % 200000 == 0)
			fprintf(stderr, "隐患 %lld / %lld\n", (long long)i + 1, (long long)nhaz);
	}
	/* The server's numbering goes on after the generated codes. */
	for (int k = 0; k < ncounties * 4 && rc >= 0; k++) {
		if (!seq[k])
			continue;
		int year = (int)(today / 365.2425) + 1970;
		while ((year & 3) != k % 4)
			year--;
		st = db_stmt(db, "INSERT INTO hazard_code_seq (county, year, next) VALUES (?, ?, ?)");
		db_bind_text(st, 1, counties[k / 4]);
		db_bind_int(st, 2, year);
		db_bind_int(st, 3, seq[k]);
		rc = db_run(st);
	}
	free(seq);
	free(ent_id);
	free(ent_town);
	if (rc >= 0)
		rc = build_indexes(db, &saved);
	if (rc >= 0)
		rc = mark_and_count(db, now);
	if (rc < 0)
		return db_fail(db, rc, err);
	double thaz = seconds() - t2;
	printf("隐患 %lld 条（%.1f 秒，%.0f 条/秒）\n", (long long)nhaz, thaz, nhaz / (thaz > 0 ? thaz : 1));
	printf("RATE hazards_per_second %.0f\n", nhaz / (thaz > 0 ? thaz : 1));
	return 0;
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
	int status = 0;
	FILE *csv = NULL;
	if (db_one_int(db_stmt(db, "SELECT count(*) FROM regions"), 0) > 0) {
		status = cli_fail("generate", "数据库中已有数据，合成数据只能写入新建的数据库");
		goto out;
	}
	if (csv_path && !(csv = fopen(csv_path, "w"))) {
		status = cli_fail("generate", "无法写入 %s", csv_path);
		goto out;
	}
	if (db_kind(db) == DB_SQLITE && (run(db, "PRAGMA synchronous = OFF") < 0 ||
					 run(db, "PRAGMA journal_mode = MEMORY") < 0)) {
		status = 1;
		goto out;
	}
	if (db_begin(db) != 0 ||
	    generate(db, a, nent, nhaz, csv, clock_now(), "Bench@2026x", &err) < 0) {
		db_rollback(db);
		status = cli_fail("generate", "%s", err.message[0] ? err.message : db_errmsg(db));
		goto out;
	}
	if (db_commit(db) != 0) {
		status = cli_fail("generate", "提交失败：%s", db_errmsg(db));
		goto out;
	}
	if (db_kind(db) == DB_SQLITE)
		run(db, "PRAGMA journal_mode = WAL");
	run(db, "ANALYZE");
out:
	if (csv)
		fclose(csv);
	arena_free(a);
	db_close(db);
	return status;
}
