/*
 * A whole file into memory through zlib, which reads gzip-compressed and
 * plain files alike (rotated recordings and logs are often gzipped).
 */
#ifndef DBPOD_SLURP_H
#define DBPOD_SLURP_H

#include <stddef.h>

/* *out is malloc'd and NUL-terminated (*len counts the bytes read, NULs
 * inside included: a zero-filled tail after a crash). Returns 0; 1 when a
 * gzip stream is cut short or corrupt after some text (*out holds the text
 * before the cut); or a negative errno (-EIO for a corrupt gzip stream with
 * nothing readable). */
int dbp_slurp(const char *path, char **out, size_t *len);

/* The same from an open descriptor, which it closes in every case: for a
 * file opened with dbp_open_regular (safeopen.h), where others control
 * the path (a log, a recording in a shared directory). */
int dbp_slurp_fd(int fd, char **out, size_t *len);

/* The same with a bound: -EFBIG when more than max bytes come (after
 * decompression), for input of any size from anyone (imagecheck's
 * standard input, lint's inputs and configuration). Reading stops there:
 * a small gzip stream that inflates to gigabytes costs max bytes. */
int dbp_slurp_fd_max(int fd, size_t max, char **out, size_t *len);
int dbp_slurp_max(const char *path, size_t max, char **out, size_t *len);

/* The last max bytes of the open regular file fd, plain (a live server's
 * log, which can be gigabytes and whose last lines are what count), into
 * a malloc'd NUL-terminated *buf; *text points into it at the first whole
 * line (the first line is cut when the file is longer than max); a NUL
 * byte in the file reads as a line end, so that the text goes on. fd is
 * closed in every case. 0, -DBP_ENOTREG for anything but a regular file,
 * or a negative errno. */
int dbp_slurp_tail_fd(int fd, size_t max, char **buf, char **text);

/* The same from a gzip-compressed file (a log the runtime compressed when
 * it rotated it: docker's compress=true): its text decompressed as a
 * stream, only the last max + 1 bytes kept, in time linear in the file.
 * -EFBIG when more than budget bytes decompress (a small file that
 * inflates to gigabytes stops there); a stream cut short gives the text
 * before the cut; -EIO when nothing decompresses. fd is closed. */
int dbp_slurp_tail_gz_fd(int fd, size_t max, size_t budget, char **buf, char **text);

/* The same, given to parse(arg, text) and freed: a log's last lines
 * parsed. fd is closed. 0, or what dbp_slurp_tail_fd or parse returned
 * that is negative. */
int dbp_slurp_tail_parse(int fd, size_t max, int (*parse)(void *arg, const char *text),
			 void *arg);

#endif
