/*
 * Redaction of secrets in command lines. The rules are deliberately
 * greedy: hiding a harmless value costs nothing, showing a password is an
 * incident of its own.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "redact.h"

static const char *const secret_words[] = { "pass", "pwd", "secret", "token" };

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

static const char *short_secret_of(const char *s, size_t end)
{
	size_t b = end;

	while (b > 0 && s[b - 1] != '/')
		b--;
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
	short_secret = short_secret_of(argv[0], strlen(argv[0]));
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

void dbp_redact(char *s)
{
	size_t i = 0;
	int mysql = 0;
	const char *short_secret = NULL;

	if (!s)
		return;
	{
		/* argv[0]'s basename decides whether -pVALUE, -a VALUE or
		 * -p VALUE is a password */
		size_t end = strcspn(s, " ");
		size_t b = end;

		while (b > 0 && s[b - 1] != '/')
			b--;
		mysql = prog_is(s, b, end, "mysql") || prog_is(s, b, end, "mariadb");
		short_secret = short_secret_of(s, end);
	}
	while (s[i]) {
		/* --password VALUE, redis-cli -a VALUE, mongosh -p VALUE */
		if (s[i] == '-' && (i == 0 || s[i - 1] == ' ') &&
		    flag_takes_secret(s, i, short_secret)) {
			size_t v = i + strcspn(s + i, " ") + 1, e = v;

			if (s[v] && s[v] != '-') {
				while (!is_value_end(s[e]))
					e++;
				i = mask(s, v, e);
				continue;
			}
		}
		/* KEY=VALUE: find the key that ends here */
		if (s[i] == '=') {
			size_t k = i;

			while (k > 0 && (isalnum((unsigned char)s[k - 1]) ||
					 s[k - 1] == '_' || s[k - 1] == '-' || s[k - 1] == '.'))
				k--;
			if (key_is_secret(s + k, i - k)) {
				size_t v = i + 1, e = v;

				while (!is_value_end(s[e]))
					e++;
				i = mask(s, v, e);
				continue;
			}
		}
		/* scheme://user:password@host */
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
			size_t u = i + 3, e = u, colon = 0;

			while (s[e] && s[e] != '@' && s[e] != '/' && s[e] != ' ') {
				if (s[e] == ':' && !colon)
					colon = e;
				e++;
			}
			if (s[e] == '@' && colon) {
				i = mask(s, colon + 1, e);
				continue;
			}
		}
		/* mysql -pSECRET (the password glued to the flag) */
		if (mysql && s[i] == ' ' && s[i + 1] == '-' && s[i + 2] == 'p' &&
		    !is_value_end(s[i + 3])) {
			size_t e = i + 3;

			while (!is_value_end(s[e]))
				e++;
			i = mask(s, i + 3, e);
			continue;
		}
		i++;
	}
}
