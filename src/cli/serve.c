/*
 * serve.c - `qingling serve`: the HTTP server.
 */
#include "cli.h"
#include "../api/http.h"
#include "../lib/util.h"
#include "../store/files.h"
#include "../store/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char USAGE[] =
	"用法：qingling serve --db DB --listen HOST:PORT [--web DIR] [--data DIR] [--threads N]\n"
	"                      [--jobs-interval 秒] [--trusted-proxy 地址[,地址…]]\n"
	"  启动 HTTP 服务（JSON API 与 --web 指定目录中的网页）。\n"
	"  数据库须已由 qingling init 建立且版本与本程序一致。\n"
	"  --data DIR  上传的附件（照片、文档）存放的目录，按内容的 SHA-256 存放；\n"
	"              默认为 SQLite 数据库文件名加 .files（如 data/demo.db.files），\n"
	"              PostgreSQL 时为 ./qingling-files。目录在首次上传时建立。\n"
	"  --jobs-interval 秒  定时任务（整改期限提醒等）每隔多少秒运行一轮，默认 60；\n"
	"              0 表示本服务器不运行定时任务。多台服务器共用一个数据库时，\n"
	"              每项任务每轮只由其中一台完成（PostgreSQL 咨询锁）。\n"
	"  --trusted-proxy 地址[,地址…]  置于 nginx 等反向代理之后时，代理的 IP 地址（至多 16 个）：\n"
	"              来自这些地址的请求，按其 X-Forwarded-For 认定真实的客户端地址，\n"
	"              审计日志记下它，公众举报也按它限制频率；其他请求的该请求头一概不予采信。\n";

int cmd_serve(int argc, char **argv)
{
	const char *target = NULL, *listen = NULL, *web = NULL, *threads = NULL, *data = NULL,
		   *jobs_interval = NULL, *trusted = NULL;
	const struct cli_opt opts[] = {{"--db", &target, NULL},
				       {"--listen", &listen, NULL},
				       {"--web", &web, NULL},
				       {"--data", &data, NULL},
				       {"--threads", &threads, NULL},
				       {"--jobs-interval", &jobs_interval, NULL},
				       {"--trusted-proxy", &trusted, NULL},
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
	int interval = 60;
	if (jobs_interval) {
		char *end;
		long v = strtol(jobs_interval, &end, 10);
		if (!*jobs_interval || *end || v < 0 || v > 86400)
			return cli_fail("serve", "--jobs-interval 应为 0 到 86400 之间的整数（秒）");
		interval = (int)v;
	}
	struct proxies proxies = {0};
	char bad[64];
	if (trusted && proxies_parse(trusted, &proxies, bad, sizeof bad) < 0)
		return cli_fail("serve", "--trusted-proxy 应为以逗号分隔的 IP 地址（至多 %d 个），"
				"“%s”不是", MAX_PROXIES, bad);
	struct db *db = cli_open_db("serve", target, true);
	if (!db)
		return 1;
	db_close(db);
	char *data_dir = data ? xstrdup(data) : files_default_dir(target);
	struct stat st;
	if (stat(data_dir, &st) == 0 && (!S_ISDIR(st.st_mode) || access(data_dir, W_OK | X_OK) != 0)) {
		cli_fail("serve", "附件目录 %s 不是可写的目录", data_dir);
		free(data_dir);
		return 1;
	}
	struct ql_error err = {0};
	struct store *store = store_open(target, nthreads, &err);
	if (!store) {
		free(data_dir);
		return cli_fail("serve", "%s", err.message);
	}
	struct server_config cfg = {
		.db = target, .listen = listen, .web_dir = web, .data_dir = data_dir,
		.threads = nthreads, .max_body = 1024 * 1024, .max_upload = UPLOAD_MAX_BODY,
		.jobs_interval = interval, .proxies = proxies,
	};
	int rc = server_run(&cfg, store);
	store_close(store);
	free(data_dir);
	return rc;
}
