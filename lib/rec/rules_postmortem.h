/*
 * postmortem rules: what a recording says about a PostgreSQL log's crash
 * lines (which process the postmaster saw die of a signal before it
 * restarted every session), and how far the recording itself can be
 * trusted.
 *
 * Finding ids (documented in dbpod-postmortem(1); never reuse one):
 *   DBM700 unknown        no process held the PID of a crash line at that time in the recording
 *   DBM701 critical/warn  the child that died was not a PostgreSQL server process
 *                         (another executable or user; adopted by a postmaster that was PID 1)
 *   DBM702 warning        a PostgreSQL server process died of a signal or an exception
 *   DBM703 info           a PostgreSQL child exited with a non-zero exit code
 *   DBM704 warning        gaps in the recording longer than two intervals
 *   DBM705 warning/info   lines or files of the recording were skipped
 *   DBM706 warning        a file of a rotated recording is missing (named in the notes)
 *   DBM707 warning/info   the recording ends without its end line: cut off (when, and the
 *                         likely cause), or still being written
 *   DBM708 info           a node recording: a container's PID 1 ended, and its namespace
 *                         with it
 *   DBM709 critical       the recording itself shows a crash-restart: every child of the
 *                         postmaster replaced between two samples (with the culprit)
 *
 * The live rules (DBP1xx, DBS2xx) run on a recorded table as they are:
 * `postmortem --at TIME --check`.
 */
#ifndef DBPOD_RULES_POSTMORTEM_H
#define DBPOD_RULES_POSTMORTEM_H

#include "pglog.h"
#include "proctable.h"
#include "recording.h"
#include "report.h"
#include "timeline.h"

/* Is p a PostgreSQL server process of postmaster pm (same executable
 * family, same user)? */
int dbp_postmortem_is_server(const struct dbp_proc *pm, const struct dbp_proc *p);

/* The holder of ev->pid that a crash line with a time means: the last to
 * hold it at or before then and gone at most two intervals (and 2 s of
 * clock skew) before the line; NULL when none. *seen is the sample of its
 * mug shot: the one at or before the line, or its last. */
const struct dbp_rec_proc *dbp_postmortem_holder(const struct dbp_recording *rec,
						 const struct dbp_pglog_event *ev, double *seen);

/* A crash line whose PID no sample held, with the window in which the
 * PID was handed out (DBM700, saying how many others were missed). */
void dbp_rules_postmortem_missed(const struct dbp_pglog_event *ev, const struct dbp_rec_unseen *w,
				 struct dbp_report *r);

/* One crash line: holder is the process that held ev->pid in table t (the
 * last sample at or before the line's time) or NULL when none did. */
void dbp_rules_postmortem_crash(const struct dbp_pglog_event *ev, const struct dbp_table *t,
				const struct dbp_proc *holder, struct dbp_report *r);

/* The recording: gaps, skipped lines, and how it ends (DBM707: no end
 * line; still being written when its last sample is at most two
 * intervals and 5 s older than now, seconds since the epoch); in a node
 * recording, the containers whose PID 1 ended (DBM708). */
void dbp_rules_postmortem_recording(const struct dbp_recording *rec, double now,
				    struct dbp_report *r);

/* A crash-restart that the recording shows (dbp_recording_crashes), with
 * its culprit where known: DBM709, critical, whatever view is asked. */
void dbp_rules_postmortem_crash_restart(const struct dbp_recording *rec, const struct dbp_crash *c,
					struct dbp_report *r);

/* How the log says a child ended, "was terminated by signal 9 (SIGKILL)",
 * into buf */
const char *dbp_pglog_how_text(const struct dbp_pglog_event *ev, char *buf, size_t size);

/* Why a likely culprit is only likely, into buf: "how it ended was not
 * recorded: --acct records it", or, in a recording with accounting, that
 * its end lies outside the window read, or the exit code accounting
 * shows */
const char *dbp_crash_likely_text(const struct dbp_recording *rec, const struct dbp_crash *c,
				  char *buf, size_t size);

/* "PID 12 psql, user root, parent 1" of a crash's culprit into buf */
const char *dbp_crash_culprit_text(const struct dbp_recording *rec, const struct dbp_crash *c,
				   char *buf, size_t size);

#endif
