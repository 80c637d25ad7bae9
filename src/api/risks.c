/*
 * risks.c - an enterprise's risk list 风险清单: risks assessed by LEC or
 * by the 5×5 matrix (core/risk.c), accident types from a versioned
 * dictionary (core/accident.c), and for regions the four-colour count of
 * the enterprises below (四色分布).
 *
 * The enterprise keeps its own list; an office or regulator whose scope
 * covers it may add to it.  Everyone whose scope covers it may read.
 */
#include "http.h"
#include "../core/accident.h"
#include "../core/risk.h"
#include "../core/validate.h"
#include "../store/query.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const MATRIX_KEYS[3] = {"risk_matrix_red", "risk_matrix_orange",
					   "risk_matrix_yellow"};

static int matrix_settings(struct req *r, struct risk_matrix *m)
{
	int v[3] = {RISK_MATRIX_DEFAULT.red, RISK_MATRIX_DEFAULT.orange, RISK_MATRIX_DEFAULT.yellow};
	int rc = store_settings_read(r->db, MATRIX_KEYS, v, 3);
	*m = (struct risk_matrix){v[0], v[1], v[2]};
	return rc;
}

/* A number of an LEC scale, as tenths; 422 naming key if it is none of
 * the scale's values. */
static int in_scale(struct req *r, const char *key, const struct risk_scale_value *scale, int n,
		    int *tenths)
{
	json_t *v = json_object_get(r->json, key);
	if (!v || !json_is_number(v))
		return ql_fail(&r->err, QLE_INVALID, v ? "type" : "required", key,
			       "LEC 法须填写 %s（取该分值表中的数值）", key);
	double x = json_number_value(v) * 10;
	*tenths = (int)lround(x);
	if (fabs(x - *tenths) > 1e-6 || !risk_on_scale(scale, n, *tenths)) {
		char allowed[256] = "";
		for (int i = 0; i < n; i++) {
			size_t len = strlen(allowed);
			snprintf(allowed + len, sizeof allowed - len, "%s%g", i ? "、" : "",
				 scale[i].tenths / 10.0);
		}
		return ql_fail(&r->err, QLE_INVALID, "not_on_scale", key, "%s 应为 %s 之一", key,
			       allowed);
	}
	return 0;
}

/* The accident types: a non-empty array of codes of the dictionary, as
 * JSON text. */
static int in_accident_types(struct req *r, const struct accident_dictionary *d, char **out)
{
	json_t *v = json_object_get(r->json, "accident_types");
	if (!v || !json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 10)
		return ql_fail(&r->err, QLE_INVALID, v ? "type" : "required", "accident_types",
			       "accident_types 应为 1 到 10 个事故类别代码的数组（见 %s）", d->title);
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		if (!json_is_string(x) || !accident_type_name(d, json_string_value(x)))
			return ql_fail(&r->err, QLE_INVALID, "unknown_code", "accident_types",
				       "事故类别代码“%s”不在 %s 中",
				       json_is_string(x) ? json_string_value(x) : "?", d->title);
	}
	char *s = json_dumps(v, JSON_COMPACT);
	*out = arena_strdup(r->a, s);
	free(s);
	return 0;
}

static void write_score(struct jsonw *w, const char *method, int64_t score)
{
	jw_key(w, "score");
	if (strcmp(method, "lec") == 0)
		jw_double(w, (double)score / 100.0, 2);
	else
		jw_int(w, score);
}

