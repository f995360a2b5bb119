/*
 * The live process table, read with libproc2 (procps-ng).
 */
#ifndef DBPOD_PROCREAD_H
#define DBPOD_PROCREAD_H

#include "proctable.h"

/* Fill t with every process visible in /proc (this PID namespace's view,
 * filtered by hidepid). Processes that exit while being read are simply
 * absent. Returns 0 or a negative errno (-ENOENT: /proc is not mounted). */
int dbp_table_read_live(struct dbp_table *t);

/* Whether /proc is mounted with hidepid= (other users' processes hidden):
 * 1 yes, 0 no, negative errno when mountinfo cannot be read. */
int dbp_proc_hidepid(void);

#endif
