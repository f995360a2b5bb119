/* libFuzzer: /proc/PID/cgroup text as dbp_container_parse takes it (with
 * its length: NUL bytes and a missing final newline are data too), and
 * each line's path alone as dbp_container_from_path takes it. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "node/container.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes, so ASan sees a read past the end */
	char *text = malloc(size ? size : 1);
	struct dbp_container *c = malloc(sizeof(*c));
	const char *p;

	if (!text || !c)
		goto out;
	memcpy(text, data, size);
	if (dbp_container_parse(text, size, c) == 0)
		dbp_pod_qos_name(c->qos);
	for (p = text; p < text + size;) {
		const char *eol = memchr(p, '\n', (size_t)(text + size - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(text + size - p);

		dbp_container_from_path(p, n, c);
		if (!eol)
			break;
		p = eol + 1;
	}
out:
	free(text);
	free(c);
	return 0;
}
