/*
 * pid1check rules: what PID 1 of this PID namespace is, what it does with
 * the stop signal, and what the chain from it to the service means for a
 * database: a server that is PID 1 adopts every orphan, and one of them
 * killed by a signal makes the postmaster restart every session; a shell
 * that runs the service without exec takes the stop signal itself and
 * the service gets SIGKILL.
 *
 * Finding ids (documented in dbpod-pid1check(1); never reuse one):
 *   DBP100 unknown   PID 1 is not visible
 *   DBP101 crit/warn PID 1 is the database server itself
 *   DBP102 crit/warn a shell in the chain runs the service without exec
 *   DBP103 critical  PID 1 neither catches nor blocks the stop signal
 *   DBP104 warn/info zombies left for PID 1 to reap
 *   DBP105 crit/info a process adopted by PID 1 that is not the service's
 *   DBP106 warn/info a process entered from outside the namespace
 *   DBP107 warning   su/sudo stays resident in the chain
 *   DBP108 unknown   PID 1's signal masks cannot be read
 *   DBP109 unknown   dbpod is PID 1 itself: a namespace of its own
 *   DBP110 info      not a container: the host's initial PID namespace, whose
 *                    PID 1 is the machine's init
 */
#ifndef DBPOD_RULES_PID1_H
#define DBPOD_RULES_PID1_H

#include "classify.h"
#include "proctable.h"
#include "report.h"
#include "shscript.h"
#include "sigset.h"

/* Inside a container the image's STOPSIGNAL cannot be seen. Unless the
 * user names it, the rules judge the two a database image uses: SIGTERM
 * (docker's and Kubernetes' default) and SIGINT (the official postgres
 * image's), each on its own. Node mode that finds the container's runtime
 * but cannot read the signal it records judges SIGQUIT too, which an
 * image may set as well (PostgreSQL's immediate shutdown): no graceful
 * verdict then stands that one of them would contradict. */
#define DBP_STOP_MAX 3

/* What a shell's script says about traps: its `-c` text or its file,
 * read by dbp_shell_script_read (stopread.h), or the script an image
 * copies (imagechain.h). A shell as PID 1 catches SIGINT itself while it
 * waits for a child, trap or not, so only the script tells a deferral
 * from a trap; and a trap's action tells a trap that passes the stop on
 * (`kill -INT $pid; wait $pid`, `pg_ctl stop -m fast`) from one that
 * decides something else. */
struct dbp_shell_script {
	pid_t pid;
	int read;			/* 1: the text was read; 0: it could not be */
	uint64_t trapped;		/* signals a `trap` in the text names */
	char source[160];		/* "its -c command", or the script's path */
	struct dbp_sh_trap traps[DBP_SH_TRAPS_MAX];	/* what each trap does */
	size_t ntraps;
	int background;			/* 1: it runs the service with & (and waits), so a
					 * trap runs at once; 0: in the foreground, so a
					 * trap runs only once the child has exited; -1:
					 * the script runs nothing dbpod can tell */
};

struct dbp_pid1_input {
	int stop_signal;		/* what the runtime sends: SIGTERM unless STOPSIGNAL says otherwise */
	int stop_signal_given;		/* the user named it (--stop-signal); else SIGTERM and SIGINT are judged */
	int stop_signal_unread;		/* not given, and its runtime's record of it unread: SIGQUIT judged too */
	const char *tini_kill_group;	/* PID 1's TINI_KILL_PROCESS_GROUP, or NULL */
	int hidepid;			/* /proc is mounted with hidepid */
	int recorded;			/* the table is a recording's (postmortem --check), not /proc */
	int host;			/* the host's initial PID namespace (not a container):
					 * PID 1 is the machine's init, which no runtime
					 * stops; the container rules do not apply */
	const struct dbp_shell_script *scripts;	/* the chain's shells' scripts, as read */
	size_t nscripts;
};

/* The script of the shell pid among in's, or NULL. */
const struct dbp_shell_script *dbp_pid1_script(const struct dbp_pid1_input *in, pid_t pid);

/* The trap of script sc that passes sig on to the service and waits for
 * it to exit: its action sends a signal to a child it names (`kill -INT
 * $pid`, `pg_ctl stop -m fast`) and then waits (`wait`, or pg_ctl, which
 * waits itself). NULL when there is none, or when sc was not read. */
const struct dbp_sh_trap *dbp_script_forwards(const struct dbp_shell_script *sc, int sig);

struct dbp_pid1_facts {
	const struct dbp_proc *pid1;	/* NULL when not visible */
	struct dbp_class pid1_class;
	enum dbp_disposition stop;	/* PID 1's disposition of the (first) stop signal */
	int stop_signals[DBP_STOP_MAX];	/* the signals judged: dbp_stop_signals() */
	enum dbp_disposition stops[DBP_STOP_MAX];	/* PID 1's disposition of each */
	size_t nstops;
	enum dbp_init_forward forward;
	const struct dbp_proc *chain[DBP_CHAIN_MAX];
	size_t chain_len;		/* chain[0] is PID 1; the last is the service */
	const struct dbp_proc *service;
	struct dbp_class service_class;
	size_t zombies;			/* zombies whose parent is PID 1 */
	const struct dbp_proc *oldest_zombie;
	size_t adopted;			/* children of PID 1 not part of the service */
	size_t outside;			/* processes with PPID 0 besides PID 1 and dbpod */
};

/* The stop signals to judge: the one given, or SIGTERM and SIGINT (and
 * SIGQUIT when stop_signal_unread). */
size_t dbp_stop_signals(const struct dbp_pid1_input *in, int out[DBP_STOP_MAX]);

/* Only the examination: pid1, its class, the stop disposition, the
 * forwarding and the chain down to the service; the counts stay zero.
 * Other commands (signals) start from this. */
void dbp_pid1_examine(const struct dbp_table *t, const struct dbp_pid1_input *in,
		      struct dbp_pid1_facts *f);

void dbp_rules_pid1(const struct dbp_table *t, const struct dbp_pid1_input *in,
		    struct dbp_report *r, struct dbp_pid1_facts *f);

/* Is p a child of PID 1 that the service did not start (an orphan adopted
 * by PID 1, or something else running beside the service)? */
int dbp_pid1_is_foreign_child(const struct dbp_table *t, const struct dbp_pid1_facts *f,
			      const struct dbp_proc *p);

#endif
