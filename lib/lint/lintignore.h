/*
 * Inline ignores of dbpod lint: a comment `# dbpod ignore=DBI601,DBI603
 * reason: why` before a Dockerfile instruction or a YAML object, or a
 * Kubernetes annotation `dbpod.io/ignore: "DBI601: why"`. An ignore covers
 * the lines of what follows it; one without a reason silences nothing and
 * is itself a finding (DBI690, rules_lint.h dbp_ignores_apply), so that
 * every exception says why.
 */
#ifndef DBPOD_LINTIGNORE_H
#define DBPOD_LINTIGNORE_H

#include <stddef.h>

#include "report.h"

struct dbp_ignore {
	char ids[128];		/* comma-separated, as written */
	char *reason;		/* NULL or "": none given */
	int line, column;	/* where the ignore is written */
	int from, to;		/* the lines it covers; 0, 0 until known */
};

struct dbp_ignores {
	struct dbp_ignore *items;
	size_t n, cap;
};

/* Parse a comment's text (after the '#') or an annotation's value
 * (annotation set: "IDS: reason"). Returns 1 and fills ig (line, column,
 * from, to left 0) when it is a dbpod ignore, 0 when the text is not one,
 * -ENOMEM. */
int dbp_ignore_parse(const char *text, size_t len, int annotation, struct dbp_ignore *ig);

/* Append a copy of ig (the reason is taken over); -ENOMEM. */
int dbp_ignores_add(struct dbp_ignores *l, struct dbp_ignore *ig);
void dbp_ignores_free(struct dbp_ignores *l);

/* The lines each id is silenced on by the ignores that give a reason, as
 * sorted runs, so that a report of thousands of findings is checked
 * against thousands of ignores in time n log n, not n times n. */
struct dbp_ignore_index {
	struct dbp_ignore_run {
		char id[16];
		int from, to;
	} *runs;
	size_t n;
};

int dbp_ignore_index_build(const struct dbp_ignores *l, struct dbp_ignore_index *ix);	/* -ENOMEM */
/* Whether id (any case) is silenced on line. */
int dbp_ignore_index_covers(const struct dbp_ignore_index *ix, const char *id, int line);
void dbp_ignore_index_free(struct dbp_ignore_index *ix);

#endif
