/*
 * Where a long-running dbpod may run. The recorder (snapshot) and node
 * mode's loop (doctor --every) run for weeks beside the database; they
 * refuse to start where a database server reaps them -- as their parent,
 * or as the PID 1 that adopts them when the shell that started them exits
 * (lib/reaper.h) -- and say where to run them instead. PostgreSQL takes a
 * child it did not start that dies of a signal (SIGKILL, the OOM killer,
 * a hang-up) or exits other than 0 or 1 for a crashed server process: it
 * ends every session and runs crash recovery.
 */
#include "config.h"

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "classify.h"
#include "dbpod.h"
#include "escape.h"
#include "procread.h"
#include "reaper.h"

/* The exit status of a refusal that a database server may get (dbpod
 * was adopted before it looked, or its status passes through a process
 * that may be): PostgreSQL's postmaster takes 0 and 1 (a FATAL error) for
 * a child's normal end and anything else for a crash (postmaster.c,
 * CleanupBackend), so 3 would restart it. */
#define EXIT_TO_A_SERVER 1

/* "PID 1 (postgres)", "PID 805 (postgres: archiver)" */
static const char *who(const struct dbp_proc *p, char *buf, size_t size)
{
	char name[96];
	const char *n = dbp_pg_retitled(p) ? p->argv[0] : dbp_proc_name(p);

	dbp_escape_text(n, name, sizeof(name));
	/* a PostgreSQL title ends in a space */
	for (size_t len = strlen(name); len && name[len - 1] == ' '; )
		name[--len] = '\0';
	snprintf(buf, size, "PID %d (%s)", (int)p->pid, name);
	return buf;
}

static enum dbp_db db_of(const struct dbp_proc *p)
{
	struct dbp_class c;

	dbp_classify(p, &c);
	return c.db;
}

/* What a server does with a child it did not start. */
static const char *consequence(enum dbp_db db)
{
	if (db == DBP_DB_POSTGRES)
		return "PostgreSQL takes a child it did not start that dies of a signal (SIGKILL, "
		       "the OOM killer) or exits other than 0 or 1 for a crashed server process, "
		       "ends every session and runs crash recovery";
	return "a database server is no init: it does not expect a child it did not start "
	       "and may leave it unreaped or take it for its own";
}

/* The command as the user gave it, for the examples: "dbpod snapshot -o F" */
static void command_line(int argc, char **argv, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < argc && len + 1 < size; i++) {
		char arg[256];

		dbp_escape_text(argv[i], arg, sizeof(arg));
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "", arg);
	}
}

static void explain(const struct dbp_reaper *r, enum dbp_guard_for what, int argc, char **argv)
{
	char a[128], b[128], c[128], cmd[1024];
	enum dbp_db db = db_of(r->server);

	if (r->verdict == DBP_REAPER_CHILD && r->server == r->parent)
		warnx("refusing to run here: dbpod's parent is %s, a %s server; %s",
		      who(r->server, a, sizeof(a)), dbp_db_name(db), consequence(db));
	else if (r->verdict == DBP_REAPER_CHILD)
		warnx("refusing to run here: %s, a %s server process, is above dbpod (its parent "
		      "is %s): a recorder inside a database server's own process tree is that "
		      "server's child or orphan; %s", who(r->server, a, sizeof(a)), dbp_db_name(db),
		      who(r->parent, b, sizeof(b)), consequence(db));
	else if (r->top == r->parent)
		warnx("refusing to run here: when dbpod's parent, %s, exits, %s, a %s server, "
		      "adopts dbpod (an orphan goes to PID 1 of its PID namespace); %s",
		      who(r->parent, a, sizeof(a)),
		      who(r->server, b, sizeof(b)), dbp_db_name(db), consequence(db));
	else
		warnx("refusing to run here: when dbpod's parent, %s, or %s above it exits, %s, "
		      "a %s server, adopts dbpod (an orphan goes to PID 1 of its PID namespace); %s",
		      who(r->parent, a, sizeof(a)), who(r->top, b, sizeof(b)),
		      who(r->server, c, sizeof(c)), dbp_db_name(db), consequence(db));

	command_line(argc, argv, cmd, sizeof(cmd));
	fprintf(stderr, "Run it where no database server can adopt it:\n");
	if (what == DBP_GUARD_RECORDER) {
		fprintf(stderr,
			"  kubectl exec POD -- %s\n"
			"      as the command kubectl exec (or docker exec) starts: its parent is\n"
			"      the runtime, outside the container, and never PID 1\n"
			"  exec %s\n"
			"      from the exec session's shell: dbpod takes the shell's place\n"
			"      and its parent\n"
			"  a sidecar under an init that shares the database's PID namespace\n"
			"      (Kubernetes shareProcessNamespace: true, where pause is PID 1)\n"
			"See WHERE THE RECORDER RUNS in dbpod-snapshot(1).\n", cmd, cmd);
	} else {
		fprintf(stderr,
			"  on the node: a DaemonSet with the host's PID namespace\n"
			"      (deploy/dbpod-node.yaml), or a shell of the node's, whose PID 1 is\n"
			"      its init\n"
			"  exec %s\n"
			"      from the exec session's shell: dbpod takes the shell's place\n"
			"      and its parent\n"
			"See WHERE --every RUNS in dbpod-doctor(1).\n", cmd);
	}
}

