/* PostgreSQL's control file and WAL segment names, parsed (pgcontrol.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pgcontrol.h"

/* Offsets in ControlFileData, pg_control_version 1300 (pgcontrol.h) */
#define AT_SYSID 0
#define AT_VERSION 8
#define AT_CATVERSION 12
#define AT_STATE 16
#define AT_TIME 24
#define AT_CHECKPOINT 32
#define AT_REDO 40
#define AT_TIMELINE 48
#define AT_MAXALIGN 204
#define AT_FLOATFORMAT 208
#define AT_BLCKSZ 216
#define AT_XLOG_BLCKSZ 224
#define AT_SEGSIZE 228

/* FLOATFORMAT_VALUE: the double pg_control holds to tell float layouts apart */
#define FLOATFORMAT 1234567.0

uint32_t dbp_crc32c(const void *buf, size_t len)
{
	static uint32_t table[256];
	static int ready;
	const unsigned char *p = buf;
	uint32_t crc = 0xFFFFFFFFu;

	if (!ready) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
			table[i] = c;
		}
		ready = 1;
	}
	while (len--)
		crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return crc ^ 0xFFFFFFFFu;
}

static uint32_t u32_at(const unsigned char *b, size_t at)
{
	uint32_t v;

	memcpy(&v, b + at, sizeof(v));
	return v;
}

static uint64_t u64_at(const unsigned char *b, size_t at)
{
	uint64_t v;

	memcpy(&v, b + at, sizeof(v));
	return v;
}

static uint32_t swap32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xFF00u) | ((v << 8) & 0xFF0000u) | (v << 24);
}

/* a power of two within [lo, hi] */
static int pow2_within(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v >= lo && v <= hi && !(v & (v - 1));
}

int dbp_pgcontrol_parse(const void *buf, size_t len, struct dbp_pgcontrol *c,
			char *why, size_t size)
{
	const unsigned char *b = buf;
	char dummy[8];
	double ff;
	uint32_t v;

	if (!why)
		why = dummy, size = sizeof(dummy);
	why[0] = '\0';
	memset(c, 0, sizeof(*c));
	if (len < AT_VERSION + 4) {
		snprintf(why, size, "%zu bytes, too short for a control file", len);
		return -EINVAL;
	}
	v = u32_at(b, AT_VERSION);
	if (v != DBP_PGCONTROL_VERSION && swap32(v) == DBP_PGCONTROL_VERSION) {
		snprintf(why, size, "written by a machine of the other byte order");
		return -EINVAL;
	}
	if (v != DBP_PGCONTROL_VERSION) {
		/* 1700 is PostgreSQL 17's, 1201 12's: their layouts are not
		 * checked here, and a wrong offset would be a wrong redo pointer */
		snprintf(why, size, "pg_control_version %u, a layout dbpod does not know "
			 "(it reads %u: PostgreSQL 13 to 16)", v, DBP_PGCONTROL_VERSION);
		return -ENOTSUP;
	}
	if (len < DBP_PGCONTROL_CRC_AT + 4) {
		snprintf(why, size, "%zu bytes, too short for pg_control_version %u", len, v);
		return -EINVAL;
	}
	if (dbp_crc32c(b, DBP_PGCONTROL_CRC_AT) != u32_at(b, DBP_PGCONTROL_CRC_AT)) {
		/* the server checks it at start too: a torn write, another file */
		snprintf(why, size, "its CRC does not match its contents");
		return -EBADMSG;
	}
	memcpy(&ff, b + AT_FLOATFORMAT, sizeof(ff));
	c->blcksz = u32_at(b, AT_BLCKSZ);
	c->xlog_blcksz = u32_at(b, AT_XLOG_BLCKSZ);
	c->xlog_seg_size = u32_at(b, AT_SEGSIZE);
	/* a build of another alignment moves every field after the first
	 * padding: maxAlign and the float's test value land elsewhere */
	if (u32_at(b, AT_MAXALIGN) != 8 || ff != FLOATFORMAT ||
	    !pow2_within(c->blcksz, 1024, 32768) || !pow2_within(c->xlog_blcksz, 1024, 65536) ||
	    !pow2_within(c->xlog_seg_size, 1024 * 1024, 1024 * 1024 * 1024)) {
		snprintf(why, size, "its fields are not where a 64-bit build of PostgreSQL "
			 "puts them (maxAlign %u, blcksz %u, xlog_blcksz %u, xlog_seg_size %u)",
			 u32_at(b, AT_MAXALIGN), c->blcksz, c->xlog_blcksz, c->xlog_seg_size);
		memset(c, 0, sizeof(*c));
		return -EINVAL;
	}
	c->system_identifier = u64_at(b, AT_SYSID);
	c->version = v;
	c->catversion = u32_at(b, AT_CATVERSION);
	c->state = (int)u32_at(b, AT_STATE);
	c->time = (int64_t)u64_at(b, AT_TIME);
	c->checkpoint = u64_at(b, AT_CHECKPOINT);
	c->redo = u64_at(b, AT_REDO);
	c->timeline = u32_at(b, AT_TIMELINE);
	return 0;
}

const char *dbp_pgcontrol_state_name(int state)
{
	static const char *const names[] = {
		"starting up", "shut down", "shut down in recovery", "shutting down",
		"in crash recovery", "in archive recovery", "in production",
	};

	return state >= 0 && (size_t)state < sizeof(names) / sizeof(names[0]) ? names[state] :
	       "unknown";
}

static int hex8(const char *s, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 8; i++) {
		int d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' :
			s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10 : -1;

		if (d < 0)
			return -EINVAL;
		*v = *v << 4 | (uint32_t)d;
	}
	return 0;
}

int dbp_pg_walname_parse(const char *name, uint32_t seg_size, uint32_t *timeline,
			 uint64_t *start)
{
	uint32_t hi, lo, per;

	/* XLogFromFileName: segments per 4 GB "xlogid" */
	if (strlen(name) != 24 || !pow2_within(seg_size, 1024 * 1024, 1024 * 1024 * 1024) ||
	    hex8(name, timeline) < 0 || hex8(name + 8, &hi) < 0 || hex8(name + 16, &lo) < 0)
		return -EINVAL;
	per = (uint32_t)(0x100000000ull / seg_size);
	if (lo >= per)
		return -EINVAL;
	*start = ((uint64_t)hi * per + lo) * seg_size;
	return 0;
}

int dbp_pg_walpage_is(const unsigned char *hdr, uint64_t addr)
{
	uint16_t magic;

	/* XLOG_PAGE_MAGIC is 0xD1xx in every release since 9.x (0xD110 in
	 * 15): a zeroed page has none */
	memcpy(&magic, hdr, sizeof(magic));
	return (magic & 0xFF00) == 0xD100 && u64_at(hdr, 8) == addr;
}
