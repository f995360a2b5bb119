/* A stop's time budget, PostgreSQL's and Redis's (rules_budget.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dbperror.h"
#include "rules_budget.h"
#include "timestamp.h"

/* The shortest checkpoint time taken as it is, in seconds */
#define MIN_TIMED 0.05

static const char *ckpt_kind(unsigned flags)
{
	if (flags & DBP_CKPT_SHUTDOWN)
		return "shutdown";
	if (flags & DBP_CKPT_END_OF_RECOVERY)
		return "end-of-recovery";
	if (flags & DBP_CKPT_IMMEDIATE)
		return "immediate";
	return "spread";
}

/* " at HH:MM:SS UTC" of a checkpoint, or nothing */
static const char *ckpt_at(const struct dbp_pglog_checkpoint *c, char *buf, size_t size)
{
	time_t t = (time_t)c->when;
	struct tm tm;

	buf[0] = '\0';
	if (c->have_when && gmtime_r(&t, &tm))
		strftime(buf, size, " at %Y-%m-%d %H:%M:%S UTC", &tm);
	return buf;
}

/* The checkpoint that measured the disk: of the last few unthrottled ones,
 * the one that wrote most, since a small one is all fixed cost (a handful
 * of fsyncs) and would make the disk look slow or absurdly fast. Below 64
 * buffers (512 kB) it measures nothing. */
static const struct dbp_pglog_checkpoint *measuring(const struct dbp_pglog *log)
{
	const struct dbp_pglog_checkpoint *best = NULL;
	size_t seen = 0;

	for (size_t i = log->nckpt; i-- > 0 && seen < 5;) {
		const struct dbp_pglog_checkpoint *c = &log->ckpt[i];

		if (!(c->flags & DBP_CKPT_UNTHROTTLED))
			continue;
		seen++;
		if (c->buffers < 64)
			continue;
		if (!best || c->buffers > best->buffers)
			best = c;
	}
	return best;
}

void dbp_pg_stop_budget(const struct dbp_pg_evidence *ev, int grace, struct dbp_stop_budget *b)
{
	const struct dbp_pglog_checkpoint *m, *largest = NULL, *pct = NULL;
	const struct dbp_pglog *log;
	char at[48], worst[160] = "";
	size_t from;

	memset(b, 0, sizeof(*b));
	b->judged = 1;
	if (!ev || !ev->log_read) {
		snprintf(b->basis, sizeof(b->basis),
			 "no estimate: the server's log %s%s%s, so nothing measured the shutdown "
			 "checkpoint; dbpod assumed it fits the %d s grace period, which holds only "
			 "while shared_buffers is small or the disk fast",
			 !ev ? "was not read" : ev->log_err ? "could not be read" : "was not found",
			 ev && ev->log_path[0] ? " at " : ev && ev->log_missing ? ": " : "",
			 ev && ev->log_path[0] ? ev->log_path : ev && ev->log_missing ? ev->log_missing : "",
			 grace);
		return;
	}
	log = &ev->log;
	from = log->nckpt > DBP_BUDGET_RECENT ? log->nckpt - DBP_BUDGET_RECENT : 0;
	for (size_t i = from; i < log->nckpt; i++)
		if (!largest || log->ckpt[i].buffers > largest->buffers)
			largest = &log->ckpt[i];
	/* shared_buffers from the command line, exact; else from the largest
	 * share of it the log gives, to a tenth of a percent */
	for (size_t i = 0; i < log->nckpt; i++)
		if (log->ckpt[i].percent >= 1 && (!pct || log->ckpt[i].percent > pct->percent))
			pct = &log->ckpt[i];
	if (ev->shared_buffers_kb > 0)
		b->nbuffers = ev->shared_buffers_kb / DBP_PG_BLOCK_KB;
	else if (pct)
		b->nbuffers = (long)(pct->buffers * 100.0 / pct->percent + 0.5);

	m = measuring(log);
	if (!m) {
		/* a cut basis still says what matters first */
		if (snprintf(b->basis, sizeof(b->basis),
			 "no estimate: of the %zu checkpoint%s in the server's log (%s) none was "
			 "written at full speed (a shutdown, end-of-recovery or immediate one) with "
			 "64 buffers or more, so the disk's speed is not known; the largest recent "
			 "one wrote %ld buffers. "
			 "dbpod assumed the shutdown checkpoint fits the %d s grace period",
			 log->nckpt, log->nckpt == 1 ? "" : "s", ev->log_path,
			 largest ? largest->buffers : 0L, grace) < 0)
			b->basis[0] = '\0';
		return;
	}
	b->have_estimate = 1;
	/* a checkpoint done within 50 ms (into the page cache of a fast disk)
	 * is timed as 50 ms: the speed it gives is then a floor, and the
	 * estimate errs long */
	b->rate = m->buffers / (m->total_s > MIN_TIMED ? m->total_s : MIN_TIMED);
	b->buffers = largest ? largest->buffers : m->buffers;
	b->seconds = b->buffers / b->rate;
	b->over = b->seconds > grace;
	if (b->nbuffers) {
		b->worst_seconds = b->nbuffers / b->rate;
		b->worst_over = b->worst_seconds > grace;
		snprintf(worst, sizeof(worst), "; all %ld buffers of shared_buffers (%ld MB) dirty "
			 "would take %.1f s", b->nbuffers, b->nbuffers * DBP_PG_BLOCK_KB / 1024,
			 b->worst_seconds);
	}
	if (snprintf(b->basis, sizeof(b->basis),
		 "the %s checkpoint%s wrote %ld buffers in %.3f s (%.1f MB/s, the disk's speed); "
		 "the largest of the last %zu checkpoint%s wrote %ld buffers (%ld MB), what a stop "
		 "finds dirty under this load%s (the server's log, %s%s%s)",
		 ckpt_kind(m->flags), ckpt_at(m, at, sizeof(at)), m->buffers, m->total_s,
		 b->rate * DBP_PG_BLOCK_KB / 1024, log->nckpt - from,
		 log->nckpt - from == 1 ? "" : "s", b->buffers,
		 b->buffers * DBP_PG_BLOCK_KB / 1024, worst, ev->log_path,
		 ev->log_where ? ", " : "", ev->log_where ? ev->log_where : "") < 0)
		b->basis[0] = '\0';
}

