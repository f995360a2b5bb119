/*
 * Hand-built process tables for the rule tests: the rules cannot tell
 * them from a live reading.
 */
#ifndef DBPOD_TEST_TABLEBUILD_H
#define DBPOD_TEST_TABLEBUILD_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "classify.h"	/* dbp_table_sort */
#include "proctable.h"
#include "report.h"

#define TB_NOW 1763880000	/* the table's "now" */
#define TB_BOOT (TB_NOW - 86400)

static inline void tb_init(struct dbp_table *t)
{
	dbp_table_init(t);
	t->hz = 100;
	t->boot_time = TB_BOOT;
	t->now = TB_NOW;
}

/* A process with readable status and empty masks; argv is split at
 * spaces ("" for none). start is in seconds after boot. */
static inline struct dbp_proc *tb_add(struct dbp_table *t, pid_t pid, pid_t ppid, uid_t uid,
				      const char *comm, const char *args, unsigned start)
{
	struct dbp_proc *p = dbp_table_add(t);
	char buf[512], *argv[32], *save = NULL;
	int n = 0;

	p->pid = pid;
	p->ppid = ppid;
	p->pgrp = pid;
	p->sid = pid;
	p->uid = uid;
	snprintf(p->user, sizeof(p->user), "%s", uid == 0 ? "root" : uid == 999 ? "postgres" : "app");
	p->state = 'S';
	p->start_ticks = (unsigned long long)start * 100;
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	snprintf(buf, sizeof(buf), "%s", args);
	for (char *w = strtok_r(buf, " ", &save); w && n < 31; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n] = NULL;
	dbp_proc_set_argv(p, (const char *const *)argv);
	p->have = DBP_HAVE_STATUS | (n ? DBP_HAVE_CMDLINE : 0);
	return p;
}

static inline uint64_t tb_sig(int sig)
{
	return (uint64_t)1 << (sig - 1);
}

/* Signal masks of a PostgreSQL postmaster (read off PostgreSQL 15). */
static inline void tb_postmaster_masks(struct dbp_proc *p)
{
	p->sig.caught = 0x0000000000014a07ULL;	/* HUP INT QUIT USR1 USR2 TERM CHLD */
	p->sig.ignored = 0x0000000001703000ULL;	/* PIPE ALRM TTIN TTOU URG XFSZ */
}

/* A PostgreSQL child: ignores SIGPIPE, as all of them do. */
static inline struct dbp_proc *tb_pg_child(struct dbp_table *t, pid_t pid, pid_t ppid,
					   const char *title)
{
	struct dbp_proc *p = tb_add(t, pid, ppid, 999, "postgres", "", 10);

	const char *argv[] = { title, NULL };
	dbp_proc_set_argv(p, argv);
	p->sig.ignored = 0x0000000001707000ULL;
	p->sig.caught = 0x0000000020000a07ULL;
	return p;
}

/* The first finding with this id, or NULL. */
static inline const struct dbp_finding *tb_find(const struct dbp_report *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->items[i].id, id))
			return &r->items[i];
	return NULL;
}

static inline size_t tb_count(const struct dbp_report *r, const char *id)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		n += !strcmp(r->items[i].id, id);
	return n;
}

#endif
