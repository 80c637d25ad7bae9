/*
 * jobs.h - the periodic jobs of `qingling serve` and the thread that runs
 * them.
 *
 * Every server runs every job each round (--jobs-interval seconds), yet
 * each job's work is done once: a job runs inside its own write
 * transaction that first takes the job's lock with db_try_lock() - on
 * PostgreSQL an advisory lock, so with several servers on one database
 * only the one that gets it works this round and the others skip; on
 * SQLite the database's write lock.  A once-a-day job works in batches,
 * one such transaction each, and records in job_runs, with each batch,
 * where the next one starts, and at the end that the day is done: so it
 * does its work once per day (Asia/Shanghai) whichever servers take part,
 * no transaction holds the lock for long, and a run cut short (a server
 * stopped or killed) goes on from its last batch.
 */
#ifndef QL_JOBS_H
#define QL_JOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/error.h"
#include "../lib/arena.h"
#include "../store/db.h"

/* A job's work, inside the transaction the runner opened: returns how
 * many things it did (>= 0), or -1 with err filled (rolled back).  A daily
 * job does one batch: *resume is where it starts ("" for the day's first)
 * and it sets *resume to where the next batch starts, or to NULL when the
 * day's work is done.  Other jobs leave it alone. */
typedef int job_fn(struct db *db, struct arena *a, int64_t now, const char **resume,
		   struct ql_error *err);

struct job {
	const char *name;	/* in job_runs and in the server's log */
	int64_t lock_key;	/* the db_try_lock() key, fixed per job */
	bool daily;		/* once a day, recorded in job_runs */
	job_fn *fn;
};

extern const struct job jobs[];
extern const int job_count;

enum job_outcome {
	JOB_RAN,	/* did its work (and committed it) */
	JOB_LOCKED,	/* another connection holds its lock: skipped this round */
	JOB_NOT_DUE,	/* a daily job whose day is done already */
};

/* Runs one job on db (not in a transaction) at time now - a daily job
 * batch after batch until its day is done or *stop (may be NULL) is set:
 * returns an enum job_outcome with *count set to what it did, or -1 with
 * err filled (the batches before stay done). */
int job_run(struct db *db, const struct job *j, int64_t now, const char *instance,
	    const bool *stop, int *count, struct ql_error *err);

/* The thread that runs every job each interval seconds on a connection of
 * its own to target.  Started after the signal mask of the server is set
 * (it inherits it); job_runner_stop() ends it after the round in progress,
 * joins it and closes its connection.  NULL on failure to start. */
struct job_runner;
struct job_runner *job_runner_start(const char *target, int interval);
void job_runner_stop(struct job_runner *jr);

#endif
