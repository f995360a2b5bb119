/* Redis's log and configuration, parsed (redislog.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "redislog.h"
#include "textlines.h"

void dbp_redislog_init(struct dbp_redislog *log)
{
	memset(log, 0, sizeof(*log));
}

void dbp_redislog_free(struct dbp_redislog *log)
{
	free(log->save);
	dbp_redislog_init(log);
}

/* "NN" of exactly two digits at s, or -1 */
static int two(const char *s)
{
	return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) ?
	       (s[0] - '0') * 10 + (s[1] - '0') : -1;
}

int dbp_redislog_line(const char *line, size_t len, long *pid, char *role, double *when,
		      const char **msg)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p = line, *end = line + len, *m;
	struct tm tm;
	long v = 0;
	int ms;

	/* PID:R DD Mon YYYY HH:MM:SS.mmm L message: 27 characters after ":" */
	while (p < end && isdigit((unsigned char)*p) && v < 100000000)
		v = v * 10 + (*p++ - '0');
	if (p == line || end - p < 30 || p[0] != ':' || !isalpha((unsigned char)p[1]) ||
	    p[2] != ' ' || p[5] != ' ' || p[9] != ' ' || p[14] != ' ' || p[17] != ':' ||
	    p[20] != ':' || p[23] != '.' || p[27] != ' ' || p[29] != ' ')
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_mday = two(p + 3);
	m = NULL;
	for (int i = 0; i < 12; i++)
		if (!memcmp(p + 6, months + 3 * i, 3))
			m = months + 3 * i;
	if (tm.tm_mday < 1 || tm.tm_mday > 31 || !m || two(p + 10) < 0 || two(p + 12) < 0 ||
	    (tm.tm_hour = two(p + 15)) < 0 || tm.tm_hour > 23 || (tm.tm_min = two(p + 18)) < 0 ||
	    tm.tm_min > 59 || (tm.tm_sec = two(p + 21)) < 0 || tm.tm_sec > 60 ||
	    two(p + 24) < 0 || !isdigit((unsigned char)p[26]))
		return 0;
	tm.tm_mon = (int)(m - months) / 3;
	tm.tm_year = two(p + 10) * 100 + two(p + 12) - 1900;
	ms = two(p + 24) * 10 + (p[26] - '0');
	*pid = v;
	*role = p[1];
	*when = (double)timegm(&tm) + ms / 1000.0;
	*msg = p + 30;
	return 1;
}

static int starts(const char *msg, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && !memcmp(msg, word, n);
}

