/*
 * A recording compressed so that a query seeks (`dbpod snapshot
 * --compress` writes its rotated files so): gzip members one after the
 * other -- which zcat, gzip -d and every gzip reader take as one stream
 * -- each of whole lines, with a last, empty member that is the index.
 *
 * Why members and not one stream: a gzip stream can only be read from its
 * start, so `postmortem --at` on a gzipped week decompressed the week.
 * Independent members can be started anywhere: --at starts at the member
 * of the key before the time, --pid steps over members whose deltas name
 * no PID it follows.
 *
 * A data member: a new one before every key line, and after 16 KiB of
 * lines; a key longer than that is cut into members of about 16 KiB at
 * its processes' boundaries (",{"pid":"), so that --pid decompresses the
 * parts that hold its processes and their parents, not the whole table.
 * Its gzip header carries, in an extra field with subfield id
 * "dp" (RFC 1952 FEXTRA; gzip and zlib skip it), little-endian:
 *
 *   u8 version (1), u8 flags (KEY: begins with a key line; OTHER: holds
 *   a line that is not a sample; DELTAS: only delta lines, whose heads
 *   follow; PART: goes on with the key of the member before; CONT: its
 *   key goes on in the next member), u16 nsamples, u32 csize (the member's bytes, header to
 *   trailer: where the next one begins), u32 usize (its lines' bytes),
 *   f64 t (its first sample's time; 0 without), 128 bytes of a Bloom
 *   filter of the PIDs its lines name ("pid": values and "gone" pairs,
 *   as the reader's PID filter reads them), and for DELTAS nsamples
 *   heads {f64 t; i64 last_pid; i32 born; i32 threads} (-1: not written).
 *
 * The index member (subfield "di") decompresses to nothing, so zcat
 * prints the recording unchanged:
 *
 *   u8 version (1), u8 flags (ENDED: the last line is "end"; TORN: the
 *   last line has no newline), u16 0, u32 n, f64 first_t, f64 last_t
 *   (samples), u64 data_end (where the index member begins), n entries
 *   {f64 t; u64 offset} of key members (every one, or every k-th when
 *   there are more than DBP_RECGZ_ENTRIES_MAX), then u32 the payload's
 *   length and the 8 bytes "dbpodix1", so that a reader finds the index
 *   from the file's last 22 bytes.
 *
 * Everything here is read from a file anyone may have written: every
 * offset, length and count is checked against the file before use; what
 * does not check out is not an index (the reader then reads the file
 * from its start, as any gzip file).
 */
#ifndef DBPOD_RECGZ_H
#define DBPOD_RECGZ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "recording.h"

#define DBP_RECGZ_MEMBER 16384		/* uncompressed bytes after which a member ends */
#define DBP_RECGZ_BLOOM 128		/* bytes of a member's PID filter */
#define DBP_RECGZ_SAMPLES_MAX 2048	/* heads in one member's header */
#define DBP_RECGZ_ENTRIES_MAX 4000	/* key entries in the index */
#define DBP_RECGZ_LEVEL 6		/* zlib level: a rotated file is compressed once and read often */
#define DBP_RECGZ_HEAD_FIXED 16		/* bytes of a data member's header before the payload */

enum {
	DBP_RECGZ_KEY = 1,
	DBP_RECGZ_OTHER = 2,
	DBP_RECGZ_DELTAS = 4,
	DBP_RECGZ_PART = 8,		/* continues the line of the member before */
	DBP_RECGZ_CONT = 16,		/* its last line goes on in the next member */
};

enum {
	DBP_RECGZ_ENDED = 1,
	DBP_RECGZ_TORN = 2,
};

struct dbp_recgz_member {
	off_t off;			/* where it begins in the file */
	unsigned flags;
	uint32_t csize, usize;
	double t;
	unsigned char bloom[DBP_RECGZ_BLOOM];
	size_t nsamples;
	struct dbp_rec_sample samples[DBP_RECGZ_SAMPLES_MAX];
};