int dbp_guard_reaper(enum dbp_guard_for what, int argc, char **argv)
{
	struct dbp_table t;
	struct dbp_reaper r;
	sigset_t all, old;
	pid_t self = getpid(), parent = getppid();
	int status;

	/* started from outside the PID namespace (kubectl exec, docker
	 * exec, a sidecar's runtime): the runtime reaps it, whatever runs
	 * as PID 1; and nothing adopts PID 1 */
	if (parent == 0 || self == 1)
		return -1;
	/* From here to the exit of a refusal no signal may end dbpod: it
	 * may be a server's child already (adopted before it looked), and a
	 * hang-up, or a SIGPIPE from a closed stderr, would then be a crash
	 * to the server. A signal that came meanwhile arrives when they are
	 * unblocked again. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	dbp_table_init(&t);
	if (dbp_proc_self_pid() != self) {
		warnx("cannot tell whether a database server would adopt dbpod: the /proc mounted "
		      "here is another PID namespace's; going on");
		goto go_on;
	}
	if (dbp_table_read_live(&t, 0) < 0)
		goto go_on;	/* the command says why it cannot read /proc */
	switch (dbp_reaper_find(&t, self, &r)) {
	case DBP_REAPER_SAFE:
		goto go_on;
	case DBP_REAPER_UNKNOWN:
		warnx("cannot tell whether a database server would adopt dbpod: PID %d is not "
		      "visible in /proc (hidepid=?); going on -- run it as the command kubectl "
		      "exec starts, or under an init as PID 1, to be sure", (int)r.missing);
		goto go_on;
	case DBP_REAPER_CHILD:
	case DBP_REAPER_ORPHAN:
		break;
	}
	explain(&r, what, argc, argv);
	fflush(stderr);
	/* The exit status goes to the parent, and a shell that waits, or an
	 * init, passes it on to theirs. 3 only where no server can get it:
	 * the parent is still the process the runtime started (its parent
	 * is outside the namespace). Otherwise -- a server above, dbpod or a
	 * link between orphaned since it looked, or a link that may be
	 * orphaned before it passes the status on -- what a server takes for
	 * a normal end. A shell that exits between this getppid() and the
	 * exit still leaves a 3 to PID 1: a window of microseconds, where
	 * dbpod took milliseconds to get here. */
	if (r.verdict == DBP_REAPER_ORPHAN && r.parent == r.top && getppid() == r.parent->pid)
		status = DBP_EXIT_UNKNOWN;
	else
		status = EXIT_TO_A_SERVER;
	dbp_table_free(&t);
	return status;	/* with every signal still blocked, to the exit */
go_on:
	dbp_table_free(&t);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return -1;
}
