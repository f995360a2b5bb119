/* MariaDB's error log and configuration, parsed (mariadblog.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grow.h"
#include "mariadblog.h"
#include "numparse.h"
#include "textlines.h"
#include "timestamp.h"

void dbp_mariadblog_init(struct dbp_mariadblog *log)
{
	memset(log, 0, sizeof(*log));
}

void dbp_mariadblog_free(struct dbp_mariadblog *log)
{
	free(log->shut);
	dbp_mariadblog_init(log);
}

/* " [Word]" at p (before end): where it ends, or NULL */
static const char *bracket(const char *p, const char *end)
{
	if (p >= end || *p != '[')
		return NULL;
	for (p++; p < end && *p != ']'; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return NULL;
	return p < end ? p + 1 : NULL;
}

int dbp_mariadblog_line(const char *line, size_t len, double *when, const char **msg)
{
	const char *end = line + len, *p, *q;
	char stamp[40];
	size_t n;

	/* "YYYY-MM-DD HH:MM:SS" (MariaDB) or "YYYY-MM-DDTHH:MM:SS.ffffffZ"
	 * (MySQL 8), then a space, the thread's number and a space */
	for (n = 0; n < len && n < sizeof(stamp) - 1 && line[n] != ' '; n++)
		;
	if (n == 10)	/* the date, a space, the time */
		for (n = 11; n < len && n < sizeof(stamp) - 1 && line[n] != ' '; n++)
			;
	if (n < 19 || n >= len || n >= sizeof(stamp) - 1 || line[4] != '-' || line[7] != '-' ||
	    (line[10] != ' ' && line[10] != 'T'))
		return 0;
	memcpy(stamp, line, n);
	stamp[n] = '\0';
	if (dbp_timestamp_parse(stamp, when, &q, NULL) < 0 || *q)
		return 0;
	p = line + n + 1;
	if (p >= end || !isdigit((unsigned char)*p))
		return 0;
	while (p < end && isdigit((unsigned char)*p))
		p++;
	if (p >= end || *p != ' ')
		return 0;
	/* [Level], and MySQL 8's [MY-NNNNNN] [Subsystem] */
	for (int i = 0; i < 3; i++) {
		q = bracket(p + 1, end);
		if (!q) {
			if (i == 0)
				return 0;
			break;
		}
		p = q;
		if (p >= end || *p != ' ')
			break;
	}
	*msg = p < end && *p == ' ' ? p + 1 : p;
	return 1;
}

static int has(const char *msg, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(msg + i, word, n))
			return 1;
	return 0;
}

static int starts(const char *msg, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && !memcmp(msg, word, n);
}

static int ends(const char *msg, size_t len, const char *word)
{
	size_t n = strlen(word);

	while (len && isspace((unsigned char)msg[len - 1]))
		len--;
	return len >= n && !memcmp(msg + len - n, word, n);
}

/* The server's last line of a shutdown: "/usr/sbin/mariadbd: Shutdown
 * complete", and MySQL 8's "/usr/sbin/mysqld: Shutdown complete (mysqld
 * 8.0.36)  MySQL Community Server - GPL."; not InnoDB's "Shutdown
 * completed; log sequence number N" (10.4's with "InnoDB: " before it) */
static int shutdown_complete(const char *msg, size_t len)
{
	static const char word[] = ": Shutdown complete";
	size_t n = sizeof(word) - 1;

	while (len && isspace((unsigned char)msg[len - 1]))
		len--;
	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(msg + i, word, n) && (i + n == len || msg[i + n] == ' '))
			return 1;
	return 0;
}

/* A start (or a crash) while a shutdown was under way: it was cut short */
static void cut_short(struct dbp_mariadblog *log)
{
	if (!log->in_shutdown)
		return;
	log->unfinished++;
	log->unfinished_start = log->shut_start;
	log->unfinished_last = log->last_when;
	log->in_shutdown = 0;
}