struct dbp_recgz_entry {
	double t;
	off_t off;
};

struct dbp_recgz_index {
	unsigned flags;
	double first_t, last_t;
	off_t data_end;
	size_t n;
	struct dbp_recgz_entry *e;	/* by offset; free with dbp_recgz_index_free */
};

/* Compress the recording read from in_fd into out_fd as above, at zlib
 * level (1-9). Memory: a member and the longest line. Returns 0 or a
 * negative errno (-E2BIG: a line longer than DBP_LINE_MAX, not a
 * recording's). */
int dbp_recgz_write(int in_fd, int out_fd, int level);

/* The index of a file of size bytes from its last bytes tail[0..n) (n is
 * at most what the index can take; the caller reads the last
 * DBP_RECGZ_TAIL_MAX bytes, or the whole file when it is smaller): 0 and
 * ix filled, -ENOENT when the file has no index (any other gzip file),
 * -EBADMSG when it has one that does not check out. */
#define DBP_RECGZ_TAIL_MAX (65536 + 32)
int dbp_recgz_index_parse(const unsigned char *tail, size_t n, off_t size,
			  struct dbp_recgz_index *ix);
void dbp_recgz_index_free(struct dbp_recgz_index *ix);

/* pread(2) of n bytes at off, on after a short read or EINTR: how many
 * there were (fewer at the file's end), or a negative errno. */
ssize_t dbp_recgz_pread(int fd, unsigned char *buf, size_t n, off_t off);

/* The same from a descriptor: pread the tail and parse it. */
int dbp_recgz_index_read(int fd, off_t size, struct dbp_recgz_index *ix);

/* A data member's header from buf[0..n) (n: what could be read from its
 * start, at most DBP_RECGZ_HEAD_MAX), checked against data_end: 0 and m
 * filled, or -EBADMSG. */
#define DBP_RECGZ_HEAD_MAX (DBP_RECGZ_HEAD_FIXED + 148 + 24 * DBP_RECGZ_SAMPLES_MAX)
int dbp_recgz_member_parse(const unsigned char *buf, size_t n, off_t off, off_t data_end,
			   struct dbp_recgz_member *m);
int dbp_recgz_member_read(int fd, off_t off, off_t data_end, struct dbp_recgz_member *m);

/* Decompress member m (its header read with dbp_recgz_member_read) into
 * out, m->usize bytes. 0, or -EBADMSG when it is not m->usize bytes of a
 * gzip member whose CRC checks out. */
int dbp_recgz_member_inflate(int fd, const struct dbp_recgz_member *m, char *out);

/* May a member's lines name pid? 0: surely not (its filter says so). */
int dbp_recgz_bloom_has(const unsigned char *bloom, pid_t pid);

/* The PIDs a sample line names, as a PID filter reads them: each "pid":
 * value, and the PID of each [pid,start] pair of "gone". fn is called for
 * each until it returns non-zero, which is returned (0 when none did). */
int dbp_rec_line_pids(const char *line, int (*fn)(void *arg, pid_t pid), void *arg);

/* The head of a key or delta line as recwrite.c writes it: {"k":"...","t":
 * first, then "seq", "last_pid", "born", "threads". kind gets "key",
 * "delta" or another kind (then nothing else is read); *rest points after
 * the head. Returns 1 when the line starts so (a key or delta with a
 * time), 2 for a line of another kind, 0 when it is not such a line
 * (parse it whole). */
int dbp_rec_head_parse(const char *s, char *kind, size_t ksize, struct dbp_rec_sample *si,
		       const char **rest);

/* A delta line without changes of sample si, as the reader replays a
 * member it stepped over: the head as dbp_rec_head_parse reads it back. */
int dbp_rec_head_format(const struct dbp_rec_sample *si, char *buf, size_t size);

#endif
