/*
 * A bbolt file below the root prefix, looked up while its daemon writes
 * it (see boltread.h and bolt.h).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bolt.h"
#include "boltread.h"
#include "safeopen.h"

#define TRIES 3

struct file {
	int fd;
	uint64_t size;
};

/* bolt.h's read function: pread, nothing past the end of the file as it
 * was when opened (a page run that claims more is corrupt). */
static int file_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct file *f = ctx;
	size_t done = 0;

	if (off > f->size || len > f->size - off)
		return -EIO;
	while (done < len) {
		ssize_t r = pread(f->fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO;
		done += (size_t)r;
	}
	return 0;
}

void dbp_bolt_query_free(struct dbp_bolt_query *q, size_t nq)
{
	for (size_t i = 0; i < nq; i++) {
		free(q[i].val);
		q[i].val = NULL;
		q[i].len = 0;
	}
}

int dbp_bolt_file_query(const char *root, const char *file, struct dbp_bolt_query *q, size_t nq)
{
	struct file f;
	struct stat st;
	int rc = -EAGAIN;

	for (size_t i = 0; i < nq; i++) {
		q[i].val = NULL;
		q[i].len = 0;
		q[i].bucket = 0;
		q[i].rc = -ENOENT;
	}
	f.fd = dbp_open_regular(root, file, NULL);
	if (f.fd < 0)
		return f.fd == -DBP_ENOTREG ? -EINVAL : f.fd;
	if (fstat(f.fd, &st) < 0) {
		rc = -errno;
		close(f.fd);
		return rc;
	}
	f.size = (uint64_t)st.st_size;
	for (int t = 0; t < TRIES; t++) {
		struct dbp_bolt db;
		uint64_t after;

		dbp_bolt_query_free(q, nq);
		rc = dbp_bolt_open(&db, file_read, &f);
		if (rc < 0)
			break;
		/* a file that grew since fstat: its new pages are past f.size */
		if (fstat(f.fd, &st) == 0)
			f.size = (uint64_t)st.st_size;
		for (size_t i = 0; i < nq; i++)
			q[i].rc = dbp_bolt_get(&db, q[i].path, q[i].n, &q[i].val, &q[i].len,
					       &q[i].bucket);
		rc = dbp_bolt_txid(&db, &after);
		if (rc < 0)
			break;
		if (after == db.txid)
			break;
		rc = -EAGAIN;
	}
	if (rc < 0)
		dbp_bolt_query_free(q, nq);
	close(f.fd);
	return rc;
}
