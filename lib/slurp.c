/* Reading a file whole with zlib (slurp.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "safeopen.h"
#include "slurp.h"

#define CHUNK 262144

int dbp_slurp(const char *path, char **out, size_t *lenp)
{
	return dbp_slurp_max(path, SIZE_MAX, out, lenp);
}

int dbp_slurp_max(const char *path, size_t max, char **out, size_t *lenp)
{
	/* logs sit where others can write: never block on a FIFO or read a
	 * device (safeopen.h) */
	int fd = dbp_open_regular(NULL, path, NULL);

	if (fd < 0)
		return fd;
	return dbp_slurp_fd_max(fd, max, out, lenp);
}

int dbp_slurp_fd(int fd, char **out, size_t *lenp)
{
	return dbp_slurp_fd_max(fd, SIZE_MAX, out, lenp);
}

int dbp_slurp_fd_max(int fd, size_t max, char **out, size_t *lenp)
{
	gzFile gz;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;

	errno = 0;
	gz = gzdopen(fd, "rb");
	if (!gz) {
		rc = errno ? -errno : -ENOMEM;
		close(fd);
		return rc;
	}
	for (;;) {
		size_t want;
		int got;

		if (cap - len < CHUNK / 4) {
			/* doubling: a recording of a gigabyte is not copied
			 * thousands of times */
			size_t ncap = cap < CHUNK ? CHUNK : 2 * cap;
			char *nb = realloc(buf, ncap);

			if (!nb) {
				rc = -ENOMEM;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		want = cap - len - 1;
		/* one byte past max tells that there is more; gzread counts
		 * in an int */
		if (want > max - len)
			want = max - len + 1;
		if (want > INT_MAX)
			want = INT_MAX;
		got = gzread(gz, buf + len, (unsigned)want);
		if (got < 0) {
			int zerr;

			gzerror(gz, &zerr);
			rc = zerr == Z_ERRNO && errno ? -errno : -EIO;
			break;
		}
		if (got == 0)
			break;
		len += (size_t)got;
		if (len > max) {
			rc = -EFBIG;
			break;
		}
	}
	if (rc == 0) {
		int zerr;

		/* zlib reports a stream that ends early only here */
		gzerror(gz, &zerr);
		if (zerr == Z_BUF_ERROR)
			rc = -EIO;
	}
	gzclose(gz);
	/* a compressed stream cut short (the machine died while it was
	 * written): what came before the cut is good */
	if (rc == -EIO && len > 0)
		rc = 1;
	if (rc < 0) {
		free(buf);
		return rc;
	}
	buf[len] = '\0';
	*out = buf;
	if (lenp)
		*lenp = len;
	return rc;
}

/* a log's NUL bytes end its lines (dbp_slurp_tail_fd says why) */
static void nul_to_newline(char *buf, size_t len)
{
	for (char *z = memchr(buf, '\0', len); z; z = memchr(z + 1, '\0', len - (size_t)(z + 1 - buf)))
		*z = '\n';
}

/* The text from the first whole line of buf's got bytes, which are the
 * last of a longer text when cut */
static char *first_whole_line(char *buf, size_t got, int cut)
{
	char *nl;

	if (!cut)
		return buf;
	nl = strchr(buf, '\n');
	return nl ? nl + 1 : buf + got;
}

int dbp_slurp_tail_fd(int fd, size_t max, char **bufp, char **text)
{
	struct stat st;
	size_t got = 0, want;
	char *buf;
	int rc;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = S_ISREG(st.st_mode) ? -errno : -DBP_ENOTREG;
		close(fd);
		return rc;
	}
	/* cut: with the byte before the last max, which tells whether the
	 * first of them starts a line */
	want = (size_t)st.st_size > max ? max + 1 : (size_t)st.st_size;
	if ((size_t)st.st_size > max && lseek(fd, st.st_size - (off_t)want, SEEK_SET) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	if (!(buf = malloc(want + 1))) {
		close(fd);
		return -ENOMEM;
	}
	while (got < want) {
		ssize_t n = read(fd, buf + got, want - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	/* a log's NUL bytes end its lines: the zeroes a crash leaves where
	 * the file system had allocated but not written (ext4, xfs), or a
	 * NUL a program wrote, would otherwise end the text there and hide
	 * every line after it -- the restart's, which the budgets read */
	nul_to_newline(buf, got);
	*bufp = buf;
	/* the first line is cut: from the next one -- the first of the max
	 * bytes when the byte before them ends a line */
	*text = first_whole_line(buf, got, (size_t)st.st_size > max);
	return 0;
}

int dbp_slurp_tail_gz_fd(int fd, size_t max, size_t budget, char **bufp, char **text)
{
	size_t keep = max + 1, cap, len = 0, total = 0;
	char *buf;
	gzFile gz;
	int rc = 0, cut = 0, zerr;

	if (max > SIZE_MAX / 2 - CHUNK) {
		close(fd);
		return -EINVAL;
	}
	/* room for the kept tail and a chunk after it: the tail slides to
	 * the front once per keep bytes read at least, so the copies cost
	 * no more than the reads */
	cap = 2 * keep + CHUNK;
	if (!(buf = malloc(cap + 1))) {
		close(fd);
		return -ENOMEM;
	}
	errno = 0;
	if (!(gz = gzdopen(fd, "rb"))) {
		rc = errno ? -errno : -ENOMEM;
		close(fd);
		free(buf);
		return rc;
	}
	for (;;) {
		int got;

		if (cap - len < CHUNK) {
			memmove(buf, buf + len - keep, keep);
			len = keep;
			cut = 1;
		}
		got = gzread(gz, buf + len, (unsigned)(cap - len > INT_MAX ? INT_MAX : cap - len));
		if (got <= 0)
			break;
		len += (size_t)got;
		total += (size_t)got;
		if (total > budget) {
			rc = -EFBIG;
			break;
		}
	}
	/* a stream cut short or corrupt: what came before is good */
	gzerror(gz, &zerr);
	gzclose(gz);
	if (!rc && !total && zerr != Z_OK && zerr != Z_STREAM_END)
		rc = -EIO;
	if (rc < 0) {
		free(buf);
		return rc;
	}
	if (len > keep) {
		memmove(buf, buf + len - keep, keep);
		len = keep;
		cut = 1;
	}
	buf[len] = '\0';
	nul_to_newline(buf, len);
	*bufp = buf;
	*text = first_whole_line(buf, len, cut && len == keep);
	return 0;
}

int dbp_slurp_tail_parse(int fd, size_t max, int (*parse)(void *arg, const char *text),
			 void *arg)
{
	char *buf, *text;
	int rc = dbp_slurp_tail_fd(fd, max, &buf, &text);

	if (rc < 0)
		return rc;
	rc = parse(arg, text);
	free(buf);
	return rc < 0 ? rc : 0;
}
