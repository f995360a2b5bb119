#include "config.h"

#include <err.h>

#include "postmortem.h"

int pm_run_timeline(struct pm_ctx *c, struct dbp_report *r)
{
	(void)c;
	(void)r;
	warnx("--timeline is not built yet");
	return DBP_EXIT_UNKNOWN;
}
