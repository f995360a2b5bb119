/* A PostgreSQL stop's time budget (rules_budget.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rules_budget.h"

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
