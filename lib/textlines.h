/*
 * Text read a line at a time, as the log and configuration parsers read
 * it: each line without its newline (nor a carriage return before it),
 * and a line trimmed of its blanks. A parser: nothing opened.
 */
#ifndef DBPOD_TEXTLINES_H
#define DBPOD_TEXTLINES_H

#include <stddef.h>

/* fn(arg, line, len, no) for each line of text (NUL-terminated) in turn:
 * line is not NUL-terminated, len leaves out the "\n" and a "\r" before
 * it, no counts from 1; a last line without "\n" is a line, an empty
 * text has none. Stops at fn's first negative return and returns it;
 * else 0. */
int dbp_text_lines(const char *text, int (*fn)(void *arg, const char *line, size_t len, size_t no),
		   void *arg);

/* line (len bytes) into buf (size bytes), NUL-terminated: buf, or NULL
 * when it does not fit (a line longer than any the caller reads) */
char *dbp_line_copy(const char *line, size_t len, char *buf, size_t size);

/* s without blanks (isspace) at either end, cut in place */
char *dbp_trim(char *s);

#endif
