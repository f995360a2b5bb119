/*
 * libyaml documents and the accessors the Compose and Kubernetes readers
 * use. Aliases share nodes in the documents, but the readers walk what an
 * alias names each time it is used: the composer below counts that walk
 * against a budget before any reader starts.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grow.h"
#include "yamldoc.h"

#define MERGE_DEPTH DBP_YAML_MAX_MERGE

/* Anchors, by name, for the stream being composed: the most recent node
 * with a name is the one an alias means (YAML 1.2, 3.2.2.2). Open
 * addressing over a power of two; names are copied. */
struct anchors {
	char **name;
	int *node;
	size_t cap, n;
};

static size_t anchor_hash(const char *s)
{
	size_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static size_t anchor_slot(const struct anchors *a, const char *name)
{
	size_t i = anchor_hash(name) & (a->cap - 1);

	while (a->name[i] && strcmp(a->name[i], name))
		i = (i + 1) & (a->cap - 1);
	return i;
}

static int anchor_set(struct anchors *a, const char *name, int node)
{
	size_t i;

	if (2 * (a->n + 1) > a->cap) {
		struct anchors b = { NULL, NULL, a->cap ? 2 * a->cap : 64, 0 };

		b.name = calloc(b.cap, sizeof(*b.name));
		b.node = calloc(b.cap, sizeof(*b.node));
		if (!b.name || !b.node) {
			free(b.name);
			free(b.node);
			return -ENOMEM;
		}
		for (size_t k = 0; k < a->cap; k++) {
			if (!a->name[k])
				continue;
			i = anchor_slot(&b, a->name[k]);
			b.name[i] = a->name[k];
			b.node[i] = a->node[k];
		}
		free(a->name);
		free(a->node);
		b.n = a->n;
		*a = b;
	}
	i = anchor_slot(a, name);
	if (!a->name[i]) {
		if (!(a->name[i] = strdup(name)))
			return -ENOMEM;
		a->n++;
	}
	a->node[i] = node;
	return 0;
}

static int anchor_get(const struct anchors *a, const char *name)
{
	size_t i;

	if (!a->cap)
		return 0;
	i = anchor_slot(a, name);
	return a->name[i] ? a->node[i] : 0;
}

/* A document is a new set of anchors. */
static void anchors_clear(struct anchors *a)
{
	for (size_t k = 0; k < a->cap; k++) {
		free(a->name[k]);
		a->name[k] = NULL;
	}
	a->n = 0;
}

/* What the composer knows of each node of the document, by node id:
 * how many nodes it stands for with aliases expanded (saturating), how
 * deep the `<<` merges below it go, and whether it is still open (an
 * alias to an open collection would make the document contain itself). */
struct nodeinfo {
	size_t expanded;
	unsigned char merge, open;
};

struct composer {
	yaml_parser_t p;
	yaml_document_t *d;
	struct anchors anchors;
	struct nodeinfo *info;		/* [id - 1] */
	size_t capinfo;
	size_t nodes;			/* of the stream, aliases expanded */
	struct frame {
		int node, key;		/* key: a mapping's key awaiting its value */
		size_t expanded;
	} stack[DBP_YAML_MAX_DEPTH];
	int depth;
	char *why;
	size_t whysize;
	int line, column;
};

static int compose_fail(struct composer *c, const yaml_mark_t *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int compose_fail(struct composer *c, const yaml_mark_t *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, c->whysize, fmt, ap);
	va_end(ap);
	c->line = (int)at->line + 1;
	c->column = (int)at->column + 1;
	return -EINVAL;
}

static int count_nodes(struct composer *c, size_t n, const yaml_mark_t *at)
{
	c->nodes += n;
	if (c->nodes > DBP_YAML_MAX_NODES)
		return compose_fail(c, at, "more than %d nodes, aliases counted each time they "
				    "are used (dbpod's limit)", DBP_YAML_MAX_NODES);
	return 0;
}

/* A node was added to the document: note it, and put it in what holds it. */
static int compose_attach(struct composer *c, int id, const yaml_event_t *ev,
			  const yaml_char_t *anchor)
{
	struct nodeinfo *ni;
	yaml_node_t *n = yaml_document_get_node(c->d, id);

	if (!id || !n)
		return -ENOMEM;
	n->start_mark = ev->start_mark;
	n->end_mark = ev->end_mark;
	if (dbp_grow((void **)&c->info, &c->capinfo, (size_t)id, sizeof(*c->info)) < 0)
		return -ENOMEM;
	ni = &c->info[id - 1];
	ni->expanded = 1;
	ni->merge = 0;
	ni->open = n->type != YAML_SCALAR_NODE;
	if (anchor && anchor_set(&c->anchors, (const char *)anchor, id) < 0)
		return -ENOMEM;
	return 0;
}

/* Put node id (standing for expanded nodes) into the open collection. */
static int compose_place(struct composer *c, int id, size_t expanded)
{
	struct frame *f;

	if (!c->depth)
		return 0;	/* the document's root */
	f = &c->stack[c->depth - 1];
	f->expanded = f->expanded + expanded < f->expanded ? SIZE_MAX : f->expanded + expanded;
	if (yaml_document_get_node(c->d, f->node)->type == YAML_SEQUENCE_NODE)
		return yaml_document_append_sequence_item(c->d, f->node, id) ? 0 : -ENOMEM;
	if (!f->key) {
		f->key = id;
		return 0;
	}
	if (!yaml_document_append_mapping_pair(c->d, f->node, f->key, id))
		return -ENOMEM;
	f->key = 0;
	return 0;
}

/* A mapping is complete: how deep its `<<` merges go (dbp_yaml_get
 * follows them that far). */
static int merge_depth(struct composer *c, yaml_node_t *m, const yaml_mark_t *at)
{
	int depth = 0;

	for (yaml_node_pair_t *pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(c->d, pr->key);
		yaml_node_t *v = yaml_document_get_node(c->d, pr->value);
		size_t n = v && v->type == YAML_SEQUENCE_NODE ? dbp_yaml_len(v) : 1;

		if (!k || k->type != YAML_SCALAR_NODE || strcmp((char *)k->data.scalar.value, "<<"))
			continue;
		for (size_t i = 0; i < n; i++) {
			int t = v && v->type == YAML_SEQUENCE_NODE ?
				v->data.sequence.items.start[i] : pr->value;
			yaml_node_t *tn = yaml_document_get_node(c->d, t);

			if (tn && tn->type == YAML_MAPPING_NODE && c->info[t - 1].merge + 1 > depth)
				depth = c->info[t - 1].merge + 1;
		}
	}
	if (depth > DBP_YAML_MAX_MERGE)
		return compose_fail(c, at, "merge keys (<<) nested more than %d deep (dbpod's limit)",
				    DBP_YAML_MAX_MERGE);
	return depth;
}

/* One event into the document being composed; 1 at its end. */
static int compose_event(struct composer *c, yaml_event_t *ev)
{
	const yaml_char_t *tag = NULL, *anchor = NULL;
	int id, rc;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		if (tag && !strcmp((const char *)tag, "!"))
			tag = NULL;
		if ((rc = count_nodes(c, 1, &ev->start_mark)) < 0)
			return rc;
		if (ev->data.scalar.length > INT_MAX)
			return -ENOMEM;
		id = yaml_document_add_scalar(c->d, tag, ev->data.scalar.value,
					      (int)ev->data.scalar.length, ev->data.scalar.style);
		if ((rc = compose_attach(c, id, ev, anchor)) < 0)
			return rc;
		return compose_place(c, id, 1);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (c->depth == DBP_YAML_MAX_DEPTH)
			return compose_fail(c, &ev->start_mark, "nested more than %d levels deep "
					    "(dbpod's limit)", DBP_YAML_MAX_DEPTH);
		if ((rc = count_nodes(c, 1, &ev->start_mark)) < 0)
			return rc;
		if (ev->type == YAML_SEQUENCE_START_EVENT) {
			anchor = ev->data.sequence_start.anchor;
			tag = ev->data.sequence_start.tag;
			id = yaml_document_add_sequence(c->d, tag, ev->data.sequence_start.style);
		} else {
			anchor = ev->data.mapping_start.anchor;
			tag = ev->data.mapping_start.tag;
			id = yaml_document_add_mapping(c->d, tag, ev->data.mapping_start.style);
		}
		if ((rc = compose_attach(c, id, ev, anchor)) < 0)
			return rc;
		c->stack[c->depth].node = id;
		c->stack[c->depth].key = 0;
		c->stack[c->depth].expanded = 1;
		c->depth++;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT: {
		struct frame f = c->stack[--c->depth];
		yaml_node_t *n = yaml_document_get_node(c->d, f.node);

		n->end_mark = ev->end_mark;
		c->info[f.node - 1].open = 0;
		c->info[f.node - 1].expanded = f.expanded;
		if (n->type == YAML_MAPPING_NODE) {
			if ((rc = merge_depth(c, n, &n->start_mark)) < 0)
				return rc;
			c->info[f.node - 1].merge = (unsigned char)rc;
		}
		return compose_place(c, f.node, f.expanded);
	}
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;

		id = anchor_get(&c->anchors, name);
		if (!id)
			return compose_fail(c, &ev->start_mark, "the alias *%s has no anchor &%s "
					    "before it", name, name);
		if (c->info[id - 1].open)
			return compose_fail(c, &ev->start_mark, "the alias *%s is inside the "
					    "collection it names", name);
		/* the nodes a reader walks again through this alias */
		if ((rc = count_nodes(c, c->info[id - 1].expanded, &ev->start_mark)) < 0)
			return rc;
		return compose_place(c, id, c->info[id - 1].expanded);
	}
	case YAML_DOCUMENT_END_EVENT:
		c->d->end_mark = ev->end_mark;
		return 1;
	default:
		return 0;
	}
}

