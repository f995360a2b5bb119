/*
 * What kind of program a process is, from its name: a database server, an
 * init, a shell, a user switcher that stays resident, or something else.
 * The rules judge PID 1 and the chain below it by these kinds.
 */
#ifndef DBPOD_CLASSIFY_H
#define DBPOD_CLASSIFY_H

#include "proctable.h"

enum dbp_kind {
	DBP_KIND_OTHER = 0,
	DBP_KIND_DATABASE,	/* postgres, mysqld, mongod, redis-server, ... */
	DBP_KIND_INIT,		/* tini, dumb-init, catatonit, pause, systemd, ... */
	DBP_KIND_SHELL,		/* sh, bash, dash, ash, busybox sh, ... */
	DBP_KIND_SWITCHER,	/* su, sudo: stay resident as the parent */
};

enum dbp_db {
	DBP_DB_NONE = 0,
	DBP_DB_POSTGRES,
	DBP_DB_MYSQL,		/* mysqld and mariadbd */
	DBP_DB_MONGODB,
	DBP_DB_REDIS,		/* and valkey */
};

/* How an init passes on the stop signal. */
enum dbp_init_forward {
	DBP_FWD_NONE = 0,	/* not an init, or unknown */
	DBP_FWD_CHILD,		/* to its direct child only (tini without -g) */
	DBP_FWD_GROUP,		/* to the child's process group (tini -g, dumb-init) */
	DBP_FWD_SERVICES,	/* a supervisor: stops its services its own way */
};

struct dbp_class {
	enum dbp_kind kind;
	enum dbp_db db;
	const char *name;	/* canonical program name: "tini", "postgres" */
};

void dbp_classify(const struct dbp_proc *p, struct dbp_class *c);

/* Work out p's class once and keep it in p->cls, where dbp_classify finds
 * it (dbp_table_sort does this for every process). */
void dbp_classify_remember(struct dbp_proc *p);

/* Order t by pid (dbp_table_order) and classify every process; call once
 * the table is complete. */
void dbp_table_sort(struct dbp_table *t);

/* The same for a program path or name alone ("/usr/bin/tini", "postgres"),
 * as image configurations give them. */
void dbp_classify_name(const char *path, struct dbp_class *c);

/* A program that execs the command after its own arguments and is gone
 * from the chain (gosu USER CMD, su-exec, setpriv, env, nice, chroot,
 * taskset, ...): the index of that command in argv (which may be past
 * its end), or 0 when argv[0] is no such program. */
size_t dbp_exec_wrapper_skip(char *const *argv);

/* A command that starts a database server without being it: pg_ctl
 * start, the distributions' init scripts, mysqld_safe, a server told to
 * daemonise. */
enum dbp_start_how {
	DBP_START_NONE = 0,
	DBP_START_DAEMON,	/* it forks the server off and exits: PID 1 adopts the
				 * server (pg_ctl start, service postgresql start,
				 * redis-server --daemonize yes, mongod --fork) */
	DBP_START_CHILD,	/* it stays as the server's parent (mysqld_safe, which
				 * restarts mysqld and ignores HUP INT QUIT TERM) */
};

struct dbp_start {
	enum dbp_start_how how;
	const char *server;	/* the server's program: "postgres", "mysqld", ... */
	enum dbp_db db;
	char what[64];		/* for messages: "pg_ctl start", "service mysql start" */
};

/* What argv starts, after the exec wrappers in front of it (gosu, env,
 * ...): out->how DBP_START_NONE when it is no such command. */
void dbp_server_start(char *const *argv, struct dbp_start *out);

/* Human names: "PostgreSQL", "init", ... */
const char *dbp_kind_name(enum dbp_kind k);
const char *dbp_db_name(enum dbp_db d);
/* The server's program, for a command in advice: "postgres", "mysqld",
 * "mongod", "redis-server" ("program" for none). */
