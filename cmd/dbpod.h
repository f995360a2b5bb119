/*
 * What every command shares: the global options (struct dbp_opts) and the
 * output helpers.
 *
 * Adding a command -- every place, and [the test that holds it there]:
 *  1. cmd/NAME.c with `int cmd_NAME(int argc, char **argv, const struct
 *     dbp_opts *o)`, returning the exit status (0 OK, 1 WARNING, 2
 *     CRITICAL, 3 UNKNOWN). Its options are a struct of its own, local to
 *     cmd_NAME: `struct dbp_opts g` (a copy of o) and its own fields, the
 *     input of dbp_argp_parse; its parser calls dbp_argp_share on
 *     ARGP_KEY_INIT, and its argp lists &dbp_global_child (or
 *     dbp_stop_signal_children) among its children so the global options
 *     work after the command name too. No option lives in a global: what
 *     needs one is handed it. A live check also has `int check_NAME(struct
 *     dbp_result *res, const struct dbp_opts *o)` (dbp_check_fn, below),
 *     which doctor runs with the command's own options' defaults, and runs
 *     as dbp_run_check("NAME", check_NAME, &g) -- or, with options of its
 *     own, a static check_alone that reads them from the struct whose
 *     first member is g (cmd/oomscore.c) -- which makes a failure
 *     without a finding UNKNOWN. cmd/ parses options, calls lib and
 *     renders: no finding is made here, and no file in cmd/ passes ~400
 *     lines.
 *  2. cmd/dbpod.c: its line in commands[] (name, function, summary);
 *     its prototype below; cmd/Makemodule.am: the source.
 *  3. lib/: its rules in lib/rules_NAME.[ch] (in lib/SUB/ when they
 *     belong to a subsystem: lint/, rec/, node/), the finding ids and
 *     their severities listed in the header; its readers and model apart
 *     from the rules (lib/README) [tests/scenarios/012-layers.sh]; its
 *     "could not judge" id in lib/rules_check.c's table; the
 *     Makemodule.am of the folder it is in, and its line on lib/README's
 *     map.
 *  4. A live check: its line in checks[] of cmd/doctor/doctor_run.c and
 *     DOCTOR_NCHECKS in cmd/doctor/doctor.h [910-doctor.sh:
 *     the checks doctor runs], a pair in same_cause of lib/rules_doctor.c
 *     when it sees a cause another check sees too [test_rules_doctor.c];
 *     man/dbpod-doctor.1 names the checks and the pairs.
 *  5. man/dbpod-NAME.1 (SYNOPSIS as --help has it, every option, every
 *     finding id, EXIT STATUS) in man/Makemodule.am; its line in
 *     man/dbpod.1's COMMANDS, and its metrics in dbpod.1's Prometheus
 *     list [010-cli.sh: options, ids, dbpod.1; 011-help-vs-synopsis.sh:
 *     SYNOPSIS both ways].
 *  6. tests: tests/unit/test_rules_NAME.c and one for each new lib
 *     module, scenarios under tests/scenarios, each in tests/Makemodule.am
 *     (UNIT_TESTS, SCENARIOS; fixtures in EXTRA_DIST); its Prometheus
 *     output through promtool [910-doctor.sh].
 *  7. README: its line under "Commands so far".
 *  8. NEWS: a line under the top, unreleased section.
 *  9. contrib/bash-completion/dbpod: nothing for the command and its
 *     options (the completion asks `dbpod --help`); the values of an
 *     option that takes a fixed set, as --profile [020-completion.sh].
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

enum dbp_format { DBP_FORMAT_TEXT, DBP_FORMAT_JSON, DBP_FORMAT_PROMETHEUS, DBP_FORMAT_ONELINE };

/* --format=sarif|junit|codequality|checkstyle: the CI formats, which only
 * dbpod lint renders (it sets ci_formats_ok before parsing); every other
 * command refuses them in dbp_argp_parse with exit 3. format stays text
 * while one is chosen. */
enum dbp_ci_format {
	DBP_CI_NONE = 0,
	DBP_CI_SARIF,
	DBP_CI_JUNIT,
	DBP_CI_CODEQUALITY,
	DBP_CI_CHECKSTYLE,
	DBP_CI_SVG,		/* not a CI format: postmortem --timeline's picture,
				 * which only it renders (svg_ok) */
};

struct dbp_runtime_output;	/* stopinput.h */

