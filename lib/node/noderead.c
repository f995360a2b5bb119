/*
 * The node's reader. libproc2 reads stat and cmdline of every process (and
 * oom_score when wanted); status is read here, once per process of
 * another namespace, because libproc2 does not give NSpid: the masks come
 * from the same read. The processes of dbpod's own namespace (the host's,
 * in a DaemonSet with hostPID) are not judged, so their status is never
 * read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "noderead.h"
#include "procread.h"
#include "procstatus.h"
#include "safeopen.h"
#include "slurp.h"
#include "userread.h"

/* User names as the namespace's own /etc/passwd gives them (dbpod inside
 * the container would show those), else the number: the node's names
 * belong to other users. */
static void ns_user_names(struct dbp_pidns *ns)
{
	char root[64];

	snprintf(root, sizeof(root), "/proc/%d/root", (int)ns->init_host_pid);
	dbp_table_user_names(&ns->table, ns->init_host_pid ? root : "/nonexistent");
}

static unsigned long long ns_ino(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	return stat(path, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

/* status of p (another namespace's): its NS numbers, and its masks and
 * real uid when wanted. comm and state stay stat's (status' Name is
 * escaped). 0, or negative when it vanished. */
static int read_status(struct dbp_proc *p, unsigned want, struct dbp_nsinfo *ns)
{
	char buf[8192];
	struct dbp_proc q;
	int rc = dbp_status_text(NULL, p->pid, buf, sizeof(buf));

	if (rc < 0)
		return rc;
	if (dbp_status_nsids(buf, ns) < 0)
		return -EINVAL;
	if (!(want & DBP_HAVE_STATUS))
		return 0;
	memset(&q, 0, sizeof(q));
	if (dbp_status_parse(buf, &q) == 0 && (q.have & DBP_HAVE_STATUS)) {
		p->sig = q.sig;
		p->uid = q.uid;
		p->have |= DBP_HAVE_STATUS;
	}
	return 0;
}

int dbp_node_read(struct dbp_node *node, unsigned want)
{
	struct dbp_table host;
	struct dbp_nsinfo *info;
	unsigned long long self;
	int rc;

	dbp_node_init(node);
	self = ns_ino(getpid());
	if (!self)
		return -errno ? -errno : -EIO;
	dbp_table_init(&host);
	rc = dbp_table_read_live(&host, want & ~(DBP_HAVE_STATUS | DBP_WANT_STATUS_ALL));
	if (rc < 0)
		return rc;
	info = calloc(host.n ? host.n : 1, sizeof(*info));
	if (!info) {
		dbp_table_free(&host);
		return -ENOMEM;
	}
	for (size_t i = 0; i < host.n; i++) {
		struct dbp_proc *p = &host.procs[i];

		if (p->kthread)
			continue;
		info[i].ino = ns_ino(p->pid);
		if (!info[i].ino || info[i].ino == self)
			continue;
		/* a process that exits here is left out, as libproc2 does */
		if (read_status(p, want, &info[i]) < 0)
			info[i].ino = 0;
	}
	rc = dbp_node_group(node, &host, info, self);
	free(info);
	if (rc < 0) {
		dbp_table_free(&host);
		dbp_node_free(node);
		return rc;
	}
	/* what is left is dbpod's own namespace: kept for the daemons */
	node->own = host;
	for (size_t k = 0; k < node->n; k++) {
		ns_user_names(&node->ns[k]);
		if (want & DBP_HAVE_STATUS)
			dbp_table_read_waits(&node->ns[k].table);
	}
	return 0;
}
