/*
 * An image's process chain as it will run, predicted from its
 * configuration: PID 1 from Entrypoint + Cmd (or a container's Path +
 * Args, or the runtime's init in front), then what each program runs in
 * turn -- a shell's -c string or script (read from the files the image
 * copies) followed to its last exec or to the child it keeps, an init's
 * child, su's -c command, what gosu and setpriv exec -- down to the
 * database server. The chain is built as a process table (t->predicted)
 * with the signal dispositions each known program sets (measured on the
 * programs themselves), and the shells' traps as a live reading would
 * have them, so that dbp_stop_path (rules_signals.h) predicts the stop
 * of an image with the code that predicts a running container's.
 *
 * Text in, table out: nothing is opened here (the Dockerfile reader
 * reads the build context's files; inspect JSON carries none).
 */
#ifndef DBPOD_IMAGECHAIN_H
#define DBPOD_IMAGECHAIN_H

#include <stddef.h>

#include "classify.h"
#include "imageconfig.h"
#include "imagefiles.h"
#include "proctable.h"
#include "stopinput.h"	/* struct dbp_shell_script, struct dbp_supervisor */

struct dbp_chain_in {
	char *const *argv;		/* what PID 1 runs, NULL-terminated */
	const char *init;		/* the runtime's init in front of argv ("docker-init",
					 * "pause"), or NULL */
	const struct dbp_image_files *files;	/* NULL: none could be read */
	int tini_kill_group;		/* TINI_KILL_PROCESS_GROUP is set in the image's Env */
	int official_entrypoint;	/* argv[0] is an official image's docker-entrypoint.sh,
					 * known to end with exec "$@" whatever it is given */
};

#define DBP_CHAIN_NOTES 8

struct dbp_chain {
	struct dbp_table t;		/* PID 1 and what it runs, t.predicted set */
	struct dbp_shell_script scripts[DBP_CHAIN_MAX];	/* the shells that stay, by pid */
	size_t nscripts;
	struct dbp_supervisor supervisor;	/* supervisord's program, when PID 1 is it */
	int have_supervisor;
	char notes[DBP_CHAIN_NOTES][200];	/* how each step of the chain was told */
	size_t nnotes;
	const char *unread;		/* what the chain could not be followed past, or NULL */
	int pid1_unread;		/* PID 1 is a script that could not be read */
	enum dbp_db db;			/* the database server the chain ends in */
	char db_hint[64];		/* "runs mariadbd" */
	/* A shell of the chain starts the server so that it does not wait
	 * for it: as a daemon (pg_ctl start; the server is then PID 1's
	 * adopted child), or in the background with no wait or fg after. */
	struct {
		int how;		/* 0 none; 1 a daemon; 2 in the background */
		char what[64];		/* "pg_ctl start", "mysqld_safe &" */
		char command[120];	/* as written */
		char source[160];	/* the script, or "its -c command" */
		int line;
	} start;
};

/* Build the chain of in into out (dbp_chain_free it in every case).
 * Returns 0, or -ENOMEM. */
int dbp_chain_build(const struct dbp_chain_in *in, struct dbp_chain *out);
void dbp_chain_free(struct dbp_chain *c);

/* The chain of a command that is not known here (Compose or Kubernetes
 * without one: the image's own): PID 1 alone, its handling unknown, so
 * that only what holds whatever PID 1 is (a grace period of 0) is
 * predicted. what names the image for the note ("postgres:16", or
 * NULL). Returns 0, or -ENOMEM. */
int dbp_chain_unknown(const char *what, struct dbp_chain *out);

/* The inputs of dbp_stop_path for the chain: the scripts and the
 * supervisor, with the stop signal (0: not known, so SIGTERM and SIGINT
 * are judged as live) and the grace period. */
void dbp_chain_signals_input(const struct dbp_chain *c, int stop_signal, int grace,
			     int tini_kill_group, struct dbp_signals_input *in);

#endif