/* The options every command shares. main parses those given before the
 * command's name into one (dbp_opts_init, then DBPOD_ROOT) and hands it to
 * the command, which copies it into its own options and parses the rest on
 * top: dbp_argp_parse's children below fill it through argp's input
 * (dbp_argp_share). It travels as `const struct dbp_opts *` to whatever
 * reads it -- the checks, dbp_emit, dbp_text_init -- and node mode judges
 * each container with a copy holding that container's stop signal and
 * grace period. */
struct dbp_opts {
	enum dbp_format format;		/* --format, --json */
	enum dbp_ci_format ci_format;	/* --format=sarif|junit|...|svg */
	int color;			/* --no-color 0; -1: NO_COLOR, the TTY decide */
	const char *ignore;		/* --ignore=ID,... (repeated: joined) */
	const char *root;		/* --root, DBPOD_ROOT */
	const char *out_file;		/* -o, --output (every command but snapshot) */
	int stop_signal;		/* --stop-signal; SIGTERM */
	int stop_signal_given;		/* known: --stop-signal, or node mode's runtime record;
					 * else SIGTERM and SIGINT are judged */
	/* Not an option: node mode sets it for a container whose runtime's
	 * record of the stop signal it could not read (SIGQUIT is judged too). */
	int stop_signal_unread;
	/* Not an option either: node mode's reading of the container's
	 * output as its runtime keeps it (stopinput.h), the log of a server
	 * that logs to a pipe; NULL inside a container. */
	struct dbp_runtime_output *runtime_log;
	int grace;			/* --grace, seconds; 30 */
	int grace_given;		/* node mode takes it over the runtime's */
	/* What the command allows, set before dbp_argp_parse: */
	int ci_formats_ok;		/* lint: the CI formats */
	int svg_ok;			/* postmortem: --format=svg */
	/* Set by a command's parser when it writes -o FILE itself (doctor's
	 * node mode, rewriting it with --every; snapshot's recording); else
	 * dbp_argp_parse sends standard output to FILE, and
	 * dbp_output_finish puts it in place. */
	int output_own;
};

/* The defaults, before any option: text, colour from the TTY, SIGTERM
 * and 30 s of grace, nothing else given. */
void dbp_opts_init(struct dbp_opts *o);

/* A command's parser calls it on ARGP_KEY_INIT, handing o (its copy of
 * the shared options) to every child of the argp dbp_argp_parse was given:
 * the global options, -o, --stop-signal and --grace fill o. */
void dbp_argp_share(struct argp_state *state, struct dbp_opts *o);

/* -o FILE, after dbp_argp_parse sent standard output to a new file
 * beside it: flushed, and put in FILE's place (a run that exits before,
 * or fails to write, leaves FILE as it was). Returns status, or
 * DBP_EXIT_UNKNOWN when the file could not be written or put in place
 * (said on standard error). */
int dbp_output_finish(int status);
/* The global options without -o: for snapshot, whose -o is a recording. */
extern const struct argp_child dbp_global_child_no_output[];
extern const struct argp dbp_output_argp;	/* -o FILE: every command but snapshot */

/* The global options, to be listed as a child of each command's argp
 * (dbp_global_child is the list of that child alone). */
extern const struct argp dbp_global_argp;
extern const struct argp_child dbp_global_child[];

/* --stop-signal=SIG, for the commands that follow the stop signal: list
 * dbp_stop_signal_argp as a child; the value lands in stop_signal. */
extern const struct argp dbp_stop_signal_argp;
/* --grace=SECONDS, likewise, into grace. */
extern const struct argp dbp_grace_argp;
/* The children of a command that follows the stop signal: --stop-signal
 * and the global options. */
extern const struct argp_child dbp_stop_signal_children[];
extern const struct argp_child dbp_stop_grace_children[];
/* lint and imagecheck: --stop-signal and --grace as the runtime is told
 * them, over what the files say (stop_signal_given, grace_given) */
extern const struct argp_child dbp_static_stop_children[];

/* A stop path (rules_signals.h) as JSON: signal, outcome, when,
 * after_seconds, steps, ...; predicted: it is an image's chain, whose
 * PIDs past 1 are not real. */
struct dbp_stop_path;
struct json_object *dbp_stop_path_json(const struct dbp_stop_path *p, int predicted);
/* What lint and imagecheck predict for a container's stop, into its
 * JSON object j: stop_signal_known, grace_seconds, grace_from, chain (how
 * PID 1's chain was told), stop_path (the first signal's) and
 * stop_paths. */
struct dbp_image_facts;
void dbp_image_stop_json(struct json_object *j, const struct dbp_image_facts *f);
/* One line per stop signal, as doctor prints them: "stop with SIGTERM
 * sigkill, at the end of the 10 s grace period". */
