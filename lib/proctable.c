/*
 * The process table model: storage, lookup and the few relations between
 * processes (parent, children, ancestry) that every rule needs.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proctable.h"
#include "redact.h"

void dbp_table_init(struct dbp_table *t)
{
	memset(t, 0, sizeof(*t));
	t->hz = 100;
}

void dbp_proc_clear(struct dbp_proc *p)
{
	free(p->argv);
	p->argv = NULL;
}

void dbp_table_free(struct dbp_table *t)
{
	if (!t->borrowed) {
		for (size_t i = 0; i < t->n; i++)
			dbp_proc_clear(&t->procs[i]);
		free(t->procs);
	}
	t->procs = NULL;
	t->n = t->cap = 0;
	t->borrowed = 0;
}

void dbp_table_borrow(struct dbp_table *dst, const struct dbp_table *src)
{
	*dst = *src;
	dst->cap = src->n;
	dst->borrowed = 1;
}

int dbp_table_copy(struct dbp_table *dst, const struct dbp_table *src)
{
	dbp_table_init(dst);
	for (size_t i = 0; i < src->n; i++) {
		struct dbp_proc *p = dbp_table_add(dst);

		if (!p) {
			dbp_table_free(dst);
			return -ENOMEM;
		}
		if (dbp_proc_copy(p, &src->procs[i]) < 0) {
			dst->n--;
			dbp_table_free(dst);
			return -ENOMEM;
		}
	}
	dst->sorted = src->sorted;
	dst->hz = src->hz;
	dst->boot_time = src->boot_time;
	dst->now = src->now;
	dst->self = src->self;
	dst->foreign = src->foreign;
	dst->predicted = src->predicted;
	return 0;
}

struct dbp_proc *dbp_table_add(struct dbp_table *t)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct dbp_proc *np = realloc(t->procs, cap * sizeof(*np));

		if (!np)
			return NULL;
		t->procs = np;
		t->cap = cap;
	}
	t->sorted = 0;
	memset(&t->procs[t->n], 0, sizeof(t->procs[0]));
	return &t->procs[t->n++];
}

int dbp_proc_set_argv(struct dbp_proc *p, const char *const *argv)
{
	size_t n = 0, bytes = 0;
	char *s;

	dbp_proc_clear(p);
	p->cls.valid = 0;
	if (!argv || !argv[0])
		return 0;
	for (; argv[n]; n++)
		bytes += strlen(argv[n]) + 1;
	/* one block: a malloc per argument was a third of a reading's
	 * allocations */
	p->argv = malloc((n + 1) * sizeof(char *) + bytes);
	if (!p->argv)
		return -ENOMEM;
	s = (char *)(p->argv + n + 1);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(argv[i]) + 1;

		memcpy(s, argv[i], len);
		p->argv[i] = s;
		s += len;
	}
	p->argv[n] = NULL;
	return 0;
}

int dbp_proc_copy(struct dbp_proc *dst, const struct dbp_proc *src)
{
	*dst = *src;
	dst->argv = NULL;
	return dbp_proc_set_argv(dst, (const char *const *)src->argv);
}

static int cmp_pid(const void *a, const void *b)
{
	const struct dbp_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

void dbp_table_order(struct dbp_table *t)
{
	if (t->n)
		qsort(t->procs, t->n, sizeof(t->procs[0]), cmp_pid);
	t->sorted = 1;
}

int dbp_pid_selected(const pid_t *only, size_t n, pid_t pid)
{
	if (!only || !n)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (only[i] == pid)
			return 1;
	return 0;
}

const struct dbp_proc *dbp_table_find(const struct dbp_table *t, pid_t pid)
{
	if (t->sorted) {
		struct dbp_proc key = { .pid = pid };

		if (!t->n)	/* procs may be NULL, which bsearch may not get */
			return NULL;
		return bsearch(&key, t->procs, t->n, sizeof(key), cmp_pid);
	}
	for (size_t i = 0; i < t->n; i++)
		if (t->procs[i].pid == pid)
			return &t->procs[i];
	return NULL;
}

static int older(const struct dbp_proc *a, const struct dbp_proc *b)
{
	if (a->start_ticks != b->start_ticks)
		return a->start_ticks < b->start_ticks;
	return a->pid < b->pid;
}

size_t dbp_table_children(const struct dbp_table *t, pid_t pid,
			  const struct dbp_proc **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];

		if (p->ppid != pid || p->pid == pid || p->state == 'Z')
			continue;
		if (n < max) {
			/* insertion keeps the list oldest first */
			size_t j = n;

			while (j > 0 && older(p, out[j - 1])) {
				out[j] = out[j - 1];
				j--;
			}
			out[j] = p;
		}
		n++;
	}
	return n;
}

