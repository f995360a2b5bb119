/*
 * A whole file into memory through zlib, which reads gzip-compressed and
 * plain files alike (rotated recordings and logs are often gzipped).
 */
#ifndef DBPOD_SLURP_H
#define DBPOD_SLURP_H

#include <stddef.h>

/* *out is malloc'd and NUL-terminated (a NUL inside the file ends the text
 * for string functions: a zero-filled tail after a crash). Returns 0 or a
 * negative errno (-EIO for a corrupt gzip stream). */
int dbp_slurp(const char *path, char **out, size_t *len);

#endif
