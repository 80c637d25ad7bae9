/*
 * server.c - the HTTP/1.1 server: libmicrohttpd with an internal thread
 * pool over epoll, our router, and the one dispatcher that authenticates,
 * checks permissions and wraps every handler in a transaction.
 *
 * Order of checks for an API request (Fossil checks g.perm first in every
 * page; so do we, before any handler runs):
 *   route found? -> body within limit (max_upload for a ROUTE_UPLOAD
 *   route, else max_body)? -> caller authenticated? ->
 *   CSRF token (cookie callers, non-GET) -> password change pending? ->
 *   role allowed by the route? -> transaction + handler -> commit.
 * A handler answering >= 400 is rolled back; a failed COMMIT answers 500,
 * so a 2xx is only ever sent for data that is on disk.
 */
#include "http.h"
#include "auth.h"
#include "jobs.h"
#include "../lib/clock.h"
#include "../lib/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct route *const ROUTE_TABLES[] = {
	health_routes, session_routes, region_routes, department_routes,
	user_routes,   security_routes, audit_routes, enterprise_routes, hazard_routes,
	record_routes, tip_routes,	dispatch_routes, duty_routes, campaign_routes, risk_routes, list_routes, attachment_routes,
};

struct server {
	const struct server_config *cfg;
	struct store *store;
};

/* Per-connection upload state, freed by request_completed(). */
struct upload {
	struct buf body;
	size_t limit;	/* the most body bytes this request may send */
	bool too_large;
};

/* Matches path against pattern; fills params with arena copies (unless
 * r is NULL). */
static bool route_match(const char *pattern, const char *path, struct req *r)
{
	int np = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *se = strchr(s, '/');
			if (!se)
				se = s + strlen(s);
			if (se == s || np >= MAX_PATH_PARAMS)
				return false;
			if (r)
				r->params[np] = arena_strndup(r->a, s, (size_t)(se - s));
			np++;
			p = pe + 1;
			s = se;
			continue;
		}
		if (*p != *s)
			return false;
		p++, s++;
	}
	return *p == 0 && *s == 0;
}

/* Finds the route; *path_known tells a 405 from a 404. */
static const struct route *route_find(struct req *r, bool *path_known)
{
	*path_known = false;
	for (size_t t = 0; t < ARRAY_LEN(ROUTE_TABLES); t++)
		for (const struct route *rt = ROUTE_TABLES[t]; rt->method; rt++) {
			memset(r->params, 0, sizeof r->params);
			if (!route_match(rt->pattern, r->path, r))
				continue;
			*path_known = true;
			if (strcmp(rt->method, r->method) == 0)
				return rt;
		}
	return NULL;
}

/* The body limit of a request, known from its headers: max_upload for a
 * ROUTE_UPLOAD route, max_body for everything else. */
static size_t body_limit(const struct server_config *cfg, const char *method, const char *path)
{
	for (size_t t = 0; t < ARRAY_LEN(ROUTE_TABLES); t++)
		for (const struct route *rt = ROUTE_TABLES[t]; rt->method; rt++)
			if ((rt->flags & ROUTE_UPLOAD) && strcmp(rt->method, method) == 0 &&
			    route_match(rt->pattern, path, NULL))
				return cfg->max_upload > cfg->max_body ? cfg->max_upload : cfg->max_body;
	return cfg->max_body;
}

static void add_security_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data: blob:; "
				"style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
}

