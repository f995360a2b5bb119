/* libFuzzer: redaction never grows a string, never runs past it. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *argv[9];
	size_t n = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	dbp_redact(text);
	if (strlen(text) > size)
		abort();
	/* the same bytes as an argv split at NULs (a /proc cmdline) */
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t off = 0; off <= size && n < 8; off += strlen(text + off) + 1)
		argv[n++] = text + off;
	argv[n] = NULL;
	dbp_redact_argv(argv);
	free(text);
	return 0;
}
