/* BSD process accounting switched on and its spool read (acctread.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acct.h"
#include "acctread.h"

int dbp_acct_switch(const char *path)
{
	return acct(path) < 0 ? -errno : 0;
}

int dbp_acct_spool_start(struct dbp_acct_spool *sp, const char *path)
{
	int wfd, rc;

	memset(sp, 0, sizeof(*sp));
	sp->fd = sp->old_fd = -1;
	sp->path = strdup(path);
	if (!sp->path)
		return -ENOMEM;
	/* acct(2) opens an existing file (O_WRONLY | O_APPEND) */
	wfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (wfd < 0) {
		rc = -errno;
		goto fail;
	}
	close(wfd);
	sp->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (sp->fd < 0) {
		rc = -errno;
		goto fail;
	}
	rc = dbp_acct_switch(path);
	if (rc < 0)
		goto fail;
	sp->on = 1;
	return 0;
fail:
	if (sp->fd >= 0)
		close(sp->fd);
	sp->fd = -1;
	unlink(path);
	free(sp->path);
	sp->path = NULL;
	return rc;
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
	int wfd, nfd, rc;

	if (sp->fd < 0 || sp->off < DBP_ACCT_SPOOL_MAX)
		return 0;
	if (asprintf(&fresh, "%s.new", sp->path) < 0)
		return -ENOMEM;
	wfd = open(fresh, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (wfd < 0) {
		rc = -errno;
		free(fresh);
		return rc;
	}
	close(wfd);
	nfd = open(fresh, O_RDONLY | O_CLOEXEC);
	if (nfd < 0 || (rc = dbp_acct_switch(fresh)) < 0) {
		rc = nfd < 0 ? -errno : rc;
		if (nfd >= 0)
			close(nfd);
		unlink(fresh);
		free(fresh);
		return rc;
	}
	/* from here the kernel writes into fresh; the old file is read to
	 * its end through its descriptor, its name goes to the fresh one */
	if (rename(fresh, sp->path) < 0) {
		rc = -errno;
		close(nfd);
		free(fresh);
		return rc;
	}
	if (sp->old_fd >= 0)
		close(sp->old_fd);
	sp->old_fd = sp->fd;
	sp->old_off = sp->off;
	sp->fd = nfd;
	sp->off = 0;
	free(fresh);
	return 1;
}

void dbp_acct_spool_stop(struct dbp_acct_spool *sp)
{
	if (sp->on)
		dbp_acct_switch(NULL);
	if (sp->fd >= 0)
		close(sp->fd);
	if (sp->old_fd >= 0)
		close(sp->old_fd);
	if (sp->path)
		unlink(sp->path);
	free(sp->path);
	memset(sp, 0, sizeof(*sp));
	sp->fd = sp->old_fd = -1;
}
