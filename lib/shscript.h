/*
 * A shell script read for what a stop of its container needs: the traps
 * it sets and what their actions do with the signal, and the command
 * that runs the service -- by exec, which replaces the shell, or as a
 * child the shell stays beside. Text in, struct out: the live reader
 * (stopread) hands it a running shell's -c text or script file, the
 * static chain (imagechain) the scripts an image copies from its build
 * context.
 *
 * A heuristic reading, not a shell: quotes, escapes, command
 * substitutions, here-documents and comments are skipped as a shell
 * would, but nothing is expanded and no branch is evaluated; where it
 * matters, "the last" means the last in the text. A trap inside a
 * function counts as one set by the script.
 */
#ifndef DBPOD_SHSCRIPT_H
#define DBPOD_SHSCRIPT_H

#include <stddef.h>
#include <stdint.h>

#define DBP_SH_TRAPS_MAX 8

/* One `trap ACTION SIG...`, the last one set for its signals. */
struct dbp_sh_trap {
	uint64_t sigs;		/* the signals it is set for (bit N-1: signal N) */
	int ignore;		/* trap '' SIG: ignored, which survives exec */
	int sends;		/* the signal the action sends the service: `kill -INT $pid`
				 * (SIGTERM without an option), `pg_ctl stop -m fast`
				 * (SIGINT; smart SIGTERM, immediate SIGQUIT); 0 none */
	int waits;		/* the action waits for it: `wait`, or pg_ctl stop without -W */
	char how[64];		/* what sends it, for messages: "kill -INT $p" */
};

/* The command that runs the service. */
struct dbp_sh_run {
	char **words;		/* NULL-terminated; NULL when the script runs nothing known */
	int exec;		/* by exec: the shell is replaced */
	int background;		/* with &: the shell runs on beside it */
	int last;		/* the text's last command, in the foreground, not in a
				 * pipeline, a list or a subshell: `bash -c` execs it itself */
	int waited;		/* a `wait` or `fg` after it: the shell waits for it */
	int self;		/* an exec of the script itself through what runs before
				 * it (`exec dumb-init -- sh "$0"`): a handover */
	int line;		/* 1-based, in the text */
};

/* A command that starts a database server as a daemon, which the shell
 * does not wait for and PID 1 adopts: pg_ctl start, service postgresql
 * start, redis-server --daemonize yes, mongod --fork -- also inside su's,
 * runuser's, sudo's or sh's -c string. */
struct dbp_sh_daemon {
	const char *server;	/* "postgres", "mysqld", ...; NULL: none */
	int db;			/* enum dbp_db */
	char what[64];		/* "pg_ctl start" */
	char how[120];		/* the command as written, cut: "su postgres -c 'pg_ctl start ...'" */
	int line;
};

struct dbp_sh_script {
	struct dbp_sh_trap traps[DBP_SH_TRAPS_MAX];
	size_t ntraps;
	uint64_t trapped;	/* signals with a trap that runs an action */
	uint64_t ignored;	/* signals trapped with '' */
	struct dbp_sh_run run;
	struct dbp_sh_daemon daemon;	/* the last such start */
};

/* Read text (NULL reads as empty). Returns 0 or -ENOMEM; free with
 * dbp_sh_free. */
int dbp_sh_parse(const char *text, struct dbp_sh_script *out);

/* The same for a script known by its path (self, or NULL for a -c
 * string), as an image's chain follows it. A variable set to a plain
 * word or to `$(command -v PROG)` earlier in the text is put in for
 * $NAME in the command that runs the service (`cmd=$(command -v
 * postgres); exec "$cmd"`). An exec of the script itself (its path,
 * "$0", "$BASH_SOURCE") hands it over: the first time it is run
 * (rerun 0) that exec is what runs, and nothing after it; when it is
 * run again (rerun 1) that exec is a branch not taken. */
int dbp_sh_parse_script(const char *text, const char *self, int rerun,
			struct dbp_sh_script *out);
void dbp_sh_free(struct dbp_sh_script *s);

/* Split a command string into words: quotes and backslashes as in sh,
 * nothing expanded (Compose's string commands, supervisord's command=,
 * which its shlex splits so). NULL on an unterminated quote or without
 * memory; free each word and the vector. */
char **dbp_split_words(const char *s);

/* The trap set for sig among traps (the last one set), or NULL. */
const struct dbp_sh_trap *dbp_sh_trap_for(const struct dbp_sh_trap *traps, size_t n, int sig);

/* The signals that `trap ACTION SIG...` commands in a shell text name
 * (TERM, SIGTERM, 15; EXIT and ERR are not signals), '' included. */
uint64_t dbp_shell_traps(const char *text);

/* Is a command word the script's own arguments ("$@", "${@}", "$*",
 * "$1")? The words that stand for them at exec ("$@") are replaced by a
 * caller that knows them. */
int dbp_sh_is_args_word(const char *w);

/* Does this shell script (or `sh -c` string) exec its command? 1 when a
 * line's command is `exec` with a program after it (not only
 * redirections), else -1. */
int dbp_script_execs(const char *text);

#endif
