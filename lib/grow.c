/* An array's room grown by doubling (grow.h). */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "grow.h"

#define GROW_FIRST 8

int dbp_grow(void **arr, size_t *cap, size_t need, size_t size)
{
	size_t nc;
	void *na;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap : GROW_FIRST;
	while (nc < need)
		nc = nc > SIZE_MAX / 2 ? need : nc * 2;
	if (!size || nc > SIZE_MAX / size)
		return -ENOMEM;
	na = realloc(*arr, nc * size);
	if (!na)
		return -ENOMEM;
	*arr = na;
	*cap = nc;
	return 0;
}
