/*
 * What a stop path is judged from besides the process table: the stop
 * signal, what /proc hides, the scripts of the chain's shells, PID 1's
 * supervisord program, the PostgreSQL, Redis or MariaDB server's
 * evidence (pglog.h, redislog.h, mariadblog.h). A
 * model: the live reader (stopread.h) and the static chain (imagechain.h)
 * fill it, supervisorconf's parser writes its dbp_supervisor, and the
 * pid1check and signals rules (rules_pid1.h, rules_signals.h) judge it.
 */
#ifndef DBPOD_STOPINPUT_H
#define DBPOD_STOPINPUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proctable.h"
#include "shscript.h"	/* struct dbp_sh_trap */

struct dbp_pg_evidence;	/* pglog.h */
struct dbp_redis_evidence;	/* redislog.h */
struct dbp_mariadb_evidence;	/* mariadblog.h */

/* A container's output as its runtime keeps it on the node, for a server
 * that logs to a pipe the runtime reads (the official images: PostgreSQL
 * to its standard error, Redis to its standard output). Node mode fills
 * it (node/runtimelogread.h); dbpod inside a container cannot see that
 * file and has none. */
struct dbp_runtime_output {
	const char *text;		/* the container's lines, both streams; NULL: none read */
	int cut;			/* text is the last part of the file */
	char path[256];			/* the runtime's log file, as the node names it */
	char rotated[256];		/* the one rotated away before it, read too; "" none */
	char where[96];			/* "the runtime's log, docker json-file", for the basis */
	char missing[512];		/* text NULL: why, as a clause */
	/* what the server's evidence made of it (dbp_runtime_output_parse,
	 * pglogread.h): wanted, its log being a pipe; used, its text read
	 * as the server's log */
	int wanted, used;
	/* node mode: reads text (or missing) into rt the first time a
	 * server's log turns out to be a pipe, so that a server with a log
	 * of its own costs no read of the runtime's (up to 16 MB); NULL:
	 * text and missing are what there is. Negative errno on failure. */
	int (*load)(struct dbp_runtime_output *rt, void *arg);
	void *load_arg;
};

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
	int stop_signal_given;		/* known: --stop-signal, or in node mode the runtime's record;
					 * else SIGTERM and SIGINT are judged */
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

/* A supervisor's program entry for the database (supervisord's
 * [program:x]), read by dbp_supervisor_read (stopread.h). */
struct dbp_supervisor {
	int read;			/* 1: a config was read and a program matched */
	char conf[160];			/* the file read, or the file that could not be */
	char program[64];		/* [program:NAME] */
	char command[256];		/* its command= */
	int stopsignal;			/* default SIGTERM */
	int stopwaitsecs;		/* default 10 */
	int stopsignal_set, stopwaitsecs_set;	/* written in the program's section */
};

struct dbp_signals_input {
	struct dbp_pid1_input pid1;	/* stop_signal, tini_kill_group, hidepid */
	int grace;			/* --grace, seconds */
	/* A second reading of the processes that had signals pending while
	 * blocked, taken a moment later; NULL to judge on one reading. */
	const struct dbp_table *recheck;
	int recheck_ms;
	const struct dbp_supervisor *supervisor;	/* PID 1's, when it is supervisord */
	/* --all: judge every process for DBS202 and DBS204, not only those
	 * a stop reaches (dbp_signals_judged) */
	int judge_all;
	/* node mode: the container's output as its runtime keeps it, the
	 * server's log where the server writes it to a pipe; NULL inside */
	struct dbp_runtime_output *runtime_log;
	/* the PostgreSQL server's log and settings, for the stop's time
	 * budget; NULL when not read (a recording, an image) */
	const struct dbp_pg_evidence *pg;
	/* the Redis server's configuration, snapshot file and log, for the
	 * same; NULL when not read */
	const struct dbp_redis_evidence *redis;
	/* the MariaDB (or MySQL) server's option files, command line and
	 * error log, for the same; NULL when not read */
	const struct dbp_mariadb_evidence *mariadb;
};

#endif
