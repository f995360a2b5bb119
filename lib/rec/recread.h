/*
 * The recording reader: the files of `dbpod snapshot -o` (plain or
 * gzip-compressed, through recstream.h) read back into the model of
 * recording.h.
 *
 * Readers are tolerant: a recording is read after a crash, and a torn last
 * line, a line of garbage, an unknown "k", a file written by a newer dbpod
 * are skipped with a note; what is valid is still used.
 */
#ifndef DBPOD_RECREAD_H
#define DBPOD_RECREAD_H

#include <stddef.h>

#include "recording.h"

/* Read the recording files (plain or gzip-compressed, rotated ones in any
 * order: they are replayed by the headers' "started" and "file_index" and
 * by sample time). Problems become notes. Returns the number of samples
 * replayed (0: nothing usable), or -ENOMEM. */
int dbp_recording_read(struct dbp_recording *rec, char *const *paths, size_t npaths);

/* The two steps of dbp_recording_read: open reads each file's header and
 * the times of its first and last sample (span_from, span_to), refuses
 * what is not a recording, another PID namespace or a newer format, and
 * orders the files; replay reads the samples q asks for (NULL: all) in
 * memory bounded by a key and its deltas plus the answer. Both return as
 * dbp_recording_read does. */
int dbp_recording_open(struct dbp_recording *rec, char *const *paths, size_t npaths);
int dbp_recording_replay(struct dbp_recording *rec, const struct dbp_rec_query *q);

/* The namespaces of a node recording, all of them: only the namespace
 * lines of its files are parsed, into rec->pidns (opened first). Returns
 * how many there are, or -ENOMEM. */
int dbp_recording_namespaces(struct dbp_recording *rec);

/* Replay one file's lines from memory (for tests): as above, path names
 * the text in notes. */
int dbp_recording_read_text(struct dbp_recording *rec, const char *path, const char *text);

#endif