/* ---- the crash recovery a kill now would cause ---- */

#define MB(bytes) ((double)(bytes) / (1024.0 * 1024.0))

/* redo's elapsed time is logged in hundredths: 0.00 s is under 10 ms */
#define MIN_REDO_S 0.01

/* The log's last recovery that replayed enough WAL to measure a speed */
static const struct dbp_pglog_redo *measured_redo(const struct dbp_pglog *log)
{
	for (size_t i = log->nredo; i-- > 0;) {
		const struct dbp_pglog_redo *r = &log->redo[i];

		if (r->have_done && r->done - r->start >= DBP_RECOVERY_MIN_BYTES)
			return r;
	}
	return NULL;
}

/* What the WAL to replay is, into b (have_wal, wal_low, wal_high) and
 * words into buf. Returns 0 when it is known; -1 with why in buf. */
static int wal_to_replay(const struct dbp_pg_evidence *ev, struct dbp_recovery_budget *b,
			 char *buf, size_t size)
{
	const struct dbp_pg_recovery_input *in = &ev->recovery;
	const struct dbp_pgcontrol *c = &in->control;
	uint64_t end_max;
	char when[48] = "";
	time_t t;
	struct tm tm;

	if (!ev->recovery_read) {
		snprintf(buf, size, "the server's data directory was not read");
		return -1;
	}
	if (!in->control_read) {
		if (in->control_why[0])
			snprintf(buf, size, "%s/global/pg_control was not read: %s", in->datadir,
				 in->control_why);
		else if (in->datadir[0])
			snprintf(buf, size, "%s/global/pg_control could not be read: %s", in->datadir,
				 dbp_open_strerror(-in->control_err));
		else
			snprintf(buf, size, "the server's data directory could not be seen: %s",
				 dbp_open_strerror(-in->control_err));
		return -1;
	}
	t = (time_t)c->time;
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), ", written %Y-%m-%d %H:%M:%S UTC", &tm);
	if (c->state == DBP_PG_SHUTDOWNED) {
		snprintf(buf, size, "%s/global/pg_control says the server shut down cleanly%s: "
			 "a start replays no WAL", in->datadir, when);
		b->have_wal = 1;
		return 0;
	}
	if (!in->wal_read) {
		snprintf(buf, size, "the last checkpoint's redo pointer is %X/%X (%s/global/pg_control%s), "
			 "but where WAL ends is not known: %s", (unsigned)(c->redo >> 32),
			 (unsigned)c->redo, in->datadir, when,
			 in->wal_err == -ENOENT ? "pg_wal holds no segment file" :
			 dbp_open_strerror(-in->wal_err));
		return -1;
	}
	/* the redo pointer itself is WAL written: the end is not before it */
	end_max = in->wal_end_max > c->redo ? in->wal_end_max : c->redo;
	b->have_wal = 1;
	b->wal_low = in->wal_end_min > c->redo ? in->wal_end_min - c->redo : 0;
	b->wal_high = end_max - c->redo;
	snprintf(buf, size, "crash recovery replays the WAL from the last checkpoint's redo "
		 "pointer %X/%X (%s/global/pg_control%s, the server %s) to the end of WAL, which "
		 "lies in pg_wal's segment written last, %s%s: between %.1f and %.1f MB",
		 (unsigned)(c->redo >> 32), (unsigned)c->redo, in->datadir, when,
		 dbp_pgcontrol_state_name(c->state), in->wal_newest,
		 in->wal_pages ? ", in its last page written" : "", MB(b->wal_low), MB(b->wal_high));
	return 0;
}

