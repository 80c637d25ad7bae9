/*
 * http.h - what every HTTP handler sees: the request, the caller, the
 * database connection and the answer being written.
 *
 * The dispatcher (server.c) authenticates the caller, checks the route's
 * role mask, opens a transaction (read-only for GET) and calls the
 * handler.  A handler returns the HTTP status it answered; an answer of
 * 400 or more rolls the transaction back, so a refused request changes
 * nothing.  Everything a request allocates comes from req->a.
 */
#ifndef QL_HTTP_H
#define QL_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/error.h"
#include "../core/role.h"
#include "../lib/arena.h"
#include "../lib/buf.h"
#include "../lib/jsonw.h"
#include "../store/store.h"

struct MHD_Connection;

#define MAX_PATH_PARAMS 4

struct req {
	struct arena *a;
	struct MHD_Connection *conn;
	const char *method, *path;
	const char *params[MAX_PATH_PARAMS];	/* {xxx} segments of the route */
	const char *body;
	size_t body_len;
	json_t *json;				/* the body as an object, or NULL */
	const char *address;
	struct store *store;
	struct db *db;
	const char *data_dir;	/* uploaded files (store/files.h) */
	int64_t now;

	/* the caller */
	bool authed, via_cookie;
	struct user user;
	struct scope scope;	/* what the caller's business data is */
	int64_t session_id;
	enum { SESSION_KEEP, SESSION_TOUCH, SESSION_END } session_upkeep;
	char *csrf_token;
	struct actor actor;

	/* the answer */
	struct ql_error err;
	struct buf out;
	struct jsonw w;
	const char *content_type;
	const char *content_disposition;
	const char *cache_control;	/* NULL: no-store */
	/* A file to answer with instead of out (a 2xx only): the server
	 * sends file_size bytes of file_fd and closes it in every case. */
	bool has_file;
	int file_fd;
	uint64_t file_size;
	char *set_cookie;
	bool commit_on_error;	/* e.g. a failed login still counts the failure */
};

typedef int (*handler_fn)(struct req *r);

enum route_flags {
	ROUTE_NO_DB = 1,	/* needs no database connection (health) */
	ROUTE_PUBLIC = 2,	/* no authentication */
	ROUTE_ANY_PASSWORD = 4,	/* allowed while a password change is pending */
	ROUTE_UPLOAD = 8,	/* takes a file: body up to max_upload, not max_body */
};

struct route {
	const char *method;
	const char *pattern;	/* "/api/v1/regions/{code}" */
	handler_fn fn;
	unsigned roles;		/* R_BIT mask of roles allowed */
	unsigned flags;
};

/* Route tables, one per resource file, each ending with a NULL method. */
extern const struct route health_routes[], session_routes[], region_routes[],
	department_routes[], user_routes[], security_routes[], audit_routes[],
	enterprise_routes[], hazard_routes[], record_routes[], tip_routes[], dispatch_routes[],
	duty_routes[], attachment_routes[], campaign_routes[], risk_routes[], list_routes[];

