/*
 * imagecheck rules: judge an image's or a container's configuration
 * without running it, for what pid1check and signals see live: a server
 * that will be PID 1 and adopt the orphans, a shell entrypoint that will
 * run it without exec and keep the stop signal from it.
 *
 * Finding ids (documented in dbpod-imagecheck(1); never reuse one):
 *   DBI600 unknown      the input is not JSON or not an inspect object
 *   DBI601 crit/warn/info  Entrypoint/Cmd in shell form: /bin/sh stays PID 1
 *   DBI602 info         a shell-script entrypoint: it must exec the service
 *   DBI603 warning      no init in front of a database server: orphans
 *   DBI604 warning      a PostgreSQL image whose StopSignal is not SIGINT
 *   DBI605 warning      su or sudo in the command
 *   DBI606 unknown      no Entrypoint and no Cmd: PID 1 cannot be told
 *   DBI607 crit/warn/info  a shell-form Cmd handed to an exec-form Entrypoint
 *   DBI609 crit/warn/info  the entrypoint script was read and does not exec
 *   DBI613 crit/warn/info  the predicted stop ends in SIGKILL, a crash, a stop
 *                       cut short, or cannot be told
 *   DBI614 crit/warn/info  the server is started as a daemon (pg_ctl start) or a
 *                       background job nothing waits for
 *
 * The stop findings (DBI601, DBI607, DBI609, DBI613, DBI614) take their severity
 * from the stop predicted for the chain PID 1 runs (dbp_stop_path, the
 * code of the live check): SIGKILL or a crash of a database is critical,
 * a stop cut short a warning, a stop dbpod cannot tell info; a graceful
 * stop is no stop finding.
 */
#ifndef DBPOD_RULES_IMAGE_H
#define DBPOD_RULES_IMAGE_H

#include "imagechain.h"
#include "imageconfig.h"
#include "report.h"
#include "rules_signals.h"

/* What the runtime is told besides the image (docker run --stop-signal,
 * docker stop -t, a deployment's grace period), and a database given by
 * the user. */
struct dbp_image_opts {
	int stop_signal;	/* over the image's StopSignal; 0: the image's */
	int grace;		/* seconds; -1: the image's StopTimeout, else docker's 10 */
	const char *grace_from;	/* what set grace, for messages ("stop_grace_period") */
	int db_given;		/* img->db was given (--profile): what runs does not change it */
};

#define DBP_DOCKER_GRACE 10	/* docker stop and podman stop without -t */

struct dbp_image_facts {
	char **argv;		/* the effective command: Entrypoint + Cmd (borrowed strings) */
	size_t argc;
	const char *pid1;	/* the program that will be PID 1 */
	int shell_form;		/* /bin/sh -c is PID 1 */
	int script;		/* PID 1 is a shell script */
	int init;		/* an init will be PID 1 (in the command, or HostConfig.Init) */
	int stop_signal;	/* parsed StopSignal; SIGTERM when unset; -1 unparsable */
	int stop_signal_known;	/* the signal the runtime sends is known (set here, or a
				 * known base's); else SIGTERM and SIGINT are judged */
	int grace;		/* the grace period judged, seconds */
	const char *grace_from;	/* "StopTimeout", "docker's default", ... */
	enum dbp_db db;		/* the database judged: the server the chain runs, else the
				 * image's hints (img->db) */
	char db_hint[64];
	/* The stop, predicted from the chain PID 1 runs, per signal judged:
	 * nsp 0 when the command is not known here. */
	struct dbp_chain chain;
	struct dbp_pid1_facts pf;
	struct dbp_stop_path sp[DBP_STOP_MAX];
	size_t nsp;
};

/* o may be NULL (nothing given). f->argv and f->chain are allocated:
 * free them with dbp_image_facts_free. f points into itself: do not
 * copy it. */
void dbp_rules_image(const struct dbp_image *img, const struct dbp_image_opts *o,
		     struct dbp_report *r, struct dbp_image_facts *f);
void dbp_image_facts_free(struct dbp_image_facts *f);

/* The worst outcome of f's stop paths as a severity: critical for
 * SIGKILL or a crash of a database, warning for a risky stop (or SIGKILL
 * of another service), info for one dbpod cannot tell, ok when every
 * path is graceful; unknown when nothing was predicted. */
enum dbp_severity dbp_image_stop_severity(const struct dbp_image_facts *f);

/* The input named name ("standard input", or a path) could not be judged:
 * why is the parser's reason (dbp_images_parse): DBI600, located at file
 * (the path; NULL for standard input). */
void dbp_rules_image_unjudged(const char *name, const char *file, const char *why,
			      struct dbp_report *r);

/* Does this shell script (or `sh -c` string) exec its command? 1 when a
 * line's command is `exec` with a program after it (not only
 * redirections), else -1. */
int dbp_script_execs(const char *text);

#endif
