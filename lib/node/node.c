/*
 * Grouping one reading of the node's processes by PID namespace.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "node.h"

void dbp_node_init(struct dbp_node *node)
{
	memset(node, 0, sizeof(*node));
	dbp_table_init(&node->own);
}

void dbp_node_free(struct dbp_node *node)
{
	for (size_t i = 0; i < node->n; i++)
		dbp_table_free(&node->ns[i].table);
	free(node->ns);
	dbp_table_free(&node->own);
	dbp_node_init(node);
}

const struct dbp_pidns *dbp_node_find(const struct dbp_node *node, unsigned long long ino)
{
	for (size_t i = 0; i < node->n; i++)
		if (node->ns[i].ino == ino)
			return &node->ns[i];
	return NULL;
}

static struct dbp_pidns *ns_get(struct dbp_node *node, unsigned long long ino, size_t *cap,
				const struct dbp_table *host)
{
	for (size_t i = 0; i < node->n; i++)
		if (node->ns[i].ino == ino)
			return &node->ns[i];
	if (node->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct dbp_pidns *nn = realloc(node->ns, nc * sizeof(*nn));

		if (!nn)
			return NULL;
		node->ns = nn;
		*cap = nc;
	}
	memset(&node->ns[node->n], 0, sizeof(node->ns[0]));
	node->ns[node->n].ino = ino;
	dbp_table_init(&node->ns[node->n].table);
	node->ns[node->n].table.hz = host->hz;
	node->ns[node->n].table.boot_time = host->boot_time;
	node->ns[node->n].table.now = host->now;
	/* dbpod is not in it: no process there is "dbpod itself" */
	node->ns[node->n].table.self = 0;
	node->ns[node->n].table.foreign = 1;
	return &node->ns[node->n++];
}

/* The namespace's number for the host PID hpid, when that process is in
 * the same namespace (ino); else 0. */
static pid_t ns_number(const struct dbp_table *host, const struct dbp_nsinfo *info,
		       unsigned long long ino, pid_t hpid)
{
	const struct dbp_proc *q;

	if (hpid <= 0 || !(q = dbp_table_find(host, hpid)))
		return 0;
	return info[q - host->procs].ino == ino ? info[q - host->procs].pid : 0;
}

static int by_init(const void *a, const void *b)
{
	const struct dbp_pidns *x = a, *y = b;

	/* namespaces without a PID 1 last */
	if (!x->init_host_pid != !y->init_host_pid)
		return x->init_host_pid ? -1 : 1;
	if (x->init_host_pid != y->init_host_pid)
		return x->init_host_pid < y->init_host_pid ? -1 : 1;
	return (x->ino > y->ino) - (x->ino < y->ino);
}

int dbp_node_group(struct dbp_node *node, struct dbp_table *host,
		   const struct dbp_nsinfo *info, unsigned long long self_ino)
{
	size_t cap = 0, kept = 0;
	struct loc {
		size_t ns, proc;
	} *loc;

	dbp_node_init(node);
	node->self_ino = self_ino;
	if (!host->sorted)
		return -EINVAL;	/* info follows the order of a sorted table */
	loc = calloc(host->n ? host->n : 1, sizeof(*loc));
	if (!loc)
		return -ENOMEM;
	/* first pass: number everything while the host table is whole */
	for (size_t i = 0; i < host->n; i++) {
		const struct dbp_proc *p = &host->procs[i];
		const struct dbp_nsinfo *in = &info[i];
		struct dbp_pidns *ns;
		struct dbp_proc *q;

		if (!in->ino || in->ino == self_ino || in->pid <= 0) {
			if (in->ino == self_ino)
				node->self_procs++;
			else if (!p->kthread)
				node->unreadable++;
			continue;
		}
		ns = ns_get(node, in->ino, &cap, host);
		if (!ns || !(q = dbp_table_add(&ns->table))) {
			free(loc);
			return -ENOMEM;
		}
		loc[i].ns = (size_t)(ns - node->ns);
		loc[i].proc = ns->table.n - 1;
		*q = *p;
		q->argv = NULL;		/* moved below, once numbering is done */
		q->host_pid = p->pid;
		q->pid = in->pid;
		q->ppid = ns_number(host, info, in->ino, p->ppid);
		/* status' NSpgid and NSsid are the namespace's own numbers even
		 * when the leader has exited */
		q->pgrp = in->pgrp;
		q->sid = in->sid;
		if (in->pid == 1)
			ns->init_host_pid = p->pid;
	}
	/* second pass: move argv to the namespace copies, keep the rest */
	for (size_t i = 0; i < host->n; i++) {
		struct dbp_proc *p = &host->procs[i];
		const struct dbp_nsinfo *in = &info[i];

		if (!in->ino || in->ino == self_ino || in->pid <= 0) {
			host->procs[kept++] = *p;
			continue;
		}
		node->ns[loc[i].ns].table.procs[loc[i].proc].argv = p->argv;
		p->argv = NULL;
	}
	free(loc);
	host->n = kept;
	for (size_t k = 0; k < node->n; k++)
		dbp_table_sort(&node->ns[k].table);
	qsort(node->ns, node->n, sizeof(node->ns[0]), by_init);
	return 0;
}
