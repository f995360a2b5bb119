/*
 * A strict JSON validator: the grammar of RFC 8259 and nothing more (no
 * comments, single quotes, trailing commas, NaN, Infinity, control
 * characters in strings, or leading zeros), with a depth limit so that
 * hostile input cannot exhaust the stack.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "jsonstrict.h"

struct jp {
	const char *s;
	size_t len, i;
	char *why;
	size_t whysize;
};

/* Say what is wrong and where in p->why; returns -EINVAL for the caller
 * to return. */
static int bad(struct jp *p, const char *what)
{
	if (p->i >= p->len)
		snprintf(p->why, p->whysize, "%s at the end of the input", what);
	else
		snprintf(p->why, p->whysize, "%s at byte %zu", what, p->i + 1);
	return -EINVAL;
}

static void ws(struct jp *p)
{
	while (p->i < p->len && strchr(" \t\r\n", p->s[p->i]) && p->s[p->i])
		p->i++;
}

static int hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int string(struct jp *p)
{
	p->i++;		/* the opening quote */
	while (p->i < p->len) {
		unsigned char c = (unsigned char)p->s[p->i];

		if (c == '"') {
			p->i++;
			return 0;
		}
		if (c < 0x20)
			return bad(p, "a control character in a string (escape it)");
		if (c == '\\') {
			p->i++;
			if (p->i >= p->len)
				break;
			c = (unsigned char)p->s[p->i];
			if (c == 'u') {
				for (int k = 1; k <= 4; k++)
					if (p->i + k >= p->len || !hex(p->s[p->i + k]))
						return bad(p, "a bad \\u escape");
				p->i += 4;
			} else if (!strchr("\"\\/bfnrt", c) || !c) {
				return bad(p, "a bad escape in a string");
			}
		}
		p->i++;
	}
	return bad(p, "an unterminated string");
}

static int digits(struct jp *p)
{
	size_t from = p->i;

	while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > from ? 0 : bad(p, "a digit expected");
}

static int number(struct jp *p)
{
	if (p->s[p->i] == '-')
		p->i++;
	if (p->i < p->len && p->s[p->i] == '0') {
		p->i++;
		if (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			return bad(p, "a number with a leading zero");
	} else if (digits(p) < 0) {
		return -EINVAL;
	}
	if (p->i < p->len && p->s[p->i] == '.') {
		p->i++;
		if (digits(p) < 0)
			return -EINVAL;
	}
	if (p->i < p->len && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->len && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (digits(p) < 0)
			return -EINVAL;
	}
	return 0;
}

static int word(struct jp *p, const char *w)
{
	size_t n = strlen(w);

	if (p->len - p->i < n || memcmp(p->s + p->i, w, n))
		return bad(p, "not JSON (true, false or null misspelt)");
	p->i += n;
	return 0;
}

static int value(struct jp *p, int depth);

/* an object or an array: close is '}' or ']' */
static int container(struct jp *p, int depth, char close)
{
	if (depth >= DBP_JSON_MAX_DEPTH)
		return bad(p, "nesting too deep");
	p->i++;
	ws(p);
	if (p->i < p->len && p->s[p->i] == close) {
		p->i++;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			ws(p);
			if (p->i >= p->len || p->s[p->i] != '"')
				return bad(p, "a member name in double quotes expected");
			if (string(p) < 0)
				return -EINVAL;
			ws(p);
			if (p->i >= p->len || p->s[p->i] != ':')
				return bad(p, "':' expected");
			p->i++;
		}
		if (value(p, depth + 1) < 0)
			return -EINVAL;
		ws(p);
		if (p->i < p->len && p->s[p->i] == ',') {
			p->i++;
			ws(p);
			if (p->i < p->len && p->s[p->i] == close)
				return bad(p, "a trailing comma");
			continue;
		}
		if (p->i < p->len && p->s[p->i] == close) {
			p->i++;
			return 0;
		}
		return bad(p, close == '}' ? "',' or '}' expected" : "',' or ']' expected");
	}
}

static int value(struct jp *p, int depth)
{
	ws(p);
	if (p->i >= p->len)
		return bad(p, "a value expected");
	switch (p->s[p->i]) {
	case '{': return container(p, depth, '}');
	case '[': return container(p, depth, ']');
	case '"': return string(p);
	case 't': return word(p, "true");
	case 'f': return word(p, "false");
	case 'n': return word(p, "null");
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return number(p);
	case '\'':
		return bad(p, "a single quote (JSON strings take double quotes)");
	case '/':
		return bad(p, "a comment (JSON has none)");
	}
	/* NaN, Infinity, garbage */
	return bad(p, "not JSON (a value expected: an object, array, string, "
		   "number, true, false or null)");
}

int dbp_json_next_value(const char *s, size_t len, size_t *pos,
			size_t *start, size_t *end, char *why, size_t whysize)
{
	struct jp p = { s, len, *pos, why, whysize };

	ws(&p);
	if (p.i >= len) {
		*pos = p.i;
		return 0;
	}
	if (!s[p.i])
		return bad(&p, "a NUL byte");
	*start = p.i;
	if (value(&p, 0) < 0)
		return -EINVAL;
	*end = p.i;
	*pos = p.i;
	return 1;
}
