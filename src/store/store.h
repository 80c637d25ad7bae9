/*
 * store.h - the database as the rest of Qingling sees it.
 *
 * A struct store is a pool of connections to one database (SQLite file or
 * PostgreSQL URI).  A request takes a connection with store_acquire(),
 * runs its transaction, and gives it back with store_release().  The
 * functions below run the domain's SQL on one connection; they never
 * begin or end transactions themselves (the caller does), allocate what
 * they return in the caller's arena, and return 1 (found) / 0 (not found
 * or done) / a negative DB_ERR_* code.
 */
#ifndef QL_STORE_H
#define QL_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "../core/role.h"
#include "../lib/arena.h"
#include "../lib/buf.h"
#include "../lib/jsonw.h"

struct store;

struct store *store_open(const char *target, int nconn, struct ql_error *err);
void store_close(struct store *s);
/* Blocks until a connection is free; never NULL (a broken PostgreSQL
 * connection is reset first). */
struct db *store_acquire(struct store *s);
void store_release(struct store *s, struct db *db);

/* --- who is acting: recorded in the audit trail ------------------------ */
struct actor {
	int64_t user_id;	/* 0 for the command line / the public */
	const char *login;	/* "cli", "public" ... */
	const char *role;
	const char *address;
};

/* --- data scope: what a business user may see ------------------------- */
struct scope {
	enum scope_kind kind;	/* SCOPE_NONE: nothing at all */
	const char *region_code;	/* region scope, or the department's region */
	int64_t department_id;
	int64_t enterprise_id;
};

/* --- regions ---------------------------------------------------------- */
struct region {
	char *code, *name, *parent_code;
	int level;
};
int store_region_get(struct db *db, struct arena *a, const char *code, struct region *out);
int store_region_insert(struct db *db, const struct region *r);
/* Lists regions; under = subtree (with itself), parent = direct children
 * (either may be NULL).  Returns the count written into *items. */
int store_region_list(struct db *db, struct arena *a, const char *under, const char *parent,
		      int64_t offset, int64_t limit, struct region **items, int64_t *total);

/* --- departments ------------------------------------------------------ */
struct department {
	int64_t id;
	char *name, *region_code;
};
int store_department_get(struct db *db, struct arena *a, int64_t id, struct department *out);
int store_department_insert(struct db *db, struct department *d); /* sets d->id */
int store_department_list(struct db *db, struct arena *a, const char *region, int64_t offset,
			  int64_t limit, struct department **items, int64_t *total);

/* --- users ------------------------------------------------------------ */
struct user {
	int64_t id;
	char *login, *name;
	enum role role;
	char *region_code;	/* NULL unless region-scoped */
	int64_t department_id;	/* 0 unless department-scoped */
	int64_t enterprise_id;	/* 0 unless enterprise-scoped */
	char *password_hash;
	bool must_change_password, disabled;
	int failed_count;
	int64_t locked_until, created_at;
};
int store_user_by_login(struct db *db, struct arena *a, const char *login, struct user *out);
int store_user_by_id(struct db *db, struct arena *a, int64_t id, struct user *out);
int store_user_insert(struct db *db, struct user *u); /* sets u->id */
int store_user_list(struct db *db, struct arena *a, int64_t offset, int64_t limit,
		    struct user **items, int64_t *total);
int store_user_set_failures(struct db *db, int64_t id, int failed_count, int64_t locked_until);
/* Counts one more failed login, atomically: *failed is the new count. */
int store_user_add_failure(struct db *db, int64_t id, int *failed);
int store_user_set_password(struct db *db, int64_t id, const char *hash, bool must_change,
			    int64_t now);
/* Validates and creates an account (login, role, scope, password policy),
 * hashing the password with argon2id and auditing the creation; u->id is
 * set.  -1 with err filled (the field at fault named) on refusal. */
int account_create(struct db *db, struct arena *a, struct user *u, const char *password,
		   const struct actor *who, int64_t now, struct ql_error *err);
