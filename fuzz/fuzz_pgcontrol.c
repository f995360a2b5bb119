/* libFuzzer: PostgreSQL's pg_control as a data directory another user
 * controls may hold it (any bytes, any length; a CRC made right so that
 * the fields past it are reached too), WAL segment names, and the crash
 * recovery's budget worked out from what was parsed. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pgcontrol.h"
#include "pglog.h"
#include "rules_budget.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dbp_pg_evidence ev;
	struct dbp_recovery_budget b;
	struct dbp_pgcontrol c;
	unsigned char *buf = malloc(size ? size : 1);
	char why[160], name[32];
	uint32_t tli, seg;
	uint64_t start;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	dbp_pgcontrol_parse(buf, size, &c, why, sizeof(why));
	/* the same bytes with a right CRC: the layout's checks are reached */
	if (size >= DBP_PGCONTROL_CRC_AT + 4) {
		uint32_t crc = dbp_crc32c(buf, DBP_PGCONTROL_CRC_AT);

		memcpy(buf + DBP_PGCONTROL_CRC_AT, &crc, sizeof(crc));
	}
	dbp_evidence_init(&ev);
	ev.recovery_read = 1;
	ev.recovery.control_read = dbp_pgcontrol_parse(buf, size, &ev.recovery.control,
						       ev.recovery.control_why,
						       sizeof(ev.recovery.control_why)) == 0;
	/* the first bytes as a segment name, at the parsed segment size */
	memset(name, 0, sizeof(name));
	memcpy(name, data, size < 24 ? size : 24);
	seg = ev.recovery.control_read ? ev.recovery.control.xlog_seg_size : DBP_PG_WAL_SEG_DEFAULT;
	if (dbp_pg_walname_parse(name, seg, &tli, &start) == 0) {
		ev.recovery.wal_read = 1;
		memcpy(ev.recovery.wal_newest, name, 25);
		ev.recovery.wal_newest_start = start;
		ev.recovery.wal_end_min = start + (size > 24 ? data[24] : 0) * 8192u;
		ev.recovery.wal_end_max = ev.recovery.wal_end_min + 8192;
		ev.recovery.wal_pages = 1;
	}
	/* a page header at the parsed position */
	if (size >= DBP_PG_WAL_PAGE_HEADER) {
		uint64_t addr;

		memcpy(&addr, data + 8, sizeof(addr));
		dbp_pg_walpage_is(data, addr);
	}
	dbp_pg_recovery_budget(&ev, 30, "the probes allow", &b);
	dbp_evidence_free(&ev);
	free(buf);
	return 0;
}