static enum MHD_Result send_req(struct MHD_Connection *conn, struct req *r, int status)
{
	struct MHD_Response *resp = NULL;
	if (r->has_file && status < 400) {
		/* libmicrohttpd closes the descriptor with the response. */
		resp = MHD_create_response_from_fd(r->file_size, r->file_fd);
		if (resp)
			r->has_file = false;
		else
			status = reply_fail(r, QLE_INTERNAL, "internal", NULL, "无法发送文件");
	}
	if (r->has_file) {
		close(r->file_fd);
		r->has_file = false;
	}
	if (!resp) {
		size_t len = r->out.len;
		char *data = buf_detach(&r->out);
		resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	}
	MHD_add_response_header(resp, "Content-Type",
				r->content_type ? r->content_type : "application/json; charset=utf-8");
	if (r->content_disposition)
		MHD_add_response_header(resp, "Content-Disposition", r->content_disposition);
	if (r->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	MHD_add_response_header(resp, "Cache-Control",
				r->cache_control && status < 400 ? r->cache_control : "no-store");
	add_security_headers(resp);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* The address in s[0..n), spaces around it allowed, in inet_ntop's text;
 * false if it is not an IPv4 or IPv6 address. */
static bool address_text(const char *s, size_t n, char out[INET6_ADDRSTRLEN])
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char in[INET6_ADDRSTRLEN];
	if (n == 0 || n >= sizeof in)
		return false;
	memcpy(in, s, n);
	in[n] = 0;
	unsigned char bin[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, in, bin) == 1)
		return inet_ntop(AF_INET, bin, out, INET6_ADDRSTRLEN) != NULL;
	if (inet_pton(AF_INET6, in, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, INET6_ADDRSTRLEN) != NULL;
	return false;
}

int proxies_parse(const char *list, struct proxies *out, char *bad, size_t bad_size)
{
	memset(out, 0, sizeof *out);
	for (const char *p = list;; p++) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (out->n == MAX_PROXIES || !address_text(p, n, out->addr[out->n])) {
			snprintf(bad, bad_size, "%.*s", (int)(n < 60 ? n : 60), p);
			return -1;
		}
		out->n++;
		if (!comma)
			return 0;
		p = comma;
	}
}

static bool is_proxy(const struct proxies *px, const char *addr)
{
	for (int i = 0; i < px->n; i++)
		if (strcmp(px->addr[i], addr) == 0)
			return true;
	return false;
}

/* Who sent the request: the connection's peer, or, when the peer is a
 * trusted proxy, the last address in X-Forwarded-For that is not one of
 * them (each proxy appends the address it was reached from).  The audit
 * trail records it and the public tip-offs are counted by it: behind a
 * load balancer every request would otherwise come from the balancer. */
static const char *client_address(struct req *r, const struct proxies *px)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char tmp[INET6_ADDRSTRLEN] = "";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, tmp, sizeof tmp);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, tmp,
				  sizeof tmp);
	}
	const char *xff = px->n ? MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
							       "X-Forwarded-For")
				: NULL;
	/* from the right, while the hops (the peer first) are proxies; an
	 * entry that is not an address ends the walk at the last good one */
	size_t end = xff ? strlen(xff) : 0;
	while (xff && is_proxy(px, tmp)) {
		size_t start = end;
		while (start > 0 && xff[start - 1] != ',')
			start--;
		char next[INET6_ADDRSTRLEN];
		if (!address_text(xff + start, end - start, next))
			break;
		memcpy(tmp, next, sizeof tmp);
		if (start == 0)
			break;
		end = start - 1;
	}
	return arena_strdup(r->a, tmp);
}

/* Records a refused access in the audit trail, in its own transaction. */
static void audit_denied(struct req *r, const char *why)
{
	if (!r->db || !r->authed)
		return;
	if (db_begin(r->db) != 0)
		return;
	const char *target = arena_printf(r->a, "%s %s", r->method, r->path);
	if (store_audit_append(r->db, &r->actor, r->now, "access.denied", "route", target, NULL,
			       NULL, why) == 0)
		db_commit(r->db);
	else
		db_rollback(r->db);
}

/* Whether the caller may run the route, inside the request's
 * transaction: 0, or the HTTP status of the refusal; *why names a refusal
 * the audit trail records. */
static int admit(struct req *r, const struct route *rt, const char **why)
{
	*why = NULL;
	if (auth_authenticate(r) < 0)
		return reply_error(r);
	if (r->via_cookie && strcmp(r->method, "GET") != 0 && auth_check_csrf(r) < 0) {
		*why = "csrf";
		return reply_error(r);
	}
	if (r->user.must_change_password && !(rt->flags & ROUTE_ANY_PASSWORD))
		return reply_fail(r, QLE_FORBIDDEN, "password_change_required", NULL,
				  "首次登录或密码已重置，请先修改密码");
	if (!(rt->roles & R_BIT(r->user.role))) {
		*why = "role";
		return reply_fail(r, QLE_FORBIDDEN, "forbidden", NULL, "当前角色（%s）无权执行此操作",
				  role_label(r->user.role));
	}
	return 0;
}

