/* libFuzzer: /proc/PID/status text into the model. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procstatus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct dbp_proc p;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&p, 0, sizeof(p));
	dbp_status_parse(text, &p);
	free(text);
	return 0;
}
