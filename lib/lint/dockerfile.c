/*
 * The Dockerfile parser. Lines are read one at a time; an instruction
 * takes the lines its continuations and heredocs need. Nothing here judges.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "dockerfile.h"
#include "grow.h"
#include "jsonstrict.h"

static const char *const keywords[] = {
	"FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY",
	"ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL",
	"HEALTHCHECK", "SHELL",
};

struct lines {
	const char *s;
	size_t len, pos;
	int no;			/* the number of the line last read */
};

/* the next physical line, without its \n or \r\n; 0 at the end */
static int next_line(struct lines *l, const char **line, size_t *n)
{
	const char *nl;

	if (l->pos >= l->len)
		return 0;
	*line = l->s + l->pos;
	nl = memchr(*line, '\n', l->len - l->pos);
	*n = nl ? (size_t)(nl - *line) : l->len - l->pos;
	l->pos += *n + (nl != NULL);
	if (*n && (*line)[*n - 1] == '\r')
		(*n)--;
	l->no++;
	return 1;
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* s (n bytes) after the *blen of *buf, whose room is *bcap: a heredoc
 * or a continued instruction grows a line at a time */
static int append(char **buf, size_t *blen, size_t *bcap, const char *s, size_t n)
{
	if (dbp_grow((void **)buf, bcap, *blen + n + 1, 1) < 0)
		return -ENOMEM;
	memcpy(*buf + *blen, s, n);
	*blen += n;
	(*buf)[*blen] = '\0';
	return 0;
}

static void strv_free(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

/* "[...]" as a JSON array of strings: the exec form. NULL for anything
 * else, which Docker then runs in shell form. */
static char **exec_form(const char *args)
{
	size_t len = strlen(args), pos = 0, st, en, p2;
	char why[8];
	struct json_object *a;
	char **v = NULL;

	while (len && isspace((unsigned char)args[len - 1]))
		len--;
	if (dbp_json_next_value(args, len, &pos, &st, &en, why, sizeof(why)) != 1 ||
	    args[st] != '[')
		return NULL;
	p2 = pos;
	if (dbp_json_next_value(args, len, &p2, &st, &en, why, sizeof(why)) != 0)
		return NULL;
	a = json_tokener_parse(args);
	if (!a || !json_object_is_type(a, json_type_array))
		goto out;
	v = calloc(json_object_array_length(a) + 1, sizeof(char *));
	for (size_t i = 0; v && i < json_object_array_length(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		if (!json_object_is_type(e, json_type_string) ||
		    !(v[i] = strdup(json_object_get_string(e)))) {
			strv_free(v);
			v = NULL;
			break;
		}
	}
out:
	json_object_put(a);
	return v;
}

/* The heredoc words of a RUN/COPY/ADD line, in order: `<<EOF`, `<<-EOF`,
 * `<<"EOF"`, `<<'EOF'`. Returns how many (at most max); strip[i] is set
 * for <<-. */
static size_t heredoc_words(const char *args, char words[][64], int *strip, size_t max)
{
	size_t n = 0;

	for (const char *p = strstr(args, "<<"); p && n < max; p = strstr(p, "<<")) {
		size_t k = 0;
		char q = 0;

		p += 2;
		strip[n] = *p == '-';
		if (*p == '-')
			p++;
		if (*p == '"' || *p == '\'')
			q = *p++;
		while (*p && (isalnum((unsigned char)*p) || *p == '_') && k < 63)
			words[n][k++] = *p++;
		words[n][k] = '\0';
		if (q && *p == q)
			p++;
		if (k)
			n++;
	}
	return n;
}

static int heredocs(struct lines *l, struct dbp_dinstr *in)
{
	char words[8][64];
	int strip[8];
	size_t n = heredoc_words(in->args, words, strip, 8);

	if (!n)
		return 0;
	in->heredocs = calloc(n + 1, sizeof(char *));
	if (!in->heredocs)
		return -ENOMEM;
	for (size_t h = 0; h < n; h++) {
		const char *line;
		size_t len, blen = 0, bcap = 0;

		if (append(&in->heredocs[h], &blen, &bcap, "", 0) < 0)
			return -ENOMEM;
		while (next_line(l, &line, &len)) {
			size_t i = 0;

			while (strip[h] && i < len && line[i] == '\t')
				i++;
			if (len - i == strlen(words[h]) && !memcmp(line + i, words[h], len - i))
				break;
			if (append(&in->heredocs[h], &blen, &bcap, line + i, len - i) < 0 ||
			    append(&in->heredocs[h], &blen, &bcap, "\n", 1) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

/* does the piece end in the escape character (before trailing blanks)? */
static int continues(const char *s, size_t *n, char esc)
{
	size_t k = *n;

	while (k && (s[k - 1] == ' ' || s[k - 1] == '\t'))
		k--;
	if (k && s[k - 1] == esc) {
		*n = k - 1;
		return 1;
	}
	return 0;
}

/* `# escape=`` ` and friends: only at the very top */
static void directives(struct lines *l, struct dbp_dockerfile *df)
{
	const char *line;
	size_t n;

	for (;;) {
		struct lines save = *l;
		size_t i, k, v;

		if (!next_line(l, &line, &n))
			return;
		i = skip_ws(line, n, 0);
		if (i >= n || line[i] != '#') {
			*l = save;
			return;
		}
		i = skip_ws(line, n, i + 1);
		for (k = i; k < n && isalpha((unsigned char)line[k]); k++)
			;
		v = skip_ws(line, n, k);
		if (k == i || v >= n || line[v] != '=') {
			*l = save;	/* an ordinary comment ends the directives */
			return;
		}
		v = skip_ws(line, n, v + 1);
		if (k - i == 6 && !strncasecmp(line + i, "escape", 6) && v < n &&
		    (line[v] == '`' || line[v] == '\\'))
			df->escape = line[v];
	}
}

static int instruction(struct lines *l, struct dbp_dockerfile *df, const char *line,
		       size_t n, size_t i, char *why, size_t whysize)
{
	struct dbp_dinstr *in;
	size_t k = i, blen = 0, bcap = 0, known = 0;
	int more;

	if (dbp_grow((void **)&df->items, &df->cap, df->n + 1, sizeof(*df->items)) < 0)
		return -ENOMEM;
	in = &df->items[df->n];
	memset(in, 0, sizeof(*in));
	while (k < n && isalpha((unsigned char)line[k]))
		k++;
	for (size_t w = 0; w < sizeof(keywords) / sizeof(keywords[0]); w++)
		if (k - i == strlen(keywords[w]) && !strncasecmp(line + i, keywords[w], k - i)) {
			strcpy(in->keyword, keywords[w]);
			known = 1;
		}
	if (!known || (k < n && line[k] != ' ' && line[k] != '\t' && line[k] != df->escape)) {
		snprintf(why, whysize, "line %d: unknown instruction '%.*s'", l->no,
			 (int)(k - i < 32 ? (k > i ? k - i : 1) : 32), line + i);
		return -EINVAL;
	}
	df->n++;
	in->line = l->no;
	in->column = (int)i + 1;
	line += k;
	n -= k;
	for (;;) {
		more = continues(line, &n, df->escape);
		if (append(&in->args, &blen, &bcap, line, n) < 0)
			return -ENOMEM;
		if (!more)
			break;
		/* comment and empty lines inside a continuation are dropped */
		do {
			if (!next_line(l, &line, &n)) {
				n = 0;
				break;
			}
			i = skip_ws(line, n, 0);
		} while (i >= n || line[i] == '#');
		if (!n)
			break;
	}
	k = 0;
	while (in->args[k] == ' ' || in->args[k] == '\t')
		k++;
	memmove(in->args, in->args + k, strlen(in->args + k) + 1);
	if (!strcmp(in->keyword, "RUN") || !strcmp(in->keyword, "COPY") ||
	    !strcmp(in->keyword, "ADD")) {
		if (heredocs(l, in) < 0)
			return -ENOMEM;
	} else {
		in->json = exec_form(in->args);
	}
	in->end_line = l->no;
	return 0;
}

int dbp_dockerfile_parse(const char *text, size_t len, struct dbp_dockerfile *df,
			 char *why, size_t whysize)
{
	struct lines l = { text, len, 0, 0 };
	struct dbp_ignores pending = { NULL, 0, 0 };
	const char *line;
	size_t n;
	int rc = 0;

	memset(df, 0, sizeof(*df));
	df->escape = '\\';
	if (memchr(text, '\0', len)) {
		snprintf(why, whysize, "a NUL byte: not a Dockerfile");
		return -EINVAL;
	}
	directives(&l, df);
	while (rc == 0 && next_line(&l, &line, &n)) {
		size_t i = skip_ws(line, n, 0);

		if (i >= n)
			continue;
		if (line[i] == '#') {
			struct dbp_ignore ig;

			rc = dbp_ignore_parse(line + i + 1, n - i - 1, 0, &ig);
			if (rc == 1) {
				ig.line = l.no;
				ig.column = (int)i + 1;
				rc = dbp_ignores_add(&pending, &ig);
			}
			continue;
		}
		rc = instruction(&l, df, line, n, i, why, whysize);
		for (size_t k = 0; rc == 0 && k < pending.n; k++) {
			pending.items[k].from = df->items[df->n - 1].line;
			pending.items[k].to = df->items[df->n - 1].end_line;
			rc = dbp_ignores_add(&df->ignores, &pending.items[k]);
		}
		dbp_ignores_free(&pending);
	}
	/* an ignore at the end covers nothing, but still needs its reason */
	for (size_t k = 0; rc == 0 && k < pending.n; k++)
		rc = dbp_ignores_add(&df->ignores, &pending.items[k]);
	dbp_ignores_free(&pending);
	if (rc == 0 && !df->n) {
		snprintf(why, whysize, "no instruction: not a Dockerfile");
		rc = -EINVAL;
	} else if (rc == 0 && strcmp(df->items[0].keyword, "FROM") &&
		   strcmp(df->items[0].keyword, "ARG")) {
		snprintf(why, whysize, "line %d: the first instruction must be FROM (or ARG)",
			 df->items[0].line);
		rc = -EINVAL;
	}
	if (rc == -ENOMEM)
		snprintf(why, whysize, "out of memory");
	if (rc < 0)
		dbp_dockerfile_free(df);
	return rc < 0 ? rc : 0;
}

void dbp_dockerfile_free(struct dbp_dockerfile *df)
{
	for (size_t i = 0; i < df->n; i++) {
		free(df->items[i].args);
		strv_free(df->items[i].json);
		strv_free(df->items[i].heredocs);
	}
	free(df->items);
	dbp_ignores_free(&df->ignores);
	df->items = NULL;
	df->n = df->cap = 0;
}
