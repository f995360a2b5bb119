/*
 * Redaction of secrets in command lines. The rules are deliberately
 * greedy: hiding a harmless value costs nothing, showing a password is an
 * incident of its own.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "redact.h"

/* "auth": redis's masterauth, --auth-token; "pass": requirepass */
static const char *const secret_words[] = { "pass", "pwd", "secret", "token", "auth" };

static int key_is_secret(const char *key, size_t len)
{
	for (size_t i = 0; i < sizeof(secret_words) / sizeof(secret_words[0]); i++) {
		size_t wl = strlen(secret_words[i]);

		for (size_t j = 0; j + wl <= len; j++)
			if (!strncasecmp(key + j, secret_words[i], wl))
				return 1;
	}
	return 0;
}

/* Overwrite s[from, to) with "***" and close the gap. */
static size_t mask(char *s, size_t from, size_t to)
{
	if (to - from <= 3 && to > from) {
		memset(s + from, '*', to - from);
		return to;
	}
	if (to == from)
		return to;
	memcpy(s + from, "***", 3);
	memmove(s + from + 3, s + to, strlen(s + to) + 1);
	return from + 3;
}

static int is_value_end(char c)
{
	return c == '\0' || c == ' ' || c == '\'' || c == '"' || c == '&' || c == ';';
}

/* The value that starts at s[v]: a quoted one ("a b", 'a b', or \"a b\"
 * as a message quotes a quote) inside its quotes, which are kept; a bare
 * word to its end. Sets [*from, *to). */
static void value_at(const char *s, size_t v, size_t *from, size_t *to)
{
	size_t e = v + (s[v] == '\\');
	char q = s[e];

	if (q != '"' && q != '\'') {
		e = v;
		while (!is_value_end(s[e]))
			e++;
		*from = v;
		*to = e;
		return;
	}
	*from = ++e;
	while (s[e] && s[e] != q && !(s[e] == '\\' && s[e + 1] == q)) {
		if (s[e] == '\\' && q == '"' && s[e + 1])
			e++;
		e++;
	}
	*to = e;
}

/* What ends a command in a shell string or in prose that quotes one:
 * the client named after it has other flags. */
static int ends_command(char c)
{
	return c == ';' || c == '&' || c == '|' || c == '\n' || c == '`' || c == '(' || c == ')';
}

static int prog_is(const char *s, size_t b, size_t end, const char *prefix)
{
	size_t n = strlen(prefix);

	return end - b >= n && !strncmp(s + b, prefix, n);
}

/* The flag that starts at s[i] ("--password", "-a"), if its value is a
 * secret given as the next word. */
static int flag_takes_secret(const char *s, size_t i, const char *short_secret)
{
	size_t n = strcspn(s + i, " =");

	if (s[i + n] != ' ')
		return 0;
	if (s[i + 1] == '-')
		return key_is_secret(s + i + 2, n - 2) || (n == 6 && !strncmp(s + i, "--auth", 6));
	return short_secret && n == 2 && s[i + 1] == short_secret[0];
}

/* where the basename of the word s[from, end) starts */
static size_t base_of(const char *s, size_t from, size_t end)
{
	while (end > from && s[end - 1] != '/')
		end--;
	return end;
}

/* the short flag whose next word is a password for the program whose
 * basename is s[b, end) */
static const char *short_secret_of(const char *s, size_t b, size_t end)
{
	if (prog_is(s, b, end, "redis-cli") || prog_is(s, b, end, "valkey-cli"))
		return "a";
	if (prog_is(s, b, end, "mongo"))	/* mongo, mongosh, mongodump, ... */
		return "p";
	return NULL;
}

void dbp_redact_argv(char **argv)
{
	const char *short_secret;

	if (!argv || !argv[0])
		return;
	short_secret = short_secret_of(argv[0], base_of(argv[0], 0, strlen(argv[0])),
					strlen(argv[0]));
	for (size_t i = 0; argv[i]; i++) {
		char flag[128];

		dbp_redact(argv[i]);
		if (argv[i][0] != '-' || !argv[i + 1] || argv[i + 1][0] == '-' ||
		    !argv[i + 1][0])
			continue;
		/* the flag alone, followed by a space, as dbp_redact sees it */
		snprintf(flag, sizeof(flag), "%s ", argv[i]);
		if (flag_takes_secret(flag, 0, short_secret)) {
			char *v = argv[i + 1];

			i++;
			mask(v, 0, strlen(v));
		}
	}
}

/* At s[i], a word that names a client (argv[0], or a command after &&,
 * ;, exec, gosu or sh -c " in a shell string) decides, until the command
 * ends, whether -pVALUE, -a VALUE or -p VALUE is a password. */
static void client_at(const char *s, size_t i, int *mysql, const char **short_secret)
{
	size_t end = i + strcspn(s + i, " \t\n;&|()`'\"");
	size_t b = base_of(s, i, end);
	const char *ss = short_secret_of(s, b, end);

	if (prog_is(s, b, end, "mysql") || prog_is(s, b, end, "mariadb")) {
		*mysql = 1;
		*short_secret = NULL;
	} else if (ss) {
		*mysql = 0;
		*short_secret = ss;
	}
}

