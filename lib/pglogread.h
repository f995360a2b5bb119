/*
 * A PostgreSQL server log read from its file (plain or gzip, through
 * slurp.h) and parsed by pglog.h.
 */
#ifndef DBPOD_PGLOGREAD_H
#define DBPOD_PGLOGREAD_H

#include "pglog.h"

/* dbp_pglog_parse on a file (plain or gzip). Returns the number of
 * events or a negative errno. */
int dbp_pglog_read(struct dbp_pglog *log, const char *path);

#endif
