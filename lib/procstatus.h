/*
 * A parser for /proc/PID/status, for the reads libproc2 does not serve:
 * re-reading one process's signal masks (signals' pending check) and the
 * snapshot recorder's own hot path.
 */
#ifndef DBPOD_PROCSTATUS_H
#define DBPOD_PROCSTATUS_H

#include <stddef.h>
#include <sys/types.h>

#include "proctable.h"

/* Fill from the text of a status file: comm (Name), state (State), ppid
 * (PPid), uid (Uid, effective), the signal masks, rss_kb (VmRSS). Sets
 * DBP_HAVE_STATUS when all five masks were present. Unknown lines are
 * skipped. Returns 0, or -EINVAL when Name or State is missing. */
int dbp_status_parse(const char *text, struct dbp_proc *p);

/* Parse the NSpid, NSpgid and NSsid lines of a status text into the last
 * (innermost) number of each. Returns 0, or -EINVAL when NSpid is missing
 * (kernels before 4.1). */
int dbp_status_nsids(const char *text, struct dbp_nsinfo *ns);

/* The Tgid line of a status text: the process whose thread it is (its
 * own PID for a process, another for a thread, which /proc opens though
 * it lists none). Returns it, or -1 when the line is missing. */
long dbp_status_tgid(const char *text);

/* The text of /proc/PID/status (procfs NULL: "/proc") into buf, one
 * read: 0, or -ESRCH when the process is gone, or another negative errno. */
int dbp_status_text(const char *procfs, pid_t pid, char *buf, size_t size);

/* Read and parse /proc/PID/status (procfs NULL: "/proc"). */
int dbp_status_read(const char *procfs, pid_t pid, struct dbp_proc *p);

/* Read /proc/PID/status of each of the n pids into out, which ends
 * sorted by PID; a process that is gone or unreadable is left out (the
 * second reading of signals' pending check, dbp_signals_recheck_pids).
 * Returns how many were read, or -ENOMEM. */
int dbp_status_read_pids(const char *procfs, const pid_t *pids, size_t n,
			 struct dbp_table *out);

#endif