/* True if the enterprise with this id exists. */
int store_enterprise_exists(struct db *db, int64_t id);

/* --- sessions and tokens ---------------------------------------------- */
struct session {
	int64_t id, user_id, created_at, last_seen;
	char *csrf_token;
};
int store_session_insert(struct db *db, const char *token_hash, int64_t user_id, const char *csrf,
			 const char *address, int64_t now);
/* Finds a live (not ended) session by token hash, and its user; the
 * settings come in the same statement, for the rest of the transaction
 * (store_settings_read reads them without a query).  DB_ROW when found. */
int store_session_user(struct db *db, struct arena *a, const char *token_hash,
		       struct session *s, struct user *u);
int store_session_touch(struct db *db, int64_t id, int64_t now);
int store_session_end(struct db *db, int64_t id, int64_t now);
int store_session_end_all(struct db *db, int64_t user_id, int64_t now);
int store_token_insert(struct db *db, const char *token_hash, int64_t user_id, int64_t now);
/* Finds the user of a live bearer token; the settings as above. */
int store_token_user(struct db *db, struct arena *a, const char *token_hash, struct user *out);

/* --- security settings ------------------------------------------------ */
struct security_settings {
	int lockout_threshold, lockout_minutes, session_idle_minutes, password_min_length;
};
int store_settings_get(struct db *db, struct security_settings *out);
int store_settings_put(struct db *db, const struct security_settings *s);
/* Integer settings by key: read fills vals[i] where keys[i] is set (the
 * caller's defaults stay otherwise); write sets them all. */
int store_settings_read(struct db *db, const char *const *keys, int *vals, int n);
int store_settings_write(struct db *db, const char *const *keys, const int *vals, int n);

/* --- audit trail ------------------------------------------------------ */
struct audit_entry {
	int64_t seq, at, actor_id;
	const char *actor_login, *actor_role, *address, *action, *object_type, *object_id;
	const char *before_json, *after_json, *outcome;
	const char *prev_hash, *hash;
};
/* Appends one entry at time `at`, chained to the last; the caller's
 * transaction makes it durable together with the change it records. */
int store_audit_append(struct db *db, const struct actor *who, int64_t at, const char *action,
		       const char *object_type, const char *object_id, const char *before_json,
		       const char *after_json, const char *outcome);
int store_audit_list(struct db *db, struct arena *a, int64_t from, int64_t to, int64_t offset,
		     int64_t limit, struct audit_entry **items, int64_t *total);
/* Walks the whole chain.  Returns 0 if intact; 1 if broken, with *bad_seq
 * the first bad sequence number and why[] the reason (Chinese); negative
 * on a database error. */
int store_audit_verify(struct db *db, int64_t *bad_seq, char *why, size_t why_len,
		       int64_t *checked);
/* The canonical text an entry's hash is computed over (tested). */
void audit_canonical(const struct audit_entry *e, struct buf *out);

/* --- enterprises (enterprises.c) -------------------------------------- */
struct person {
	char *name, *phone;
};
struct enterprise {
	int64_t id;
	char *uscc, *name, *region_code, *industry_code, *uscc_override;
	bool high_risk;
	struct person main_person, controller;
	int64_t created_at, updated_at;
	int64_t *department_ids;
	int ndepartments;
};
/* Gets an enterprise inside the scope (0 if absent or outside). */
int store_enterprise_get(struct db *db, struct arena *a, const struct scope *s, int64_t id,
			 struct enterprise *out);
int store_enterprise_by_uscc(struct db *db, struct arena *a, const char *uscc,
			     struct enterprise *out);
int store_enterprise_insert(struct db *db, struct enterprise *e); /* sets e->id */
int store_enterprise_update(struct db *db, const struct enterprise *e);
/* Replaces the supervising departments of an enterprise. */
int store_enterprise_set_departments(struct db *db, int64_t id, const int64_t *ids, int n);
struct enterprise_filter {
	const char *region;	/* subtree */
	const char *q;		/* substring of name or credit code */
	int64_t offset, limit;
};
int store_enterprise_list(struct db *db, struct arena *a, const struct scope *s,
			  const struct enterprise_filter *f, struct enterprise **items,
			  int64_t *total);