void dbp_pg_recovery_budget(const struct dbp_pg_evidence *ev, int allowed, const char *allowed_what,
			    struct dbp_recovery_budget *b)
{
	const struct dbp_pglog_redo *r = NULL;
	char wal[512], speed[160], fixed[224];
	double took = 0;

	memset(b, 0, sizeof(*b));
	b->judged = 1;
	b->allowed = allowed;
	b->allowed_what = allowed_what;
	if (!ev) {
		snprintf(b->basis, sizeof(b->basis), "no estimate: the server's data directory and "
			 "log were not read");
		return;
	}
	if (wal_to_replay(ev, b, wal, sizeof(wal)) < 0) {
		if (snprintf(b->basis, sizeof(b->basis), "no estimate: %s; dbpod assumed a crash "
			     "recovery fits the %d s %s", wal, allowed, allowed_what) < 0)
			b->basis[0] = '\0';
		return;
	}
	if (ev->recovery.control.state == DBP_PG_SHUTDOWNED) {
		b->have_estimate = 1;
		snprintf(b->basis, sizeof(b->basis), "%s", wal);
		return;
	}
	if (ev->log_read)
		r = measured_redo(&ev->log);
	if (!r) {
		/* the speed that would just fit: what the assumption asks of redo */
		if (snprintf(b->basis, sizeof(b->basis), "no estimate: %s; the server's log %s%s "
			     "holds no crash recovery that replayed 1 MB or more (\"redo done at\"), so "
			     "its redo speed is not known; dbpod assumed the recovery fits the %d s %s, "
			     "which holds at %.1f MB/s or faster", wal,
			     ev->log_read ? "" : ev->log_path[0] ? "could not be read: " :
			     "was not found, nor ", ev->log_read || ev->log_path[0] ? ev->log_path : "",
			     allowed, allowed_what, MB(b->wal_high) / (allowed > 0 ? allowed : 1)) < 0)
			b->basis[0] = '\0';
		return;
	}
	/* redo and the end-of-recovery checkpoint grow with the WAL; the
	 * fsync of the data directory before redo (what the killed server
	 * left in the page cache, a file at a time) does not: where the log
	 * times the whole, the rest of it is taken as it was */
	took = (r->elapsed_s > MIN_REDO_S ? r->elapsed_s : MIN_REDO_S) + (r->have_ckpt ? r->ckpt_s : 0);
	b->fixed_seconds = r->have_span && r->span_s > took ? r->span_s - took : 0;
	b->rate = (double)(r->done - r->start) / took;
	b->have_estimate = 1;
	b->seconds = b->fixed_seconds + (double)b->wal_high / b->rate;
	b->seconds_low = b->fixed_seconds + (double)b->wal_low / b->rate;
	b->over = b->seconds > allowed;
	if (r->have_ckpt)
		snprintf(speed, sizeof(speed), " and its end-of-recovery checkpoint wrote %ld buffers "
			 "in %.3f s", r->ckpt_buffers, r->ckpt_s);
	else
		snprintf(speed, sizeof(speed), " (no end-of-recovery checkpoint after it was logged)");
	if (r->have_span)
		snprintf(fixed, sizeof(fixed), "; of its %.2f s from \"database system was "
			 "interrupted\" to \"ready to accept connections\", the %.2f s besides (the "
			 "fsync of the data directory before redo) are taken as they were",
			 r->span_s, b->fixed_seconds);
	else
		snprintf(fixed, sizeof(fixed), "; its log lines carry no time, so the fsync of the "
			 "data directory before redo is not counted");
	if (snprintf(b->basis, sizeof(b->basis),
		     "%s; the last crash recovery in the server's log replayed %.1f MB in %.2f s%s, "
		     "%.1f MB/s%s (%s%s%s)", wal, MB(r->done - r->start), r->elapsed_s, speed,
		     MB(b->rate), fixed, ev->log_path, ev->log_where ? ", " : "",
		     ev->log_where ? ev->log_where : "") < 0)
		b->basis[0] = '\0';
}

