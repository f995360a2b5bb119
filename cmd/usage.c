/*
 * Usage errors in one style, and "did you mean" for long options (the
 * contract is in dbpod.h, by dbp_usage_stream).
 */
#include "config.h"

#include <argp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbpod.h"
#include "escape.h"
#include "suggest.h"

/* glibc's argp ends a usage error with its own line, "Try `dbpod X
 * --help' or `dbpod X --usage' for more information.", in its quotes and
 * wrapped at 79 columns, and says of an unknown long option only that it
 * is unrecognized. dbpod's usage errors end in one line, in the quotes
 * of every other message: "Try 'dbpod X --help' for more information."
 * argp writes its errors to state->err_stream, which a parser may set at
 * ARGP_KEY_INIT, and then exits: so the errors go to a memory stream,
 * and are written out, argp's last line replaced, when argp_parse
 * returns or the process exits. */
static struct {
	FILE *f;
	char *buf;
	size_t len;
	char name[64];		/* "dbpod NAME", as the Try line names it */
} usage_err;

static void usage_try(const char *name)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", name);
}

/* A usage error found after argp is done, in argp's style as rewritten
 * here: "dbpod X: what is wrong", the Try line, exit 3. */
void dbp_usage_error(const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage_try(name);
	exit(DBP_EXIT_UNKNOWN);
}

/* What argp wrote, out to stderr with its Try line (and the lines it
 * wrapped onto, up to "information.") replaced by dbpod's. */
void dbp_usage_flush(void)
{
	char *line, *next;
	int tried = 0, in_try = 0;

	if (!usage_err.f)
		return;
	fclose(usage_err.f);
	usage_err.f = NULL;
	for (line = usage_err.buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(line, "Try `", 5))
			in_try = tried = 1;
		if (in_try) {
			in_try = !strstr(line, "information.");
			continue;
		}
		fprintf(stderr, "%s\n", line);
	}
	if (tried)
		usage_try(usage_err.name);
	free(usage_err.buf);
	usage_err.buf = NULL;
}

void dbp_usage_stream(struct argp_state *state)
{
	static int registered;

	if (usage_err.f)
		return;
	/* state->name is not set yet at ARGP_KEY_INIT; argv[0] is the name
	 * dbpod gave ("dbpod NAME") */
	snprintf(usage_err.name, sizeof(usage_err.name), "%s",
		 state->argv && state->argv[0] ? state->argv[0] : "dbpod");
	usage_err.f = open_memstream(&usage_err.buf, &usage_err.len);
	if (!usage_err.f)
		return;		/* argp's own lines then, on stderr */
	state->err_stream = usage_err.f;
	if (!registered++)
		atexit(dbp_usage_flush);
}

/* The long options of argp and its children, into names (up to max);
 * with_arg[i]: the option takes an argument that may be the next word. */
static size_t long_options(const struct argp *argp, const char **names, int *with_arg,
			   size_t n, size_t max)
{
	int arg = 0;

	for (const struct argp_option *o = argp->options; o && (o->name || o->key || o->doc); o++) {
		/* an alias takes what the option before it takes */
		if (!(o->flags & OPTION_ALIAS))
			arg = o->arg && !(o->flags & OPTION_ARG_OPTIONAL);
		if (o->name && !(o->flags & OPTION_DOC) && n < max) {
			with_arg[n] = arg;
			names[n++] = o->name;
		}
	}
	for (const struct argp_child *c = argp->children; c && c->argp; c++)
		n = long_options(c->argp, names, with_arg, n, max);
	return n;
}

/* The short options of argp and its children that take an argument. */
static int short_takes_arg(const struct argp *argp, int key)
{
	int arg = 0, k = 0;

	for (const struct argp_option *o = argp->options; o && (o->name || o->key || o->doc); o++) {
		if (!(o->flags & OPTION_ALIAS)) {
			arg = o->arg && !(o->flags & OPTION_ARG_OPTIONAL);
			k = o->key;
		}
		if ((o->key ? o->key : k) == key && arg)
			return 1;
	}
	for (const struct argp_child *c = argp->children; c && c->argp; c++)
		if (short_takes_arg(c->argp, key))
			return 1;
	return 0;
}

void dbp_usage_unknown_options(const struct argp *argp, int argc, char **argv, int in_order)
{
	const char *names[128];
	int with_arg[128];
	size_t n = long_options(argp, names, with_arg, 0, 125);

	/* argp's own */
	names[n] = "help", with_arg[n++] = 0;
	names[n] = "usage", with_arg[n++] = 0;
	names[n] = "version", with_arg[n++] = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char word[64];
		size_t len, best, dist[128], matched = 0;

		if (!strcmp(a, "--"))
			return;
		if (a[0] != '-' || !a[1]) {
			if (in_order)
				return;		/* the command name: its options are its own */
			continue;
		}
		if (a[1] != '-') {
			/* a cluster of short options: the one that takes an
			 * argument ends it, and takes the next word when last */
			for (const char *c = a + 1; *c; c++)
				if (short_takes_arg(argp, (unsigned char)*c)) {
					i += !c[1];
					break;
				}
			continue;
		}
		len = strcspn(a + 2, "=");
		/* getopt takes any unambiguous start of a name */
		for (size_t k = 0; k < n; k++)
			if (!strncmp(names[k], a + 2, len) && (matched = k + 1) && names[k][len] == '\0')
				break;
		if (matched) {
			i += with_arg[matched - 1] && !a[2 + len];
			continue;
		}
		snprintf(word, sizeof(word), "%.*s", (int)(len < 63 ? len : 63), a + 2);
		best = dbp_suggest(word, names, n, dist);
		/* the option is anyone's typing: escaped */
		{
			char *e = dbp_escape_text_dup(a);

			fprintf(stderr, "%s: unrecognized option '%s'\n", argv[0], e ? e : "?");
			free(e);
		}
		if (best < DBP_SUGGEST_MAX) {
			size_t same = 0;

			for (size_t k = 0; k < n; k++)
				same += dist[k] == best;
			fprintf(stderr, "\nThe most similar option%s\n", same == 1 ? " is" : "s are");
			for (size_t k = 0; k < n; k++)
				if (dist[k] == best)
					fprintf(stderr, "\t--%s\n", names[k]);
		}
		usage_try(argv[0]);
		exit(DBP_EXIT_UNKNOWN);
	}
}