/* One line of the log (numbered on from an earlier text's) */
static int parse_line(void *arg, const char *line, size_t len, size_t text_no)
{
	struct dbp_mariadblog *log = arg;
	size_t no = ++log->lines, mlen;
	const char *msg;
	double when;
	int rc;

	(void)text_no;
	if (!dbp_mariadblog_line(line, len, &when, &msg)) {
		/* a crash's report has no prefix: "mariadbd got signal 11 ;" */
		if (has(line, len, "got signal ")) {
			log->crashes++;
			cut_short(log);
		}
		return 0;
	}
	log->entries++;
	mlen = (size_t)(line + len - msg);
	if (starts(msg, mlen, "Starting MariaDB ") || starts(msg, mlen, "Starting MySQL ") ||
	    (has(msg, mlen, "starting as process ") && !has(msg, mlen, "InnoDB"))) {
		/* a new life: the last one's shutdown, if any, never ended */
		cut_short(log);
	} else if (ends(msg, mlen, "ready for connections.") ||
		   ends(msg, mlen, "ready for connections")) {
		cut_short(log);
		log->starts++;
	} else if (ends(msg, mlen, "Normal shutdown") ||
		   has(msg, mlen, "Received SHUTDOWN from user")) {
		if (!log->in_shutdown) {
			log->in_shutdown = 1;
			log->shut_start = when;
		}
	} else if (shutdown_complete(msg, mlen)) {
		if (log->in_shutdown) {
			rc = dbp_grow((void **)&log->shut, &log->shut_cap, log->nshut + 1,
				      sizeof(*log->shut));
			if (rc < 0)
				return rc;
			log->shut[log->nshut++] = (struct dbp_mariadblog_shutdown){
				no, log->shut_start, when };
			log->in_shutdown = 0;
		}
	} else if (has(msg, mlen, "InnoDB: Starting crash recovery")) {
		log->recoveries++;
	} else if (has(msg, mlen, "got signal ")) {
		log->crashes++;
		cut_short(log);
	}
	log->last_when = when;
	return 0;
}

int dbp_mariadblog_parse(struct dbp_mariadblog *log, const char *text)
{
	if (dbp_text_lines(text, parse_line, log) < 0)
		return -ENOMEM;
	return (int)(log->nshut > 0x7fffffff ? 0x7fffffff : log->nshut);
}

/* ---- the configuration ---- */

void dbp_mariadb_conf_init(struct dbp_mariadb_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->fast_shutdown = -1;
	c->buffer_pool = -1;
}

/* name as my_getopt compares it: dashes and underscores alike */
static int same(const char *name, const char *want)
{
	for (; *name && *want; name++, want++)
		if (*name != *want && !((*name == '-' || *name == '_') && (*want == '_')))
			return 0;
	return !*name && !*want;
}

void dbp_mariadb_conf_apply(struct dbp_mariadb_conf *c, const char *name, const char *value,
			    const char *where)
{
	long long v;

	if (!strncmp(name, "loose-", 6) || !strncmp(name, "loose_", 6))
		name += 6;
	if (same(name, "innodb_fast_shutdown")) {
		if (value && dbp_parse_integer(value, 0, 3, &v) == 0) {
			c->fast_shutdown = (int)v;
			snprintf(c->fast_from, sizeof(c->fast_from), "%s", where ? where : "");
		}
	} else if (same(name, "innodb_buffer_pool_size")) {
		/* 134217728, 512M, 1G (K, M, G, T: powers of 1024) */
		if (value && dbp_parse_bytes(value, &v) == 0)
			c->buffer_pool = v;
	} else if (same(name, "log_error")) {
		c->log_error_set = 1;
		snprintf(c->log_error, sizeof(c->log_error), "%s", value ? value : "");
	} else if (same(name, "skip_log_error")) {
		c->log_error_set = 0;
		c->log_error[0] = '\0';
	} else if (same(name, "datadir")) {
		if (value)
			snprintf(c->datadir, sizeof(c->datadir), "%s", value);
	} else if (same(name, "defaults_file")) {
		if (value)
			snprintf(c->defaults_file, sizeof(c->defaults_file), "%s", value);
	}
}

