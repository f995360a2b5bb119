/* The crash recovery's inputs from a data directory (pgcontrolread.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pgcontrolread.h"
#include "safeopen.h"

/* PG_CONTROL_FILE_SIZE: the file is padded to 8 kB; the fields are in
 * its first few hundred bytes */
#define CONTROL_FILE_SIZE 8192

static int read_control_once(const char *root, const char *path, struct dbp_pg_recovery_input *in)
{
	unsigned char buf[CONTROL_FILE_SIZE];
	struct stat st;
	size_t got = 0;
	int fd;

	fd = dbp_open_in_root(root, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
	if (fd < 0)
		return fd;
	/* a FIFO or a device planted under the name is not read */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int rc = S_ISREG(st.st_mode) ? -errno : -DBP_ENOTREG;

		close(fd);
		return rc;
	}
	while (got < sizeof(buf)) {
		ssize_t n = read(fd, buf + got, sizeof(buf) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int rc = -errno;

			close(fd);
			return rc;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return dbp_pgcontrol_parse(buf, got, &in->control, in->control_why,
				   sizeof(in->control_why));
}

/* The checkpointer rewrites the file in place, with one write(2) of 8 kB
 * at the end of every checkpoint: a read beside it may see half of each,
 * which its CRC tells. Read again, a few times, before calling it damaged. */
static int read_control(const char *root, const char *datadir, struct dbp_pg_recovery_input *in)
{
	char path[PATH_MAX];
	int rc = -EBADMSG;

	if ((size_t)snprintf(path, sizeof(path), "%s/global/pg_control", datadir) >= sizeof(path))
		return -ENAMETOOLONG;
	for (int tries = 0; tries < 3 && rc == -EBADMSG; tries++)
		rc = read_control_once(root, path, in);
	return rc;
}

/* Where in segment name (starting at start) WAL ends: the pages the
 * server wrote in the segment's current life run from its first on, so
 * the last of them is found by bisection of the page headers. Narrows
 * in->wal_end_min and wal_end_max to that page; leaves them when the
 * segment cannot be read or its first page is not of it. */
static void wal_end_pages(int dfd, const char *name, uint64_t start, uint32_t seg, uint32_t page,
			  struct dbp_pg_recovery_input *in)
{
	unsigned char hdr[DBP_PG_WAL_PAGE_HEADER];
	uint32_t lo = 0, hi = seg / page;	/* page lo is written; hi is not, or past the end */
	struct stat st;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size != seg ||
	    pread(fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr) || !dbp_pg_walpage_is(hdr, start)) {
		close(fd);
		return;
	}
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (pread(fd, hdr, sizeof(hdr), (off_t)mid * page) != (ssize_t)sizeof(hdr)) {
			close(fd);
			return;
		}
		if (dbp_pg_walpage_is(hdr, start + (uint64_t)mid * page))
			lo = mid;
		else
			hi = mid;
	}
	close(fd);
	in->wal_end_min = start + (uint64_t)lo * page;
	in->wal_end_max = start + (uint64_t)(lo + 1) * page;
	in->wal_pages = 1;
}

/* The segment written last: by mtime, since the checkpointer renames old
 * segments to names ahead of the one being written (recycling keeps their
 * old mtime) and may create the next one early; a tie goes to the later
 * name. */
static int read_wal(const char *root, const char *datadir, struct dbp_pg_recovery_input *in)
{
	uint32_t seg = in->control.xlog_seg_size ? in->control.xlog_seg_size :
		       DBP_PG_WAL_SEG_DEFAULT;
	struct timespec best = { 0, 0 };
	char path[PATH_MAX];
	struct dirent *d;
	struct stat st;
	DIR *dp;
	int dfd, found = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/pg_wal", datadir) >= sizeof(path))
		return -ENAMETOOLONG;
	/* pg_wal may be a link elsewhere (initdb -X): it is followed, inside root */
	dfd = dbp_open_in_root(root, path, O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return dfd;
	if (!(dp = fdopendir(dfd))) {
		int rc = -errno;

		close(dfd);
		return rc;
	}
	while ((d = readdir(dp))) {
		uint32_t tli;
		uint64_t start;

		if (dbp_pg_walname_parse(d->d_name, seg, &tli, &start) < 0 ||
		    fstatat(dfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		in->wal_segments++;
		if (found && (st.st_mtim.tv_sec < best.tv_sec ||
			      (st.st_mtim.tv_sec == best.tv_sec &&
			       (st.st_mtim.tv_nsec < best.tv_nsec ||
				(st.st_mtim.tv_nsec == best.tv_nsec && start < in->wal_newest_start)))))
			continue;
		found = 1;
		best = st.st_mtim;
		/* the name parsed: 24 characters */
		memcpy(in->wal_newest, d->d_name, 25);
		in->wal_newest_start = start;
	}
	if (found) {
		in->wal_end_min = in->wal_newest_start;
		in->wal_end_max = in->wal_newest_start + seg;
		if (in->control.xlog_blcksz)
			wal_end_pages(dfd, in->wal_newest, in->wal_newest_start, seg,
				      in->control.xlog_blcksz, in);
	}
	closedir(dp);
	return found ? 0 : -ENOENT;
}

int dbp_pg_recovery_read(const char *root, const char *datadir,
			 struct dbp_pg_recovery_input *in)
{
	int rc;

	memset(in, 0, sizeof(*in));
	snprintf(in->datadir, sizeof(in->datadir), "%s", datadir);
	rc = read_control(root, datadir, in);
	if (rc == -ENOMEM)
		return rc;
	in->control_read = rc == 0;
	in->control_err = rc;
	if (!in->control_read)
		return 0;
	rc = read_wal(root, datadir, in);
	if (rc == -ENOMEM)
		return rc;
	in->wal_read = rc == 0;
	in->wal_err = rc;
	return 0;
}
