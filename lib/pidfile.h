/*
 * postmaster.pid, the PostgreSQL data directory lock file, parsed: text in,
 * struct out, nothing read or judged here (lib/lockread.c reads the file,
 * lib/rules_lockfile.c judges it).
 *
 * The layout is PostgreSQL's src/include/utils/pidfile.h (version 10 on):
 *   line 1 LOCK_FILE_LINE_PID         postmaster PID, or minus the PID of a
 *                                     standalone backend (postgres --single)
 *   line 2 LOCK_FILE_LINE_DATA_DIR    data directory
 *   line 3 LOCK_FILE_LINE_START_TIME  start time, seconds since the epoch
 *   line 4 LOCK_FILE_LINE_PORT        port
 *   line 5 LOCK_FILE_LINE_SOCKET_DIR  first Unix socket directory (may be empty)
 *   line 6 LOCK_FILE_LINE_LISTEN_ADDR first listen address (may be empty)
 *   line 7 LOCK_FILE_LINE_SHMEM_KEY   "shmem-key shmem-id" of the SysV segment
 *   line 8 LOCK_FILE_LINE_PM_STATUS   "starting", "stopping", "ready   ", "standby "
 * CreateLockFile (miscinit.c) writes lines 1-5 in one write; lines 6-8 are
 * added later by AddToDataDirLockFile, so a server that is starting may
 * show 5 to 7 lines. Socket lock files (.s.PGSQL.PORT.lock) hold lines 1-5.
 * Before 9.1 the file was "PID\nDATADIR\nKEY ID\n".
 */
#ifndef DBPOD_PIDFILE_H
#define DBPOD_PIDFILE_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#define DBP_PIDFILE_LINES 8

enum dbp_pidfile_problem {
	DBP_PIDFILE_OK = 0,
	DBP_PIDFILE_EMPTY,	/* zero bytes: PostgreSQL refuses ("lock file ... is empty") */
	DBP_PIDFILE_BAD_PID,	/* line 1 is not a PID */
	DBP_PIDFILE_TRUNCATED,	/* fewer than the 5 lines written at once, or no final newline */
	DBP_PIDFILE_OLD_FORMAT,	/* "PID, DATADIR, KEY ID": PostgreSQL before 9.1 */
	DBP_PIDFILE_BAD_FIELD,	/* start time, port or shared memory line not numbers */
};

struct dbp_pidfile {
	enum dbp_pidfile_problem problem;
	int nlines;			/* complete and partial lines */
	int final_newline;		/* the text ends with '\n' */
	/* line 1 */
	pid_t pid;			/* the PID, made positive; 0 when none */
	int standalone;			/* the PID was negative: a standalone backend */
	pid_t pg_pid;			/* what PostgreSQL reads there: atoi(), sign dropped */
	/* line 2 */
	char datadir[4096];
	/* line 3 */
	time_t start_time;
	int have_start_time;
	/* line 4 */
	int port;			/* 0 when absent */
	/* line 5, 6 */
	char socket_dir[4096];
	char listen_addr[256];
	/* line 7 */
	unsigned long shm_key;
	int shm_id;			/* -1 when absent */
	/* line 8, trailing spaces removed */
	char status[16];
};

/* Parse len bytes of text (NUL bytes end it). Always fills pf as far as it
 * goes; returns 0 when the file is well formed, or -EINVAL with
 * pf->problem saying what is wrong. */
int dbp_pidfile_parse(const char *text, size_t len, struct dbp_pidfile *pf);

/* A short phrase for a problem: "empty", "not a PID on line 1", ... */
const char *dbp_pidfile_problem_name(enum dbp_pidfile_problem p);

#endif
