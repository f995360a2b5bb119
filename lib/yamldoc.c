/*
 * libyaml documents and the accessors the Compose and Kubernetes readers
 * use. Aliases share nodes in libyaml's documents, so nothing here walks
 * a tree whole: a billion laughs costs nothing.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "yamldoc.h"

#define MAX_DOCS 10000
#define MERGE_DEPTH 8

int dbp_yaml_load(const char *text, size_t len, struct dbp_yaml *y,
		  char *why, size_t whysize, int *line, int *column)
{
	yaml_parser_t p;
	int rc = 0;

	memset(y, 0, sizeof(*y));
	*line = *column = 0;
	if (memchr(text, '\0', len)) {
		snprintf(why, whysize, "a NUL byte: not YAML");
		return -EINVAL;
	}
	if (!yaml_parser_initialize(&p)) {
		snprintf(why, whysize, "out of memory");
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	for (;;) {
		yaml_document_t *nd;

		if (y->n >= MAX_DOCS) {
			snprintf(why, whysize, "more than %d documents", MAX_DOCS);
			rc = -EINVAL;
			break;
		}
		nd = realloc(y->docs, (y->n + 1) * sizeof(*nd));
		if (!nd) {
			snprintf(why, whysize, "out of memory");
			rc = -ENOMEM;
			break;
		}
		y->docs = nd;
		if (!yaml_parser_load(&p, &y->docs[y->n])) {
			snprintf(why, whysize, "%s%s%s", p.problem ? p.problem : "not YAML",
				 p.context ? " " : "", p.context ? p.context : "");
			*line = (int)p.problem_mark.line + 1;
			*column = (int)p.problem_mark.column + 1;
			rc = p.error == YAML_MEMORY_ERROR ? -ENOMEM : -EINVAL;
			break;
		}
		if (!yaml_document_get_root_node(&y->docs[y->n])) {
			/* the end of the stream */
			yaml_document_delete(&y->docs[y->n]);
			break;
		}
		y->n++;
	}
	yaml_parser_delete(&p);
	if (rc < 0)
		dbp_yaml_free(y);
	return rc;
}

void dbp_yaml_free(struct dbp_yaml *y)
{
	for (size_t i = 0; i < y->n; i++)
		yaml_document_delete(&y->docs[i]);
	free(y->docs);
	y->docs = NULL;
	y->n = 0;
}

yaml_node_t *dbp_yaml_root(struct dbp_yaml *y, size_t i)
{
	return i < y->n ? yaml_document_get_root_node(&y->docs[i]) : NULL;
}

static yaml_node_t *get(yaml_document_t *d, yaml_node_t *n, const char *key, int depth)
{
	yaml_node_pair_t *pr;

	if (!n || n->type != YAML_MAPPING_NODE || depth > MERGE_DEPTH)
		return NULL;
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(d, pr->key);

		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(key) &&
		    !memcmp(k->data.scalar.value, key, k->data.scalar.length))
			return yaml_document_get_node(d, pr->value);
	}
	/* Compose's x- anchors: `<<: *defaults` or `<<: [*a, *b]` */
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(d, pr->key);
		yaml_node_t *v = yaml_document_get_node(d, pr->value), *r;

		if (!k || k->type != YAML_SCALAR_NODE || strcmp((char *)k->data.scalar.value, "<<"))
			continue;
		if (v && v->type == YAML_MAPPING_NODE)
			return get(d, v, key, depth + 1);
		for (size_t i = 0; v && i < dbp_yaml_len(v); i++)
			if ((r = get(d, dbp_yaml_item(d, v, i), key, depth + 1)))
				return r;
	}
	return NULL;
}

yaml_node_t *dbp_yaml_get(yaml_document_t *d, yaml_node_t *n, const char *key)
{
	return get(d, n, key, 0);
}

yaml_node_t *dbp_yaml_path(yaml_document_t *d, yaml_node_t *n, ...)
{
	va_list ap;
	const char *k;

	va_start(ap, n);
	while (n && (k = va_arg(ap, const char *)))
		n = dbp_yaml_get(d, n, k);
	va_end(ap);
	return n;
}

const char *dbp_yaml_str(yaml_node_t *n)
{
	const char *s;

	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	s = (const char *)n->data.scalar.value;
	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL")))
		return NULL;
	return s;
}