static int create(struct req *r)
{
	struct enterprise e;
	int rc = enterprise_from_path(r, &e);
	if (rc != 0)
		return rc;
	const char *point, *source, *method, *measures, *control, *person, *version = NULL;
	char *types = NULL;
	int l10 = 0, e10 = 0, c10 = 0;
	int64_t likelihood = 0, severity = 0, score;
	enum risk_level level;
	TRY(in_body_object(r));
	TRY(in_str(r, "risk_point", true, 200, &point));
	TRY(in_str(r, "hazard_source", true, 500, &source));
	TRY(in_str(r, "dictionary", false, 32, &version));
	const struct accident_dictionary *d = accident_dictionary(version ? version : ACCIDENT_DEFAULT_VERSION);
	if (!d)
		return reply_fail(r, QLE_INVALID, "unknown_dictionary", "dictionary",
				  "事故类别字典“%s”不存在（可用：%s）", version, ACCIDENT_DEFAULT_VERSION);
	TRY(in_accident_types(r, d, &types));
	TRY(in_str(r, "method", true, 16, &method));
	if (strcmp(method, "lec") == 0) {
		TRY(in_scale(r, "L", RISK_L, RISK_NL, &l10));
		TRY(in_scale(r, "E", RISK_E, RISK_NE, &e10));
		TRY(in_scale(r, "C", RISK_C, RISK_NC, &c10));
		score = risk_lec_d100(l10, e10, c10);
		level = risk_lec_level(score);
	} else if (strcmp(method, "matrix") == 0) {
		struct risk_matrix m;
		if ((rc = matrix_settings(r, &m)) < 0)
			return reply_db(r, rc);
		TRY(in_int(r, "likelihood", true, &likelihood));
		TRY(in_int(r, "severity", true, &severity));
		if (likelihood < 1 || likelihood > 5)
			return reply_fail(r, QLE_INVALID, "out_of_range", "likelihood", "可能性应为 1 到 5");
		if (severity < 1 || severity > 5)
			return reply_fail(r, QLE_INVALID, "out_of_range", "severity", "严重程度应为 1 到 5");
		score = likelihood * severity;
		level = risk_matrix_level(&m, (int)likelihood, (int)severity);
	} else {
		return reply_fail(r, QLE_INVALID, "invalid_enum", "method",
				  "method 应为 lec（作业条件危险性评价法）或 matrix（风险矩阵）");
	}
	TRY(in_str(r, "control_measures", true, 2000, &measures));
	TRY(in_str(r, "control_level", true, 16, &control));
	if (risk_control_parse(control) < 0)
		return reply_fail(r, QLE_INVALID, "invalid_enum", "control_level",
				  "control_level 应为 company（公司级）、workshop（车间级）、team（班组级）"
				  "或 post（岗位级）");
	TRY(in_str(r, "responsible_person", true, 64, &person));
	struct risk k = {.enterprise_id = e.id, .region_code = e.region_code, .risk_point = point,
			 .hazard_source = source, .dictionary = d->version, .accident_types = types,
			 .method = method, .l10 = l10, .e10 = e10, .c10 = c10, .likelihood = likelihood,
			 .severity = severity, .score = score, .level = risk_level_name(level),
			 .control_measures = measures, .control_level = control, .responsible_person = person,
			 .created_by = r->user.id, .created_at = r->now};
	int64_t id;
	if ((rc = store_risk_insert(r->db, &k, &id)) < 0 ||
	    (rc = audit_with_body(r, "risk.create", "risk", id)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "id", id);
	jw_kint(w, "enterprise_id", e.id);
	jw_kstr(w, "method", method);
	write_score(w, method, score);
	jw_kstr(w, "level", risk_level_name(level));
	jw_kstr(w, "level_label", risk_level_label(level));
	jw_kstr(w, "colour", risk_level_colour(level));
	if (strcmp(method, "lec") == 0)
		jw_kstr(w, "band", risk_lec_band(score));
	jw_obj_end(w);
	return 201;
}

static const char SQL_COUNT[] = "SELECT count(*) FROM risks WHERE enterprise_id = ?";
static const char SQL_LIST[] =
	"SELECT id, risk_point, hazard_source, dictionary, accident_types, method, l10, e10, c10,"
	" likelihood, severity, score, level, control_measures, control_level, responsible_person"
	" FROM risks WHERE enterprise_id = ? ORDER BY score DESC, id LIMIT ? OFFSET ?";

static int list(struct req *r)
{
	struct db_stmt *st;
	int64_t total, page, per_page;
	int rc = enterprise_rows(r, SQL_COUNT, SQL_LIST, NULL, &st, &total, &page, &per_page);
	if (rc != 0)
		return rc;
	struct jsonw *w = reply_list_open(r);
	while (db_step(st) == DB_ROW) {
		const char *method = db_col_text(st, 5);
		enum risk_level level = risk_level_parse(db_col_text(st, 12));
		const struct accident_dictionary *d = accident_dictionary(db_col_text(st, 3));
		jw_obj(w);
		jw_kint(w, "id", db_col_int(st, 0));
		jw_kstr(w, "risk_point", db_col_text(st, 1));
		jw_kstr(w, "hazard_source", db_col_text(st, 2));
		jw_kstr(w, "dictionary", db_col_text(st, 3));
		jw_key(w, "accident_types");
		jw_arr(w);
		json_t *codes = json_loads(db_col_text(st, 4), 0, NULL);
		size_t i;
		json_t *x;
		json_array_foreach(codes, i, x)
		{
			jw_obj(w);
			jw_kstr(w, "code", json_string_value(x));
			jw_kstr(w, "name", accident_type_name(d, json_string_value(x)));
			jw_obj_end(w);
		}
		json_decref(codes);
		jw_arr_end(w);
		jw_kstr(w, "method", method);
		if (strcmp(method, "lec") == 0) {
			jw_key(w, "L");
			jw_double(w, db_col_int(st, 6) / 10.0, 1);
			jw_key(w, "E");
			jw_double(w, db_col_int(st, 7) / 10.0, 1);
			jw_key(w, "C");
			jw_double(w, db_col_int(st, 8) / 10.0, 1);
		} else {
			jw_kint(w, "likelihood", db_col_int(st, 9));
			jw_kint(w, "severity", db_col_int(st, 10));
		}
		write_score(w, method, db_col_int(st, 11));
		jw_kstr(w, "level", risk_level_name(level));
		jw_kstr(w, "level_label", risk_level_label(level));
		jw_kstr(w, "colour", risk_level_colour(level));
		jw_kstr(w, "control_measures", db_col_text(st, 13));
		jw_kstr(w, "control_level", db_col_text(st, 14));
		jw_kstr(w, "control_level_label", risk_control_label(risk_control_parse(db_col_text(st, 14))));
		jw_kstr(w, "responsible_person", db_col_text(st, 15));
		jw_obj_end(w);
	}
	db_done(st);
	jw_arr_end(w);
	return reply_list_tail(w, total, page, per_page);
}

/* GET /api/v1/stats/risks: the four colours by region, one level down
 * from ?region (or the caller's own region). */
static int stats(struct req *r)
{
	const char *region = query(r, "region");
	if (region && !region_code_valid(region))
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "region", "参数 region 不是有效的区划代码");
	const char *root = region ? region : r->scope.region_code;
	size_t root_len = root ? strlen(root) : 0;
	int key_len = root_len == 0 ? 2 : root_len == 2 ? 4 : root_len == 4 ? 6 : root_len == 6 ? 9 : 12;
	struct qb q;
	qb_init(&q);
	qb_sql(&q, "SELECT substr(k.region_code, 1, ?), k.level, count(*) FROM risks k WHERE 1 = 1");
	qb_int(&q, key_len);
	qb_scope(&q, r->a, &r->scope, "k.region_code >= ? AND k.region_code < ?",
		 "k.enterprise_id IN (SELECT enterprise_id FROM enterprise_departments"
		 " WHERE department_id = ?)",
		 "k.enterprise_id = ?");
	if (region) {
		qb_sql(&q, " AND ");
		qb_region(&q, r->a, "k.region_code >= ? AND k.region_code < ?", region);
	}
	qb_sql(&q, " GROUP BY 1, 2 ORDER BY 1");
	struct db_stmt *st = qb_prepare(&q, r->db);
	qb_free(&q);
	if (!st)
		return reply_db(r, DB_ERR);
	struct {
		char *key;
		int64_t n[RL_COUNT];
	} *g = NULL;
	int ng = 0, cap = 0;
	while (db_step(st) == DB_ROW) {
		const char *key = db_col_text(st, 0);
		if (!ng || strcmp(g[ng - 1].key, key) != 0) {
			g = arena_grow(r->a, g, sizeof *g, ng, &cap);
			memset(&g[ng], 0, sizeof g[ng]);
			g[ng++].key = arena_strdup(r->a, key);
		}
		enum risk_level l = risk_level_parse(db_col_text(st, 1));
		if (l != RL_NONE)
			g[ng - 1].n[l] += db_col_int(st, 2);
	}
	db_done(st);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_key(w, "groups");
	jw_arr(w);
	for (int i = 0; i < ng; i++) {
		struct region reg;
		int rc = store_region_get(r->db, r->a, g[i].key, &reg);
		jw_obj(w);
		jw_kstr(w, "key", g[i].key);
		jw_kstr(w, "label", rc > 0 ? reg.name : NULL);
		int64_t total = 0;
		for (int l = 0; l < RL_COUNT; l++) {
			jw_kint(w, risk_level_colour(l), g[i].n[l]);
			total += g[i].n[l];
		}
		jw_kint(w, "total", total);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 200;
}

static int get_settings(struct req *r)
{
	struct risk_matrix m;
	int rc = matrix_settings(r, &m);
	if (rc < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "red", m.red);
	jw_kint(w, "orange", m.orange);
	jw_kint(w, "yellow", m.yellow);
	jw_obj_end(w);
	return 200;
}

static int put_settings(struct req *r)
{
	int64_t red, orange, yellow;
	TRY(in_body_object(r));
	TRY(in_int(r, "red", true, &red));
	TRY(in_int(r, "orange", true, &orange));
	TRY(in_int(r, "yellow", true, &yellow));
	struct risk_matrix m = {(int)red, (int)orange, (int)yellow};
	if (red > 25 || yellow < 1 || risk_matrix_check(&m) < 0)
		return reply_fail(r, QLE_INVALID, "out_of_range", "red",
				  "阈值应满足 1 ≤ yellow < orange < red ≤ 25（R = 可能性 × 严重程度）");
	const int vals[3] = {(int)red, (int)orange, (int)yellow};
	int rc = store_settings_write(r->db, MATRIX_KEYS, vals, 3);
	if (rc < 0)
		return reply_db(r, rc);
	rc = audit(r, "risk.settings", "settings", "risk_matrix", NULL,
		       arena_printf(r->a, "{\"red\":%lld,\"orange\":%lld,\"yellow\":%lld}",
				    (long long)red, (long long)orange, (long long)yellow));
	if (rc < 0)
		return reply_db(r, rc);
	return get_settings(r);
}

static int dictionaries(struct req *r)
{
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kstr(w, "default", ACCIDENT_DEFAULT_VERSION);
	jw_key(w, "dictionaries");
	jw_arr(w);
	for (int i = 0; i < ACCIDENT_DICTIONARY_COUNT; i++) {
		const struct accident_dictionary *d = &ACCIDENT_DICTIONARIES[i];
		jw_obj(w);
		jw_kstr(w, "version", d->version);
		jw_kstr(w, "title", d->title);
		jw_key(w, "types");
		jw_arr(w);
		for (int k = 0; k < d->ntypes; k++) {
			jw_obj(w);
			jw_kstr(w, "code", d->types[k].code);
			jw_kstr(w, "name", d->types[k].name);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 200;
}

#define RISK_WRITERS (R_BIT(ROLE_ENTERPRISE) | R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR))

const struct route risk_routes[] = {
	{"POST", "/api/v1/enterprises/{id}/risks", create, RISK_WRITERS, 0},
	{"GET", "/api/v1/enterprises/{id}/risks", list, R_BUSINESS, 0},
	{"GET", "/api/v1/stats/risks", stats, R_BUSINESS, 0},
	{"GET", "/api/v1/risk/settings", get_settings, R_BUSINESS | R_BIT(ROLE_SYSADMIN), 0},
	{"PUT", "/api/v1/risk/settings", put_settings, R_BIT(ROLE_SYSADMIN), 0},
	{"GET", "/api/v1/dictionaries/accident-types", dictionaries, R_ANY, 0},
	{NULL, NULL, NULL, 0, 0},
};
