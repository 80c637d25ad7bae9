/*
 * jobs.c - the periodic jobs and their runner thread (see jobs.h).
 *
 * overdue: every round, marks the open hazards whose deadline has passed
 *   (store_hazards_mark_overdue, which keeps the exact counters); cheap
 *   when nothing is due, and a new day's hazards are marked within one
 *   interval after midnight (Asia/Shanghai).
 *
 * reminders: once a day, one message in the notification outbox for each
 *   open hazard whose deadline is within REMIND_DAYS days or past, to the
 *   enterprise's main person.  The day's job_runs row, written in the same
 *   transaction, is what keeps it to one message per hazard and day.
 *
 * The runner logs to the server's standard error only what an operator
 * needs: a daily job's run, a job that did something, a daily job found
 * done by another server and a job skipped because another server holds
 * its lock (once, when that starts), and failures (once, until the job
 * runs again).
 */
#include "jobs.h"
#include "../core/date.h"
#include "../core/hazard.h"
#include "../lib/clock.h"
#include "../lib/util.h"
#include "../store/store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REMIND_DAYS 3
#define DUE_BATCH 500

/* The message for one hazard; days is the deadline minus today. */
static const char *reminder_text(struct arena *a, const struct due_hazard *h, const char *status,
				 int64_t days)
{
	const char *ask = strcmp(status, "awaiting_acceptance") == 0
				  ? "整改已提交，请尽快组织验收。"
			  : strcmp(status, "awaiting_verification") == 0
				  ? "已验收，请配合监管部门尽快核销。"
				  : "请尽快完成整改并申请验收。";
	if (days < 0)
		return arena_printf(a, "【清零】隐患%s（%s）整改期限为%s，已逾期%lld天，%s", h->code,
				    h->location, h->deadline, (long long)-days, ask);
	if (days == 0)
		return arena_printf(a, "【清零】隐患%s（%s）整改期限为今天（%s），%s", h->code,
				    h->location, h->deadline, ask);
	return arena_printf(a, "【清零】隐患%s（%s）整改期限为%s，还有%lld天到期，%s", h->code,
			    h->location, h->deadline, (long long)days, ask);
}

static int job_reminders(struct db *db, struct arena *a, int64_t now, struct ql_error *err)
{
	(void)a;
	char today[16], until[16];
	int64_t today_days;
	clock_format_date_cn(now, today, sizeof today);
	if (date_parse(today, &today_days) < 0)
		return ql_fail(err, QLE_INTERNAL, "clock", NULL, "当前日期无效：%s", today);
	int y, m, d;
	date_from_days(today_days + REMIND_DAYS, &y, &m, &d);
	snprintf(until, sizeof until, "%04d-%02d-%02d", y, m, d);
	int sent = 0;
	for (enum hazard_status s = 0; s < HS_COUNT; s++) {
		if (!hazard_status_is_open(s))
			continue;
		const char *status = hazard_status_name(s);
		/* Batches in (deadline, id) order: each costs only its rows. */
		char after_deadline[16] = "";
		int64_t after_id = 0;
		int n = DUE_BATCH;
		while (n == DUE_BATCH) {
			/* Each batch in an arena of its own: memory stays one batch. */
			struct arena *b = arena_new();
			struct due_hazard *items;
			n = store_hazards_due(db, b, status, until, after_deadline, after_id, DUE_BATCH,
					      &items);
			for (int i = 0; i < n; i++) {
				int64_t dl;
				if (date_parse(items[i].deadline, &dl) < 0)
					continue;
				const char *msg = reminder_text(b, &items[i], status, dl - today_days);
				int rc = store_outbox_add(db, "deadline_reminder", items[i].id,
							  items[i].enterprise_id, "main_person",
							  items[i].person_name, items[i].person_phone,
							  msg, now);
				if (rc < 0) {
					n = rc;
					break;
				}
				sent++;
			}
			if (n > 0) {
				snprintf(after_deadline, sizeof after_deadline, "%s", items[n - 1].deadline);
				after_id = items[n - 1].id;
			}
			arena_free(b);
			if (n < 0)
				return db_fail(db, n, err);
		}
	}
	return sent;
}

static int job_overdue(struct db *db, struct arena *a, int64_t now, struct ql_error *err)
{
	(void)a;
	char today[16];
	clock_format_date_cn(now, today, sizeof today);
	int64_t marked = 0;
	int rc = store_hazards_mark_overdue(db, today, &marked);
	if (rc < 0)
		return db_fail(db, rc, err);
	return marked > INT32_MAX ? INT32_MAX : (int)marked;
}

/* Lock keys: fixed, distinct, and unlikely to meet another application's
 * advisory locks on a shared database ("QL" in the high bytes). */
const struct job jobs[] = {
	{"reminders", 0x514C000000000001, true, job_reminders},
	{"overdue", 0x514C000000000002, false, job_overdue},
};
const int job_count = (int)ARRAY_LEN(jobs);

