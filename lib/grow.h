/*
 * An array's room, grown by doubling. One realloc per element copies the
 * array whole at every push where realloc cannot grow in place (under
 * AddressSanitizer, always): quadratic in the array's length, which a
 * Dockerfile or a recording of many thousand lines makes felt.
 */
#ifndef DBPOD_GROW_H
#define DBPOD_GROW_H

#include <stddef.h>

/* Room for at least need elements of size bytes in *arr, whose room is
 * *cap elements (0 with *arr NULL: nothing yet). Where *cap is short, the
 * room doubles (8 at first, need where doubling is not enough) and *arr
 * and *cap are updated. Returns 0, or -ENOMEM (the size overflows, or
 * realloc fails), *arr and *cap then untouched. A *cap lower than the
 * room really is only costs a realloc; one higher than it is an
 * overrun: whoever frees *arr zeroes *cap. */
int dbp_grow(void **arr, size_t *cap, size_t need, size_t size);

#endif
