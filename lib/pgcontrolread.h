/*
 * What a PostgreSQL data directory says of the crash recovery a kill
 * would cause, read without a connection: global/pg_control (parsed by
 * pgcontrol.h) for the redo pointer, and pg_wal's segment files, whose
 * newest bounds where WAL ends. Both belong to the database's user:
 * opened without following a link the server did not make (safeopen.h).
 */
#ifndef DBPOD_PGCONTROLREAD_H
#define DBPOD_PGCONTROLREAD_H

#include "pgcontrol.h"

/* Read datadir's global/pg_control and list its pg_wal, both resolved
 * below root as a process whose root directory it is would (a
 * container's /proc/PID/root; NULL for this one), into in (zeroed
 * first, datadir copied). What could not be read is recorded there
 * (control_err and control_why, wal_err). Returns 0, or -ENOMEM. */
int dbp_pg_recovery_read(const char *root, const char *datadir,
			 struct dbp_pg_recovery_input *in);

#endif
