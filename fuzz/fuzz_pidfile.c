/* libFuzzer: postmaster.pid as anyone in the container may have written it
 * (the parser takes the length: NUL bytes are data too). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pidfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct dbp_pidfile pf;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&pf, 0, sizeof(pf));
	dbp_pidfile_parse(text, size, &pf);
	free(text);
	return 0;
}