/* ---- Redis ---- */

/* Below this an RDB file's save is all fixed cost (a fork, an fsync, a
 * rename): it says nothing of the disk */
#define REDIS_MIN_BYTES (512 * 1024)

static const char *mb(double bytes, char *buf, size_t size)
{
	if (bytes >= 1024 * 1024)
		snprintf(buf, size, "%.1f MB", bytes / (1024 * 1024));
	else
		snprintf(buf, size, "%.0f kB", bytes / 1024);
	return buf;
}

/* What the save points are, in words: "save 60 10", or the defaults and
 * why they are assumed */
static const char *redis_points(const struct dbp_redis_evidence *ev, char *buf, size_t size)
{
	if (ev->conf.nsave > 0)
		snprintf(buf, size, "save %s%s%s%s", ev->conf.save,
			 ev->args_from[0] ? " (from the command line of " : "", ev->args_from,
			 ev->args_from[0] ? " that started it: Redis's own is its process title)" : "");
	else if (ev->title && ev->args_from[0])
		snprintf(buf, size, "Redis's default save points (%s), as neither the command "
			 "line of %s that started it nor its configuration file sets save%s",
			 DBP_REDIS_DEFAULT_SAVE, ev->args_from,
			 ev->conf.include ? " (an include was not followed)" : "");
	else if (ev->title)
		snprintf(buf, size, "Redis's default save points (%s), assumed, as its command line "
			 "is its process title, which hides --save and the configuration file",
			 DBP_REDIS_DEFAULT_SAVE);
	else if (ev->conf_err)
		snprintf(buf, size, "Redis's default save points (%s), assumed, as its configuration "
			 "file %s could not be read", DBP_REDIS_DEFAULT_SAVE, ev->conf_path);
	else
		snprintf(buf, size, "Redis's default save points (%s), as neither its command line "
			 "nor its configuration file sets save%s", DBP_REDIS_DEFAULT_SAVE,
			 ev->conf.include ? " (an include was not followed)" : "");
	return buf;
}

void dbp_redis_stop_budget(const struct dbp_redis_evidence *ev, int grace,
			   struct dbp_stop_budget *b)
{
	const struct dbp_redislog_save *m;
	char points[640], size[32], size2[32], worst[160] = "", killed[160] = "";
	double took;