size_t dbp_yaml_len(yaml_node_t *n)
{
	if (!n || n->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

yaml_node_t *dbp_yaml_item(yaml_document_t *d, yaml_node_t *n, size_t i)
{
	if (i >= dbp_yaml_len(n))
		return NULL;
	return yaml_document_get_node(d, n->data.sequence.items.start[i]);
}

char **dbp_yaml_strv(yaml_document_t *d, yaml_node_t *n)
{
	size_t len = dbp_yaml_len(n);
	char **v;

	if (!n || n->type != YAML_SEQUENCE_NODE)
		return NULL;
	v = calloc(len + 1, sizeof(char *));
	for (size_t i = 0; v && i < len; i++) {
		yaml_node_t *e = dbp_yaml_item(d, n, i);
		/* a number in a command list is its text */
		const char *s = e && e->type == YAML_SCALAR_NODE ? (const char *)e->data.scalar.value : "";

		v[i] = strdup(s);
		if (!v[i]) {
			for (size_t k = 0; k < i; k++)
				free(v[k]);
			free(v);
			return NULL;
		}
	}
	return v;
}

int dbp_yaml_bool(yaml_node_t *n)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "on", "On" };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "off", "Off" };
	const char *s = dbp_yaml_str(n);

	for (size_t i = 0; s && i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(s, yes[i]))
			return 1;
		if (!strcmp(s, no[i]))
			return 0;
	}
	return -1;
}

void dbp_yaml_pos(yaml_node_t *n, struct dbp_pos *p)
{
	p->line = n ? (int)n->start_mark.line + 1 : 0;
	p->column = n ? (int)n->start_mark.column + 1 : 0;
}

void dbp_yaml_span(yaml_node_t *n, int *from, int *to)
{
	int block = (n->type == YAML_MAPPING_NODE &&
		     n->data.mapping.style == YAML_BLOCK_MAPPING_STYLE) ||
		    (n->type == YAML_SEQUENCE_NODE &&
		     n->data.sequence.style == YAML_BLOCK_SEQUENCE_STYLE);

	*from = (int)n->start_mark.line + 1;
	*to = (int)n->end_mark.line + 1;
	/* a block collection ends where the next token starts (the next
	 * key's line, or the line after the last): that line is not its */
	if ((block || n->end_mark.column == 0) && *to > *from)
		(*to)--;
}

/* What starts on line (1-based): a key with its value, an item of a
 * sequence (`- name: pg` and all below it), or a document's root -- but
 * not a block mapping merely because its first key is there, which would
 * stretch the ignore over the keys that follow. */
static void cover(struct dbp_yaml *y, int line, struct dbp_ignore *ig)
{
	ig->from = ig->to = line;
	for (size_t k = 0; k < y->n; k++) {
		yaml_document_t *d = &y->docs[k];
		yaml_node_t *root = yaml_document_get_root_node(d);
		int f, t;

		if (root) {
			dbp_yaml_span(root, &f, &t);
			if (f == line && t > ig->to)
				ig->to = t;
		}
		for (yaml_node_t *n = d->nodes.start; n < d->nodes.top; n++) {
			if (n->type == YAML_SEQUENCE_NODE) {
				for (size_t i = 0; i < dbp_yaml_len(n); i++) {
					yaml_node_t *it = dbp_yaml_item(d, n, i);

					if (!it)
						continue;
					dbp_yaml_span(it, &f, &t);
					if (f == line && t > ig->to)
						ig->to = t;
				}
				continue;
			}
			if (n->type != YAML_MAPPING_NODE)
				continue;
			for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
			     p < n->data.mapping.pairs.top; p++) {
				yaml_node_t *kn = yaml_document_get_node(d, p->key);
				yaml_node_t *vn = yaml_document_get_node(d, p->value);

				if (!kn || !vn || (int)kn->start_mark.line + 1 != line)
					continue;
				dbp_yaml_span(vn, &f, &t);
				if (t > ig->to)
					ig->to = t;
			}
		}
	}
}

int dbp_yaml_ignores(const char *text, size_t len, struct dbp_yaml *y,
		     struct dbp_ignores *out)
{
	struct dbp_ignores pending = { NULL, 0 };
	size_t pos = 0;
	int no = 0, rc = 0;

	while (pos < len && rc == 0) {
		const char *l = text + pos, *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos, i = 0;

		pos += n + 1;
		no++;
		while (i < n && (l[i] == ' ' || l[i] == '\t' ||
				 (l[i] == '-' && i + 1 < n && l[i + 1] == ' ')))
			i++;
		if (i >= n || l[i] == '\r')
			continue;
		if (l[i] == '#') {
			struct dbp_ignore ig;

			rc = dbp_ignore_parse(l + i + 1, n - i - 1, 0, &ig);
			if (rc == 1) {
				ig.line = no;
				ig.column = (int)i + 1;
				rc = dbp_ignores_add(&pending, &ig);
			}
			continue;
		}
		if (!strncmp(l + i, "---", 3) || !strncmp(l + i, "...", 3))
			continue;
		for (size_t k = 0; k < pending.n && rc == 0; k++) {
			cover(y, no, &pending.items[k]);
			rc = dbp_ignores_add(out, &pending.items[k]);
		}
		dbp_ignores_free(&pending);
	}
	for (size_t k = 0; k < pending.n && rc == 0; k++)
		rc = dbp_ignores_add(out, &pending.items[k]);
	dbp_ignores_free(&pending);
	return rc < 0 ? rc : 0;
}