/* The sections an option file gives the server */
static int server_section(const char *s, size_t n)
{
	static const char *const names[] = { "mysqld", "mariadbd", "server", "mariadb",
					     "galera" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t k = strlen(names[i]);

		/* [mysqld], and the versioned [mariadb-10.11], [mysqld-10.11] */
		if (n >= k && !strncasecmp(s, names[i], k) && (n == k || s[k] == '-'))
			return 1;
	}
	return 0;
}

/* An option file being parsed */
struct conf_parse {
	struct dbp_mariadb_conf *c;
	const char *where;
	void (*include)(void *arg, int dir, const char *path);
	void *arg;
	int in;				/* in a section of the server's */
};

/* One line of an option file */
static int conf_line(void *arg, const char *text, size_t len, size_t no)
{
	struct conf_parse *cp = arg;
	char line[1024], *s, *eq, *val;

	(void)no;
	/* a line longer than the buffer is no option the budget reads */
	if (!dbp_line_copy(text, len, line, sizeof(line)))
		return 0;
	s = dbp_trim(line);
	if (*s == '[') {
		char *e = strchr(s, ']');

		if (e)
			*e = '\0';
		s = dbp_trim(s + 1);
		cp->in = e && server_section(s, strlen(s));
	} else if (!strncmp(s, "!includedir", 11) && isspace((unsigned char)s[11])) {
		if (cp->include)
			cp->include(cp->arg, 1, dbp_trim(s + 11));
	} else if (!strncmp(s, "!include", 8) && isspace((unsigned char)s[8])) {
		if (cp->include)
			cp->include(cp->arg, 0, dbp_trim(s + 8));
	} else if (cp->in && *s && *s != '#' && *s != ';') {
		eq = strchr(s, '=');
		val = NULL;
		if (eq) {
			*eq = '\0';
			val = dbp_trim(eq + 1);
			/* a comment after the value, unless quoted */
			if (*val == '"' || *val == '\'') {
				char q = *val, *e = strchr(val + 1, q);

				if (e) {
					*e = '\0';
					val++;
				}
			} else {
				char *h = strchr(val, '#');

				if (h) {
					*h = '\0';
					val = dbp_trim(val);
				}
			}
		}
		dbp_mariadb_conf_apply(cp->c, dbp_trim(s), val, cp->where);
	}
	return 0;
}

int dbp_mariadb_conf_parse(struct dbp_mariadb_conf *c, const char *text, const char *where,
			   void (*include)(void *arg, int dir, const char *path), void *arg)
{
	struct conf_parse cp = { c, where, include, arg, 0 };

	return dbp_text_lines(text, conf_line, &cp);
}

void dbp_mariadb_conf_args(struct dbp_mariadb_conf *c, char *const *argv)
{
	static const char *const need_value[] = { "innodb_fast_shutdown", "innodb_buffer_pool_size",
						  "datadir", "defaults_file" };
	char name[128];

	for (size_t i = 1; argv && argv[i]; i++) {
		const char *a = argv[i], *eq;
		size_t n;

		if (strncmp(a, "--", 2) || !a[2])
			continue;
		a += 2;
		eq = strchr(a, '=');
		n = eq ? (size_t)(eq - a) : strlen(a);
		if (n >= sizeof(name))
			continue;
		memcpy(name, a, n);
		name[n] = '\0';
		if (eq) {
			dbp_mariadb_conf_apply(c, name, eq + 1, "its command line");
			continue;
		}
		for (size_t k = 0; k < sizeof(need_value) / sizeof(need_value[0]); k++)
			if (same(!strncmp(name, "loose-", 6) ? name + 6 : name, need_value[k]) &&
			    argv[i + 1]) {
				dbp_mariadb_conf_apply(c, name, argv[++i], "its command line");
				goto next;
			}
		dbp_mariadb_conf_apply(c, name, NULL, "its command line");
next:;
	}
}

void dbp_mariadb_evidence_init(struct dbp_mariadb_evidence *ev)
{
	memset(ev, 0, sizeof(*ev));
	dbp_mariadb_conf_init(&ev->conf);
	dbp_mariadblog_init(&ev->log);
}

void dbp_mariadb_evidence_free(struct dbp_mariadb_evidence *ev)
{
	dbp_mariadblog_free(&ev->log);
}
