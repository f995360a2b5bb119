/*
 * The one error code dbpod adds to errno's, and its text: shared by the
 * readers that refuse what is not a regular file (safeopen.h) and the
 * rules and views that say so.
 */
#ifndef DBPOD_DBPERROR_H
#define DBPOD_DBPERROR_H

/* Not an errno value (they end at 4095): "not a regular file". */
#define DBP_ENOTREG 4096

/* strerror for a negative (or positive) errno or DBP_ENOTREG: "not a
 * regular file" for the latter. */
const char *dbp_open_strerror(int err);

#endif
