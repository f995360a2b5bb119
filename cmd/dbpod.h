/*
 * What every command shares: the global options and the output helpers.
 *
 * Adding a command:
 *  1. cmd/NAME.c with `int cmd_NAME(int argc, char **argv)`, returning the
 *     exit status (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN); its argp lists
 *     &dbp_global_child among its children so the global options work
 *     after the command name too.
 *  2. Its line in commands[] in cmd/dbpod.c and its prototype below.
 *  3. cmd/Makemodule.am: the source.
 *  4. man/dbpod-NAME.1 (every option, every finding id) and
 *     man/Makemodule.am; its line in dbpod(1)'s COMMANDS.
 *  5. tests: unit tests for its rules; scenarios under tests/scenarios;
 *     tests/scenarios/010-cli.sh checks that --help and the man page name
 *     the same options.
 *  6. NEWS.
 */
#ifndef DBPOD_CMD_H
#define DBPOD_CMD_H

#include <argp.h>

#include <json-c/json.h>

#include "render.h"
#include "report.h"

/* The exit codes are the Nagios plugin API: monitoring systems and CI
 * gates depend on them. Never change what a number means. */
enum {
	DBP_EXIT_OK = 0,
	DBP_EXIT_WARNING = 1,
	DBP_EXIT_CRITICAL = 2,
	DBP_EXIT_UNKNOWN = 3,
};

enum dbp_format { DBP_FORMAT_TEXT, DBP_FORMAT_JSON, DBP_FORMAT_PROMETHEUS };

extern enum dbp_format opt_format;	/* --format, --json */
extern int opt_color;			/* --no-color, NO_COLOR, not a TTY */
extern const char *opt_ignore;		/* --ignore=ID,... */
extern const char *opt_root;		/* --root, DBPOD_ROOT */

/* The global options, to be listed as a child of each command's argp
 * (dbp_global_child is the list of that child alone). */
extern const struct argp dbp_global_argp;
extern const struct argp_child dbp_global_child[];

/* --stop-signal=SIG, for the commands that follow the stop signal: list
 * dbp_stop_signal_argp as a child; the value lands in opt_stop_signal. */
extern const struct argp dbp_stop_signal_argp;
extern int opt_stop_signal;

struct dbp_table;
struct dbp_pid1_input;
/* What the PID 1 rules need beyond the table: the stop signal, whether
 * /proc hides processes, tini's one environment switch. tkg (16 bytes)
 * holds that variable's value. */
void dbp_pid1_input_init(const struct dbp_table *t, struct dbp_pid1_input *in, char *tkg);

/* argv of a command, with argv[0] "dbpod NAME" so argp's messages name it. */
int dbp_argp_parse(const struct argp *argp, int argc, char **argv, void *input);

/* Text output on stdout, wrapped to the terminal when it is one. */
void dbp_text_init(struct dbp_text *t);

/* Finish a check: apply --ignore, sort, render in the chosen format
 * (text_facts prints the facts in text; facts is consumed) and return the
 * exit status. */
int dbp_emit(struct dbp_report *r, struct json_object *facts,
	     void (*text_facts)(const struct dbp_text *t, void *arg), void *arg);

int cmd_pid1check(int argc, char **argv);
int cmd_signals(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);

#endif
