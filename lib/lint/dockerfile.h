/*
 * A small Dockerfile parser: what BuildKit's frontend reads, as far as
 * dbpod needs it. Parser directives (`# escape=`), line continuations with
 * the escape character, comment lines inside a continuation (dropped),
 * heredocs (`RUN <<EOF ... EOF`, `<<-EOF`, quoted words), and the exec
 * form of an instruction as a JSON array of strings with its escapes.
 * There is no C library for this; this one is fuzzed (fuzz/fuzz_dockerfile.c).
 */
#ifndef DBPOD_DOCKERFILE_H
#define DBPOD_DOCKERFILE_H

#include <stddef.h>

#include "lintignore.h"

struct dbp_dinstr {
	char keyword[16];	/* upper case: "ENTRYPOINT" */
	char *args;		/* after the keyword, continuations joined */
	char **json;		/* exec form: the array's strings, NULL-terminated;
				 * NULL for the shell form */
	char **heredocs;	/* heredoc bodies, NULL-terminated; NULL for none */
	int line, column;	/* of the keyword, 1-based */
	int end_line;		/* the last line it takes, heredocs included */
};

struct dbp_dockerfile {
	struct dbp_dinstr *items;
	size_t n, cap;
	char escape;		/* '\\' or '`' */
	struct dbp_ignores ignores;	/* `# dbpod ignore=` comments */
};

/* Parse len bytes. Returns 0, or -EINVAL with the reason and the line in
 * why ("line 3: unknown instruction 'FORM'"), or -ENOMEM. */
int dbp_dockerfile_parse(const char *text, size_t len, struct dbp_dockerfile *df,
			 char *why, size_t whysize);
void dbp_dockerfile_free(struct dbp_dockerfile *df);

#endif
