/*
 * PostgreSQL's control file, global/pg_control, parsed: where crash
 * recovery would start if the server were killed now. The checkpointer
 * rewrites it at the end of every checkpoint; its checkPointCopy.redo is
 * the WAL position the startup process replays from after a SIGKILL, an
 * OOM kill or an immediate shutdown, up to the end of WAL.
 *
 * The layout is ControlFileData of PostgreSQL's pg_control.h, in the
 * server's own byte order and alignment; only pg_control_version 1300
 * (PostgreSQL 13 to 16) is read, checked against pg_controldata of a
 * PostgreSQL 15 cluster made by initdb:
 *
 *   system_identifier u64 @0, pg_control_version u32 @8,
 *   catalog_version_no u32 @12, state @16, time i64 @24,
 *   checkPoint u64 @32, checkPointCopy.redo u64 @40,
 *   checkPointCopy.ThisTimeLineID u32 @48, maxAlign u32 @204,
 *   floatFormat double @208, blcksz u32 @216, xlog_blcksz u32 @224,
 *   xlog_seg_size u32 @228,
 *   crc u32 @288 (CRC-32C of the 288 bytes before it).
 *
 * Another version, another byte order, a CRC that does not match (a torn
 * or foreign file) is refused with the reason, never guessed at.
 *
 * And the names of WAL segment files in pg_wal (TTTTTTTTXXXXXXXXYYYYYYYY:
 * timeline, then the segment number split at 4 GB), which bound where WAL
 * ends without a connection.
 */
#ifndef DBPOD_PGCONTROL_H
#define DBPOD_PGCONTROL_H

#include <stddef.h>
#include <stdint.h>

/* The only pg_control_version read (PostgreSQL 13 to 16) */
#define DBP_PGCONTROL_VERSION 1300
/* The bytes the CRC covers: offsetof(ControlFileData, crc) */
#define DBP_PGCONTROL_CRC_AT 288
/* PostgreSQL's default WAL segment size */
#define DBP_PG_WAL_SEG_DEFAULT (16u * 1024 * 1024)

/* DBState of pg_control.h */
enum dbp_pg_dbstate {
	DBP_PG_STARTUP = 0,
	DBP_PG_SHUTDOWNED,
	DBP_PG_SHUTDOWNED_IN_RECOVERY,
	DBP_PG_SHUTDOWNING,
	DBP_PG_IN_CRASH_RECOVERY,
	DBP_PG_IN_ARCHIVE_RECOVERY,
	DBP_PG_IN_PRODUCTION,
};

struct dbp_pgcontrol {
	uint64_t system_identifier;
	uint32_t version;		/* pg_control_version */
	uint32_t catversion;
	int state;			/* enum dbp_pg_dbstate */
	int64_t time;			/* when it was last written, seconds since the epoch */
	uint64_t checkpoint;		/* the last checkpoint record's LSN */
	uint64_t redo;			/* where its redo starts: crash recovery's start */
	uint32_t timeline;
	uint32_t blcksz;
	uint32_t xlog_blcksz;		/* bytes of a WAL page */
	uint32_t xlog_seg_size;		/* bytes of a WAL segment */
};

/* Parse len bytes of a pg_control file into c. Returns 0; -EINVAL when it
 * is not one dbpod can trust (too short, the other byte order, sizes no
 * PostgreSQL builds), -EBADMSG for a CRC that does not match (a torn
 * read while the checkpointer rewrites it, or damage), -ENOTSUP for a
 * pg_control_version other than DBP_PGCONTROL_VERSION; then why (size
 * bytes, when not NULL) says so in words. */
int dbp_pgcontrol_parse(const void *buf, size_t len, struct dbp_pgcontrol *c,
			char *why, size_t size);

/* "in production", "shut down", "in crash recovery", ... as pg_controldata
 * words it; "unknown" for another number */
const char *dbp_pgcontrol_state_name(int state);

/* A WAL segment's file name (24 hex digits, nothing after) and the byte
 * position its segment starts at, for segments of seg_size bytes (a power
 * of two from 1 MB to 1 GB). Returns 0, or -EINVAL for another name. */
int dbp_pg_walname_parse(const char *name, uint32_t seg_size, uint32_t *timeline,
			 uint64_t *start);

/* The first bytes of a WAL page's header (XLogPageHeaderData: xlp_magic
 * u16 @0, xlp_info u16 @2, xlp_tli u32 @4, xlp_pageaddr u64 @8), and
 * whether it is the page of WAL position addr: a page the server wrote in
 * this segment's current life. A page past the end of WAL is zeros (a new
 * segment) or a page of the segment's earlier life (a recycled one), whose
 * xlp_pageaddr is another. */
#define DBP_PG_WAL_PAGE_HEADER 16
int dbp_pg_walpage_is(const unsigned char *hdr, uint64_t addr);

/* CRC-32C (Castagnoli), as PostgreSQL's COMP_CRC32C and FIN_CRC32C */
uint32_t dbp_crc32c(const void *buf, size_t len);

/* What a running server's data directory says of the crash recovery a
 * SIGKILL now would cause (filled by dbp_pg_recovery_read, pgcontrolread.h):
 * the redo pointer, and pg_wal's newest segment, which bounds the end of
 * WAL. */
struct dbp_pg_recovery_input {
	int control_read;		/* 1: control holds global/pg_control */
	int control_err;		/* else why not: a negative errno */
	char control_why[160];		/* a refused file: what is wrong with it */
	char datadir[256];		/* the data directory, as the server names it */
	struct dbp_pgcontrol control;
	int wal_read;			/* 1: pg_wal was listed, wal_* hold its newest segment */
	int wal_err;			/* else why not: a negative errno, -ENOENT for no segment */
	char wal_newest[32];		/* the segment written last (by mtime, then by name) */
	uint64_t wal_newest_start;	/* where that segment starts */
	uint64_t wal_end_min;		/* WAL ends at or after this */
	uint64_t wal_end_max;		/* and at or before this */
	int wal_pages;			/* 1: the bounds are the last page the segment's
					 * page headers say was written; 0: the segment's */
	size_t wal_segments;		/* segment files in pg_wal */
};

#endif
