/*
 * Inline ignores: parsing the comment or annotation, and dropping what
 * they cover from a report.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grow.h"
#include "lintignore.h"

/* "DBI601, DBK701" -> "DBI601,DBK701": ids are letters and digits */
static size_t read_ids(const char *s, size_t len, char *out, size_t size)
{
	size_t i = 0, o = 0;

	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= len || !isalnum((unsigned char)s[i]))
			break;
		if (o && o + 1 < size)
			out[o++] = ',';
		while (i < len && isalnum((unsigned char)s[i])) {
			if (o + 1 < size)
				out[o++] = (char)toupper((unsigned char)s[i]);
			i++;
		}
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < len && s[i] == ',')
			i++;
		else
			break;
	}
	out[o] = '\0';
	return i;
}

static char *trimmed(const char *s, size_t len)
{
	char *r;

	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	r = malloc(len + 1);
	if (r) {
		memcpy(r, s, len);
		r[len] = '\0';
	}
	return r;
}

int dbp_ignore_parse(const char *text, size_t len, int annotation, struct dbp_ignore *ig)
{
	size_t i = 0, n;

	memset(ig, 0, sizeof(*ig));
	if (!annotation) {
		while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '#'))
			i++;
		if (len - i < 13 || strncasecmp(text + i, "dbpod ignore=", 13))
			return 0;
		i += 13;
	}
	n = read_ids(text + i, len - i, ig->ids, sizeof(ig->ids));
	if (!ig->ids[0])
		return 0;
	i += n;
	while (i < len && (text[i] == ' ' || text[i] == '\t'))
		i++;
	if (annotation && i < len && text[i] == ':')
		i++;
	else if (!annotation && len - i >= 7 && !strncasecmp(text + i, "reason:", 7))
		i += 7;
	else
		i = len;	/* no reason */
	ig->reason = trimmed(text + i, len - i);
	if (!ig->reason)
		return -ENOMEM;
	return 1;
}

int dbp_ignores_add(struct dbp_ignores *l, struct dbp_ignore *ig)
{
	if (dbp_grow((void **)&l->items, &l->cap, l->n + 1, sizeof(*l->items)) < 0)
		return -ENOMEM;
	l->items[l->n++] = *ig;
	ig->reason = NULL;
	return 0;
}

void dbp_ignores_free(struct dbp_ignores *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].reason);
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

static int run_cmp(const void *a, const void *b)
{
	const struct dbp_ignore_run *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : (x->from > y->from) - (x->from < y->from);
}

int dbp_ignore_index_build(const struct dbp_ignores *l, struct dbp_ignore_index *ix)
{
	size_t n = 0, k = 0;

	ix->runs = NULL;
	ix->n = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (!l->items[i].reason || !*l->items[i].reason)
			continue;
		n++;
		for (const char *c = l->items[i].ids; (c = strchr(c, ',')); c++)
			n++;
	}
	if (!n)
		return 0;
	ix->runs = calloc(n, sizeof(*ix->runs));
	if (!ix->runs)
		return -ENOMEM;
	/* one run for each id of each ignore; the ids are upper case
	 * (read_ids), at most 15 characters as a finding's are */
	for (size_t i = 0; i < l->n; i++) {
		const struct dbp_ignore *ig = &l->items[i];

		if (!ig->reason || !*ig->reason)
			continue;
		for (const char *p = ig->ids; *p;) {
			size_t len = strcspn(p, ",");

			if (len < sizeof(ix->runs[0].id) && k < n) {
				memcpy(ix->runs[k].id, p, len);
				ix->runs[k].from = ig->from;
				ix->runs[k].to = ig->to;
				k++;
			}
			p += len + (p[len] == ',');
		}
	}
	qsort(ix->runs, k, sizeof(*ix->runs), run_cmp);
	/* overlapping runs of one id merged: disjoint, for a binary search */
	for (size_t i = 0; i < k; i++) {
		struct dbp_ignore_run *last = ix->n ? &ix->runs[ix->n - 1] : NULL;

		if (last && !strcmp(last->id, ix->runs[i].id) && ix->runs[i].from <= last->to) {
			if (ix->runs[i].to > last->to)
				last->to = ix->runs[i].to;
		} else {
			ix->runs[ix->n++] = ix->runs[i];
		}
	}
	return 0;
}

int dbp_ignore_index_covers(const struct dbp_ignore_index *ix, const char *id, int line)
{
	struct dbp_ignore_run key;
	size_t lo = 0, hi = ix->n, i;

	memset(&key, 0, sizeof(key));
	for (i = 0; id[i] && i < sizeof(key.id) - 1; i++)
		key.id[i] = (char)toupper((unsigned char)id[i]);
	if (id[i])
		return 0;
	key.from = line;
	/* the last run of id that starts at or before line */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (run_cmp(&ix->runs[mid], &key) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && !strcmp(ix->runs[lo - 1].id, key.id) && line >= ix->runs[lo - 1].from &&
	       line <= ix->runs[lo - 1].to;
}

void dbp_ignore_index_free(struct dbp_ignore_index *ix)
{
	free(ix->runs);
	ix->runs = NULL;
	ix->n = 0;
}
