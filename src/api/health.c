/*
 * health.c - GET /api/v1/health: answers without authentication or a
 * database round trip, for load balancers and readiness checks.
 */
#include "http.h"

static int health(struct req *r)
{
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kstr(w, "status", "ok");
	jw_obj_end(w);
	return 200;
}

const struct route health_routes[] = {
	{"GET", "/api/v1/health", health, R_ANY, ROUTE_PUBLIC | ROUTE_NO_DB},
	{NULL, NULL, NULL, 0, 0},
};
