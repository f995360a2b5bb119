/* libFuzzer: signal masks and names, both ways. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sigset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), names[128], name[24];
	uint64_t m = 0;
	int sig;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (dbp_sigmask_parse(text, &m) == 0)
		dbp_sigmask_names(m, " ", names, sizeof(names));
	sig = dbp_signal_parse(text);
	if (sig > 0 && dbp_signal_parse(dbp_signal_name(sig, name, sizeof(name))) != sig)
		abort();	/* a name dbpod prints must parse back */
	free(text);
	return 0;
}
