/* libFuzzer: a shell script's text (its traps) and a supervisord.conf, as
 * anyone who builds the image may have written them. The first byte picks
 * the parser. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stopread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, inc[64];
	struct dbp_supervisor sup;

	if (!size)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (data[0] & 1) {
		(void)dbp_shell_traps(text);
	} else {
		memset(&sup, 0, sizeof(sup));
		(void)dbp_supervisor_parse(text, "postgres", &sup, inc, sizeof(inc));
	}
	free(text);
	return 0;
}