/* --- answering (respond.c) --------------------------------------------- */
/* Renders r->err as the JSON error body and returns its HTTP status. */
int reply_error(struct req *r);
/* Fills r->err and renders it: `return reply_fail(r, QLE_INVALID, ...)`. */
int reply_fail(struct req *r, enum ql_err_kind kind, const char *code, const char *field,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Maps a negative store result to 500/503 (or 404 for 0 = not found). */
int reply_db(struct req *r, int rc);
int reply_not_found(struct req *r, const char *what);
int http_status_of(enum ql_err_kind kind);
/* Starts a JSON answer: returns the writer positioned at the top level. */
struct jsonw *reply_json(struct req *r);

/* --- reading input (input.c): each returns 0, or -1 with r->err filled -- */
int in_body_object(struct req *r);
int in_str(struct req *r, const char *key, bool required, size_t max_chars, const char **out);
/* The same for a key of a nested object; `field` names it in errors
 * ("main_person.name"). */
int in_str_at(struct req *r, json_t *obj, const char *key, const char *field, bool required,
	      size_t max_chars, const char **out);
int in_int(struct req *r, const char *key, bool required, int64_t *out);
/* A required secret (password): taken exactly as sent, never trimmed. */
int in_secret(struct req *r, const char *key, size_t max_bytes, const char **out);
int in_object(struct req *r, const char *key, bool required, json_t **out);
/* An array of positive integer ids (at most 100), in the arena. */
int in_id_array(struct req *r, const char *key, int64_t **ids, int *n);
/* An amount in yuan (number, at most 2 decimals) as integer fen. */
int in_amount(struct req *r, const char *key, bool required, int64_t *fen);
/* A real calendar date "YYYY-MM-DD". */
int in_date(struct req *r, const char *key, bool required, const char **out);
/* A date that is not after today (the records of things that happened). */
int in_past_date(struct req *r, const char *key, bool required, const char **out);
int in_bool(struct req *r, const char *key, bool required, bool *out);
/* True if the body has the key (even null). */
bool in_has(struct req *r, const char *key);
const char *query(struct req *r, const char *key);
/* page / per_page from the query string (defaults 1 and 20, at most 100). */
int in_page(struct req *r, int64_t *page, int64_t *per_page);
/* Parses a decimal id path segment; -1 with a 404 error if it is not one. */
int in_path_id(struct req *r, int i, int64_t *out);
/* Answers a list envelope {"items":[…],"total","page","per_page"}: each of
 * the n items (size bytes apart) written by view(w, item).  Returns 200. */
int reply_list(struct req *r, const void *items, int n, size_t size,
	       void (*view)(struct jsonw *w, const void *item), int64_t total, int64_t page,
	       int64_t per_page);
/* The same envelope for items written one by one: open answers the
 * writer inside "items":[ ; after jw_arr_end (and any other keys), tail
 * writes the paging, closes the object and returns 200. */
struct jsonw *reply_list_open(struct req *r);
int reply_list_tail(struct jsonw *w, int64_t total, int64_t page, int64_t per_page);

/* The enterprise named by the path's first id, inside the caller's
 * scope: 0, or the answered status (404 outside it). */
int enterprise_from_path(struct req *r, struct enterprise *e);
/* The same for a hazard (hazards.c). */
int hazard_from_path(struct req *r, struct hazard *h);
/* A page of the enterprises in scope by ?region, ?q, ?page, ?per_page:
 * their number on the page, or -1 with r->err filled. */
int enterprise_page(struct req *r, struct enterprise **items, int64_t *total, int64_t *page,
		    int64_t *per_page);
/* A page of one of the path's enterprise's own lists: count_sql and
 * list_sql take the enterprise id, then extra (a text, unless NULL), and
 * list_sql LIMIT and OFFSET.  0 with *st ready to step, or the answered
 * status. */
int enterprise_rows(struct req *r, const char *count_sql, const char *list_sql, const char *extra,
		    struct db_stmt **st, int64_t *total, int64_t *page, int64_t *per_page);

/* --- attachments (attachments.c) ----------------------------------------- */
/* Reads the "file" part of a multipart body (a photo only, if photo_only),
 * checks it by its bytes, stores it and its thumbnail durably, and fills
 * att's file fields; the caller sets the owner and inserts the row.
 * 0, or -1 with r->err (415, 413, 422 naming "file"). */
int attachment_receive(struct req *r, bool photo_only, struct attachment *att);
/* An attachment as JSON, its URLs under base ("/api/v1/attachments"). */
void attachment_view(struct jsonw *w, const struct attachment *x, const char *base);
int attachment_reply_list(struct req *r, const struct attachment *items, int n, const char *base);
/* Answers with the attachment's bytes, or its thumbnail (404 if none). */
int attachment_reply_file(struct req *r, const struct attachment *att, bool thumb);

/* --- audit (audit_api.c) -------------------------------------------------- */
/* Appends to the audit trail in the request's transaction. */
int audit(struct req *r, const char *action, const char *object_type, const char *object_id,
	  const char *before_json, const char *after_json);

/* Audits a change of record id whose request body is the "after". */
int audit_with_body(struct req *r, const char *action, const char *object_type, int64_t id);

#define TRY(expr)                                 \
	do {                                      \
		if ((expr) < 0)                   \
			return reply_error(r);    \
	} while (0)

/* --- the server (server.c) ------------------------------------------------ */
/* An uploaded file's limit, and the body of a ROUTE_UPLOAD request: the
 * file and the multipart framing around it. */
#define UPLOAD_MAX_FILE (10u * 1024 * 1024)
#define UPLOAD_MAX_BODY (UPLOAD_MAX_FILE + 64u * 1024)

/* The proxies whose X-Forwarded-For is believed (serve --trusted-proxy):
 * addresses in the text inet_ntop gives them. */
#define MAX_PROXIES 16
struct proxies {
	int n;
	char addr[MAX_PROXIES][46];
};
/* Parses "ADDR[,ADDR...]" (IPv4 or IPv6) into out; -1 if an entry is not
 * an address, *bad then naming it, or if there are more than MAX_PROXIES. */
int proxies_parse(const char *list, struct proxies *out, char *bad, size_t bad_size);

struct server_config {
	const char *db;
	const char *listen;	/* HOST:PORT */
	const char *web_dir;	/* NULL: no static files */
	const char *data_dir;	/* where uploaded files are kept */
	int threads;
	size_t max_body;	/* of any request but ROUTE_UPLOAD */
	size_t max_upload;	/* of a ROUTE_UPLOAD request */
	int jobs_interval;	/* seconds between rounds of jobs.h; 0: none */
	struct proxies proxies;	/* none: X-Forwarded-For is not believed */
};
/* Runs until SIGINT/SIGTERM; returns a process exit status. */
int server_run(const struct server_config *cfg, struct store *store);

#endif
