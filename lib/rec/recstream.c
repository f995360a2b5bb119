/* Reading a recording file line by line (recstream.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "recgz.h"
#include "recstream.h"
#include "safeopen.h"

#define CHUNK (1u << 20)

struct dbp_recstream {
	int fd;
	int gz;			/* gzip: inflate from in[] */
	z_stream z;
	int zinit;
	unsigned char *in;
	int in_eof;		/* read(2) has returned 0 */
	char *buf;		/* decompressed bytes: [start, end) not yet returned */
	size_t cap, start, end, scan;
	off_t base;		/* the file offset of buf[0] */
	off_t size;
	off_t fsize;		/* the file's size (gzip too) */
	off_t pos;		/* gzip: the file offset read(2) is at */
	off_t limit;		/* gzip: read no byte from here on; 0 none */
	size_t max;
	int eof, torn, cut;
	/* gzip: the file's bytes [hoff, hoff + hlen), read ahead for the
	 * headers of the members that follow one another */
	unsigned char *hbuf;
	size_t hcap, hlen;
	off_t hoff;
};

static int seek_to(struct dbp_recstream *rs, off_t off);

int dbp_recstream_open(struct dbp_recstream **out, const char *path)
{
	struct dbp_recstream *rs = calloc(1, sizeof(*rs));
	unsigned char magic[2];
	struct stat st;
	ssize_t n;
	int rc;

	if (!rs)
		return -ENOMEM;
	rs->max = DBP_LINE_MAX;
	/* a recording sits where others can write: a FIFO, a device or a
	 * link there is refused at once, not read or waited on */
	rs->fd = dbp_open_regular(NULL, path, NULL);
	if (rs->fd < 0) {
		rc = rs->fd;
		free(rs);
		return rc;
	}
	if (fstat(rs->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(rs->fd);
		free(rs);
		return -EISDIR;
	}
	n = pread(rs->fd, magic, 2, 0);
	rs->gz = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
	rs->size = !rs->gz && S_ISREG(st.st_mode) ? st.st_size : 0;
	rs->fsize = S_ISREG(st.st_mode) ? st.st_size : 0;
	if (rs->gz) {
		rs->in = malloc(CHUNK);
		/* 16 + MAX_WBITS: a gzip wrapper, not zlib's */
		if (!rs->in || inflateInit2(&rs->z, 16 + MAX_WBITS) != Z_OK) {
			dbp_recstream_close(rs);
			return -ENOMEM;
		}
		rs->zinit = 1;
	}
	*out = rs;
	return 0;
}

void dbp_recstream_close(struct dbp_recstream *rs)
{
	if (!rs)
		return;
	if (rs->zinit)
		inflateEnd(&rs->z);
	if (rs->fd >= 0)
		close(rs->fd);
	free(rs->in);
	free(rs->buf);
	free(rs->hbuf);
	free(rs);
}

void dbp_recstream_set_max(struct dbp_recstream *rs, size_t max)
{
	rs->max = max;
}

int dbp_recstream_torn(const struct dbp_recstream *rs)
{
	return rs->torn;
}

int dbp_recstream_cut(const struct dbp_recstream *rs)
{
	return rs->cut;
}

int dbp_recstream_compressed(const struct dbp_recstream *rs)
{
	return rs->gz;
}

off_t dbp_recstream_size(const struct dbp_recstream *rs)
{
	return rs->size;
}

/* The next compressed bytes into in[], up to the limit: bytes read, 0
 * at the end (in_eof set), or a negative errno. */
static ssize_t read_gz(struct dbp_recstream *rs)
{
	size_t want = CHUNK;
	ssize_t n;

	if (rs->limit && (off_t)want > rs->limit - rs->pos)
		want = rs->limit > rs->pos ? (size_t)(rs->limit - rs->pos) : 0;
	do
		n = want ? read(rs->fd, rs->in, want) : 0;
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	rs->pos += n;
	rs->in_eof = n == 0;
	rs->z.next_in = rs->in;
	rs->z.avail_in = (uInt)n;
	return n;
}

/* Decompress into buf[end..cap): returns bytes added, 0 at the end. */
static ssize_t fill_gz(struct dbp_recstream *rs)
{
	size_t room = rs->cap - rs->end;

	for (;;) {
		int zr;

		if (!rs->z.avail_in && !rs->in_eof) {
			ssize_t n = read_gz(rs);

			if (n < 0)
				return n;
		}
		rs->z.next_out = (unsigned char *)rs->buf + rs->end;
		rs->z.avail_out = (uInt)room;
		zr = inflate(&rs->z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			/* another member may follow (cat a.gz b.gz) */
			if (!rs->z.avail_in && !rs->in_eof && read_gz(rs) < 0)
				rs->in_eof = 1, rs->z.avail_in = 0;
			if (rs->z.avail_in >= 2 && rs->z.next_in[0] == 0x1f && rs->z.next_in[1] == 0x8b)
				inflateReset(&rs->z);
			else
				rs->in_eof = 1, rs->z.avail_in = 0;
		} else if (zr == Z_BUF_ERROR && rs->in_eof && !rs->z.avail_in) {
			/* the stream ends before its end: cut short */
			rs->cut = 1;
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			/* corrupt: what came out before the damage is kept */
			rs->cut = 1;
			rs->in_eof = 1;
			rs->z.avail_in = 0;
		}
		if (room - rs->z.avail_out > 0)
			return (ssize_t)(room - rs->z.avail_out);
		if (rs->in_eof && !rs->z.avail_in)
			return 0;
	}
}

static ssize_t fill(struct dbp_recstream *rs)
{
	ssize_t n;

	if (rs->gz)
		return fill_gz(rs);
	do
		n = read(rs->fd, rs->buf + rs->end, rs->cap - rs->end);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

int dbp_recstream_next(struct dbp_recstream *rs, const char **line, size_t *len, off_t *off)
{
	for (;;) {
		char *nl = rs->end > rs->scan ? memchr(rs->buf + rs->scan, '\n', rs->end - rs->scan) : NULL;
		ssize_t n;

		if (nl) {
			*line = rs->buf + rs->start;
			*len = (size_t)(nl - *line);
			if (off)
				*off = rs->base + (off_t)rs->start;
			*nl = '\0';
			rs->start = rs->scan = (size_t)(nl - rs->buf) + 1;
			if (*len > rs->max)
				return -E2BIG;
			return 1;
		}
		rs->scan = rs->end;
		if (rs->end - rs->start > rs->max)
			return -E2BIG;
		if (rs->eof) {
			rs->torn = rs->end > rs->start;
			rs->start = rs->scan = rs->end;
			return 0;
		}
		/* keep the partial line at the front, make room after it */
		if (rs->start) {
			memmove(rs->buf, rs->buf + rs->start, rs->end - rs->start);
			rs->base += (off_t)rs->start;
			rs->end -= rs->start;
			rs->scan -= rs->start;
			rs->start = 0;
		}
		if (rs->cap - rs->end < CHUNK / 2) {
			size_t cap = rs->cap ? rs->cap * 2 : CHUNK;
			char *nb;

			if (cap < rs->end + CHUNK)
				cap = rs->end + CHUNK;
			nb = realloc(rs->buf, cap + 1);
			if (!nb)
				return -ENOMEM;
			rs->buf = nb;
			rs->cap = cap;
		}
		n = fill(rs);
		if (n < 0)
			return (int)n;
		if (n == 0)
			rs->eof = 1;
		rs->end += (size_t)n;
	}
}

int dbp_recstream_seek(struct dbp_recstream *rs, off_t off)
{
	if (rs->gz)
		return -ESPIPE;
	return seek_to(rs, off);
}

int dbp_recstream_member(struct dbp_recstream *rs, off_t off, off_t end)
{
	int rc;

	if (!rs->gz)
		return -ESPIPE;
	if (off < 0 || (end && end < off) || (rc = seek_to(rs, off)) < 0)
		return off < 0 || (end && end < off) ? -EINVAL : rc;
	/* a member starts a gzip stream of its own */
	inflateReset(&rs->z);
	rs->z.avail_in = 0;
	rs->in_eof = 0;
	rs->pos = off;
	rs->limit = end;
	rs->base = 0;
	return 0;
}

int dbp_recstream_fd(const struct dbp_recstream *rs)
{
	return rs->fd;
}

int dbp_recstream_gz_index(struct dbp_recstream *rs, struct dbp_recgz_index *ix)
{
	memset(ix, 0, sizeof(*ix));
	if (!rs->gz)
		return -ENOENT;
	return dbp_recgz_index_read(rs->fd, rs->fsize, ix);
}

#define HEAD_AHEAD 65536	/* bytes read ahead for headers: some 25 members of deltas */

/* The file's bytes from off, at least want of them unless the file ends
 * first: *p and *n (how many there are from off). 0 or a negative errno. */
static int head_bytes(struct dbp_recstream *rs, off_t off, size_t want, const unsigned char **p,
		      size_t *n)
{
	size_t cap = want > HEAD_AHEAD ? want : HEAD_AHEAD;
	ssize_t got;

	if (!rs->hlen || off < rs->hoff || off - rs->hoff > (off_t)rs->hlen ||
	    rs->hlen - (size_t)(off - rs->hoff) < want) {
		if (cap > rs->hcap) {
			unsigned char *nb = realloc(rs->hbuf, cap);

			if (!nb)
				return -ENOMEM;
			rs->hbuf = nb;
			rs->hcap = cap;
		}
		rs->hlen = 0;
		if ((got = dbp_recgz_pread(rs->fd, rs->hbuf, cap, off)) < 0)
			return (int)got;
		rs->hoff = off;
		rs->hlen = (size_t)got;
	}
	*p = rs->hbuf + (off - rs->hoff);
	*n = rs->hlen - (size_t)(off - rs->hoff);
	return 0;
}

int dbp_recstream_gz_member(struct dbp_recstream *rs, off_t off, off_t data_end,
			    struct dbp_recgz_member *m)
{
	const unsigned char *p;
	size_t n, want;
	int rc;

	/* one pread for the headers of many members (one each was most of
	 * the cost of stepping over them), as dbp_recgz_member_read reads */
	if (off < 0)
		return -EBADMSG;
	if ((rc = head_bytes(rs, off, DBP_RECGZ_HEAD_FIXED, &p, &n)) < 0)
		return rc;
	if (n < DBP_RECGZ_HEAD_FIXED)
		return -EBADMSG;
	want = DBP_RECGZ_HEAD_FIXED + ((size_t)p[14] | (size_t)p[15] << 8);
	if ((rc = head_bytes(rs, off, want, &p, &n)) < 0)
		return rc;
	return dbp_recgz_member_parse(p, n < DBP_RECGZ_HEAD_MAX ? n : DBP_RECGZ_HEAD_MAX, off,
				      data_end, m);
}

static int seek_to(struct dbp_recstream *rs, off_t off)
{
	if (lseek(rs->fd, off, SEEK_SET) < 0)
		return -errno;
	rs->base = off;
	rs->start = rs->end = rs->scan = 0;
	rs->eof = rs->torn = 0;
	return 0;
}

int dbp_recstream_sync(struct dbp_recstream *rs)
{
	const char *l;
	size_t len;
	size_t max = rs->max;
	int rc;

	rs->max = DBP_LINE_MAX;
	rc = dbp_recstream_next(rs, &l, &len, NULL);
	rs->max = max;
	return rc;
}
