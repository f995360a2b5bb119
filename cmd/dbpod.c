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

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct cmd commands[] = {
	{ "doctor", cmd_doctor, "every live check, one screen, one status" },
	{ "pid1check", cmd_pid1check, "judge PID 1: init, shell, or the database itself" },
	{ "signals", cmd_signals, "signal dispositions, and what a stop will do" },
	{ "imagecheck", cmd_imagecheck, "judge an image or container config (CI)" },
	{ "lint", cmd_lint, "judge Dockerfiles, Compose files and Kubernetes manifests (CI)" },
	{ "oomscore", cmd_oomscore, "who the OOM killer takes first, and the cgroup memory picture" },
	{ "overcommit", cmd_overcommit, "memory overcommit and kernel memory settings, judged per database" },
	{ "postmortem", cmd_postmortem, "ask a recording who held a PID; explain crash lines" },
	{ "lockfile", cmd_lockfile, "is postmaster.pid telling the truth?" },
	{ "snapshot", cmd_snapshot, "the process table every second, printed or recorded" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const char *argp_program_version = "dbpod " PACKAGE_VERSION;

static int cmd_index;

static error_t main_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_ARG:
		/* the command name: stop here, the command parses the rest */
		cmd_index = state->next - 1;
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
	      "plugin convention; 3 also for usage errors, and for an input that "
	      "cannot be judged: a PID no process has, a missing file, a file of "
	      "another kind, said in one line naming it).", f);
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

/* Optimal string alignment distance (insertions, deletions, substitutions
 * and swaps of neighbours, each 1): "doctr" is 1 from "doctor",
 * "sigansl" 1 from "signals" -- the typos a hurried hand makes. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[32][32];

	if (la >= 32 || lb >= 32)
		return (size_t)-1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < c)
				c = d[i - 2][j - 2] + 1;
			d[i][j] = c;
		}
	return d[la][lb];
}

/* How far name is from a command: its edit distance, or 1 when it is the
 * start of the command's name (three letters at least). */
static size_t command_distance(const char *name, const char *command)
{
	size_t len = strlen(name);

	if (len >= 3 && !strncmp(command, name, len))
		return 1;
	return edit_distance(name, command);
}

/* An unknown command, said as git says it: the closest commands, at most
 * two edits away, as suggestions. */
static int unknown_command(const char *name)
{
	size_t best = 3, n = 0, dist[NCOMMANDS];

	for (size_t i = 0; i < NCOMMANDS; i++) {
		dist[i] = command_distance(name, commands[i].name);
		if (dist[i] < best)
			best = dist[i];
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		n += dist[i] == best;
	/* the name is anyone's typing or pasting: escaped */
	dbp_warnx("'%s' is not a dbpod command; see 'dbpod --help'", name);
	if (best < 3) {
		fprintf(stderr, "\nThe most similar command%s\n", n == 1 ? " is" : "s are");
		for (size_t i = 0; i < NCOMMANDS; i++)
			if (dist[i] == best)
				fprintf(stderr, "\t%s\n", commands[i].name);
	}
	return DBP_EXIT_UNKNOWN;
}

static int run(const struct cmd *c, int argc, char **argv)
{
	char name[64];
	int rc;

	snprintf(name, sizeof(name), "dbpod %s", c->name);
	argv[0] = name;
	rc = c->fn(argc, argv);
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

	argp_err_exit_status = DBP_EXIT_UNKNOWN;
	if (env_root && *env_root)
		opt_root = env_root;
	argp_parse(&main_argp, argc, argv, ARGP_IN_ORDER, NULL, NULL);

	if (!cmd_index) {
		argp_help(&main_argp, stderr, ARGP_HELP_STD_USAGE, "dbpod");
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
		return run(c, 2, hargv);
	}
	c = find_command(argv[cmd_index]);
	if (!c)
		return unknown_command(argv[cmd_index]);
	return run(c, argc - cmd_index, argv + cmd_index);
}