	memset(b, 0, sizeof(*b));
	b->judged = 1;
	b->redis = 1;
	if (!ev) {
		snprintf(b->basis, sizeof(b->basis), "no estimate: the server's evidence was not "
			 "read; dbpod assumed its final RDB snapshot fits the %d s grace period", grace);
		return;
	}
	b->appendonly = ev->conf.appendonly == 1;
	if (ev->conf.nsave == 0) {
		snprintf(b->basis, sizeof(b->basis), "no snapshot to time: save \"\" turns the save "
			 "points off, so a stop writes no RDB file%s",
			 b->appendonly ? " (it fsyncs the AOF, appendonly yes)" :
			 ", and with appendonly off every write since the last SAVE is lost at "
			 "every stop");
		return;
	}
	redis_points(ev, points, sizeof(points));
	if (ev->log.unfinished)
		snprintf(killed, sizeof(killed), "; the log shows %zu earlier stop%s killed before "
			 "its final snapshot was written", ev->log.unfinished,
			 ev->log.unfinished == 1 ? "" : "s");
	if (!ev->log_read) {
		if (snprintf(b->basis, sizeof(b->basis),
			 "no estimate: the server's log %s%s%s, so nothing measured a save; with %s, "
			 "a stop writes the whole dataset as an RDB snapshot first; dbpod assumed "
			 "it fits the %d s grace period", ev->log_err ? "could not be read" : "was not found",
			 ev->log_path[0] && ev->log_err ? " at " : ev->log_missing ? ": " : "",
			 ev->log_path[0] && ev->log_err ? ev->log_path :
			 ev->log_missing ? ev->log_missing : "", points, grace) < 0)
			b->basis[0] = '\0';
		return;
	}
	m = ev->log.last_save_timed && ev->log.nsave ? &ev->log.save[ev->log.nsave - 1] : NULL;
	if (!m || ev->rdb_err || ev->rdb_bytes < REDIS_MIN_BYTES) {
		if (snprintf(b->basis, sizeof(b->basis),
			 "no estimate: %s, so the disk's speed is not known; with %s, a stop writes "
			 "the whole dataset as an RDB snapshot first%s%s%s; "
			 "dbpod assumed it fits the %d s grace period (the log read: %s)%s",
			 !m ? (!ev->log.entries ? "the file read as its log holds no line of Redis's "
				"log (its logfile may be set where dbpod cannot see it)" :
			       ev->log.saved ? "the log's last save (\"DB saved on disk\") has no start "
				"line to time it from (a SAVE command)" :
			       "the log shows no save (\"DB saved on disk\")") :
			 ev->rdb_err ? "the RDB file could not be read" :
			 "the last save wrote too little to time the disk",
			 points, ev->rss_kb ? " (the server holds " : "",
			 ev->rss_kb ? mb((double)ev->rss_kb * 1024, size, sizeof(size)) : "",
			 ev->rss_kb ? " in memory)" : "", grace, ev->log_path, killed) < 0)
			b->basis[0] = '\0';
		return;
	}
	took = m->end - m->start;
	if (took < MIN_TIMED)
		took = MIN_TIMED;
	b->have_estimate = 1;
	b->bytes = (double)ev->rdb_bytes;
	b->byte_rate = b->bytes / took;
	b->seconds = b->bytes / b->byte_rate;
	b->over = b->seconds > grace;
	if (ev->rss_kb) {
		b->worst_seconds = (double)ev->rss_kb * 1024 / b->byte_rate;
		b->worst_over = b->worst_seconds > grace;
		snprintf(worst, sizeof(worst), "; a snapshot as large as its resident memory (%s) "
			 "would take %.1f s", mb((double)ev->rss_kb * 1024, size2, sizeof(size2)),
			 b->worst_seconds);
	}
	if (snprintf(b->basis, sizeof(b->basis),
		 "with %s, a stop writes the whole dataset as an RDB snapshot first; the last %s "
		 "save took %.3f s and left %s (%s): %.1f MB/s, the disk's speed, and a snapshot "
		 "as large again unless the dataset has grown since%s%s (the server's log, %s)",
		 points, m->kind == DBP_REDIS_SAVE_SHUTDOWN ? "stop's final" : "background",
		 took, mb(b->bytes, size, sizeof(size)), ev->rdb_path,
		 b->byte_rate / (1024 * 1024), worst, killed, ev->log_path) < 0)
		b->basis[0] = '\0';
}

/* ---- MariaDB ---- */

/* A shutdown the log timed at 0 s (its times are whole seconds) */
#define MARIADB_SUBSECOND 0.5

/* What innodb_fast_shutdown makes of the shutdown, in words */
static const char *mariadb_fast(const struct dbp_mariadb_evidence *ev, char *buf, size_t size)
{
	const struct dbp_mariadb_conf *c = &ev->conf;
	char pool[64];

	if (c->buffer_pool >= 0)
		snprintf(pool, sizeof(pool), "innodb_buffer_pool_size %.0f MB",
			 (double)c->buffer_pool / (1024 * 1024));
	else
		snprintf(pool, sizeof(pool), "innodb_buffer_pool_size not set: %lld MB",
			 DBP_MARIADB_DEFAULT_POOL / (1024 * 1024));
	switch (c->fast_shutdown) {
	case 0:
		snprintf(buf, size, "innodb_fast_shutdown=0 (%s): a slow shutdown, which purges "
			 "every undo log and merges the change buffer before it writes the dirty "
			 "pages of the buffer pool (%s); it grows with the purge backlog, and the log "
			 "does not say which setting its past shutdowns ran with", c->fast_from, pool);
		break;
	case 2:
	case 3:
		snprintf(buf, size, "innodb_fast_shutdown=%d (%s): the shutdown writes no dirty "
			 "page of the buffer pool (%s), only InnoDB's redo log%s, so the next start "
			 "runs InnoDB crash recovery all the same", c->fast_shutdown, c->fast_from,
			 pool, c->fast_shutdown == 3 ? ", and rolls back no open transaction" : "");
		break;
	default:
		snprintf(buf, size, "innodb_fast_shutdown=1%s: the shutdown writes every dirty page "
			 "of the buffer pool (%s) and checkpoints the redo log before \"Shutdown "
			 "complete\"", c->fast_shutdown == 1 ? "" : " (the default)", pool);
	}
	return buf;
}