/* "Authorization: Bearer VALUE" (any case; the scheme word is kept) at
 * s[i]: 1 with the value's [*from, *to) */
static int authorization(const char *s, size_t i, size_t *from, size_t *to)
{
	size_t v = i + 14, w;

	if (strncasecmp(s + i, "authorization:", 14))
		return 0;
	v += strspn(s + v, " ");
	w = v;
	while (isalpha((unsigned char)s[w]))
		w++;
	if (s[w] == ' ' && w > v)
		v = w + strspn(s + w, " ");
	if (is_value_end(s[v]))
		return 0;
	value_at(s, v, from, to);
	return 1;
}

/* The client a command names: argv[0]'s holds for the whole line (a
 * process's arguments: `redis-cli -c 'x; y -a PW'` is one), one named
 * later until its command ends. */
struct client {
	int mysql, mysql0;
	const char *short_secret, *short_secret0;
};

/* Where the next secret of o at or after i starts and ends ([*from,
 * *to)), scanning on from i; 0 at the end. */
static int next_secret(const char *o, size_t *i, struct client *c, size_t *from, size_t *to)
{
	int *mysql = &c->mysql;
	const char **short_secret = &c->short_secret;

	while (o[*i]) {
		size_t at = *i;

		if (ends_command(o[at])) {
			c->mysql = c->mysql0;
			c->short_secret = c->short_secret0;
		} else if (at == 0 || strchr(" \t\n;&|()`'\"", o[at - 1])) {
			client_at(o, at, mysql, short_secret);
			if (at == 0) {
				c->mysql0 = c->mysql;
				c->short_secret0 = c->short_secret;
			}
			if (authorization(o, at, from, to))
				return 1;
		}
		/* --password VALUE, redis-cli -a VALUE, mongosh -p VALUE */
		if (o[at] == '-' && (at == 0 || o[at - 1] == ' ') &&
		    flag_takes_secret(o, at, *short_secret)) {
			size_t v = at + strcspn(o + at, " ") + 1;

			if (o[v] && o[v] != '-') {
				value_at(o, v, from, to);
				return 1;
			}
		}
		/* KEY=VALUE: the key that ends here */
		if (o[at] == '=') {
			size_t k = at;

			while (k > 0 && (isalnum((unsigned char)o[k - 1]) ||
					 o[k - 1] == '_' || o[k - 1] == '-' || o[k - 1] == '.'))
				k--;
			if (key_is_secret(o + k, at - k)) {
				value_at(o, at + 1, from, to);
				return 1;
			}
		}
		/* scheme://user:password@host */
		if (o[at] == ':' && o[at + 1] == '/' && o[at + 2] == '/') {
			size_t e = at + 3, colon = 0;

			while (o[e] && o[e] != '@' && o[e] != '/' && o[e] != ' ') {
				if (o[e] == ':' && !colon)
					colon = e;
				e++;
			}
			if (o[e] == '@' && colon) {
				*from = colon + 1;
				*to = e;
				return 1;
			}
		}
		/* mysql -pSECRET (the password glued to the flag) */
		if (*mysql && o[at] == ' ' && o[at + 1] == '-' && o[at + 2] == 'p' &&
		    !is_value_end(o[at + 3])) {
			size_t e = at + 3;

			while (!is_value_end(o[e]))
				e++;
			*from = at + 3;
			*to = e;
			return 1;
		}
		(*i)++;
	}
	return 0;
}

void dbp_redact(char *s)
{
	char stack[1024], *o;
	size_t len, r = 0, w = 0, from, to, i = 0;
	struct client c = { 0, 0, NULL, NULL };

	if (!s)
		return;
	/* the rules read the text as it was (a key before '=', the word
	 * before a flag) while the result is written over it: a copy, so
	 * that each secret costs its own length, not the rest of the line */
	len = strlen(s);
	o = len < sizeof(stack) ? stack : malloc(len + 1);
	if (!o) {
		/* nothing can be told apart: nothing is shown */
		if (len > 3)
			strcpy(s, "***");
		else
			memset(s, '*', len);
		return;
	}
	memcpy(o, s, len + 1);
	while (next_secret(o, &i, &c, &from, &to)) {
		memmove(s + w, o + r, from - r);
		w += from - r;
		if (to > from) {
			/* a value of three characters or fewer keeps its length */
			memcpy(s + w, "***", to - from < 3 ? to - from : 3);
			w += to - from < 3 ? to - from : 3;
		}
		if (to == from) {
			/* an empty value: on past its end */
			if (!o[from]) {
				r = from;
				break;
			}
			s[w++] = o[from++];
		}
		r = i = to > from ? to : from;
	}
	memmove(s + w, o + r, len - r + 1);
	if (o != stack)
		free(o);
}
