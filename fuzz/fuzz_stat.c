/* libFuzzer: /proc/PID/stat as the recorder's hot path reads it (a comm
 * may hold spaces and ')'). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rec/sampler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	struct dbp_proc p;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	memset(&p, 0, sizeof(p));
	dbp_stat_parse(buf, size, &p);
	free(buf);
	return 0;
}
