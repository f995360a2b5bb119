/*
 * postmaster.pid text into struct dbp_pidfile (layout in pidfile.h).
 *
 * PostgreSQL reads line 1 with atoi() and refuses to start when that gives
 * 0 ("bogus data in lock file"); pg_pid keeps what it would read, so the
 * rules can say what PostgreSQL will do with a damaged file, while the
 * strict parse decides whether the file is well formed.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pidfile.h"

/* What PostgreSQL's atoi(buffer) reads from the whole file: glibc's atoi
 * is (int)strtol: leading white space (newlines too) and a sign skipped,
 * digits read as far as they go, a value beyond a long saturated at
 * LONG_MAX or LONG_MIN, and the long then cut to its low 32 bits -- so
 * "4294972114" is PID 4818 to PostgreSQL, not "bogus data". */
static int pg_atoi(const char *s, size_t len)
{
	const unsigned long long lim = (unsigned long long)LONG_MAX + 1;
	unsigned long long acc = 0;
	size_t i = 0;
	int neg = 0, over = 0;
	long l;

	while (i < len && isspace((unsigned char)s[i]))
		i++;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (; i < len && isdigit((unsigned char)s[i]); i++)
		if (!over && (acc = acc * 10 + (unsigned)(s[i] - '0')) > lim)
			over = 1;
	if (over || (!neg && acc > (unsigned long long)LONG_MAX))
		l = neg ? LONG_MIN : LONG_MAX;
	else if (neg)
		l = acc == lim ? LONG_MIN : -(long)acc;
	else
		l = (long)acc;
	/* the conversion to int keeps the low 32 bits (gcc, clang) */
	return (int)(unsigned int)(unsigned long)l;
}

/* Line n (1-based) of text as [*start, *start + *ln). Returns 0, or
 * -ENOENT when the text has fewer lines. */
static int line_at(const char *text, size_t len, int n, const char **start, size_t *ln)
{
	const char *p = text, *end = text + len;

	for (int i = 1; i < n; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			return -ENOENT;
		p = nl + 1;
	}
	if (p >= end)
		return -ENOENT;
	{
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		*start = p;
		*ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
	}
	return 0;
}

static void copy_line(const char *text, size_t len, int n, char *dst, size_t size)
{
	const char *s;
	size_t ln;

	dst[0] = '\0';
	if (line_at(text, len, n, &s, &ln) < 0)
		return;
	if (ln >= size)
		ln = size - 1;
	memcpy(dst, s, ln);
	dst[ln] = '\0';
}

/* a whole line that is a (signed) decimal number */
static int line_long(const char *text, size_t len, int n, long long *v)
{
	char buf[64], *end;

	copy_line(text, len, n, buf, sizeof(buf));
	if (!buf[0] || isspace((unsigned char)buf[0]))
		return -EINVAL;
	errno = 0;
	*v = strtoll(buf, &end, 10);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

const char *dbp_pidfile_problem_name(enum dbp_pidfile_problem p)
{
	switch (p) {
	case DBP_PIDFILE_EMPTY: return "the file is empty";
	case DBP_PIDFILE_BAD_PID: return "line 1 is not a PID";
	case DBP_PIDFILE_TRUNCATED: return "the file is truncated";
	case DBP_PIDFILE_OLD_FORMAT: return "the file has the format of PostgreSQL before 9.1";
	case DBP_PIDFILE_BAD_FIELD: return "a numeric line (start time, port, shared memory) is not a number";
	case DBP_PIDFILE_OK: break;
	}
	return "well formed";
}

int dbp_pidfile_parse(const char *text, size_t len, struct dbp_pidfile *pf)
{
	const char *nul = memchr(text, '\0', len);
	long long v;
	char shm[64], *end;
	unsigned long key;
	long id;

	memset(pf, 0, sizeof(*pf));
	pf->shm_id = -1;
	if (nul)
		len = (size_t)(nul - text);
	if (len == 0) {
		pf->problem = DBP_PIDFILE_EMPTY;
		return -EINVAL;
	}
	pf->final_newline = text[len - 1] == '\n';
	for (size_t i = 0; i < len; i++)
		pf->nlines += text[i] == '\n';
	pf->nlines += !pf->final_newline;

	/* what PostgreSQL's atoi() makes of line 1 */
	{
		int a = pg_atoi(text, len);

		/* "if pid < 0, the pid is for postgres, not postmaster";
		 * -INT_MIN stays negative there: "bogus data" */
		pf->pg_pid = a == INT_MIN ? 0 : a < 0 ? -a : a;
	}
	if (line_long(text, len, 1, &v) < 0 || v == 0 || v > INT_MAX || v < -(long long)INT_MAX) {
		pf->problem = DBP_PIDFILE_BAD_PID;
		pf->pid = pf->pg_pid;
	} else {
		pf->standalone = v < 0;
		pf->pid = (pid_t)(v < 0 ? -v : v);
	}
	copy_line(text, len, 2, pf->datadir, sizeof(pf->datadir));

	/* before 9.1: the third line is "KEY ID" and there is no fourth */
	copy_line(text, len, 3, shm, sizeof(shm));
	if (pf->nlines == 3 && strchr(shm, ' ')) {
		if (sscanf(shm, "%lu %ld", &key, &id) == 2) {
			pf->shm_key = key;
			pf->shm_id = (int)id;
		}
		if (!pf->problem)
			pf->problem = DBP_PIDFILE_OLD_FORMAT;
		return -EINVAL;
	}
	if (line_long(text, len, 3, &v) == 0 && v > 0) {
		pf->start_time = (time_t)v;
		pf->have_start_time = 1;
	} else if (pf->nlines >= 3 && !pf->problem) {
		pf->problem = DBP_PIDFILE_BAD_FIELD;
	}
	if (line_long(text, len, 4, &v) == 0 && v >= 0 && v <= 65535)
		pf->port = (int)v;
	else if (pf->nlines >= 4 && !pf->problem)
		pf->problem = DBP_PIDFILE_BAD_FIELD;
	copy_line(text, len, 5, pf->socket_dir, sizeof(pf->socket_dir));
	copy_line(text, len, 6, pf->listen_addr, sizeof(pf->listen_addr));

	/* line 7: "    5432001   1234567" (PostgreSQL pads with spaces);
	 * empty on Windows */
	copy_line(text, len, 7, shm, sizeof(shm));
	if (shm[0]) {
		errno = 0;
		key = strtoul(shm, &end, 10);
		id = errno || end == shm ? -1 : strtol(end, &end, 10);
		while (*end == ' ')
			end++;
		if (errno || id < 0 || id > INT_MAX || *end) {
			if (!pf->problem)
				pf->problem = DBP_PIDFILE_BAD_FIELD;
		} else {
			pf->shm_key = key;
			pf->shm_id = (int)id;
		}
	}
	copy_line(text, len, 8, pf->status, sizeof(pf->status));
	for (size_t n = strlen(pf->status); n && pf->status[n - 1] == ' '; n--)
		pf->status[n - 1] = '\0';

	/* CreateLockFile writes lines 1-5 in one write(), newline-terminated */
	if (!pf->problem && (pf->nlines < 5 || !pf->final_newline))
		pf->problem = DBP_PIDFILE_TRUNCATED;
	return pf->problem ? -EINVAL : 0;
}
