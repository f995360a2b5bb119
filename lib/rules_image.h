/*
 * imagecheck rules: judge an image's or a container's configuration
 * without running it (DESIGN.md "imagecheck"; seeds 000 and 002).
 *
 * Finding ids (documented in dbpod-imagecheck(1); never reuse one):
 *   DBI600 unknown      the input is not JSON or not an inspect object
 *   DBI601 crit/warn    Entrypoint/Cmd in shell form: /bin/sh stays PID 1
 *   DBI602 info         a shell-script entrypoint: it must exec the service
 *   DBI603 crit/warn    no init in front of a database server
 *   DBI604 warning      a PostgreSQL image whose StopSignal is not SIGINT
 *   DBI605 warning      su or sudo in the command
 *   DBI606 unknown      no Entrypoint and no Cmd: PID 1 cannot be told
 *   DBI607 crit/warn    a shell-form Cmd handed to an exec-form Entrypoint
 *   DBI609 crit/warn    the entrypoint script was read and does not exec
 */
#ifndef DBPOD_RULES_IMAGE_H
#define DBPOD_RULES_IMAGE_H

#include "imageconfig.h"
#include "report.h"

struct dbp_image_facts {
	char **argv;		/* the effective command: Entrypoint + Cmd (borrowed strings) */
	size_t argc;
	const char *pid1;	/* the program that will be PID 1 */
	int shell_form;		/* /bin/sh -c is PID 1 */
	int script;		/* PID 1 is a shell script */
	int init;		/* an init will be PID 1 (in the command, or HostConfig.Init) */
	int stop_signal;	/* parsed StopSignal; SIGTERM when unset; -1 unparsable */
};

/* f->argv is allocated: free it with dbp_image_facts_free. */
void dbp_rules_image(const struct dbp_image *img, struct dbp_report *r,
		     struct dbp_image_facts *f);
void dbp_image_facts_free(struct dbp_image_facts *f);

/* The input named name ("standard input", or a path) could not be judged:
 * why is the parser's reason (dbp_images_parse): DBI600. */
void dbp_rules_image_unjudged(const char *name, const char *why, struct dbp_report *r);

/* Does this shell script (or `sh -c` string) exec its command? 1 when a
 * line's command is `exec` with a program after it (not only
 * redirections), else -1. */
int dbp_script_execs(const char *text);

#endif