/* Validates and saves an enterprise (new when e->id is 0), with its
 * supervising departments, and audits it; shared by the API and
 * `qingling import enterprises`.  Checks: credit code (GB 32100; a wrong
 * check character only with e->uscc_override as the reason), name,
 * region exists (county level or below), industry code, people and
 * phones, departments exist.  -1 with err naming the field. */
int enterprise_save(struct db *db, struct arena *a, struct enterprise *e,
		    const struct enterprise *before, const struct actor *who, int64_t now,
		    struct ql_error *err);
/* Writes the enterprise as the JSON object of the API. */
void enterprise_write_json(struct jsonw *w, const struct enterprise *e);

/* --- hazards (hazards.c) ----------------------------------------------- */
struct hazard {
	int64_t id;
	char *code;
	int64_t enterprise_id;
	char *enterprise_name, *region_code, *industry_code;
	char *level, *category, *source, *status;	/* API names */
	char *location, *description, *basis, *found_on, *found_by, *deadline;
	char *responsible_person, *measures, *emergency_plan, *interim_measures,
		*remediation_plan;
	int64_t funds_fen;	/* -1 when not given */
	bool rectified_on_spot, supervised;
	int64_t department_id, created_by, created_at, updated_at, closed_at;
	int64_t inspection_id;	/* 0 unless found in a recorded inspection */
};
struct hazard_event {
	int64_t id, hazard_id, user_id, at;
	char *action, *from_status, *to_status, *user_name, *note, *data_json;
};
struct hazard_supervision {
	int64_t id, hazard_id, listed_by, listed_at, delisted_by, delisted_at;
	char *region_code, *deadline, *note;
};
struct hazard_filter {
	const char *region, *level, *status, *source, *found_from, *found_to, *q;
	int64_t enterprise_id;
	int overdue, supervised;	/* -1 any, 0 no, 1 yes */
	const char *today;		/* YYYY-MM-DD, for overdue */
	const char *sort;		/* a column name from a fixed list */
	bool desc;
	int64_t offset, limit;
};

/* The next number for hazard codes of a county in a year. */
int store_hazard_next_number(struct db *db, const char *county, int year, int64_t *n);
int store_hazard_insert(struct db *db, struct hazard *h); /* sets h->id */
/* Writes status, deadline, plan fields, supervised, closed_at, updated_at. */
int store_hazard_update(struct db *db, const struct hazard *h);
int store_hazard_get(struct db *db, struct arena *a, const struct scope *s, int64_t id,
		     struct hazard *out);
int store_hazard_list(struct db *db, struct arena *a, const struct scope *s,
		      const struct hazard_filter *f, struct hazard **items, int64_t *total);
int store_hazard_event_insert(struct db *db, const struct hazard_event *e);
int store_hazard_events(struct db *db, struct arena *a, int64_t hazard_id,
			struct hazard_event **items);
int store_supervision_insert(struct db *db, struct hazard_supervision *v);
int store_supervision_active(struct db *db, struct arena *a, int64_t hazard_id,
			     struct hazard_supervision *out);
int store_supervision_delist(struct db *db, int64_t id, int64_t by, int64_t at);
int store_supervisions(struct db *db, struct arena *a, int64_t hazard_id,
		       struct hazard_supervision **items);
/* True if the department supervises the enterprise. */
int store_department_supervises(struct db *db, int64_t department_id, int64_t enterprise_id);
int store_outbox_add(struct db *db, const char *kind, int64_t hazard_id, int64_t enterprise_id,
		     const char *recipient, const char *name, const char *phone,
		     const char *message, int64_t now);

struct stats_group {
	char *key;
	int64_t total, closed, overdue;
};
/* group_by: region, industry, level, status, source.  For region, key is
 * the code prefix of length key_len. */
int store_hazard_stats(struct db *db, struct arena *a, const struct scope *s, const char *region,
		       const char *group_by, int key_len, const char *today,
		       struct stats_group **groups);

