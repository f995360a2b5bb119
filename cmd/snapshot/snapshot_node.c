/*
 * dbpod snapshot --all-containers: the node recorder's namespace lines.
 *
 * The sampler says which PID namespaces a sample holds and which of them
 * are new (sampler.h, node mode). Each one's container is read once, when
 * it is first seen, with the code node mode names containers with: its
 * PID 1's cgroup (container.h) and, where the runtime keeps them -- as
 * its daemon on the node was configured (runtimeread.h) -- its name and
 * image (containermeta.h). It is then
 * written as a namespace line before the sample that first shows the
 * namespace, and again before every key, so that a reader starting at
 * any key -- a rotated file, a window of postmortem --at -- knows every
 * namespace of it.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node/container.h"
#include "node/containermeta.h"
#include "node/runtimeread.h"
#include "snapshot.h"

void snap_node_init(struct snap_node *sn)
{
	memset(sn, 0, sizeof(*sn));
}

void snap_node_free(struct snap_node *sn)
{
	free(sn->known);
	snap_node_init(sn);
}

/* The runtimes' state, where their daemons among the recorder's own
 * namespace's processes of cur (the node's) keep it, as node mode reads
 * it; NULL without memory. */
static struct dbp_meta *meta_open(const struct dbp_table *cur, unsigned long long own)
{
	struct dbp_runtime_dirs dirs;
	struct dbp_table node;
	struct dbp_meta *meta;

	dbp_table_init(&node);
	node.procs = malloc((cur->n ? cur->n : 1) * sizeof(*node.procs));
	if (!node.procs)
		return NULL;
	/* shallow copies: the sample keeps the command lines */
	for (size_t i = 0; i < cur->n; i++)
		if (cur->procs[i].ns.ino == own)
			node.procs[node.n++] = cur->procs[i];
	dbp_runtime_dirs_read(NULL, &node, &dirs);
	meta = dbp_meta_open(NULL, &dirs);
	free(node.procs);
	return meta;
}

/* The container namespace ns is, read now. meta is opened at the first
 * container of a sample and closed after it: the runtimes' state is read
 * again when the next new container comes. */
static void identify(const struct dbp_sampler_pidns *ns, const struct dbp_table *cur,
		     unsigned long long own, struct dbp_meta **meta, struct dbp_rec_pidns *n)
{
	struct dbp_container c;
	struct dbp_container_meta m;

	memset(n, 0, sizeof(*n));
	n->ino = ns->ino;
	n->pid1 = ns->init;
	n->pid1_start = ns->init_start;
	/* its PID 1's cgroup, as node mode reads it; the first process
	 * seen when its PID 1 was not */
	if (dbp_container_read(ns->init ? ns->init : ns->first, &c) < 0 || !c.id[0])
		return;
	snprintf(n->id, sizeof(n->id), "%s", c.id);
	snprintf(n->runtime, sizeof(n->runtime), "%s", c.runtime);
	snprintf(n->pod_uid, sizeof(n->pod_uid), "%s", c.pod_uid);
	snprintf(n->qos, sizeof(n->qos), "%s", dbp_pod_qos_name(c.qos));
	if (!*meta)
		*meta = meta_open(cur, own);
	if (*meta && dbp_meta_lookup(*meta, c.id, &m) == 1) {
		snprintf(n->name, sizeof(n->name), "%s", m.name);
		snprintf(n->image, sizeof(n->image), "%s", m.image);
	}
}

static struct dbp_rec_pidns *known(struct snap_node *sn, const struct dbp_sampler_pidns *ns)
{
	for (size_t i = 0; i < sn->nknown; i++)
		if (sn->known[i].ino == ns->ino && sn->known[i].pid1 == ns->init &&
		    sn->known[i].pid1_start == ns->init_start)
			return &sn->known[i];
	return NULL;
}

/* Forget the namespaces that have ended (none of the sample's). */
static void forget_ended(struct snap_node *sn, const struct dbp_sampler_pidns *ns, size_t n)
{
	size_t kept = 0;

	for (size_t i = 0; i < sn->nknown; i++) {
		const struct dbp_rec_pidns *k = &sn->known[i];
		int live = 0;

		for (size_t j = 0; j < n && !live; j++)
			live = ns[j].ino == k->ino && ns[j].init == k->pid1 &&
			       ns[j].init_start == k->pid1_start;
		if (live)
			sn->known[kept++] = *k;
	}
	sn->nknown = kept;
}

int snap_node_lines(struct snap_node *sn, const struct dbp_sampler *s,
		    const struct dbp_table *cur, struct dbp_recout *o, double t, int key)
{
	size_t n;
	const struct dbp_sampler_pidns *ns = dbp_sampler_pidns(s, &n);
	struct dbp_meta *meta = NULL;
	int rc = 0;

	forget_ended(sn, ns, n);
	for (size_t i = 0; i < n && rc >= 0; i++) {
		struct dbp_rec_pidns *k;

		/* the recorder's own namespace is the node: no container */
		if (!ns[i].ino || ns[i].own)
			continue;
		k = known(sn, &ns[i]);
		if (!k) {
			if (sn->nknown == sn->cap) {
				size_t cap = sn->cap ? sn->cap * 2 : 16;
				struct dbp_rec_pidns *nk = realloc(sn->known, cap * sizeof(*nk));

				if (!nk) {
					rc = -ENOMEM;
					break;
				}
				sn->known = nk;
				sn->cap = cap;
			}
			k = &sn->known[sn->nknown++];
			identify(&ns[i], cur, o->h.pid_ns, &meta, k);
		} else if (!key && !ns[i].fresh) {
			continue;
		}
		rc = dbp_recout_line(o, dbp_rec_namespace(t, k));
	}
	dbp_meta_close(meta);
	return rc;
}