void dbp_text_stop_lines(const struct dbp_text *t, const char *indent,
			 const struct dbp_stop_path *sp, size_t n);

/* Numbers of options, parsed by numparse.h, with one message style:
 * "OPT takes WHAT from MIN to MAX, not 'ARG'" (argp_error, exit 3). */
long long dbp_argp_integer(struct argp_state *state, const char *opt, const char *arg,
			   const char *what, long long min, long long max);	/* max LLONG_MAX: no upper bound */
double dbp_argp_real(struct argp_state *state, const char *opt, const char *arg,
		     const char *what, double min, double max);
/* A grace period in whole seconds, 0 to 86400 (a day), naming opt. */
int dbp_argp_seconds(struct argp_state *state, const char *opt, const char *arg);
/* A PID argument appended to *pids ("'ARG' is not a PID" otherwise). */
void dbp_argp_pid(struct argp_state *state, const char *arg, pid_t **pids, size_t *n);
/* The same for a live PID: one no process has is refused, exit 3. */
void dbp_argp_live_pid(struct argp_state *state, const char *arg, pid_t **pids, size_t *n);

/* Usage errors in one style (cmd/common.c): argp's errors go to a memory
 * stream from ARGP_KEY_INIT on (dbp_usage_stream, called by the global
 * options' parser), and dbp_usage_flush writes them out with one "Try
 * 'dbpod NAME --help' for more information." line in place of argp's;
 * it runs when argp_parse returns and at exit. Before argp_parse,
 * dbp_usage_unknown_options refuses a long option that argp and its
 * children do not have, naming the closest ones (suggest.h), exit 3;
 * in_order: stop at the first argument (the command name, for main). */
