/*
 * BSD process accounting (acct(2), version 3 records of <linux/acct.h>):
 * the kernel writes one 64-byte record for every process that exits,
 * however briefly it lived -- PID and PPID as the accounting PID
 * namespace sees them, uid, gid, comm, the start (seconds) and the
 * elapsed time (ticks of AHZ, 100 a second), the exit status and the
 * flags AXSIG (killed by a signal) and ACORE (dumped core).
 */
#ifndef DBPOD_ACCT_H
#define DBPOD_ACCT_H

#include <stddef.h>
#include <sys/types.h>

#define DBP_ACCT_RECORD 64	/* sizeof(struct acct_v3) */

struct dbp_acct_rec {
	pid_t pid, ppid;		/* as the accounting namespace sees them */
	unsigned uid, gid;
	char comm[17];			/* the task name at exit (16 bytes, NUL added) */
	double start;			/* ac_btime: seconds since the epoch (whole seconds) */
	double end;			/* start + ac_etime / AHZ */
	double elapsed;			/* seconds */
	int exit_code;			/* when it exited: its status (0..255); -1 when killed */
	int signal;			/* the signal that killed it; 0 when it exited */
	int core;			/* ACORE: it dumped core */
	int forked;			/* AFORK: forked but did not exec */
};

/* Parse one record (len >= DBP_ACCT_RECORD bytes, native byte order, as
 * the kernel writes it). Returns 0, or -EINVAL when it is not a version 3
 * record (a kernel built with BSD_PROCESS_ACCT_V3 off writes version 2). */
int dbp_acct_parse(const void *buf, size_t len, struct dbp_acct_rec *r);

#endif