const char *dbp_db_server(enum dbp_db d);
/* Stable lower-case identifiers for JSON: "postgresql", "mysql", ... */
const char *dbp_db_id(enum dbp_db d);

/* Whether p is a PostgreSQL postmaster, by what it is and not by its name
 * alone: named postgres (or postmaster), not a child that retitled itself
 * ("postgres: checkpointer") nor a standalone backend (--single), no
 * PostgreSQL parent, not a zombie; and either it names its data directory
 * (-D) or it has children that are PostgreSQL server processes, which a
 * running postmaster always has. A script or `exec -a postgres` is not. */
int dbp_is_postmaster(const struct dbp_table *t, const struct dbp_proc *p);

/* The process that stands for the database of t: the process with PID
 * postmaster when given and present, else the first database server that
 * is not a zombie, else PID 1; NULL in an empty table. Whose container
 * the database is in: its QoS (oom_score_adj), its cgroup. */
const struct dbp_proc *dbp_table_db_process(const struct dbp_table *t, pid_t postmaster);

/* The one postmaster finder: the postmaster that is an ancestor of (or is)
 * the process near, when near is not 0 and there is one; else the one with
 * the most children (on a tie the lowest PID, so PID 1 first); NULL when
 * there is none. *count (when count is not NULL) gets how many postmasters
 * t holds, so a caller can refuse to guess among several. */
const struct dbp_proc *dbp_postmaster_find(const struct dbp_table *t, pid_t near,
					   size_t *count);

/* A PostgreSQL child by its title: "postgres: checkpointer". */
int dbp_pg_retitled(const struct dbp_proc *p);

/* A standalone backend (postgres --single, as initdb and pg_upgrade run it). */
int dbp_pg_standalone(const struct dbp_proc *p);

/* The data directory on a postgres command line ("-D DIR" or "-DDIR"), as
 * given (it may be relative to where the server was started), or NULL. */
const char *dbp_pg_datadir_arg(const struct dbp_proc *p);

/* How the init p forwards the stop signal. env_kill_group is the value of
 * TINI_KILL_PROCESS_GROUP from its environment (set, even empty, turns on
 * tini's group mode), or NULL when it is not set. */
enum dbp_init_forward dbp_init_forwarding(const struct dbp_proc *p,
					  const char *env_kill_group);

/* The chain a stop runs down, from PID 1 to the service: PID 1, then
 * while a link is an init, a shell or a user switcher (which pass a
 * signal on, or are where one is lost), the next link below it -- a
 * database server child if it has one, else its oldest child other than
 * dbpod and dbpod's own ancestors. Into chain, at most max; returns how
 * many (0 when PID 1 is not in t). */
#define DBP_CHAIN_MAX 16
size_t dbp_table_chain(const struct dbp_table *t, const struct dbp_proc **chain, size_t max);

/* The service a stop is for, at the end of chain (its n links, from
 * dbp_table_chain), its class into c: the chain's last link; or, under
 * the Kubernetes pause process as PID 1 without children, the database
 * server among the processes entered from outside (PPID 0). NULL when n
 * is 0. */
const struct dbp_proc *dbp_chain_service(const struct dbp_table *t,
					 const struct dbp_proc *const *chain, size_t n,
					 struct dbp_class *c);

/* The processes whose signal masks the judgement of a stop may look at,
 * from what stat and cmdline tell (before any status is read): PID 1, the
 * chain, every init, shell, user switcher and database server and the
 * ancestors of a server, processes entered from outside (PPID 0), and
 * when PID 1 is an init or a database server its children -- and, for an
 * init, everyone in a process group of one of its children (a group
 * forward: tini -g, dumb-init, supervisord's stopasgroup). A superset of
 * what the signals and pid1check rules judge (dbp_signals_judged), so
 * that the live reader reads /proc/PID/status for these only.
 * mark[i] is set for t->procs[i]; returns how many are marked, or -ENOMEM. */
long dbp_table_stop_candidates(const struct dbp_table *t, unsigned char *mark);

#endif
