/*
 * files.h - uploaded bytes on disk, content-addressed.
 *
 * A file whose SHA-256 is the hex string H lives at DIR/H[0..1]/H, where
 * DIR is the data directory of `qingling serve --data`.  A file is
 * written once and never changed: the same bytes stored again reuse it,
 * and nothing here deletes.  The database rows that point at files
 * (attachments) are written after files_put() returned, so a row never
 * names bytes that are not on disk.
 */
#ifndef QL_FILES_H
#define QL_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"
#include "../lib/arena.h"
#include "../lib/crypto.h"

/* The default data directory for a database target: the SQLite file's
 * path + ".files", or "./qingling-files" for a PostgreSQL URI.  The
 * string is malloc'ed; the caller frees it. */
char *files_default_dir(const char *db_target);

/* Stores n bytes: computes their SHA-256 into hex, and unless a file of
 * that hash and size is there already, writes a temporary file in the
 * same directory, fsyncs it, renames it into place and fsyncs the
 * directory (creating directories as needed, mode 0750).  When it
 * returns 0 the bytes are durable.  -1 with err (500) on an I/O error. */
int files_put(const char *dir, const void *data, size_t n, char hex[CRYPTO_HASH_HEX],
	      struct ql_error *err);

/* Opens the file of hash hex for reading: returns the descriptor (the
 * caller closes it) and its size, or -1 if hex is not a SHA-256 hex
 * string or there is no such file. */
int files_open(const char *dir, const char *hex, uint64_t *size);

/* The path of the file of hash hex, in the arena (whether it exists or not). */
char *files_path(struct arena *a, const char *dir, const char *hex);

#endif
