/*
 * The node model: every process of the reader's view grouped by the PID
 * namespace it lives in, each namespace's processes renumbered the way
 * they see themselves (NSpid), so that the rules judge a container from
 * outside exactly as they would from inside it.
 *
 * node.c builds it from one reading of /proc (noderead.c); it reads
 * nothing itself, so the unit tests build it from hand-made input.
 */
#ifndef DBPOD_NODE_H
#define DBPOD_NODE_H

#include <stddef.h>
#include <sys/types.h>

#include "proctable.h"

/* What the reader learnt of one process beyond the table is a struct
 * dbp_nsinfo (proctable.h): its PID namespace and its numbers there. */

/* One PID namespace other than the reader's own. */
struct dbp_pidns {
	unsigned long long ino;		/* the inode of /proc/PID/ns/pid */
	struct dbp_table table;		/* its processes, numbered as it sees them;
					 * host_pid says where their /proc files are */
	pid_t init_host_pid;		/* the host PID of its PID 1; 0: no PID 1 seen
					 * (it exited while dbpod read: the namespace is gone) */
};

struct dbp_node {
	struct dbp_pidns *ns;		/* ordered by the host PID of their PID 1 */
	size_t n;
	unsigned long long self_ino;	/* the reader's own namespace: not judged */
	size_t self_procs;		/* processes in it */
	/* its processes (and those whose namespace is unknown), as read:
	 * the host's with hostPID, where the runtimes' daemons run */
	struct dbp_table own;
	size_t unreadable;		/* processes whose namespace could not be read */
};

void dbp_node_init(struct dbp_node *node);
void dbp_node_free(struct dbp_node *node);

/* Group the processes of host (the reader's view; info[i] belongs to
 * host->procs[i]) by namespace into node. Processes move: host keeps only
 * those of the reader's own namespace and those whose namespace is
 * unknown. PIDs, parents, groups and sessions are renumbered to the
 * namespace's own numbers; a parent outside the namespace becomes 0, as
 * getppid() says inside. Returns 0 or -ENOMEM. */
int dbp_node_group(struct dbp_node *node, struct dbp_table *host,
		   const struct dbp_nsinfo *info, unsigned long long self_ino);

/* The namespace with this inode, or NULL. */
const struct dbp_pidns *dbp_node_find(const struct dbp_node *node, unsigned long long ino);

#endif
