/*
 * Each finding of a man page's FINDINGS section, as the page says it:
 * the table lib/lint/finding_docs.c, which man/finding-docs.awk makes
 * from the pages at build time, so that the SARIF rules of dbpod lint
 * carry the man page's words and never drift from them.
 */
#ifndef DBPOD_FINDING_DOCS_H
#define DBPOD_FINDING_DOCS_H

struct dbp_finding_doc {
	const char *id;		/* "DBI601" */
	const char *severity;	/* the page's words: "warning", "critical or warning" */
	const char *text;	/* the entry, troff made plain; "Fix: ..." where it says one */
};

/* Ended by an entry whose id is NULL. */
extern const struct dbp_finding_doc dbp_finding_docs[];

#endif
