/*
 * store.c - the connection pool behind store_acquire()/store_release().
 *
 * SQLite: one connection per worker thread is what the pool amounts to,
 * since the HTTP server has as many workers as the pool has connections.
 * PostgreSQL: the same small pool; a connection found broken (the server
 * restarted) is reset and its prepared statements forgotten.
 */
#include "store.h"
#include "db_impl.h"
#include "../lib/util.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <stdlib.h>

struct store {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct db **free_list;
	int nfree, nconn;
};

struct store *store_open(const char *target, int nconn, struct ql_error *err)
{
	if (nconn < 1)
		nconn = 1;
	struct store *s = xcalloc(1, sizeof *s);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->free_list = xcalloc((size_t)nconn, sizeof(struct db *));
	for (int i = 0; i < nconn; i++) {
		struct db *db = db_open(target, err);
		if (!db) {
			store_close(s);
			return NULL;
		}
		s->free_list[s->nfree++] = db;
		s->nconn++;
	}
	return s;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nfree; i++)
		db_close(s->free_list[i]);
	free(s->free_list);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}

/* Forgets every cached statement (they died with the old session). */
static void forget_statements(struct db *db)
{
	for (size_t i = 0; i < db->cache_cap; i++)
		if (db->cache[i].st) {
			pg_finalize(db->cache[i].st);
			free((char *)db->cache[i].st->key);
			free(db->cache[i].st);
		}
	free(db->cache);
	db->cache = NULL;
	db->cache_cap = db->cache_len = 0;
}

struct db *store_acquire(struct store *s)
{
	pthread_mutex_lock(&s->mu);
	while (s->nfree == 0)
		pthread_cond_wait(&s->cv, &s->mu);
	struct db *db = s->free_list[--s->nfree];
	pthread_mutex_unlock(&s->mu);
	if (db->kind == DB_PG && PQstatus(db->native) != CONNECTION_OK) {
		pg_reconnect(db);
		forget_statements(db);
	}
	return db;
}

void store_release(struct store *s, struct db *db)
{
	if (db_in_tx(db))
		db_rollback(db);
	/* A statement left stepping would hold a SQLite read snapshot open and
	 * hide later commits from this connection: reset them all. */
	if (db->kind == DB_SQLITE)
		sqlite_reset_all(db);
	pthread_mutex_lock(&s->mu);
	s->free_list[s->nfree++] = db;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}
