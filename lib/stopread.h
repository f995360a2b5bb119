/*
 * What decides a stop path besides the signal masks: the traps in a
 * shell's script, and a supervisor's configuration. Readers fill the
 * structs of stopinput.h; the parsers are pure functions so that unit
 * tests and the fuzzer reach them.
 *
 * Files are read as the process sees them: through /proc/PID/root first
 * (a debug container sharing only the PID namespace), then the path as
 * it is (dbpod in the same container). Only regular files, opened
 * without blocking and without following a last symlink; at most
 * DBP_STOPREAD_MAX bytes.
 */
#ifndef DBPOD_STOPREAD_H
#define DBPOD_STOPREAD_H

#include <stdint.h>

#include "classify.h"
#include "mariadblog.h"
#include "pglog.h"
#include "redislog.h"
#include "proctable.h"
#include "shscript.h"
#include "stopinput.h"
#include "supervisorconf.h"

#define DBP_STOPREAD_MAX (256 * 1024)

/* The shell's script: its -c text, or the file it runs. Returns 0 (out
 * filled, out->read 0 when the text could not be had) or -EINVAL when p
 * is not running a script at all (an interactive shell), -ENOMEM. */
int dbp_shell_script_read(const char *procfs, const struct dbp_proc *p,
			  struct dbp_shell_script *out);

/* What a script's text (shscript.h) says into out: its traps, what
 * they do, whether the service runs in the background; out->read set.
 * 0 or -ENOMEM. */
int dbp_shell_script_text(const char *text, struct dbp_shell_script *out);

/* The scripts of the shells on t's chain from PID 1, read into store (at
 * least DBP_CHAIN_MAX entries) and pointed at from in; returns how many.
 * For pid1check and signals alike: a shell whose trap passes the stop
 * on is not one that loses it (DBP102). */
size_t dbp_shell_scripts_read(const char *procfs, const struct dbp_table *t,
			      struct dbp_pid1_input *in, struct dbp_shell_script *store);

/* supervisord's configuration as PID sup runs it (-c FILE, else its
 * default paths), with its [include] files. Returns 0 with out->read set
 * when a program matched; else a negative errno with out->conf naming
 * the file that could not be read. */
int dbp_supervisor_read(const char *procfs, const struct dbp_proc *sup,
			const struct dbp_proc *service, struct dbp_supervisor *out);

/* The regular file at path as process p sees it (through
 * /proc/PID/root; p NULL: this process's own path) into a malloc'd
 * NUL-terminated buffer. -EINVAL for anything but a regular file, -EFBIG
 * past max bytes. */
int dbp_read_small_file(const char *procfs, const struct dbp_proc *p, const char *path,
			size_t max, char **out);

/* What the PID 1 rules need beyond the table (stopinput.h): the stop
 * signal (given with --stop-signal, or not), whether /proc hides
 * processes, and tini's one environment switch, TINI_KILL_PROCESS_GROUP,
 * read into tkg only when PID 1 is an init that forwards to its child
 * (nothing else is read from environ). */
void dbp_pid1_input_read(const char *procfs, const struct dbp_table *t, int stop_signal,
			 int stop_signal_given, struct dbp_pid1_input *in, char tkg[16]);

/* Everything above that the stop path of t needs, read into store and
 * pointed at from in (in->pid1 must be set); and, when the service is
 * PostgreSQL, its log and settings for the stop's time budget
 * (dbp_pg_evidence_read, pglogread.h); when it is Redis, its
 * configuration, snapshot file and log for the same
 * (dbp_redis_evidence_read, redisread.h); when it is MariaDB or MySQL,
 * its option files, command line and error log (dbp_mariadb_evidence_read,
 * mariadbread.h). dbp_stop_inputs_free frees what that read. */
struct dbp_stop_inputs {
	struct dbp_shell_script scripts[DBP_CHAIN_MAX];
	size_t nscripts;
	struct dbp_supervisor supervisor;
	struct dbp_pg_evidence pg;
	struct dbp_redis_evidence redis;
	struct dbp_mariadb_evidence mariadb;
};

int dbp_stop_inputs_read(const char *procfs, const struct dbp_table *t,
			 struct dbp_signals_input *in, struct dbp_stop_inputs *store);
void dbp_stop_inputs_free(struct dbp_stop_inputs *store);

#endif