int dbp_table_is_ancestor(const struct dbp_table *t, pid_t anc, pid_t pid)
{
	/* the depth bound guards against a cycle in a hand-built or torn table */
	for (int depth = 0; pid > 0 && depth < 4096; depth++) {
		const struct dbp_proc *p;

		if (pid == anc)
			return 1;
		p = dbp_table_find(t, pid);
		if (!p)
			return 0;
		pid = p->ppid;
	}
	return 0;
}

time_t dbp_proc_start_time(const struct dbp_table *t, const struct dbp_proc *p)
{
	long hz = t->hz > 0 ? t->hz : 100;

	return t->boot_time + (time_t)(p->start_ticks / (unsigned long long)hz);
}

/* Interpreters whose argv[1] is the program they run. Shells are not
 * here: a shell running a script is still judged as a shell. */
static int is_interpreter(const char *name)
{
	static const char *const interp[] = { "python", "python2", "python3", "perl", "ruby", "node" };

	for (size_t i = 0; i < sizeof(interp) / sizeof(interp[0]); i++)
		if (!strcmp(name, interp[i]))
			return 1;
	/* python3.11 */
	return !strncmp(name, "python3.", 8);
}

const char *dbp_proc_name(const struct dbp_proc *p)
{
	const char *s;

	if (!p->argv || !p->argv[0] || !p->argv[0][0])
		return p->comm;
	/* PostgreSQL children rewrite argv[0] to "postgres: checkpointer":
	 * a slash in that title is not a directory */
	if (strchr(p->argv[0], ' '))
		return p->comm;
	s = strrchr(p->argv[0], '/');
	s = s ? s + 1 : p->argv[0];
	/* "python3 /usr/bin/supervisord": the program is the script, which
	 * argv[1] names (comm does too when it ran from its #! line) */
	if (is_interpreter(s) && p->argv[1] && p->argv[1][0] && p->argv[1][0] != '-' &&
	    !strchr(p->argv[1], ' ')) {
		const char *sc = strrchr(p->argv[1], '/');

		return sc ? sc + 1 : p->argv[1];
	}
	return s;
}

const char *dbp_proc_cmdline_as(const struct dbp_proc *p, unsigned flags, char *buf, size_t size)
{
	char *full;
	size_t total = 0, len = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	if (!p->argv || !p->argv[0]) {
		snprintf(buf, size, "[%s]", p->comm);
		return buf;
	}
	/* redact the whole line first: a cut could split a secret from the
	 * key or the '@' that marks it */
	for (char **a = p->argv; *a; a++)
		total += strlen(*a) + 1;
	full = malloc(total + 1);
	if (!full) {
		snprintf(buf, size, "[%s]", p->comm);
		return buf;
	}
	for (char **a = p->argv; *a; a++) {
		size_t l = strlen(*a);

		if (a != p->argv)
			full[len++] = ' ';
		memcpy(full + len, *a, l);
		len += l;
	}
	full[len] = '\0';
	if (flags & DBP_CMDLINE_REDACT)
		dbp_redact(full);
	len = strlen(full);
	while ((flags & DBP_CMDLINE_TRIM) && len > 0 && isspace((unsigned char)full[len - 1]))
		full[--len] = '\0';
	if (len < size) {
		memcpy(buf, full, len + 1);
	} else if (size > 4) {
		memcpy(buf, full, size - 4);
		memcpy(buf + size - 4, "...", 4);
	} else {
		buf[0] = '\0';
	}
	free(full);
	return buf;
}

const char *dbp_proc_cmdline(const struct dbp_proc *p, char *buf, size_t size)
{
	return dbp_proc_cmdline_as(p, DBP_CMDLINE_REDACT, buf, size);
}
