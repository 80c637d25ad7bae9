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
 *   enterprise's main person, REMIND_BATCH to a transaction, in (status,
 *   deadline, id) order.  The day's job_runs row, written in each batch's
 *   transaction with where the next batch starts, is what keeps it to one
 *   message per hazard and day.
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
/* Reminders per transaction: a province's day is hundreds of batches,
 * each holding the lock for a fraction of a second. */
#define REMIND_BATCH 2000

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

/* Where a batch of reminders starts: "status|deadline|id", the last
 * hazard reminded ("" before the first). */
struct remind_at {
	enum hazard_status status;
	char deadline[16];
	int64_t id;
};

static int remind_at_parse(const char *text, struct remind_at *at)
{
	*at = (struct remind_at){0};
	if (!*text)
		return 0;
	const char *bar = strchr(text, '|'), *bar2 = bar ? strchr(bar + 1, '|') : NULL;
	if (!bar2 || (size_t)(bar2 - bar - 1) >= sizeof at->deadline)
		return -1;
	char status[32];
	if ((size_t)(bar - text) >= sizeof status)
		return -1;
	memcpy(status, text, (size_t)(bar - text));
	status[bar - text] = 0;
	at->status = hazard_status_parse(status);
	if (at->status == HS_NONE)
		return -1;
	memcpy(at->deadline, bar + 1, (size_t)(bar2 - bar - 1));
	at->deadline[bar2 - bar - 1] = 0;
	at->id = strtoll(bar2 + 1, NULL, 10);
	return 0;
}

static int job_reminders(struct db *db, struct arena *a, int64_t now, const char **resume,
			 struct ql_error *err)
{
	char today[16], until[16];
	int64_t today_days;
	clock_format_date_cn(now, today, sizeof today);
	if (date_parse(today, &today_days) < 0)
		return ql_fail(err, QLE_INTERNAL, "clock", NULL, "当前日期无效：%s", today);
	int y, m, d;
	date_from_days(today_days + REMIND_DAYS, &y, &m, &d);
	snprintf(until, sizeof until, "%04d-%02d-%02d", y, m, d);
	struct remind_at at;
	if (remind_at_parse(*resume, &at) < 0)
		return ql_fail(err, QLE_INTERNAL, "resume_at", NULL, "提醒任务的续行位置无效：%s",
			       *resume);
	int sent = 0;
	for (enum hazard_status s = at.status; s < HS_COUNT; s++) {
		if (!hazard_status_is_open(s))
			continue;
		const char *status = hazard_status_name(s);
		if (s != at.status) {
			at.deadline[0] = 0;
			at.id = 0;
		}
		/* Batches in (deadline, id) order: each costs only its rows. */
		int n = DUE_BATCH;
		while (n == DUE_BATCH) {
			if (sent >= REMIND_BATCH) {
				*resume = arena_printf(a, "%s|%s|%lld", status, at.deadline,
						       (long long)at.id);
				return sent;
			}
			/* Each batch in an arena of its own: memory stays one batch. */
			struct arena *b = arena_new();
			struct due_hazard *items;
			n = store_hazards_due(db, b, status, until, at.deadline, at.id, DUE_BATCH,
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
				snprintf(at.deadline, sizeof at.deadline, "%s", items[n - 1].deadline);
				at.id = items[n - 1].id;
			}
			arena_free(b);
			if (n < 0)
				return db_fail(db, n, err);
		}
	}
	*resume = NULL;
	return sent;
}

static int job_overdue(struct db *db, struct arena *a, int64_t now, const char **resume,
		       struct ql_error *err)
{
	(void)a;
	(void)resume;
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

/* One transaction of a job: a batch of a daily one.  *resume as job_fn. */
static int run_once(struct db *db, const struct job *j, int64_t now, const char *instance,
		    const char **resume, int *count, struct arena *a, struct ql_error *err)
{
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
	char day[16];
	if (j->daily) {
		clock_format_date_cn(now, day, sizeof day);
		rc = store_job_day(db, a, j->name, day, resume);
		if (rc < 0 || rc == 2) {
			if (rc < 0)
				db_fail(db, rc, err);
			db_rollback(db);
			return rc < 0 ? -1 : JOB_NOT_DUE;
		}
	}
	int n = j->fn(db, a, now, resume, err);
	if (n >= 0 && j->daily && (rc = store_job_day_save(db, j->name, day, now, instance,
							     *resume)) < 0) {
		db_fail(db, rc, err);
		n = -1;
	}
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

int job_run(struct db *db, const struct job *j, int64_t now, const char *instance,
	    const bool *stop, int *count, struct ql_error *err)
{
	*count = 0;
	int outcome = JOB_NOT_DUE;
	for (;;) {
		struct arena *a = arena_new();
		const char *resume = "";
		int n = 0;
		int rc = run_once(db, j, now, instance, &resume, &n, a, err);
		arena_free(a);
		if (rc != JOB_RAN)
			/* a later batch finding the day done or the lock taken
			 * (another server goes on) still reports the batches run */
			return rc < 0 || outcome != JOB_RAN ? rc : JOB_RAN;
		*count += n;
		outcome = JOB_RAN;
		if (!j->daily || !resume || (stop && __atomic_load_n(stop, __ATOMIC_RELAXED)))
			return JOB_RAN;
	}
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
		int rc = job_run(jr->db, j, now, jr->instance, &jr->stop, &count, &err);
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
	__atomic_store_n(&jr->stop, true, __ATOMIC_RELAXED); /* job_run reads it between batches */
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
