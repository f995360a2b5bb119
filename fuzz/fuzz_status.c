/* libFuzzer: /proc/PID/status text into the model, and its NS* lines
 * (node mode). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "node/noderead.h"
#include "userread.h"
#include "procstatus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct dbp_proc p;
	struct dbp_nsinfo ns;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&p, 0, sizeof(p));
	dbp_status_parse(text, &p);
	if (dbp_status_nsids(text, &ns) == 0 && ns.pid <= 0)
		abort();	/* a PID it accepts is a PID */
	{
		/* and a container's /etc/passwd */
		char name[33];

		if (dbp_passwd_name(text, 999, name, sizeof(name)) == 0 && strlen(name) >= sizeof(name))
			abort();
	}
	free(text);
	return 0;
}
