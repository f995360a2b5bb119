/*
 * Bytes from outside (a process's argv and comm, a file's lines, a user
 * name) made safe for the two places dbpod writes them: a terminal and
 * JSON. Every such string reaches output through these functions, by way
 * of lib/render.c, so that no process can retitle a terminal, clear it,
 * draw a fake row or make the JSON unreadable.
 *
 * Text (dbp_escape_text), the habit of ps and ls -b:
 *   \a \b \t \n \v \f \r \e   those control characters
 *   \xNN                      any other C0 control, DEL, and every byte that
 *                             is not part of valid UTF-8 (\xff \xfe)
 *   \uNNNN                    C1 controls written in UTF-8 (U+0080..U+009F),
 *                             line and paragraph separators and the bidi
 *                             controls that reorder a line (U+200E, U+200F,
 *                             U+202A..U+202E, U+2066..U+2069)
 * Everything else that is valid UTF-8 (comm "🐘pg🐘") is printed as it is.
 * A backslash stays a backslash: text is for reading, JSON is the lossless
 * form.
 *
 * JSON (dbp_escape_json): json-c escapes C0 controls itself but copies
 * other bytes raw; this turns a serialised text into valid UTF-8 JSON:
 *   a byte that is not valid UTF-8   \udcNN (NN = the byte, 80..ff): the
 *                                    lone low surrogate of Python's
 *                                    "surrogateescape" (PEP 383), so
 *                                    s.encode("utf-8", "surrogateescape")
 *                                    gives back the exact bytes
 *   DEL, C1 (U+0080..U+009F), U+2028, U+2029   \u007f, \u0085, ...
 * dbp_json_unescape_bytes reverses the first for a reader of dbpod's own
 * JSON (a recording), before json-c parses it.
 */
#ifndef DBPOD_ESCAPE_H
#define DBPOD_ESCAPE_H

#include <stddef.h>

/* s escaped for a terminal into buf (size bytes, NUL-terminated); when it
 * does not fit it is cut after a whole character or escape and ends with
 * "..." (size > 4). Returns buf. s NULL gives "". */
const char *dbp_escape_text(const char *s, char *buf, size_t size);

/* The same into a new string (malloc'd, never cut); NULL without memory. */
char *dbp_escape_text_dup(const char *s);

/* Whether s would print unchanged (nothing to escape). */
int dbp_escape_text_clean(const char *s);

/* A serialised JSON text (json-c's) made valid UTF-8 as described above;
 * malloc'd, NULL without memory. */
char *dbp_escape_json(const char *json);

/* In a JSON text, in place: each \udcNN escape (NN 80..ff) that is not the
 * second half of a surrogate pair becomes the raw byte NN again, so json-c
 * parses the string with the bytes dbp_escape_json escaped. Returns the
 * new length. */
size_t dbp_json_unescape_bytes(char *json);

#endif