static int add_save(struct dbp_redislog *log, size_t line, enum dbp_redis_save_kind kind,
		    double start, double end)
{
	if (log->nsave == log->save_cap) {
		size_t cap = log->save_cap ? log->save_cap * 2 : 16;
		struct dbp_redislog_save *n = realloc(log->save, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		log->save = n;
		log->save_cap = cap;
	}
	log->save[log->nsave++] = (struct dbp_redislog_save){ line, kind, start, end };
	return 0;
}

/* One line of the log (numbered on from an earlier text's, whatever
 * this text's own number) */
static int parse_line(void *arg, const char *line, size_t len, size_t text_no)
{
	struct dbp_redislog *log = arg;
	size_t no = ++log->lines, mlen;
	const char *msg;
	double when;
	long pid;
	char role;

	(void)text_no;
	if (!dbp_redislog_line(line, len, &pid, &role, &when, &msg))
		return 0;
	log->entries++;
	mlen = (size_t)(line + len - msg);
	if (starts(msg, mlen, "oO0OoO0OoO0Oo Redis is starting")) {
		/* a new life: a final snapshot the last one began and never
		 * ended was cut by a kill */
		if (log->fg_pid)
			log->unfinished++;
		log->fg_pid = log->bg_pid = 0;
	} else if (starts(msg, mlen, "Background saving started by pid ")) {
		log->bg_pid = strtol(msg + 33, NULL, 10);
		log->bg_start = when;
	} else if (starts(msg, mlen, "Saving the final RDB snapshot before exiting.")) {
		log->fg_pid = pid;
		log->fg_start = when;
	} else if (starts(msg, mlen, "DB saved on disk")) {
		log->saved++;
		log->last_save_timed = 0;
		if (log->bg_pid && pid == log->bg_pid) {
			if (add_save(log, no, DBP_REDIS_SAVE_BACKGROUND, log->bg_start, when) < 0)
				return -ENOMEM;
			log->bg_pid = 0;
			log->last_save_timed = 1;
		} else if (log->fg_pid && pid == log->fg_pid) {
			if (add_save(log, no, DBP_REDIS_SAVE_SHUTDOWN, log->fg_start, when) < 0)
				return -ENOMEM;
			log->fg_pid = 0;
			log->last_save_timed = 1;
		}
	} else if (starts(msg, mlen, "Background saving error") ||
		   starts(msg, mlen, "Background saving terminated by signal")) {
		log->bg_pid = 0;
	} else if (starts(msg, mlen, "Error trying to save the DB")) {
		log->fg_pid = 0;
	}
	return 0;
}

int dbp_redislog_parse(struct dbp_redislog *log, const char *text)
{
	if (dbp_text_lines(text, parse_line, log) < 0)
		return -ENOMEM;
	return (int)(log->nsave > 0x7fffffff ? 0x7fffffff : log->nsave);
}

/* ---- the configuration ---- */

void dbp_redis_conf_init(struct dbp_redis_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->nsave = -1;
	c->appendonly = -1;
}

static void set_str(char *dst, size_t size, char *const *args, size_t nargs)
{
	if (nargs >= 1)
		snprintf(dst, size, "%s", args[0]);
}

void dbp_redis_conf_apply(struct dbp_redis_conf *c, const char *name, char *const *args,
			  size_t nargs)
{
	if (!strcasecmp(name, "save")) {
		size_t used;

		/* the first save of the configuration drops the defaults */
		if (!c->save_seen || (nargs == 1 && !args[0][0])) {
			c->nsave = 0;
			c->save[0] = '\0';
		}
		c->save_seen = 1;
		if (nargs == 1 && !args[0][0])
			return;
		for (size_t i = 0; i + 1 < nargs; i += 2) {
			c->nsave++;
			used = strlen(c->save);
			snprintf(c->save + used, sizeof(c->save) - used, "%s%s %s", used ? " " : "",
				 args[i], args[i + 1]);
		}
	} else if (!strcasecmp(name, "appendonly") && nargs >= 1) {
		c->appendonly = !strcasecmp(args[0], "yes");
	} else if (!strcasecmp(name, "dbfilename")) {
		set_str(c->dbfilename, sizeof(c->dbfilename), args, nargs);
	} else if (!strcasecmp(name, "dir")) {
		set_str(c->dir, sizeof(c->dir), args, nargs);
	} else if (!strcasecmp(name, "logfile")) {
		c->logfile[0] = '\0';
		set_str(c->logfile, sizeof(c->logfile), args, nargs);
		c->logfile_set = 1;
	} else if (!strcasecmp(name, "include")) {
		c->include = 1;
	}
}

#define MAX_ARGS 64

int dbp_redis_split_args(char *line, char **args, int max)
{
	char *r = line, *w;
	int n = 0;

	for (;;) {
		while (*r && isspace((unsigned char)*r))
			r++;
		if (!*r)
			return n;
		if (n == max)
			return n;
		args[n++] = w = r;
		if (*r == '"' || *r == '\'') {
			char q = *r++;

			while (*r && *r != q) {
				if (q == '"' && *r == '\\' && r[1])
					r++;
				*w++ = *r++;
			}
			if (!*r)
				return -1;
			r++;
			/* a closing quote must end the argument */
			if (*r && !isspace((unsigned char)*r))
				return -1;
		} else {
			while (*r && !isspace((unsigned char)*r))
				*w++ = *r++;
		}
		if (*r)
			r++;
		*w = '\0';
	}
}

/* One line of redis.conf: a directive with its arguments */
static int conf_line(void *arg, const char *text, size_t len, size_t no)
{
	char line[1024], *args[MAX_ARGS];
	int n;

	(void)no;
	/* a line longer than the buffer is no directive the budget reads */
	if (!dbp_line_copy(text, len, line, sizeof(line)))
		return 0;
	n = dbp_redis_split_args(line, args, MAX_ARGS);
	if (n > 0 && args[0][0] != '#')
		dbp_redis_conf_apply(arg, args[0], args + 1, (size_t)n - 1);
	return 0;
}

int dbp_redis_conf_parse(struct dbp_redis_conf *c, const char *text)
{
	return dbp_text_lines(text, conf_line, c);
}

void dbp_redis_conf_args(struct dbp_redis_conf *c, char *const *argv)
{
	char *args[MAX_ARGS], buf[1024];

	for (size_t i = 0; argv && argv[i];) {
		const char *name;
		size_t n = 0, used = 0;

		if (strncmp(argv[i], "--", 2) || !argv[i][2]) {
			i++;
			continue;
		}
		name = argv[i++] + 2;
		/* the values up to the next --name; each split as a line of
		 * the file would be ("--save '60 10'" is two values), but an
		 * empty one stays one empty value (--save "") */
		for (; argv[i] && strncmp(argv[i], "--", 2) && n < MAX_ARGS; i++) {
			size_t len = strlen(argv[i]);
			int k;

			if (used + len + 1 > sizeof(buf))
				break;
			memcpy(buf + used, argv[i], len + 1);
			if (!len) {
				args[n++] = buf + used;
				used++;
				continue;
			}
			k = dbp_redis_split_args(buf + used, args + n, (int)(MAX_ARGS - n));
			if (k > 0)
				n += (size_t)k;
			used += len + 1;
		}
		dbp_redis_conf_apply(c, name, args, n);
	}
}

void dbp_redis_evidence_init(struct dbp_redis_evidence *ev)
{
	memset(ev, 0, sizeof(*ev));
	dbp_redis_conf_init(&ev->conf);
	dbp_redislog_init(&ev->log);
}

void dbp_redis_evidence_free(struct dbp_redis_evidence *ev)
{
	dbp_redislog_free(&ev->log);
}
