/* libFuzzer: a recording file read from disk as postmortem reads it --
 * plain or gzip through lib/recstream, opened, replayed whole, in a time
 * window and for one PID with its ancestors -- and the same bytes taken
 * as BSD process accounting records, as the index and a member header of
 * a compressed recording (recgz.h), and as a recording compressed with
 * its index (snapshot --compress) and then damaged where the input's
 * first bytes say: an index or a member header that points outside the
 * file or at garbage must be refused or read around, never trusted. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rec/acct.h"
#include "rec/recgz.h"
#include "rec/recording.h"
#include "rec/recread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_file(int fd)
{
	char path[64];
	char *paths[] = { path };
	struct dbp_recording rec;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	dbp_recording_init(&rec);
	if (dbp_recording_open(&rec, paths, 1) >= 0 && rec.span_to > 0) {
		struct dbp_rec_query q = { 0 };
		pid_t pid = 40;

		dbp_recording_replay(&rec, NULL);
		q.from = q.to = (rec.span_from + rec.span_to) / 2;
		dbp_recording_replay(&rec, &q);
		memset(&q, 0, sizeof(q));
		q.pids = &pid;
		q.npids = 1;
		q.ancestors = 1;
		dbp_recording_replay(&rec, &q);
	}
	dbp_recording_free(&rec);
}

/* The input as a recording, compressed with its index; then up to eight
 * bytes of it replaced where the input's last 24 bytes point (its first
 * ones are the header, which must stay one): some in the first member's
 * header, some in the index at the end, some anywhere; and read back. */
static void compressed(const uint8_t *data, size_t size)
{
	int in = memfd_create("fuzz-plain", 0), out = memfd_create("fuzz-gz", 0);
	off_t len;

	if (in < 0 || out < 0 || write(in, data, size) != (ssize_t)size ||
	    lseek(in, 0, SEEK_SET) < 0 || dbp_recgz_write(in, out, 1) < 0 ||
	    (len = lseek(out, 0, SEEK_END)) <= 0)
		goto out;
	for (size_t i = 0; i + 3 <= size && i < 24; i += 3) {
		const uint8_t *d = data + size - 3 - i;
		unsigned at = (unsigned)d[0] | (unsigned)d[1] << 8;
		off_t pos = i % 2 ? (off_t)(at % 256) : len - 1 - (off_t)(at % 96);
		unsigned char b = d[2];

		if (i >= 12)
			pos = (off_t)((unsigned long)at * (unsigned long)len / 65536);
		if (pos >= 0 && pos < len && pwrite(out, &b, 1, pos) != 1)
			break;
	}
	read_file(out);
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-rec", 0);
	struct dbp_recgz_index ix;
	static struct dbp_recgz_member m;	/* its heads are 48 KiB */
	struct dbp_acct_rec a;

	for (size_t i = 0; i + DBP_ACCT_RECORD <= size; i += DBP_ACCT_RECORD)
		dbp_acct_parse(data + i, DBP_ACCT_RECORD, &a);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	read_file(fd);
	close(fd);
	if (dbp_recgz_index_parse(data, size, (off_t)size, &ix) == 0)
		dbp_recgz_index_free(&ix);
	dbp_recgz_member_parse(data, size, 0, (off_t)size, &m);
	compressed(data, size);
	return 0;
}
