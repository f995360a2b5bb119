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

/* acct(2) off, for the whole PID namespace. Returns 0 or a negative
 * errno (-EPERM without CAP_SYS_PACCT). */
int dbp_acct_off(void);

/*
 * The recorder's spool: the file the kernel writes records into, read as
 * they come and kept small. When it passes max (DBP_ACCT_SPOOL_MAX), the
 * kernel is switched to a fresh file (acct(2) switches atomically: every
 * record lands in one file or the other), the old one is read to its end
 * and replaced by the new one under the same name.
 *
 * Both files are created (or a leftover of a killed recorder taken over)
 * in the recording's directory with dbp_outdir_file_open, never through
 * a link, and the kernel is handed the file itself: acct(2) takes a path
 * and opens it following links, so it gets /proc/self/fd/N of the
 * descriptor dbpod holds, which leads to that very file whatever has
 * happened to its name since. Without /proc there is no accounting
 * (-ENOENT), never the name.
 */
#define DBP_ACCT_SPOOL_MAX (1 << 20)

struct dbp_outdir;

struct dbp_acct_spool {
	struct dbp_outdir *dir;	/* the recording's directory, borrowed */
	char *name;		/* FILE.acct, in dir */
	int fd;			/* read side, -1 when off */
	off_t off;		/* bytes read */
	int old_fd;		/* after a roll: the previous file, read to its end */
	off_t old_off;
	off_t max;		/* roll past this many bytes read (DBP_ACCT_SPOOL_MAX) */
	int on;			/* accounting was turned on by us */
};

/* Create name in dir (or take over and empty a leftover that passes
 * dbp_outdir_file_open's checks) and turn accounting on into it. Returns
 * 0 or a negative errno (then accounting is off and nothing is left
 * behind); a refusal is explained by dbp_outdir_strerror(dir, err). */
int dbp_acct_spool_start(struct dbp_acct_spool *sp, struct dbp_outdir *dir, const char *name);

/* Read the complete records written since the last call, up to max into
 * out; returns how many, or a negative errno. Call again while it
 * returns max. Records that are not version 3 are skipped. */
int dbp_acct_spool_read(struct dbp_acct_spool *sp, struct dbp_acct_rec *out, size_t max);

/* Past sp->max read: switch to a fresh file (FILE.acct.new, renamed
 * FILE.acct once the kernel writes into it) under the same name. Records that reached the old one meanwhile are returned first by
 * the next dbp_acct_spool_read. Returns 1 when it switched, 0 when not
 * needed, or a negative errno. */
int dbp_acct_spool_roll(struct dbp_acct_spool *sp);

/* Turn accounting off (for the whole namespace), close and remove the
 * file (its name, when it is still the spool's). Read the last records
 * first. */
void dbp_acct_spool_stop(struct dbp_acct_spool *sp);

#endif
