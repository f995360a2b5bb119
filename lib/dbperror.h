/*
 * The one error code dbpod adds to errno's, and its text: shared by the
 * readers that refuse what is not a regular file (safeopen.h) and the
 * rules and views that say so.
 */
#ifndef DBPOD_DBPERROR_H
#define DBPOD_DBPERROR_H

/* Not errno values (they end at 4095): "not a regular file"; "in
 * another IPC namespace" (node mode cannot examine a container's shared
 * memory from the node's). */
#define DBP_ENOTREG 4096
#define DBP_EIPCNS 4097

/* strerror for a negative (or positive) errno or one of dbpod's own. */
const char *dbp_open_strerror(int err);

#endif
