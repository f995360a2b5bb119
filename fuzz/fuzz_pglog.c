/* libFuzzer: PostgreSQL server logs (stderr, csvlog, jsonlog), the
 * timestamps in them, and the stop's time budget worked out from their
 * checkpoint lines (a zero or absurd total, a percent of 0). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pglog.h"
#include "rules_budget.h"
#include "timestamp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct dbp_pg_evidence ev;
	struct dbp_stop_budget b;
	const char *end;
	double when;
	int zone;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	dbp_evidence_init(&ev);
	dbp_pglog_parse(&ev.log, text);
	ev.log_read = 1;
	dbp_pg_stop_budget(&ev, 30, &b);
	dbp_evidence_free(&ev);
	dbp_timestamp_parse(text, &when, &end, &zone);
	free(text);
	return 0;
}