/* Authenticates and runs the handler in one transaction, read-only for a
 * GET, so that the caller, the settings and the answer are read together
 * (on PostgreSQL every statement is a round trip); returns the HTTP
 * status. */
static int run_handler(struct req *r, const struct route *rt)
{
	bool is_get = strcmp(r->method, "GET") == 0;
	int rc = is_get ? db_begin_read(r->db) : db_begin(r->db);
	if (rc != 0) {
		db_fail(r->db, rc, &r->err);
		return reply_error(r);
	}
	const char *why = NULL;
	int status = rt->flags & ROUTE_PUBLIC ? 0 : admit(r, rt, &why);
	if (status) {
		db_rollback(r->db);
		if (why)
			audit_denied(r, why);
		auth_session_upkeep(r);
		return status;
	}
	status = rt->fn(r);
	if (status < 400 || r->commit_on_error) {
		if (db_commit(r->db) != 0) {
			ql_fail(&r->err, QLE_INTERNAL, "commit", NULL, "保存失败，请重试：%s",
				db_errmsg(r->db));
			status = reply_error(r);
		}
	} else {
		db_rollback(r->db);
	}
	auth_session_upkeep(r);
	return status;
}

static int dispatch(struct server *srv, struct req *r, const struct route *rt)
{
	/* only a public route goes without the database (the health check) */
	if ((rt->flags & ROUTE_NO_DB) && (rt->flags & ROUTE_PUBLIC))
		return rt->fn(r);
	r->db = store_acquire(srv->store);
	return run_handler(r, rt);
}

/* --- static files ------------------------------------------------------- */

