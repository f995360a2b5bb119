/*
 * The distance behind "did you mean" (suggest.h).
 */
#include "config.h"

#include <string.h>

#include "suggest.h"

/* "doctr" is 1 from "doctor", "sigansl" 2 from "signals", "formt" 1 from
 * "format": the typos a hurried hand makes */
size_t dbp_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[32][32];

	if (la >= 32 || lb >= 32)
		return (size_t)-1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < c)
				c = d[i - 2][j - 2] + 1;
			d[i][j] = c;
		}
	return d[la][lb];
}

size_t dbp_suggest(const char *word, const char *const *names, size_t n, size_t *dist)
{
	size_t best = (size_t)-1, len = strlen(word);

	for (size_t i = 0; i < n; i++) {
		/* "post" for postmortem: a start is as good as one typo */
		dist[i] = len >= 3 && !strncmp(names[i], word, len) ? 1 :
			  dbp_edit_distance(word, names[i]);
		if (dist[i] < best)
			best = dist[i];
	}
	return best;
}