static int parse_fail(struct composer *c)
{
	snprintf(c->why, c->whysize, "%s%s%s", c->p.problem ? c->p.problem : "not YAML",
		 c->p.context ? " " : "", c->p.context ? c->p.context : "");
	c->line = (int)c->p.problem_mark.line + 1;
	c->column = (int)c->p.problem_mark.column + 1;
	return c->p.error == YAML_MEMORY_ERROR ? -ENOMEM : -EINVAL;
}

/* The next document of the stream into c->d; 1 when there is none. */
static int compose_document(struct composer *c)
{
	yaml_event_t ev;
	int rc;

	do {
		if (!yaml_parser_parse(&c->p, &ev))
			return parse_fail(c);
		rc = ev.type == YAML_STREAM_END_EVENT ? 1 : 0;
		if (ev.type == YAML_DOCUMENT_START_EVENT) {
			if (!yaml_document_initialize(c->d, NULL, NULL, NULL,
						      ev.data.document_start.implicit, 1))
				rc = -ENOMEM;
			else
				c->d->start_mark = ev.start_mark;
			rc = rc < 0 ? rc : 2;
		}
		yaml_event_delete(&ev);
	} while (rc == 0);
	if (rc != 2)
		return rc;
	anchors_clear(&c->anchors);
	c->depth = 0;
	do {
		if (!yaml_parser_parse(&c->p, &ev)) {
			rc = parse_fail(c);
			break;
		}
		rc = compose_event(c, &ev);
		yaml_event_delete(&ev);
	} while (rc == 0);
	if (rc < 0) {
		yaml_document_delete(c->d);
		return rc;
	}
	return 0;
}

