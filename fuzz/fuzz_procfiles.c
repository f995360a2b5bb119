/* libFuzzer: /proc/self/cgroup, /proc/meminfo and the THP setting, as a
 * container may present them. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgroupread.h"
#include "meminforead.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), v2[256], v1[256], thp[16];
	struct dbp_meminfo m;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	dbp_cgroup_parse_self(text, v2, sizeof(v2), v1, sizeof(v1));
	memset(&m, 0, sizeof(m));
	dbp_meminfo_parse(text, &m);
	dbp_thp_parse(text, thp, sizeof(thp));
	free(text);
	return 0;
}
