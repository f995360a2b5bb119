/*
 * Reading the node: one pass over the reader's /proc, then each process's
 * PID namespace and its numbers there, grouped into the node model.
 */
#ifndef DBPOD_NODEREAD_H
#define DBPOD_NODEREAD_H

#include <stddef.h>

#include "node.h"

/* Read every process visible here once (libproc2, with what want asks for:
 * procread.h) and group those of other PID namespaces into node, each
 * with its status read once (its masks and real uid when want has
 * DBP_HAVE_STATUS; the NS* numbers always). The processes of dbpod's own
 * namespace are counted and kept in node->own as read (no status).
 * Returns 0 or a negative errno. */
int dbp_node_read(struct dbp_node *node, unsigned want);

#endif
