/* libFuzzer: a recording file read from disk as postmortem reads it --
 * plain or gzip through lib/recstream, opened, replayed whole, in a time
 * window and for one PID with its ancestors -- and the same bytes taken
 * as BSD process accounting records. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "acct.h"
#include "recording.h"
#include "recread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-rec", 0);
	char path[64];
	char *paths[] = { path };
	struct dbp_recording rec;
	struct dbp_acct_rec a;

	for (size_t i = 0; i + DBP_ACCT_RECORD <= size; i += DBP_ACCT_RECORD)
		dbp_acct_parse(data + i, DBP_ACCT_RECORD, &a);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
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
	close(fd);
	return 0;
}
