/*
 * The lines of a recording file, one at a time, in bounded memory: plain
 * or gzip-compressed (several gzip members one after the other, as `cat
 * a.gz b.gz` makes, are one stream), read with read(2) and zlib's inflate
 * so that a recording of a week is never held whole.
 *
 * What is not a recording fails fast instead of filling memory: a line
 * longer than the limit (/dev/zero, a file with no newline) ends the
 * stream with -E2BIG. A gzip stream that is corrupt or cut short yields
 * every line that decompressed before the damage, then ends with `cut`
 * set (zcat recovers as much).
 *
 * Plain files can be positioned (dbp_recstream_seek) and report each
 * line's byte offset, which is what the keyframe search of recread.c
 * uses. A gzip stream can only be read from the start, but for a file
 * of independent members with an index (recgz.h, `snapshot --compress`),
 * which can be read from any member's start (dbp_recstream_member).
 */
#ifndef DBPOD_RECSTREAM_H
#define DBPOD_RECSTREAM_H

#include <stddef.h>
#include <sys/types.h>

#include "recgz.h"

struct dbp_recstream;

/* Open path. Returns 0 or a negative errno. */
int dbp_recstream_open(struct dbp_recstream **rs, const char *path);
void dbp_recstream_close(struct dbp_recstream *rs);

/* Lines longer than max end the stream with -E2BIG (the header line of a
 * recording is short: a reader checks it with a small limit first). */
void dbp_recstream_set_max(struct dbp_recstream *rs, size_t max);

/*
 * The next line, without its '\n', NUL-terminated, valid until the next
 * call; *off its byte offset in the (decompressed) file.
 * Returns 1 with a line; 0 at the end (then dbp_recstream_torn says
 * whether a last line without '\n' was dropped); -E2BIG for a line over
 * the limit; -ENOMEM; another negative errno for a read error.
 */
int dbp_recstream_next(struct dbp_recstream *rs, const char **line, size_t *len, off_t *off);

/* 1 when the last line had no '\n' (it was not returned). */
int dbp_recstream_torn(const struct dbp_recstream *rs);

/* 1 when the gzip stream was corrupt or cut short: the lines returned
 * are those before the damage. */
int dbp_recstream_cut(const struct dbp_recstream *rs);

/* 1 for a gzip stream (not seekable). */
int dbp_recstream_compressed(const struct dbp_recstream *rs);

/* The size of a plain file in bytes (0 for gzip). */
off_t dbp_recstream_size(const struct dbp_recstream *rs);

/* Continue reading at byte off of a plain file (the start of a line, or
 * anywhere: dbp_recstream_sync then skips to the next line start).
 * Returns 0, or -ESPIPE for a gzip stream. */
int dbp_recstream_seek(struct dbp_recstream *rs, off_t off);

/* gzip: continue reading at the member that begins at byte off of the
 * file, and read no byte at or after end (0: to the end of the file), so
 * that the stream ends with the member or members in [off, end). The
 * stream's cut flag stays set once set. 0, -ESPIPE for a plain file,
 * -EINVAL, or a negative errno of lseek. */
int dbp_recstream_member(struct dbp_recstream *rs, off_t off, off_t end);

/* gzip: the index of the file (dbp_recgz_index_read): 0, -ENOENT when it
 * has none (a plain file too), -EBADMSG for a damaged one. */
int dbp_recstream_gz_index(struct dbp_recstream *rs, struct dbp_recgz_index *ix);

/* The descriptor, for reading members whole (dbp_recgz_member_inflate). */
int dbp_recstream_fd(const struct dbp_recstream *rs);

/* gzip: the header of the member at off (dbp_recgz_member_read). */
int dbp_recstream_gz_member(struct dbp_recstream *rs, off_t off, off_t data_end,
			    struct dbp_recgz_member *m);

/* After a seek into the middle of a line: drop the rest of it. Returns
 * 1, 0 at the end, or a negative errno. */
int dbp_recstream_sync(struct dbp_recstream *rs);

#endif
