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

#include "metrics.h"
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

/* --format=sarif|junit|codequality|checkstyle: the CI formats, which only
 * dbpod lint renders (it sets dbp_ci_formats_ok before parsing); every
 * other command refuses them in dbp_argp_parse with exit 3. opt_format
 * stays text while one is chosen. */
enum dbp_ci_format {
	DBP_CI_NONE = 0,
	DBP_CI_SARIF,
	DBP_CI_JUNIT,
	DBP_CI_CODEQUALITY,
	DBP_CI_CHECKSTYLE,
};
extern enum dbp_ci_format opt_ci_format;
extern int dbp_ci_formats_ok;
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
extern int opt_stop_signal_given;	/* --stop-signal given: else SIGTERM and SIGINT are judged */
/* --grace=SECONDS, likewise, into opt_grace. */
extern const struct argp dbp_grace_argp;
/* The children of a command that follows the stop signal: --stop-signal
 * and the global options. */
extern const struct argp_child dbp_stop_signal_children[];
extern const struct argp_child dbp_stop_grace_children[];

struct dbp_table;
struct dbp_pid1_input;
/* What the PID 1 rules need beyond the table: the stop signal, whether
 * /proc hides processes, tini's one environment switch. tkg (16 bytes)
 * holds that variable's value. */
void dbp_pid1_input_init(const struct dbp_table *t, struct dbp_pid1_input *in, char *tkg);

/* A PID argument appended to *pids (argp_error on a malformed one). */
void dbp_argp_pid(struct argp_state *state, const char *arg, pid_t **pids, size_t *n);
/* A grace period in whole seconds, 0 to 86400 (a day); argp_error on
 * anything else, naming opt. */
int dbp_argp_seconds(struct argp_state *state, const char *opt, const char *arg);

/* argv of a command, with argv[0] "dbpod NAME" so argp's messages name it. */
int dbp_argp_parse(const struct argp *argp, int argc, char **argv, void *input);

/* Text output on stdout, wrapped to the terminal when it is one. */
void dbp_text_init(struct dbp_text *t);

/* What one run of a check produced: a command renders it, doctor merges
 * several. A check function fills it from the opt_* globals and returns
 * 0 (its findings say how it went) or a negative errno when it could not
 * run at all (then the report holds an unknown finding saying why). */
struct dbp_result {
	struct dbp_report report;
	struct json_object *facts;		/* owned; NULL for none */
	struct dbp_metrics metrics;		/* the check's own numbers */
	void (*text_facts)(const struct dbp_text *t, void *view);
	void *view;				/* what text_facts prints from */
	void (*view_free)(void *view);
};

void dbp_result_init(struct dbp_result *res, const char *command);
void dbp_result_free(struct dbp_result *res);

/* Read the live table into t; when that fails, an unknown finding `id`
 * in res says why. Returns 0 or the negative errno. */
int dbp_read_table(struct dbp_result *res, struct dbp_table *t, const char *id, unsigned want);

/* The live process table, read from /proc with what `want` asks for
 * beyond stat and cmdline (DBP_HAVE_STATUS, DBP_HAVE_OOM: procread.h), or
 * the one reading doctor shares between its checks (dbp_live_share ...
 * dbp_live_unshare), which reads the union of what they want. */
int dbp_live_table(struct dbp_table *t, unsigned want);
void dbp_live_share(unsigned want);
void dbp_live_unshare(void);

/* Apply --ignore and sort; returns the exit status. */
int dbp_result_finish(struct dbp_result *res);

/* dbpod_check_status and dbpod_finding samples of res into m. */
void dbp_result_status_metrics(const struct dbp_result *res, struct dbp_metrics *m);

/* Finish and render res in the chosen format; returns the exit status. */
int dbp_emit(struct dbp_result *res);

/* A check command's body after its options: run check, emit, free;
 * returns the exit status. The check's own errors are findings in res. */
int dbp_run_check(int (*check)(struct dbp_result *res));

/* For commands that are not checks of doctor's (snapshot, postmortem):
 * render r with facts (consumed) and a text view; returns the exit status. */
int dbp_emit_report(struct dbp_report *r, struct json_object *facts,
		    void (*text_facts)(const struct dbp_text *t, void *view), void *view);

/* The live checks, for their commands and for doctor. */
int check_pid1(struct dbp_result *res);
int check_signals(struct dbp_result *res);
int check_oomscore(struct dbp_result *res);
int check_overcommit(struct dbp_result *res);
/* -ENOENT: no PostgreSQL data directory here, nothing to judge */
int check_lockfile(struct dbp_result *res);

extern int opt_grace;			/* --grace, seconds (signals, doctor) */

int cmd_pid1check(int argc, char **argv);
int cmd_signals(int argc, char **argv);
int cmd_imagecheck(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_oomscore(int argc, char **argv);
int cmd_overcommit(int argc, char **argv);
int cmd_postmortem(int argc, char **argv);
int cmd_lockfile(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_lint(int argc, char **argv);

#endif
