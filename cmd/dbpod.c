/*
 * dbpod: is this database container set up to survive?
 *
 * main() parses the global options up to the command name, then hands the
 * rest of argv to the command, whose own argp accepts the global options
 * again, so they may stand before or after the command name.
 */
#include "config.h"

#include <argp.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbpod.h"
#include "suggest.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv, const struct dbp_opts *o);
	const char *summary;
};

static const struct cmd commands[] = {
	{ "doctor", cmd_doctor, "every live check, one screen, one status" },
	{ "pid1check", cmd_pid1check, "judge PID 1: init, shell, or the database itself" },
	{ "signals", cmd_signals, "signal dispositions, and what a stop will do" },
	{ "imagecheck", cmd_imagecheck, "judge an image or container config (CI)" },
	{ "lint", cmd_lint, "judge Dockerfiles, Compose files and Kubernetes manifests (CI)" },
	{ "oomscore", cmd_oomscore, "who the OOM killer takes first, and the cgroup memory picture" },
	{ "overcommit", cmd_overcommit, "overcommit and kernel memory settings, judged per database" },
	{ "postmortem", cmd_postmortem, "ask a recording who held a PID; explain crash lines" },
	{ "lockfile", cmd_lockfile, "is postmaster.pid telling the truth?" },
	{ "snapshot", cmd_snapshot, "the process table every second, printed or recorded" },
};
/* a summary fits the 79 columns argp wraps --help at after its 15 columns
 * of indent and name: 64 characters (010-cli.sh) */

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const char *argp_program_version = "dbpod " PACKAGE_VERSION;

/* what main parses: the global options before the command name, and
 * where that name is */
struct main_opts {
	struct dbp_opts g;
	int cmd_index;
};

static error_t main_parse(int key, char *arg, struct argp_state *state)
{
	struct main_opts *m = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		dbp_argp_share(state, &m->g);
		return 0;
	case ARGP_KEY_ARG:
		/* the command name: stop here, the command parses the rest */
		m->cmd_index = state->next - 1;
		state->next = state->argc;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static char *help_filter(int key, const char *text, void *input)
{
	char *s;
	size_t len = 0;
	FILE *f;

	if (key != ARGP_KEY_HELP_POST_DOC)
		return (char *)text;
	f = open_memstream(&s, &len);
	if (!f)
		return (char *)text;
	fputs("Commands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'dbpod help COMMAND' or 'dbpod COMMAND --help' shows a command's "
	      "options; 'man dbpod-COMMAND' explains its findings.\n\n"
	      "Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the Nagios "
	      "plugin convention; 3 also for usage errors -- an unknown command or "
	      "long option is answered with the most similar ones -- and for an input that "
	      "cannot be judged: a PID no process has, a missing file, a file of "
	      "another kind, said in one line naming it).\n\n"
	      "Text is wrapped to COLUMNS when set, else to the terminal, else to 80 "
	      "columns.", f);
	fclose(f);
	return s;
}

static const struct argp main_argp = {
	NULL, main_parse, "COMMAND [OPTION...] [ARG...]",
	"Diagnose whether a database running in a container is set up to survive: "
	"PID 1, signal handling, OOM scores, memory overcommit, the PostgreSQL "
	"lock file.\v",
	dbp_global_child, help_filter, NULL
};

static const struct cmd *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* An unknown command, said as git says it: the closest commands, at most
 * two edits away, as suggestions. */
static int unknown_command(const char *name)
{
	const char *names[NCOMMANDS];
	size_t best, n = 0, dist[NCOMMANDS];

	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	best = dbp_suggest(name, names, NCOMMANDS, dist);
	for (size_t i = 0; i < NCOMMANDS; i++)
		n += dist[i] == best;
	/* the name is anyone's typing or pasting: escaped */
	dbp_warnx("'%s' is not a dbpod command", name);
	if (best < DBP_SUGGEST_MAX) {
		fprintf(stderr, "\nThe most similar command%s\n", n == 1 ? " is" : "s are");
		for (size_t i = 0; i < NCOMMANDS; i++)
			if (dist[i] == best)
				fprintf(stderr, "\t%s\n", commands[i].name);
	}
	fprintf(stderr, "Try 'dbpod --help' for the list of commands.\n");
	return DBP_EXIT_UNKNOWN;
}

static int run(const struct cmd *c, int argc, char **argv, const struct dbp_opts *o)
{
	char name[64];
	int rc;

	snprintf(name, sizeof(name), "dbpod %s", c->name);
	argv[0] = name;
	rc = c->fn(argc, argv, o);
	/* -o FILE: in place now, whatever the verdict */
	rc = dbp_output_finish(rc);
	/* the output is often a pipe or a file: a failed write is not OK */
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("cannot write the output");
		return DBP_EXIT_UNKNOWN;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const struct cmd *c;
	const char *env_root = getenv("DBPOD_ROOT");
	char prog[] = "dbpod";
	struct main_opts m = { .cmd_index = 0 };
	int cmd_index;

	argp_err_exit_status = DBP_EXIT_UNKNOWN;
	dbp_opts_init(&m.g);
	if (env_root && *env_root)
		m.g.root = env_root;
	/* messages name dbpod, not the path it was run by */
	argv[0] = prog;
	dbp_usage_unknown_options(&main_argp, argc, argv, 1);
	argp_parse(&main_argp, argc, argv, ARGP_IN_ORDER, NULL, &m);
	dbp_usage_flush();
	cmd_index = m.cmd_index;

	if (!cmd_index) {
		/* a usage error as every other: one line, then the Try line */
		warnx("no command given");
		fprintf(stderr, "Try 'dbpod --help' for the list of commands.\n");
		return DBP_EXIT_UNKNOWN;
	}
	if (!strcmp(argv[cmd_index], "help")) {
		char help[] = "--help";
		char *hargv[3] = { NULL, help, NULL };

		if (cmd_index + 1 >= argc) {
			argp_help(&main_argp, stdout, ARGP_HELP_STD_HELP, "dbpod");
			return DBP_EXIT_OK;
		}
		c = find_command(argv[cmd_index + 1]);
		if (!c)
			return unknown_command(argv[cmd_index + 1]);
		return run(c, 2, hargv, &m.g);
	}
	c = find_command(argv[cmd_index]);
	if (!c)
		return unknown_command(argv[cmd_index]);
	return run(c, argc - cmd_index, argv + cmd_index, &m.g);
}
