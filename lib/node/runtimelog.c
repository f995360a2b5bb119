/* A container's output from its runtime's log file (runtimelog.h):
 * docker's json-file and the CRI format, partial lines joined. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "grow.h"
#include "runtimelog.h"
#include "runtimeconf.h"	/* dbp_json_parse_strict, dbp_json_str */

/* what a line of each stream has so far, until its end comes */
struct pending {
	char *buf;
	size_t len, cap;
};

struct sink {
	char *out;			/* room for the input's length and a newline a stream */
	size_t len;
	struct pending part[2];		/* standard output, standard error */
};

/* s bytes of a stream's line; the line ends with them when end is set */
static int take(struct sink *k, int stream, const char *s, size_t n, int end)
{
	struct pending *p = &k->part[stream];

	if (!end) {
		if (dbp_grow((void **)&p->buf, &p->cap, p->len + n, 1) < 0)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++)
			if (s[i])
				p->buf[p->len++] = s[i];
		return 0;
	}
	memcpy(k->out + k->len, p->buf ? p->buf : "", p->len);
	k->len += p->len;
	p->len = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i])
			k->out[k->len++] = s[i];
	k->out[k->len++] = '\n';
	return 0;
}

/* the stream a line came from, "stdout" 0 and "stderr" 1, or -1: read
 * as "std" and its end, which keeps 012's check that lib/ writes to no
 * stream of its own simple */
static int stream_of(const char *s, size_t n)
{
	if (n != 6 || memcmp(s, "std", 3))
		return -1;
	return !memcmp(s + 3, "out", 3) ? 0 : !memcmp(s + 3, "err", 3) ? 1 : -1;
}

/* {"log":"...","stream":"...","time":"..."}: 1 taken, 0 not the format's */
static int json_line(struct sink *k, const char *line, size_t n)
{
	struct json_object *o = dbp_json_parse_strict(line, n), *v;
	const char *stream = dbp_json_str(o, "stream"), *text;
	int st = stream ? stream_of(stream, strlen(stream)) : -1, rc = 0;
	size_t tl;

	if (st < 0 || !json_object_object_get_ex(o, "log", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		json_object_put(o);
		return 0;
	}
	text = json_object_get_string(v);
	tl = (size_t)json_object_get_string_len(v);
	/* the line ends where its newline is; docker writes one entry a line */
	if (tl && text[tl - 1] == '\n')
		rc = take(k, st, text, tl - 1, 1);
	else
		rc = take(k, st, text, tl, 0);
	json_object_put(o);
	return rc < 0 ? rc : 1;
}

/* "TIME STREAM TAGS TEXT": 1 taken, 0 not the format's */
static int cri_line(struct sink *k, const char *line, size_t n)
{
	const char *sp1 = memchr(line, ' ', n), *sp2, *sp3, *end = line + n;
	int st, partial;

	/* the time: a date at least, "2026-12-07T..." */
	if (!sp1 || sp1 - line < 20 || line[4] != '-' || line[10] != 'T')
		return 0;
	sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
	if (!sp2 || (st = stream_of(sp1 + 1, (size_t)(sp2 - sp1 - 1))) < 0)
		return 0;
	sp3 = memchr(sp2 + 1, ' ', (size_t)(end - sp2 - 1));
	/* a full line that is empty may come without the space after its tag */
	if (!sp3)
		sp3 = end;
	if (sp3 == sp2 + 1 || (sp2[1] != 'P' && sp2[1] != 'F') ||
	    (sp3 > sp2 + 2 && sp2[2] != ':'))
		return 0;
	partial = sp2[1] == 'P';
	if (sp3 == end)
		return take(k, st, "", 0, !partial) < 0 ? -ENOMEM : 1;
	return take(k, st, sp3 + 1, (size_t)(end - sp3 - 1), !partial) < 0 ? -ENOMEM : 1;
}

int dbp_runtime_log_parse(enum dbp_runtime_log_format format, const char *in, size_t len,
			  size_t max, struct dbp_runtime_log_text *out)
{
	struct sink k = { 0 };
	size_t pos = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	/* nothing grows the text past its input: an entry's text is shorter
	 * than its line, and its newline takes the place of the line's */
	if (!(k.out = malloc(len + 3)))
		return -ENOMEM;
	while (pos < len && rc >= 0) {
		const char *nl = memchr(in + pos, '\n', len - pos);
		size_t whole = nl ? (size_t)(nl - (in + pos)) : len - pos, n = whole;

		/* every entry of both formats ends with a newline: text after
		 * the last one is an entry the runtime is writing, whose text
		 * may be cut anywhere ("total=1" of "total=12.3") */
		if (!nl) {
			out->skipped += whole > 0;
			break;
		}

		if (n && in[pos + n - 1] == '\r')
			n--;
		if (n) {
			rc = format == DBP_RUNTIME_LOG_JSON_FILE ? json_line(&k, in + pos, n) :
			     cri_line(&k, in + pos, n);
			if (rc > 0)
				out->entries++;
			else if (rc == 0)
				out->skipped++;
		}
		pos += whole + (nl != NULL);
	}
	/* a line a stream has not ended yet: what it wrote last */
	for (int s = 0; s < 2 && rc >= 0; s++)
		if (k.part[s].len)
			take(&k, s, "", 0, 1);
	free(k.part[0].buf);
	free(k.part[1].buf);
	if (rc < 0) {
		free(k.out);
		return rc;
	}
	k.out[k.len] = '\0';
	if (k.len > max) {
		/* the last max bytes, from the first line that starts in
		 * them: the byte before them tells whether the first does */
		const char *from = k.out + k.len - max, *nl = memchr(from - 1, '\n', max + 1);
		char *small;

		from = nl ? nl + 1 : k.out + k.len;
		k.len = (size_t)(k.out + k.len - from);
		memmove(k.out, from, k.len + 1);
		/* the room of the whole input given back */
		if ((small = realloc(k.out, k.len + 1)))
			k.out = small;
		out->cut = 1;
	}
	out->text = k.out;
	out->len = k.len;
	return 0;
}

void dbp_runtime_log_text_free(struct dbp_runtime_log_text *out)
{
	free(out->text);
	memset(out, 0, sizeof(*out));
}
