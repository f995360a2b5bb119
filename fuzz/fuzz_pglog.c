/* libFuzzer: PostgreSQL server logs (stderr, csvlog, jsonlog) and the
 * timestamps in them. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pglog.h"
#include "timestamp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct dbp_pglog log;
	const char *end;
	double when;
	int zone;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	dbp_pglog_init(&log);
	dbp_pglog_parse(&log, text);
	dbp_pglog_free(&log);
	dbp_timestamp_parse(text, &when, &end, &zone);
	free(text);
	return 0;
}
