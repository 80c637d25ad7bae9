/*
 * serve.c - `qingling serve`: the HTTP server.
 */
#include "cli.h"
#include "../api/http.h"
#include "../store/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char USAGE[] =
	"用法：qingling serve --db DB --listen HOST:PORT [--web DIR] [--threads N]\n"
	"  启动 HTTP 服务（JSON API 与 --web 指定目录中的网页）。\n"
	"  数据库须已由 qingling init 建立且版本与本程序一致。\n";

int cmd_serve(int argc, char **argv)
{
	const char *target = NULL, *listen = NULL, *web = NULL, *threads = NULL;
	const struct cli_opt opts[] = {{"--db", &target, NULL},
				       {"--listen", &listen, NULL},
				       {"--web", &web, NULL},
				       {"--threads", &threads, NULL},
				       {NULL, NULL, NULL}};
	int p = cli_parse(argc, argv, 2, opts, NULL, 0, "serve", USAGE);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (!listen)
		return cli_fail("serve", "缺少 --listen HOST:PORT");
	if (web && access(web, R_OK) != 0)
		return cli_fail("serve", "网页目录 %s 不存在或不可读", web);
	int nthreads = threads ? atoi(threads) : 8;
	if (nthreads < 1 || nthreads > 256)
		return cli_fail("serve", "--threads 应为 1 到 256");
	struct db *db = cli_open_db("serve", target, true);
	if (!db)
		return 1;
	db_close(db);
	struct ql_error err = {0};
	struct store *store = store_open(target, nthreads, &err);
	if (!store)
		return cli_fail("serve", "%s", err.message);
	struct server_config cfg = {
		.db = target, .listen = listen, .web_dir = web, .threads = nthreads,
		.max_body = 1024 * 1024,
	};
	int rc = server_run(&cfg, store);
	store_close(store);
	return rc;
}