/* --- exact counters (counts.c) ------------------------------------------- */
/* What a hazard is counted by. */
struct hazard_key {
	const char *region, *level, *source, *status;
	bool overdue;
};
/* Whether a hazard in this status (API name) with this deadline is
 * overdue today in Asia/Shanghai (core/hazard.h hazard_overdue). */
bool hazard_overdue_now(const char *status, const char *deadline);
/* Adds delta hazards of key k to the counters of its region and above. */
int store_hazard_count(struct db *db, const struct hazard_key *k, int64_t delta);
/* Moves one hazard from key was to key now (nothing if they are equal). */
int store_hazard_recount(struct db *db, const struct hazard_key *was, const struct hazard_key *now);
/* The key a stored hazard is counted by now: DB_ROW, DB_DONE or an error. */
int store_hazard_key(struct db *db, struct arena *a, int64_t id, struct hazard_key *k);
/* Adds (sign 1) or takes away (sign -1) all of an enterprise's hazards,
 * around a change of the region they are copied from. */
int store_hazard_count_enterprise(struct db *db, struct arena *a, int64_t enterprise_id, int sign);
/* Recomputes every counter from the hazards (after a bulk load). */
int store_hazard_counts_rebuild(struct db *db);
/* Marks the open hazards whose deadline is before today overdue, keeping
 * the counters, and records that it ran for today. */
int store_hazards_mark_overdue(struct db *db, const char *today, int64_t *marked);
/* 1 if the overdue flags are current for today, 0 if not (yet). */
int store_overdue_current(struct db *db, const char *today);
/* A list's total from the counters: counted false when they cannot say
 * it exactly (the caller counts the hazards).  For choosing how to read
 * the page: walked, the hazards in the index a newest-first walk follows;
 * in_region, all the hazards of the region.  flags_current as
 * store_overdue_current. */
struct hazard_count {
	bool counted, flags_current;
	int64_t total, walked, in_region;
};
int store_hazard_list_counted(struct db *db, const struct scope *s, const struct hazard_filter *f,
			      struct hazard_count *out);
/* store_hazard_stats from the counters where they answer it exactly:
 * *counted false when they do not (the caller counts the hazards). */
int store_hazard_stats_counted(struct db *db, struct arena *a, const struct scope *s,
			       const char *region, const char *group_by, int key_len,
			       const char *today, struct stats_group **groups, bool *counted);

/* Major hazards against a cut-off date: out[0] found before it (stock),
 * out[1] of those still open; out[2] found on or after it (increment),
 * out[3] of those still open.  Voided hazards are left out. */
int store_major_stock(struct db *db, struct arena *a, const struct scope *s, const char *region,
		      const char *cutoff, int64_t out[4]);

/* --- periodic jobs (jobs.c) -------------------------------------------- */
/* A once-a-day job's record of day (YYYY-MM-DD, Asia/Shanghai): 0 when
 * the day's run has not begun, 1 when it has (*resume_at: where its next
 * batch starts), 2 when it is done; or an error. */
int store_job_day(struct db *db, struct arena *a, const char *job, const char *day,
		  const char **resume_at);
/* Records, in the batch's transaction, that this instance (host:pid) got
 * the day's run to resume_at, or finished it (resume_at NULL). */
int store_job_day_save(struct db *db, const char *job, const char *day, int64_t now,
		       const char *instance, const char *resume_at);
/* An open hazard whose deadline is near or past, with whom to remind. */
struct due_hazard {
	int64_t id, enterprise_id;
	char *code, *location, *deadline;
	char *person_name, *person_phone;	/* the enterprise's main person */
};
/* At most limit hazards in status whose deadline is on or before until,
 * following (after_deadline, after_id) in (deadline, id) order: start
 * with ("", 0), continue from the last row returned.  Returns the count
 * and the rows in *items (in the arena), or an error. */
int store_hazards_due(struct db *db, struct arena *a, const char *status, const char *until,
		      const char *after_deadline, int64_t after_id, int limit,
		      struct due_hazard **items);

