/* libFuzzer: a recording replayed from memory, then every sample rebuilt
 * as a table; replayed again for the PID of its first process and its
 * parents (--pid: the processes of other PIDs only checked); a node
 * recording's namespaces, and its first one replayed alone, renumbered. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rec/recording.h"
#include "rec/recread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct dbp_recording rec;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	dbp_recording_init(&rec);
	if (dbp_recording_read_text(&rec, "fuzz", text) > 0) {
		struct dbp_table t;

		dbp_table_init(&t);
		dbp_recording_table(&rec, 1e18, &t);
		dbp_table_free(&t);
		if (rec.nprocs) {
			struct dbp_rec_query q = { 0 };
			pid_t pid = rec.procs[0].pid;

			q.pids = &pid;
			q.npids = 1;
			q.ancestors = 1;
			dbp_recording_replay(&rec, &q);
		}
		if (dbp_recording_namespaces(&rec) > 0) {
			struct dbp_rec_query q = { 0 };
			size_t first = 0;

			q.pidns = &first;
			q.npidns = 1;
			if (dbp_recording_replay(&rec, &q) > 0) {
				dbp_table_init(&t);
				dbp_recording_table(&rec, 1e18, &t);
				dbp_table_free(&t);
			}
		}
	}
	dbp_recording_free(&rec);
	free(text);
	return 0;
}
