/*
 * Strict JSON (RFC 8259) boundaries, checked before json-c sees a value:
 * json-c 0.16 accepts single quotes, NaN and Infinity even with
 * JSON_TOKENER_STRICT, and rejects whitespace after a value, so neither
 * its lenient nor its strict mode reads `docker inspect a b > x` right.
 * This validator takes one value at a time, so a stream of concatenated
 * values can be judged value by value.
 */
#ifndef DBPOD_JSONSTRICT_H
#define DBPOD_JSONSTRICT_H

#include <stddef.h>

#define DBP_JSON_MAX_DEPTH 64

/* Skip whitespace from *pos; when input is left, check that one strict
 * JSON value starts there and set [*start, *end) to it and *pos past it.
 * Returns 1 for a value, 0 at the end of the input, or -EINVAL with a
 * reason (naming the byte offset) in why. */
int dbp_json_next_value(const char *s, size_t len, size_t *pos,
			size_t *start, size_t *end, char *why, size_t whysize);

#endif