/* --- attachments of a hazard (attachments.c); the bytes: files.h ------- */
struct attachment {
	int64_t id, hazard_id, tip_id, progress_id, size, uploaded_by, uploaded_at; /* 0 if none */
	char *sha256, *name, *content_type, *kind;	/* kind: "photo" or "document" */
	int64_t width, height;	/* 0 unless a photo */
	char *thumb_sha256;	/* NULL unless a photo */
	char *uploaded_by_name;	/* read only */
};
int store_attachment_insert(struct db *db, struct attachment *att); /* sets att->id */
/* The attachments of a hazard, a tip or a progress report that the caller
 * has already read through its scope, oldest first.  Returns the count. */
enum attachment_owner { AO_HAZARD, AO_TIP, AO_PROGRESS, AO_COUNT };
int store_attachment_list(struct db *db, struct arena *a, enum attachment_owner owner,
			  int64_t owner_id, struct attachment **items);
/* Attachment id of that owner (the caller has checked the owner's scope). */
int store_attachment_get_of(struct db *db, struct arena *a, enum attachment_owner owner,
			    int64_t owner_id, int64_t id, struct attachment *out);
/* A verified tip's photos become the photos of the hazard it became. */
int store_attachments_tip_to_hazard(struct db *db, int64_t tip_id, int64_t hazard_id);
/* Gets an attachment whose hazard is inside the scope (0 if absent or outside). */
int store_attachment_get(struct db *db, struct arena *a, const struct scope *s, int64_t id,
			 struct attachment *out);

/* --- records the monthly return counts (records.c) ---------------------- */
struct inspection {
	int64_t enterprise_id, department_id, created_by, created_at;
	const char *region_code, *date, *method, *inspectors, *experts, *note;
	bool spot_check;
	const bool *flags;	/* 7, in the order of the form's second section */
};
struct enforcement {
	const char *kind, *date, *region_code, *note;
	int64_t department_id, enterprise_id, amount_fen, persons, inspection_id, hazard_id;
	bool key_enterprise, dangerous_operation;
	int64_t created_by, created_at;
};
int store_inspection_insert(struct db *db, const struct inspection *i, int64_t *id);
int store_enforcement_insert(struct db *db, const struct enforcement *e, int64_t *id);
/* The enterprise and department of an inspection (0 if there is none). */
int store_inspection_get(struct db *db, int64_t id, int64_t *enterprise_id, int64_t *department_id);
int store_activity_insert(struct db *db, const char *kind, const char *date, const char *region,
			  int64_t department_id, const char *note, int64_t by, int64_t now,
			  int64_t *id);

/* --- enterprise duties (duties.c) --------------------------------------- */
struct duty_record {
	int64_t enterprise_id;
	const char *kind, *date, *title, *leader, *note;
	int64_t participants, created_by, created_at;
};
int store_duty_insert(struct db *db, const struct duty_record *d, int64_t *id);
struct certificate {
	int64_t enterprise_id;
	const char *holder, *category, *number, *valid_until;
	int64_t created_by, created_at;
};
/* DB_ERR_UNIQUE when the enterprise already has that certificate number. */
int store_certificate_insert(struct db *db, const struct certificate *c, int64_t *id);
struct contract {
	int64_t enterprise_id;
	const char *contractor, *contractor_uscc, *work, *start_date, *end_date;
	bool safety_agreement;
	int64_t created_by, created_at;
};
int store_contract_insert(struct db *db, const struct contract *c, int64_t *id);
struct duty_counts;
struct duty_window;
/* Counts what core/duty.c judges for one enterprise: records in the
 * windows, files by the month's end, certificates expired or expiring on
 * the judging day, contracts running in the month without agreement. */
int store_duty_counts(struct db *db, int64_t enterprise_id, const struct duty_window *inspection,
		      const struct duty_window *drill, const struct duty_window *month,
		      const char *judging_day, struct duty_counts *out);

