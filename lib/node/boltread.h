/*
 * Lookups in a bbolt file below the root prefix (bolt.h: containerd's
 * meta.db, podman's bolt_state.db), read as the daemon that owns it goes
 * on writing: every lookup of one call sees the same transaction, or the
 * call reads again.
 */
#ifndef DBPOD_BOLTREAD_H
#define DBPOD_BOLTREAD_H

#include <stddef.h>

#define DBP_BOLT_QUERY_DEPTH 8

/* One value to look up: path[0..n-1] as dbp_bolt_get takes it. */
struct dbp_bolt_query {
	const char *path[DBP_BOLT_QUERY_DEPTH];
	size_t n;
	/* out: the value (malloc'd, NUL-terminated beyond len) or NULL, and
	 * rc: 0, -ENOENT when absent, or dbp_bolt_get's error */
	char *val;
	size_t len;
	int bucket;
	int rc;
};

/* Open root + file (dbp_open_regular), and answer the nq queries from one
 * transaction: the txid is read again after them, and while it moved on
 * (the daemon committed meanwhile) they are asked again, three times at
 * most. Returns 0 when the answers are of one transaction; -ENOENT when
 * the file is absent; -EAGAIN when it changed on every try; -EINVAL when
 * it is not a bbolt file; the errno of open. The queries' values are
 * freed with dbp_bolt_query_free. */
int dbp_bolt_file_query(const char *root, const char *file, struct dbp_bolt_query *q, size_t nq);

void dbp_bolt_query_free(struct dbp_bolt_query *q, size_t nq);

#endif
