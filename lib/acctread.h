/*
 * Turning BSD process accounting on and off (acct(2)) and reading the
 * records the kernel writes (acct.h parses each one).
 *
 * Accounting is one file per PID namespace: acct(PATH) replaces whatever
 * file the namespace had (atop, psacct), and acct(NULL) turns it off for
 * everyone in the namespace. The kernel also writes the record into the
 * files of the ancestor namespaces that have accounting on.
 */
#ifndef DBPOD_ACCTREAD_H
#define DBPOD_ACCTREAD_H

#include <stddef.h>
#include <sys/types.h>

#include "acct.h"

/* acct(2): turn accounting on into path (an existing regular file), or
 * off with NULL. Returns 0 or a negative errno (-EPERM without
 * CAP_SYS_PACCT, -ENOSYS without BSD_PROCESS_ACCT). */
int dbp_acct_switch(const char *path);

/*
 * The recorder's spool: the file the kernel writes records into, read as
 * they come and kept small. When it passes DBP_ACCT_SPOOL_MAX, the kernel
 * is switched to a fresh file (acct(2) switches atomically: every record
 * lands in one file or the other), the old one is read to its end and
 * replaced by the new one under the same name.
 */
#define DBP_ACCT_SPOOL_MAX (1 << 20)

struct dbp_acct_spool {
	char *path;		/* FILE.acct */
	int fd;			/* read side, -1 when off */
	off_t off;		/* bytes read */
	int old_fd;		/* after a roll: the previous file, read to its end */
	off_t old_off;
	int on;			/* accounting was turned on by us */
};

/* Create (truncate) path and turn accounting on into it. Returns 0 or a
 * negative errno (then accounting is off and nothing is left behind). */
int dbp_acct_spool_start(struct dbp_acct_spool *sp, const char *path);

/* Read the complete records written since the last call, up to max into
 * out; returns how many, or a negative errno. Call again while it
 * returns max. Records that are not version 3 are skipped. */
int dbp_acct_spool_read(struct dbp_acct_spool *sp, struct dbp_acct_rec *out, size_t max);

/* Past DBP_ACCT_SPOOL_MAX read: switch to a fresh file under the same
 * name. Records that reached the old one meanwhile are returned first by
 * the next dbp_acct_spool_read. Returns 1 when it switched, 0 when not
 * needed, or a negative errno. */
int dbp_acct_spool_roll(struct dbp_acct_spool *sp);

/* Turn accounting off (for the whole namespace), close and remove the
 * file. Read the last records first. */
void dbp_acct_spool_stop(struct dbp_acct_spool *sp);

#endif