/* --- risk lists (risks.c) ---------------------------------------------- */
struct risk {
	int64_t enterprise_id;
	const char *region_code, *risk_point, *hazard_source, *dictionary, *accident_types;
	const char *method, *level, *control_measures, *control_level, *responsible_person;
	int64_t l10, e10, c10, likelihood, severity, score; /* 0 where the method has none */
	int64_t created_by, created_at;
};
int store_risk_insert(struct db *db, const struct risk *k, int64_t *id);

/* --- campaigns (campaigns.c) -------------------------------------------- */
struct campaign {
	int64_t id;
	char *doc_number, *title, *region_code, *starts_on, *ends_on;
	int64_t created_by, created_at, ntasks;
	int64_t parent_id;	/* the campaign this is a lower region's copy of, or 0 */
	int64_t nadopted;	/* lower regions that adopted it (read only) */
	char *phases;		/* JSON [{name, starts_on, ends_on}], or NULL */
};
/* Inserts copy (parent_id set) with a copy of the parent's task list. */
int store_campaign_adopt(struct db *db, struct campaign *copy);
int store_campaign_insert(struct db *db, struct campaign *c); /* sets c->id */
int store_campaign_get(struct db *db, struct arena *a, int64_t id, struct campaign *c);
/* The department of that exact name in the region range [lo, hi), the
 * highest level first; *id 0 when none. */
int store_campaign_department_by_name(struct db *db, const char *name, const char *lo,
				      const char *hi, int64_t *id);
struct schedule;
/* Replaces the campaign's tasks with the schedule's; unit_departments[k][u]
 * is the department (or 0) of unit u of the k-th requirement in order. */
int store_campaign_replace_tasks(struct db *db, int64_t campaign_id, const struct schedule *s,
				 int64_t *const *unit_departments);

/* --- the monthly return (dispatch.c) ----------------------------------- */
struct dispatch_unit {
	const char *region;	/* region:CODE (the subtree), or NULL */
	int64_t department_id;	/* department:ID */
};
struct dispatch_window {
	const char *since, *until;	/* YYYY-MM-DD, both counted */
	int64_t since_ts, until_ts;	/* the same as instants (Asia/Shanghai days) */
};
/* Computes every computed value of the return into values[] (indexed as
 * DISPATCH_ITEMS; amounts in fen). */
int store_dispatch_compute(struct db *db, struct arena *a, const struct dispatch_unit *u,
			   const struct dispatch_window *win, int64_t *values);
int store_dispatch_entries(struct db *db, const char *unit, const char *period,
			   void (*each)(void *ctx, const char *key, const char *value), void *ctx);
int store_dispatch_entry_put(struct db *db, const char *unit, const char *period, const char *key,
			     const char *value, int64_t by, int64_t now);
int store_dispatch_signature(struct db *db, struct arena *a, const char *unit, const char *period,
			     char **filler, char **reviewer, int64_t *signed_at);
int store_dispatch_sign(struct db *db, const char *unit, const char *period, const char *filler,
			const char *reviewer, int64_t by, int64_t now);

/* A whole return, computed and entered values together. */
struct dispatch_return {
	const char *unit, *unit_name, *period, *since, *until;
	struct dispatch_unit u;
	int64_t *values;	/* DISPATCH_ITEMS order; amounts in fen, booleans 0/1 */
	char *filler, *reviewer;	/* NULL until signed */
	int64_t signed_at;
};
/* Parses "region:CODE" / "department:ID" (0 if no such unit). */
int dispatch_unit_parse(struct db *db, struct arena *a, const char *text, struct dispatch_unit *u,
			const char **name);
/* Builds the return of an existing unit for period (YYYY-MM) counted from
 * since (YYYY-MM-DD).  -1 with err on bad parameters or a database error. */
int dispatch_build(struct db *db, struct arena *a, const char *unit, const char *period,
		   const char *since, struct dispatch_return *out, struct ql_error *err);
/* Writes the return as the JSON of API.md. */
void dispatch_write_json(struct jsonw *w, const struct dispatch_return *d);

#endif