int job_run(struct db *db, const struct job *j, int64_t now, const char *instance, int *count,
	    struct ql_error *err)
{
	*count = 0;
	int rc = db_begin(db);
	if (rc != 0)
		return db_fail(db, rc, err);
	rc = db_try_lock(db, j->lock_key);
	if (rc <= 0) {
		if (rc < 0)
			db_fail(db, rc, err);
		db_rollback(db);
		return rc < 0 ? -1 : JOB_LOCKED;
	}
	if (j->daily) {
		char day[16];
		clock_format_date_cn(now, day, sizeof day);
		rc = store_job_claim_day(db, j->name, day, now, instance);
		if (rc <= 0) {
			if (rc < 0)
				db_fail(db, rc, err);
			db_rollback(db);
			return rc < 0 ? -1 : JOB_NOT_DUE;
		}
	}
	struct arena *a = arena_new();
	int n = j->fn(db, a, now, err);
	arena_free(a);
	if (n < 0) {
		db_rollback(db);
		return -1;
	}
	rc = db_commit(db);
	if (rc != 0)
		return db_fail(db, rc, err);
	*count = n;
	return JOB_RAN;
}

/* --- the runner thread --------------------------------------------------- */

struct job_runner {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* on CLOCK_MONOTONIC: signalled by stop */
	bool stop;
	int interval;
	char *target;
	char instance[160];
	struct db *db;
	int *last;		/* per job: the last outcome logged, or -1 */
};

static void run_round(struct job_runner *jr)
{
	struct ql_error err = {0};
	if (!jr->db) {
		jr->db = db_open(jr->target, &err);
		if (!jr->db) {
			if (jr->last[0] != -2)
				fprintf(stderr, "qingling: 定时任务无法连接数据库：%s\n", err.message);
			for (int i = 0; i < job_count; i++)
				jr->last[i] = -2;
			return;
		}
	}
	int64_t now = clock_now();
	for (int i = 0; i < job_count; i++) {
		const struct job *j = &jobs[i];
		int count = 0;
		memset(&err, 0, sizeof err);
		int rc = job_run(jr->db, j, now, jr->instance, &count, &err);
		if (rc == JOB_RAN && (j->daily || count > 0))
			fprintf(stderr, "qingling: 定时任务 %s 已运行（%s）：%d 条\n", j->name,
				jr->instance, count);
		else if (rc == JOB_NOT_DUE && jr->last[i] != JOB_RAN && jr->last[i] != JOB_NOT_DUE)
			fprintf(stderr, "qingling: 定时任务 %s 今日已由其他实例运行，本实例跳过\n",
				j->name);
		else if (rc == JOB_LOCKED && jr->last[i] != JOB_LOCKED)
			fprintf(stderr, "qingling: 定时任务 %s 本轮跳过：另一连接正持有其锁\n",
				j->name);
		else if (rc < 0 && jr->last[i] != -1)
			fprintf(stderr, "qingling: 定时任务 %s 失败：%s\n", j->name, err.message);
		jr->last[i] = rc < 0 ? -1 : rc;
		if (rc < 0) {
			/* Start the next round on a new connection: this one may be
			 * broken (PostgreSQL restarted). */
			db_close(jr->db);
			jr->db = NULL;
			return;
		}
	}
}

static void *runner_main(void *arg)
{
	struct job_runner *jr = arg;
	pthread_mutex_lock(&jr->mu);
	while (!jr->stop) {
		pthread_mutex_unlock(&jr->mu);
		run_round(jr);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += jr->interval;
		pthread_mutex_lock(&jr->mu);
		while (!jr->stop) {
			if (pthread_cond_timedwait(&jr->cv, &jr->mu, &until) == ETIMEDOUT)
				break;
		}
	}
	pthread_mutex_unlock(&jr->mu);
	return NULL;
}

struct job_runner *job_runner_start(const char *target, int interval)
{
	struct job_runner *jr = xcalloc(1, sizeof *jr);
	jr->interval = interval;
	jr->target = xstrdup(target);
	jr->last = xcalloc((size_t)job_count, sizeof *jr->last);
	for (int i = 0; i < job_count; i++)
		jr->last[i] = -3;
	char host[128] = "";
	if (gethostname(host, sizeof host - 1) != 0)
		snprintf(host, sizeof host, "localhost");
	snprintf(jr->instance, sizeof jr->instance, "%s:%ld", host, (long)getpid());
	pthread_mutex_init(&jr->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&jr->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&jr->thread, NULL, runner_main, jr) != 0) {
		pthread_cond_destroy(&jr->cv);
		pthread_mutex_destroy(&jr->mu);
		free(jr->last);
		free(jr->target);
		free(jr);
		return NULL;
	}
	return jr;
}

void job_runner_stop(struct job_runner *jr)
{
	if (!jr)
		return;
	pthread_mutex_lock(&jr->mu);
	jr->stop = true;
	pthread_cond_signal(&jr->cv);
	pthread_mutex_unlock(&jr->mu);
	pthread_join(jr->thread, NULL);
	db_close(jr->db);
	pthread_cond_destroy(&jr->cv);
	pthread_mutex_destroy(&jr->mu);
	free(jr->last);
	free(jr->target);
	free(jr);
}
