/*
 * The live process table, read with libproc2 (procps-ng).
 */
#ifndef DBPOD_PROCREAD_H
#define DBPOD_PROCREAD_H

#include "proctable.h"

/* Fill t with every process visible in /proc (this PID namespace's view,
 * filtered by hidepid). Processes that exit while being read are simply
 * absent. stat and cmdline are read for every process. want adds:
 *   DBP_HAVE_STATUS  status (signal masks, effective uid) of the processes
 *                    whose masks the judgement of a stop may look at
 *                    (dbp_table_stop_candidates), read once the table
 *                    shows who they are; with DBP_WANT_STATUS_ALL, of
 *                    every process, in the same pass as stat;
 *   DBP_HAVE_OOM     oom_score and oom_score_adj of every process.
 * status is the costliest file the kernel formats: a check that shows
 * every process's masks (JSON, --all, PIDs asked for) asks for all.
 * Returns 0 or a negative errno (-ENOENT: /proc is not mounted). */
int dbp_table_read_live(struct dbp_table *t, unsigned want);

/* For the processes of t a stop runs through (PID 1, inits, shells, user
 * switchers, servers and the wrappers above a server), whether they wait
 * in rt_sigtimedwait and for which signals (wchan, syscall, mem; through
 * dbp_proc_fspid). dbp_table_read_live does this with DBP_HAVE_STATUS. */
void dbp_table_read_waits(struct dbp_table *t);

/* Whether dbpod runs in the host's initial PID namespace (the inode of
 * /proc/self/ns/pid is the kernel's PROC_PID_INIT_INO): not in a
 * container. 1 yes, 0 no, negative errno when it cannot be told. */
int dbp_pidns_initial(void);

/* This process's PID as the /proc mounted here numbers it (the name
 * /proc/self links to): getpid() when /proc is this PID namespace's; a
 * different PID when it is an ancestor namespace's (nsenter -p without
 * -m, unshare -p without --mount-proc), whose table is not this
 * namespace's; a negative errno when it does not show this process at
 * all. */
pid_t dbp_proc_self_pid(void);

/* A process other than this one that has path open for writing
 * (/proc/PID/fd and fdinfo's flags): its PID; 0 when no process has; a
 * negative errno when some processes' descriptors could not be read
 * (-EACCES: another user's, without root) and none of the others has. */
pid_t dbp_proc_file_writer(const char *path);

/* Whether /proc is mounted with hidepid= (other users' processes hidden):
 * 1 yes, 0 no, negative errno when mountinfo cannot be read. */
int dbp_proc_hidepid(void);

/* Whether this process sees only part of the table: /proc hides other
 * users' processes (hidepid=) and it has neither CAP_SYS_PTRACE nor the
 * group of the mount's gid=, which let a reader past it. 1 yes, 0 no. A
 * check that judges the processes it sees must then say what it could not
 * see rather than judge an empty namespace. */
int dbp_proc_view_partial(void);

#endif
