/* BSD process accounting switched on and its spool read (acctread.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acct.h"
#include "acctread.h"
#include "safeopen.h"

int dbp_acct_off(void)
{
	return acct(NULL) < 0 ? -errno : 0;
}

/* Accounting on into the file open as fd. acct(2) opens the path it is
 * given itself (O_WRONLY | O_APPEND, following links), so it is given
 * the descriptor's /proc/self/fd entry, which leads to this very file
 * whatever stands under its name by now; checked first to be fd's file,
 * for a /proc that is not this process's. */
static int acct_on_fd(int fd)
{
	char self[64];
	struct stat a, b;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	if (fstat(fd, &a) < 0)
		return -errno;
	if (stat(self, &b) < 0)
		return -errno;
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return -ENOENT;
	return acct(self) < 0 ? -errno : 0;
}

/* name in the spool's directory, created (or a leftover emptied) 0600
 * and opened to read (O_RDWR: a leftover is emptied through the
 * descriptor; dbpod itself never writes it), with accounting switched
 * into it. The descriptor,
 * or a negative errno (and nothing left behind that dbpod created). */
static int spool_file(struct dbp_acct_spool *sp, const char *name)
{
	int fd, rc;

	fd = dbp_outdir_file_open(sp->dir, name, O_RDWR | O_TRUNC, 0600);
	if (fd < 0)
		return fd;
	rc = acct_on_fd(fd);
	if (rc < 0) {
		if (dbp_outdir_file_is(sp->dir, name, fd))
			dbp_outdir_file_unlink(sp->dir, name);
		close(fd);
		return rc;
	}
	return fd;
}

int dbp_acct_spool_start(struct dbp_acct_spool *sp, struct dbp_outdir *dir, const char *name)
{
	int fd;

	memset(sp, 0, sizeof(*sp));
	sp->fd = sp->old_fd = -1;
	sp->dir = dir;
	sp->max = DBP_ACCT_SPOOL_MAX;
	sp->name = strdup(name);
	if (!sp->name)
		return -ENOMEM;
	fd = spool_file(sp, name);
	if (fd < 0) {
		free(sp->name);
		sp->name = NULL;
		return fd;
	}
	sp->fd = fd;
	sp->on = 1;
	return 0;
}

/* Whole records of fd from *off on, into out[*n..max). Returns 1 at the
 * end of what is there, 0 when out is full, or a negative errno. */
static int read_records(int fd, off_t *off, struct dbp_acct_rec *out, size_t *n, size_t max)
{
	unsigned char buf[DBP_ACCT_RECORD * 64];

	while (*n < max) {
		size_t want = (max - *n) * DBP_ACCT_RECORD;
		ssize_t got;

		if (want > sizeof(buf))
			want = sizeof(buf);
		got = pread(fd, buf, want, *off);
		if (got < 0)
			return -errno;
		/* whole records only: a read may meet one half written */
		got -= got % DBP_ACCT_RECORD;
		if (!got)
			return 1;
		for (ssize_t i = 0; i < got; i += DBP_ACCT_RECORD)
			if (dbp_acct_parse(buf + i, DBP_ACCT_RECORD, &out[*n]) == 0)
				(*n)++;
		*off += got;
	}
	return 0;
}

int dbp_acct_spool_read(struct dbp_acct_spool *sp, struct dbp_acct_rec *out, size_t max)
{
	size_t n = 0;
	int rc;

	if (sp->old_fd >= 0) {
		rc = read_records(sp->old_fd, &sp->old_off, out, &n, max);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return (int)n;
		/* the kernel writes only into the new file since the roll */
		close(sp->old_fd);
		sp->old_fd = -1;
	}
	if (sp->fd < 0)
		return (int)n;
	rc = read_records(sp->fd, &sp->off, out, &n, max);
	return rc < 0 && !n ? rc : (int)n;
}

int dbp_acct_spool_roll(struct dbp_acct_spool *sp)
{
	char *fresh;
	int nfd, rc;

	if (sp->fd < 0 || sp->off < sp->max)
		return 0;
	if (asprintf(&fresh, "%s.new", sp->name) < 0)
		return -ENOMEM;
	nfd = spool_file(sp, fresh);
	if (nfd < 0) {
		/* no fresh file (one planted under its name is refused): the
		 * spool grows until the recorder stops, and is not tried
		 * again at every sample */
		sp->max = (off_t)(~0ULL >> 1);
		free(fresh);
		return nfd;
	}
	/* from here the kernel writes into fresh; the old file is read to
	 * its end through its descriptor, its name goes to the fresh one */
	rc = dbp_outdir_file_rename(sp->dir, fresh, sp->name);
	if (rc < 0) {
		/* something dbpod cannot replace stands under the name (a
		 * directory planted there): fresh, which the kernel writes
		 * into now, becomes the spool under its own name, the old
		 * name goes, and there is no roll any more */
		if (dbp_outdir_file_is(sp->dir, sp->name, sp->fd))
			dbp_outdir_file_unlink(sp->dir, sp->name);
		free(sp->name);
		sp->name = fresh;
		sp->max = (off_t)(~0ULL >> 1);
	} else {
		free(fresh);
	}
	if (sp->old_fd >= 0)
		close(sp->old_fd);
	sp->old_fd = sp->fd;
	sp->old_off = sp->off;
	sp->fd = nfd;
	sp->off = 0;
	return rc < 0 ? rc : 1;
}

void dbp_acct_spool_stop(struct dbp_acct_spool *sp)
{
	if (sp->on)
		dbp_acct_off();
	/* the name only when it is still the spool: whatever else stands
	 * there is not dbpod's to remove */
	if (sp->fd >= 0 && sp->name && dbp_outdir_file_is(sp->dir, sp->name, sp->fd))
		dbp_outdir_file_unlink(sp->dir, sp->name);
	if (sp->fd >= 0)
		close(sp->fd);
	if (sp->old_fd >= 0)
		close(sp->old_fd);
	free(sp->name);
	memset(sp, 0, sizeof(*sp));
	sp->fd = sp->old_fd = -1;
}
