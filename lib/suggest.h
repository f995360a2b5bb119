/*
 * "Did you mean": the names closest to a word someone typed, as git
 * suggests commands. One home for the distance, used for commands and
 * long options alike.
 */
#ifndef DBPOD_SUGGEST_H
#define DBPOD_SUGGEST_H

#include <stddef.h>

/* The optimal string alignment distance between a and b: insertions,
 * deletions, substitutions and swaps of neighbours, each 1; (size_t)-1
 * for a word of 32 bytes or more, which no typo of a name of ours is. */
size_t dbp_edit_distance(const char *a, const char *b);

/* How far word is from each of the n names, into dist[i]: the edit
 * distance, or 1 when word is the start of the name (three letters at
 * least). Returns the smallest distance; a name is worth suggesting when
 * it is at that distance and that distance is below DBP_SUGGEST_MAX. */
#define DBP_SUGGEST_MAX 3
size_t dbp_suggest(const char *word, const char *const *names, size_t n, size_t *dist);

#endif
