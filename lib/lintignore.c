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
	struct dbp_ignore *ni = realloc(l->items, (l->n + 1) * sizeof(*ni));

	if (!ni)
		return -ENOMEM;
	l->items = ni;
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
	l->n = 0;
}
