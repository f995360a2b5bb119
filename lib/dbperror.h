/*
 * The error codes dbpod adds to errno's, and their text: shared by the
 * readers that refuse what is not a regular file, the writers that refuse
 * a file or directory another user could turn against them (safeopen.h),
 * and the rules and views that say so.
 */
#ifndef DBPOD_DBPERROR_H
#define DBPOD_DBPERROR_H

/* Not errno values (they end at 4095): "not a regular file"; "in
 * another IPC namespace" (node mode cannot examine a container's shared
 * memory from the node's); and the refusals of dbp_outdir_file_open and
 * dbp_outdir_open: a file with more than one link, a file of another
 * user, a directory that users other than its owner can write. */
#define DBP_ENOTREG 4096
#define DBP_EIPCNS 4097
#define DBP_ELINKS 4098
#define DBP_EOWNER 4099
#define DBP_EDIRWRITABLE 4100

/* strerror for a negative (or positive) errno or one of dbpod's own. */
const char *dbp_open_strerror(int err);

#endif