void dbp_usage_stream(struct argp_state *state);
void dbp_usage_flush(void);
/* A usage error found after parsing: "NAME: message", the Try line, exit 3. */
void dbp_usage_error(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
/* the formats, as every usage error about --format lists them */
#define DBP_FORMATS_ALL "text, json, prometheus or oneline (dbpod lint: also sarif, " \
	"junit, codequality, checkstyle; postmortem --timeline: svg)"
void dbp_usage_unknown_options(const struct argp *argp, int argc, char **argv, int in_order);

/* argv of a command, with argv[0] "dbpod NAME" so argp's messages name it;
 * input is the command's options, whose parser hands o (their shared part)
 * to the children (dbp_argp_share). Then the refusals of a format the
 * command does not render, and -o FILE opened unless o->output_own. */
int dbp_argp_parse(const struct argp *argp, int argc, char **argv, void *input,
		   const struct dbp_opts *o);

/* Text output on stdout, wrapped to COLUMNS when it is set (40 at the
 * least), else to the terminal when it is one (40 to 120), else to 80. */
void dbp_text_init(struct dbp_text *t, const struct dbp_opts *o);

/* warnx(3) with the whole message escaped for a terminal (escape.h): the
 * paths and names in a message come from outside -- a file planted in
 * /tmp, an argument pasted from a web page -- and no byte of theirs may
 * act on the terminal. Every message that names a path goes through it. */
void dbp_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* What one run of a check produced: a command renders it, doctor merges
 * several. A check function fills it from the options it is handed and
 * returns 0 (its findings say how it went) or a negative errno when it
 * could not run at all (then the report holds an unknown finding saying
 * why). */
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

/* Read the live table into t with what want asks for beyond stat and
 * cmdline (DBP_HAVE_STATUS, DBP_HAVE_OOM: procread.h); when that fails,
 * an unknown finding of res's check says why (dbp_rules_table_unreadable).
 * Returns 0 or the negative errno. */
int dbp_read_table(struct dbp_result *res, struct dbp_table *t, unsigned want);

/* The live process table, read from /proc with what `want` asks for
 * beyond stat and cmdline (DBP_HAVE_STATUS, DBP_HAVE_OOM: procread.h), or
 * the one reading doctor shares between its checks (dbp_live_share ...
 * dbp_live_unshare), which reads the union of what they want. */
int dbp_live_table(struct dbp_table *t, unsigned want);
void dbp_live_share(unsigned want);
void dbp_live_unshare(void);

/* Node mode: the checks judge t, another PID namespace's table (borrowed;
 * read with want), whose PID 1 has host PID init_host_pid, until
 * dbp_live_unshare. The reads of what the table does not hold follow:
 * the cgroup is that PID 1's, the environment is its, and files are
 * reached through its /proc/PID/root, as dbpod inside that container
 * would read them. */
void dbp_live_target(const struct dbp_table *t, unsigned want, pid_t init_host_pid);
/* The host PID of the judged namespace's PID 1; 0 for dbpod's own. */
pid_t dbp_live_target_init(void);
struct dbp_cgroup_mem;
/* The judged database's cgroup memory picture (cgroupread.h): in node
 * mode its container's; else the database server's of t when it is in
 * another cgroup than dbpod (*of its PID), else dbpod's own (*of 0). */
int dbp_live_cgroup_read(const struct dbp_table *t, const struct dbp_opts *o,
			 struct dbp_cgroup_mem *m, pid_t *of);
/* The judged namespace's environment variable name: dbpod's own
 * environment, or in node mode its PID 1's (buf holds it); NULL when unset
 * or empty. */
const char *dbp_live_getenv(const char *name, char *buf, size_t size);
/* "" for dbpod's own namespace, else "/proc/PID/root" of its PID 1. */
void dbp_live_fsroot(char *buf, size_t size);

/* Apply --ignore and sort; returns the exit status. */
int dbp_result_finish(struct dbp_result *res, const struct dbp_opts *o);


/* Finish and render res in the chosen format; returns the exit status. */
int dbp_emit(struct dbp_result *res, const struct dbp_opts *o);

/* A live check: fills res (which it initialises) as o says. */
typedef int dbp_check_fn(struct dbp_result *res, const struct dbp_opts *o);

/* Run the check called name into res and return what it returned. A
 * check that fails without an unknown finding gets one
 * (dbp_rules_check_failed): a failed check is never OK. */
int dbp_check_run(const char *name, dbp_check_fn *check, const struct dbp_opts *o,
		  struct dbp_result *res);

/* A check command's body after its options: dbp_check_run, emit, free;
 * returns the exit status. */
int dbp_run_check(const char *name, dbp_check_fn *check, const struct dbp_opts *o);

/* A report rendered by the command itself (an SVG): --ignore applied
 * and sorted as dbp_emit_report does, nothing printed; the exit status. */
int dbp_report_finish(struct dbp_report *r, const struct dbp_opts *o);

/* For commands that are not checks of doctor's (snapshot, postmortem):
 * render r with facts (consumed) and a text view; returns the exit status. */
int dbp_emit_report(struct dbp_report *r, struct json_object *facts,
		    void (*text_facts)(const struct dbp_text *t, void *view), void *view,
		    const struct dbp_opts *o);

/* Where a long-running dbpod may run (cmd/recorder.c): the recorder
 * (snapshot) and node mode's loop (doctor --every) refuse to start where a
 * database server is their parent or would adopt them (lib/reaper.h).
 * Returns -1 to go on, or the exit status of a refusal, which is said on
 * standard error with the ways to run it safely; argv is the command's
 * (argv[0] "dbpod NAME"), for those examples. */
enum dbp_guard_for { DBP_GUARD_RECORDER, DBP_GUARD_NODE };
int dbp_guard_reaper(enum dbp_guard_for what, int argc, char **argv);

/* The live checks, for their commands and for doctor, which runs them
 * with their own options' defaults (their commands' options stay in
 * their files). */
int check_pid1(struct dbp_result *res, const struct dbp_opts *o);
int check_signals(struct dbp_result *res, const struct dbp_opts *o);
int check_oomscore(struct dbp_result *res, const struct dbp_opts *o);
int check_overcommit(struct dbp_result *res, const struct dbp_opts *o);
/* -ENOENT: no PostgreSQL data directory here, nothing to judge */
int check_lockfile(struct dbp_result *res, const struct dbp_opts *o);

/* The commands: o holds the shared options given before the command's
 * name (main's), to be copied and parsed on. */
int cmd_pid1check(int argc, char **argv, const struct dbp_opts *o);
int cmd_signals(int argc, char **argv, const struct dbp_opts *o);
int cmd_imagecheck(int argc, char **argv, const struct dbp_opts *o);
int cmd_doctor(int argc, char **argv, const struct dbp_opts *o);
int cmd_oomscore(int argc, char **argv, const struct dbp_opts *o);
int cmd_overcommit(int argc, char **argv, const struct dbp_opts *o);
int cmd_postmortem(int argc, char **argv, const struct dbp_opts *o);
int cmd_lockfile(int argc, char **argv, const struct dbp_opts *o);
int cmd_snapshot(int argc, char **argv, const struct dbp_opts *o);
int cmd_lint(int argc, char **argv, const struct dbp_opts *o);

#endif