void dbp_mariadb_stop_budget(const struct dbp_mariadb_evidence *ev, int grace,
			     struct dbp_stop_budget *b)
{
	const struct dbp_mariadblog *log;
	const struct dbp_mariadblog_shutdown *m = NULL;
	char fast[512], killed[256] = "", took[32], ended[32], which[64];
	size_t from;

	memset(b, 0, sizeof(*b));
	b->judged = 1;
	b->mariadb = 1;
	b->fast_shutdown = 1;
	if (!ev) {
		snprintf(b->basis, sizeof(b->basis), "no estimate: the server's evidence was not "
			 "read; dbpod assumed its shutdown fits the %d s grace period", grace);
		return;
	}
	log = &ev->log;
	if (ev->conf.fast_shutdown >= 0)
		b->fast_shutdown = ev->conf.fast_shutdown;
	mariadb_fast(ev, fast, sizeof(fast));
	if (log->unfinished)
		snprintf(killed, sizeof(killed), "; the log shows %zu shutdown%s cut short (no "
			 "\"Shutdown complete\" before the next start), the last still running %.0f s "
			 "after its \"Normal shutdown\"", log->unfinished,
			 log->unfinished == 1 ? "" : "s",
			 log->unfinished_last - log->unfinished_start);
	if (!ev->log_read) {
		if (snprintf(b->basis, sizeof(b->basis),
			 "no estimate: the server's error log %s%s%s, so no shutdown was timed; "
			 "with %s; dbpod assumed it fits the %d s grace period",
			 ev->log_err ? "could not be read" : "was not found",
			 ev->log_path[0] && ev->log_err ? " at " : ev->log_missing ? ": " : "",
			 ev->log_path[0] && ev->log_err ? ev->log_path :
			 ev->log_missing ? ev->log_missing : "", fast, grace) < 0)
			b->basis[0] = '\0';
		return;
	}
	if (!log->nshut) {
		if (snprintf(b->basis, sizeof(b->basis),
			 "no estimate: %s, so its length is not known; with %s; dbpod assumed it fits "
			 "the %d s grace period (the log read: %s)%s",
			 !log->entries ? "the file read as its error log holds no line of MariaDB's "
			 "error log" : "the error log times no shutdown (\"Normal shutdown\" to "
			 "\"Shutdown complete\") since it begins", fast, grace, ev->log_path,
			 killed) < 0)
			b->basis[0] = '\0';
		return;
	}
	from = log->nshut > DBP_MARIADB_RECENT ? log->nshut - DBP_MARIADB_RECENT : 0;
	for (size_t i = from; i < log->nshut; i++)
		if (!m || log->shut[i].end - log->shut[i].start > m->end - m->start)
			m = &log->shut[i];
	b->timed = log->nshut - from;
	b->have_estimate = 1;
	b->seconds = m->end - m->start;
	if (b->seconds < MARIADB_SUBSECOND)
		b->seconds = MARIADB_SUBSECOND;
	b->over = b->seconds > grace;
	if (m->end - m->start < MARIADB_SUBSECOND)
		snprintf(took, sizeof(took), "under a second");
	else	/* MariaDB's whole seconds; MySQL 8's fractions */
		snprintf(took, sizeof(took), m->end - m->start == (long long)(m->end - m->start) ?
			 "%.0f s" : "%.1f s", m->end - m->start);
	if (b->timed == 1)
		snprintf(which, sizeof(which), "the one shutdown");
	else
		snprintf(which, sizeof(which), "the longest of the last %zu shutdowns", b->timed);
	if (snprintf(b->basis, sizeof(b->basis),
		 "with %s; %s the server's error log timed (\"Normal shutdown\" to \"Shutdown "
		 "complete\", in whole seconds) took %s, the one that ended at %s (log line %zu): "
		 "a stop takes as long again while the load leaves as many pages dirty%s (%s, %s)",
		 fast, which, took,
		 dbp_time_format(m->end, ended, sizeof(ended)), m->line, killed, ev->log_path,
		 ev->log_where ? ev->log_where : "its error log") < 0)
		b->basis[0] = '\0';
}
