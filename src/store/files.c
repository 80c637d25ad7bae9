/*
 * files.c - content-addressed files under the data directory (see
 * files.h).
 *
 * Durability follows the database's promise (a 2xx is only sent for data
 * on disk): the bytes go to a temporary file in the final directory,
 * which is fsynced, renamed over the final name (atomic on POSIX file
 * systems, so a reader never sees half a file) and the directory fsynced
 * so the new name survives a power loss.  A directory created on the way
 * is made durable the same way, through its parent.  Two uploads of the
 * same bytes racing each other both rename identical content into place,
 * which is harmless.
 */
#include "files.h"
#include "db.h"
#include "../lib/buf.h"
#include "../lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *files_default_dir(const char *db_target)
{
	if (db_is_pg_uri(db_target))
		return xstrdup("./qingling-files");
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s.files", db_target);
	return buf_detach(&b);
}

static bool hex_valid(const char *hex)
{
	if (!hex || strlen(hex) != CRYPTO_HASH_HEX - 1)
		return false;
	for (const char *c = hex; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
			return false;
	return true;
}

char *files_path(struct arena *a, const char *dir, const char *hex)
{
	return arena_printf(a, "%s/%.2s/%s", dir, hex, hex);
}

static int sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* Syncs the directory that holds path (its entry for path). */
static int sync_parent(char *path)
{
	char *slash = strrchr(path, '/');
	if (!slash)
		return sync_dir(".");
	if (slash == path)
		return sync_dir("/");
	*slash = 0;
	int rc = sync_dir(path);
	*slash = '/';
	return rc;
}

/* Creates path and its missing parents with mode 0750, syncing the
 * parent of each directory it creates.  path is modified and restored. */
static int make_dirs(char *path)
{
	for (char *s = path + 1;; s++) {
		if (*s != '/' && *s != 0)
			continue;
		char c = *s;
		*s = 0;
		int rc = 0;
		if (mkdir(path, 0750) == 0)
			rc = sync_parent(path);
		else if (errno != EEXIST)
			rc = -1;
		*s = c;
		if (rc < 0)
			return -1;
		if (!c)
			return 0;
	}
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int files_put(const char *dir, const void *data, size_t n, char hex[CRYPTO_HASH_HEX],
	      struct ql_error *err)
{
	crypto_sha256_hex(data, n, hex);
	struct buf sub = BUF_INIT, final = BUF_INIT, tmp = BUF_INIT;
	buf_printf(&sub, "%s/%.2s", dir, hex);
	buf_printf(&final, "%s/%s", sub.data, hex);
	buf_printf(&tmp, "%s/.%s.XXXXXX", sub.data, hex);
	int rc = 0, fd = -1, saved;
	const char *what = NULL;
	struct stat st;
	if (stat(final.data, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == n)
		goto out;	/* the same bytes are there: reuse them */
	if (make_dirs(sub.data) < 0) {
		what = "创建目录";
		goto fail;
	}
	fd = mkostemp(tmp.data, O_CLOEXEC);
	if (fd < 0) {
		what = "创建临时文件";
		goto fail;
	}
	if (write_all(fd, data, n) < 0 || fchmod(fd, 0640) < 0) {
		what = "写入";
		goto fail_unlink;
	}
	if (fsync(fd) < 0) {
		what = "同步到磁盘";
		goto fail_unlink;
	}
	rc = close(fd);
	fd = -1;
	if (rc < 0) {
		what = "写入";
		goto fail_unlink;
	}
	if (rename(tmp.data, final.data) < 0) {
		what = "改名";
		goto fail_unlink;
	}
	if (sync_dir(sub.data) < 0) {
		what = "同步目录";
		goto fail;
	}
	rc = 0;
	goto out;
fail_unlink:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp.data);
	errno = saved;
fail:
	rc = ql_fail(err, QLE_INTERNAL, "storage", NULL, "保存上传的文件失败（%s：%s）", what,
		     strerror(errno));
out:
	buf_free(&sub);
	buf_free(&final);
	buf_free(&tmp);
	return rc;
}

int files_open(const char *dir, const char *hex, uint64_t *size)
{
	if (!hex_valid(hex))
		return -1;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%.2s/%s", dir, hex, hex);
	int fd = open(path.data, O_RDONLY | O_CLOEXEC);
	buf_free(&path);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	*size = (uint64_t)st.st_size;
	return fd;
}