static const char *mime_of(const char *path)
{
	static const struct {
		const char *ext, *type;
	} M[] = {
		{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
		{".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
		{".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"},
		{".webp", "image/webp"}, {".ico", "image/x-icon"}, {".woff", "font/woff"},
		{".woff2", "font/woff2"}, {".ttf", "font/ttf"}, {".txt", "text/plain; charset=utf-8"},
		{".map", "application/json"}, {".xlsx",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	};
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (dot && (!slash || dot > slash))
		for (size_t i = 0; i < ARRAY_LEN(M); i++)
			if (strcmp(dot, M[i].ext) == 0)
				return M[i].type;
	return "application/octet-stream";
}

static bool path_safe(const char *p)
{
	if (strstr(p, "/..") || strstr(p, "\\") || strstr(p, "//"))
		return false;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20)
			return false;
	return true;
}

static enum MHD_Result send_file(struct MHD_Connection *conn, const char *file, bool immutable)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return MHD_NO;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return MHD_NO;
	}
	struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	MHD_add_response_header(resp, "Content-Type", mime_of(file));
	MHD_add_response_header(resp, "Cache-Control",
				immutable ? "public, max-age=31536000, immutable" : "no-cache");
	add_security_headers(resp);
	enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Serves a file of the web UI, or index.html for client-side routes. */
static enum MHD_Result serve_static(struct server *srv, struct MHD_Connection *conn,
				    struct req *r)
{
	const char *dir = srv->cfg->web_dir;
	if (dir && path_safe(r->path)) {
		const char *rel = strcmp(r->path, "/") == 0 ? "/index.html" : r->path;
		char *file = arena_printf(r->a, "%s%s", dir, rel);
		struct stat st;
		if (stat(file, &st) == 0 && S_ISREG(st.st_mode))
			return send_file(conn, file, strncmp(rel, "/assets/", 8) == 0);
		/* A path without an extension is a route of the single-page app. */
		const char *last = strrchr(rel, '/');
		if (!strchr(last ? last : rel, '.'))
			return send_file(conn, arena_printf(r->a, "%s/index.html", dir), false);
	}
	reply_fail(r, QLE_NOT_FOUND, "not_found", NULL, "页面不存在");
	return send_req(conn, r, 404);
}

/* --- the libmicrohttpd callbacks ----------------------------------------- */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)version;
	struct server *srv = cls;
	struct upload *up = *con_cls;
	if (!up) {
		up = xcalloc(1, sizeof *up);
		*con_cls = up;
		up->limit = body_limit(srv->cfg, method, url);
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > up->limit)
			up->too_large = true;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!up->too_large && up->body.len + *upload_size > up->limit) {
			up->too_large = true;
			buf_free(&up->body);
		}
		if (!up->too_large)
			buf_add(&up->body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}

	struct req r = {0};
	r.a = arena_new();
	r.conn = conn;
	r.method = method;
	r.path = url;
	r.body = up->body.data;
	r.body_len = up->body.len;
	r.store = srv->store;
	r.data_dir = srv->cfg->data_dir;
	r.now = clock_now();
	r.address = client_address(&r, &srv->cfg->proxies);
	r.actor.address = r.address;
	r.actor.login = "anonymous";

	enum MHD_Result ret;
	if (strncmp(url, "/api/", 5) != 0) {
		ret = serve_static(srv, conn, &r);
	} else {
		int status;
		bool known;
		const struct route *rt = route_find(&r, &known);
		if (up->too_large && rt && (rt->flags & ROUTE_UPLOAD))
			status = reply_fail(&r, QLE_TOO_LARGE, "too_large", "file",
					    "上传的文件过大：单个文件不超过 %u MiB", UPLOAD_MAX_FILE >> 20);
		else if (up->too_large)
			status = reply_fail(&r, QLE_TOO_LARGE, "too_large", NULL,
					    "请求体过大（上限 %zu 字节）", up->limit);
		else if (!rt && known)
			status = reply_fail(&r, QLE_METHOD, "method_not_allowed", NULL,
					    "不支持的请求方法 %s", method);
		else if (!rt)
			status = reply_fail(&r, QLE_NOT_FOUND, "not_found", NULL, "接口不存在：%s", url);
		else
			status = dispatch(srv, &r, rt);
		if (r.db)
			store_release(srv->store, r.db);
		ret = send_req(conn, &r, status);
	}
	if (r.json)
		json_decref(r.json);
	buf_free(&r.out);
	arena_free(r.a);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)conn, (void)toe;
	struct upload *up = *con_cls;
	if (up) {
		buf_free(&up->body);
		free(up);
		*con_cls = NULL;
	}
}

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
	const char *colon = strrchr(listen, ':');
	if (!colon)
		return -1;
	char host[64];
	size_t hl = (size_t)(colon - listen);
	if (hl >= sizeof host)
		return -1;
	memcpy(host, listen, hl);
	host[hl] = 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		return -1;
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (hl == 0 || strcmp(host, "0.0.0.0") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (strcmp(host, "localhost") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	return 0;
}

int server_run(const struct server_config *cfg, struct store *store)
{
	struct sockaddr_in sa;
	if (parse_listen(cfg->listen, &sa) < 0) {
		fprintf(stderr, "qingling serve: 监听地址无效：%s（应为 主机:端口）\n", cfg->listen);
		return 2;
	}
	struct server srv = {cfg, store};
	/* Block the stop signals before the pool threads start, so that they
	 * inherit the mask and only sigwait() below receives them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
		on_request, &srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, &srv, MHD_OPTION_CONNECTION_TIMEOUT, 60u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_LISTENING_ADDRESS_REUSE,
		1u, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "qingling serve: 无法在 %s 上监听：%s\n", cfg->listen, strerror(errno));
		return 1;
	}
	/* Started here, after the mask: it must not take the stop signals. */
	struct job_runner *jr = NULL;
	if (cfg->jobs_interval > 0 && !(jr = job_runner_start(cfg->db, cfg->jobs_interval))) {
		fprintf(stderr, "qingling serve: 无法启动定时任务线程\n");
		MHD_stop_daemon(d);
		return 1;
	}
	fprintf(stderr, "qingling: 正在 http://%s/ 提供服务\n", cfg->listen);
	int sig;
	sigwait(&stop, &sig);
	MHD_stop_daemon(d);
	job_runner_stop(jr);
	return 0;
}
