/*
 * YAML through libyaml (never a home-made parser): every document of a
 * stream loaded with line and column marks, small accessors over the
 * nodes (with Compose's `<<` merge keys), and the `# dbpod ignore=`
 * comments, which libyaml drops, read from the text beside it.
 */
#ifndef DBPOD_YAMLDOC_H
#define DBPOD_YAMLDOC_H

#include <stddef.h>

#include <yaml.h>

#include "lintignore.h"
#include "lintunit.h"

struct dbp_yaml {
	yaml_document_t *docs;
	size_t n, cap;
};

/* What one YAML stream may cost (dbpod-lint(1), LIMITS). libyaml shares
 * an aliased node rather than copy it, but every reader that walks the
 * document walks an alias again each time it is used: the node budget
 * counts each node once where it is written and again each time an alias
 * brings it back (a billion laughs is the node count, not the text's
 * length). Nesting is counted as libyaml's events arrive, so that
 * libyaml never holds a deep document (its scanner pays for every open
 * flow level on every token). */
#define DBP_YAML_MAX_DEPTH 100		/* collections inside collections */
#define DBP_YAML_MAX_NODES 1000000	/* nodes, aliases expanded */
#define DBP_YAML_MAX_MERGE 8		/* `<<` inside what `<<` merges */
#define DBP_YAML_MAX_DOCS 10000		/* documents in a stream */

/* Load every document of len bytes of YAML. Returns 0, or -EINVAL with
 * why and the error's line and column (1-based) -- bad YAML, an alias to
 * an undefined anchor or to a collection that holds it, or a limit above
 * passed (why names it) -- or -ENOMEM. */
int dbp_yaml_load(const char *text, size_t len, struct dbp_yaml *y,
		  char *why, size_t whysize, int *line, int *column);
void dbp_yaml_free(struct dbp_yaml *y);

/* The root node of document i, or NULL for an empty one. */
yaml_node_t *dbp_yaml_root(struct dbp_yaml *y, size_t i);

/* The value of key in a mapping (following `<<` merges), NULL when n is
 * not a mapping or has no such key. */
yaml_node_t *dbp_yaml_get(yaml_document_t *d, yaml_node_t *n, const char *key);
/* The same down a path of keys: "spec", "template", "spec", NULL. */
yaml_node_t *dbp_yaml_path(yaml_document_t *d, yaml_node_t *n, ...);

/* A scalar's text, NULL for anything else (and for a null scalar). */
const char *dbp_yaml_str(yaml_node_t *n);
/* Items of a sequence: count, and item i. */
size_t dbp_yaml_len(yaml_node_t *n);
yaml_node_t *dbp_yaml_item(yaml_document_t *d, yaml_node_t *n, size_t i);
/* The words of a sequence of scalars (NULL-terminated, malloc'd), NULL
 * when n is not one. */
char **dbp_yaml_strv(yaml_document_t *d, yaml_node_t *n);
/* YAML true/yes/on (1), false/no/off (0), or -EINVAL for any other
 * value and for no node. */
int dbp_yaml_bool(yaml_node_t *n);

void dbp_yaml_pos(yaml_node_t *n, struct dbp_pos *p);

/* Inline ignore comments of the text: each covers the node that starts on
 * the next line holding content (with the value of a key there). */
int dbp_yaml_ignores(const char *text, size_t len, struct dbp_yaml *y,
		     struct dbp_ignores *out);

/* The lines a node spans, 1-based. */
void dbp_yaml_span(yaml_node_t *n, int *from, int *to);

#endif
