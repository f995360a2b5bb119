/* libFuzzer: PostgreSQL server logs (stderr, csvlog, jsonlog), the
 * timestamps in them, the stop's time budget worked out from their
 * checkpoint lines (a zero or absurd total, a percent of 0), and the
 * crash recovery's from their redo lines (a done before its start, an
 * elapsed of 0). */
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
	struct dbp_recovery_budget rb;
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
	/* a data directory 1 GB of WAL behind */
	ev.recovery_read = 1;
	ev.recovery.control_read = 1;
	ev.recovery.control.state = DBP_PG_IN_PRODUCTION;
	ev.recovery.control.redo = 0x1000000;
	ev.recovery.control.xlog_seg_size = DBP_PG_WAL_SEG_DEFAULT;
	ev.recovery.wal_read = 1;
	ev.recovery.wal_end_min = 0x40000000;
	ev.recovery.wal_end_max = 0x41000000;
	dbp_pg_recovery_budget(&ev, 30, "the probes allow", &rb);
	dbp_evidence_free(&ev);
	dbp_timestamp_parse(text, &when, &end, &zone);
	free(text);
	return 0;
}