/* libyaml's loader, yaml_parser_load, is not used: it keeps anchors in a
 * list it searches for every anchor and alias, goes as deep as the text
 * does and takes any number of aliases. This composes the same documents
 * from libyaml's events, within the limits of yamldoc.h. */
int dbp_yaml_load(const char *text, size_t len, struct dbp_yaml *y,
		  char *why, size_t whysize, int *line, int *column)
{
	struct composer c;
	int rc = 0;

	memset(y, 0, sizeof(*y));
	*line = *column = 0;
	if (memchr(text, '\0', len)) {
		snprintf(why, whysize, "a NUL byte: not YAML");
		return -EINVAL;
	}
	memset(&c, 0, sizeof(c));
	c.why = why;
	c.whysize = whysize;
	if (!yaml_parser_initialize(&c.p)) {
		snprintf(why, whysize, "out of memory");
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&c.p, (const unsigned char *)text, len);
	for (;;) {
		if (dbp_grow((void **)&y->docs, &y->cap, y->n + 1, sizeof(*y->docs)) < 0) {
			rc = -ENOMEM;
			break;
		}
		c.d = &y->docs[y->n];
		rc = compose_document(&c);
		if (rc != 0)
			break;
		if (++y->n > DBP_YAML_MAX_DOCS) {
			rc = compose_fail(&c, &c.d->start_mark, "more than %d documents (dbpod's "
					  "limit)", DBP_YAML_MAX_DOCS);
			break;
		}
	}
	yaml_parser_delete(&c.p);
	anchors_clear(&c.anchors);
	free(c.anchors.name);
	free(c.anchors.node);
	free(c.info);
	*line = c.line;
	*column = c.column;
	if (rc == 1)
		return 0;	/* the end of the stream */
	if (rc == -ENOMEM)
		snprintf(why, whysize, "out of memory");
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
	return -EINVAL;
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

/* What starts on each line (1-based): a key with its value, an item of a
 * sequence (`- name: pg` and all below it), or a document's root -- but
 * not a block mapping merely because its first key is there, which would
 * stretch the ignore over the keys that follow. reach[line] is the last
 * line of the longest of them, 0 for none: one pass over the nodes for
 * every ignore of the file. */
static void reach_note(int *reach, int nlines, int line, int to)
{
	if (line >= 1 && line <= nlines && to > reach[line])
		reach[line] = to;
}

static int *reach_build(struct dbp_yaml *y, int nlines)
{
	int *reach = calloc((size_t)nlines + 1, sizeof(int));

	for (size_t k = 0; reach && k < y->n; k++) {
		yaml_document_t *d = &y->docs[k];
		yaml_node_t *root = yaml_document_get_root_node(d);
		int f, t;

		if (root) {
			dbp_yaml_span(root, &f, &t);
			reach_note(reach, nlines, f, t);
		}
		for (yaml_node_t *n = d->nodes.start; n < d->nodes.top; n++) {
			if (n->type == YAML_SEQUENCE_NODE) {
				for (size_t i = 0; i < dbp_yaml_len(n); i++) {
					yaml_node_t *it = dbp_yaml_item(d, n, i);

					if (!it)
						continue;
					dbp_yaml_span(it, &f, &t);
					reach_note(reach, nlines, f, t);
				}
				continue;
			}
			if (n->type != YAML_MAPPING_NODE)
				continue;
			for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
			     p < n->data.mapping.pairs.top; p++) {
				yaml_node_t *kn = yaml_document_get_node(d, p->key);
				yaml_node_t *vn = yaml_document_get_node(d, p->value);

				if (!kn || !vn)
					continue;
				dbp_yaml_span(vn, &f, &t);
				reach_note(reach, nlines, (int)kn->start_mark.line + 1, t);
			}
		}
	}
	return reach;
}

int dbp_yaml_ignores(const char *text, size_t len, struct dbp_yaml *y,
		     struct dbp_ignores *out)
{
	struct dbp_ignores pending = { NULL, 0, 0 };
	size_t pos = 0;
	int no = 0, rc = 0, nlines = 1, *reach = NULL;

	for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))); p++)
		nlines++;
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
		if (pending.n && !reach && !(reach = reach_build(y, nlines)))
			rc = -ENOMEM;
		for (size_t k = 0; k < pending.n && rc == 0; k++) {
			pending.items[k].from = no;
			pending.items[k].to = reach[no] > no ? reach[no] : no;
			rc = dbp_ignores_add(out, &pending.items[k]);
		}
		dbp_ignores_free(&pending);
	}
	for (size_t k = 0; k < pending.n && rc == 0; k++)
		rc = dbp_ignores_add(out, &pending.items[k]);
	dbp_ignores_free(&pending);
	free(reach);
	return rc < 0 ? rc : 0;
}
