/*
 * postmortem rules (rules_postmortem.h): a crash line of the PostgreSQL
 * log judged against the mug shot of the process that held its PID.
 */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "classify.h"
#include "rules_postmortem.h"
#include "sigset.h"
#include "timestamp.h"

int dbp_postmortem_is_server(const struct dbp_proc *pm, const struct dbp_proc *p)
{
	struct dbp_class c;

	dbp_classify(p, &c);
	if (c.db != DBP_DB_POSTGRES)
		return 0;
	return !pm || !strcmp(pm->user, p->user);
}

const char *dbp_pglog_how_text(const struct dbp_pglog_event *ev, char *buf, size_t size)
{
	char sn[24];

	switch (ev->how) {
	case DBP_PGLOG_SIGNAL:
		snprintf(buf, size, "was terminated by signal %d (%s)", ev->code,
			 dbp_signal_name(ev->code, sn, sizeof(sn)));
		break;
	case DBP_PGLOG_EXIT:
		snprintf(buf, size, "exited with exit code %d", ev->code);
		break;
	case DBP_PGLOG_EXCEPTION:
		snprintf(buf, size, "was terminated by exception %s", ev->detail);
		break;
	}
	return buf;
}

static void crash_foreign(const struct dbp_pglog_event *ev, const struct dbp_table *t,
			  const struct dbp_proc *h, const struct dbp_proc *pm,
			  struct dbp_report *r)
{
	const struct dbp_proc *parent = dbp_table_find(t, h->ppid);
	struct dbp_class c;
	char how[96], why[256], pipe[160];
	int adopted_by_pid1 = pm && pm->pid == 1 && h->ppid == 1;
	int crash = ev->how != DBP_PGLOG_EXIT || (ev->code != 0 && ev->code != 1);
	enum dbp_disposition d = dbp_disposition(&h->sig, h->have & DBP_HAVE_STATUS, SIGPIPE);
	struct dbp_finding *x;

	dbp_classify(h, &c);
	snprintf(why, sizeof(why), "%s%s%s%s%s",
		 c.db != DBP_DB_POSTGRES ? "another executable" : "",
		 c.db != DBP_DB_POSTGRES && pm && strcmp(pm->user, h->user) ? ", " : "",
		 pm && strcmp(pm->user, h->user) ? "another user (the postmaster runs as " : "",
		 pm && strcmp(pm->user, h->user) ? pm->user : "",
		 pm && strcmp(pm->user, h->user) ? ")" : "");
	if (d == DBP_DISP_UNKNOWN)
		snprintf(pipe, sizeof(pipe), "Its signal masks were not recorded.");
	else
		snprintf(pipe, sizeof(pipe), "It %s SIGPIPE%s.",
			 d == DBP_DISP_IGNORED ? "ignored" : "did not ignore",
			 d == DBP_DISP_IGNORED ? "" : ", as every PostgreSQL process does: if the "
			 "reader of its output went away, it died of signal 13");
	x = dbp_report_add(r, "DBM701", crash ? DBP_CRITICAL : DBP_WARNING, h->pid,
		"PID %d, which the postmaster logged as a \"%s\" that %s (log line %zu), "
		"was not a PostgreSQL server process: it was %s, user %s, parent PID %d (%s)%s "
		"-- %s. %s The postmaster takes any child that dies of a signal for a "
		"crashed server process: it terminates every session and runs crash recovery.",
		(int)h->pid, ev->what, dbp_pglog_how_text(ev, how, sizeof(how)), ev->line,
		dbp_proc_name(h), h->user, (int)h->ppid, parent ? dbp_proc_name(parent) : "not recorded",
		adopted_by_pid1 ? ", the postmaster, which is PID 1 and so adopted it as an orphan" : "",
		why[0] ? why : "not one of its own", pipe);
	dbp_finding_advise(x, "run an init as PID 1 (`docker run --init`, tini, dumb-init, or "
		"`shareProcessNamespace: true`) so that orphans are adopted by it and not by "
		"the postmaster; run monitoring queries from outside the container instead of "
		"leaving %s behind in an exec session.", dbp_proc_name(h));
}

void dbp_rules_postmortem_crash(const struct dbp_pglog_event *ev, const struct dbp_table *t,
				const struct dbp_proc *h, struct dbp_report *r)
{
	const struct dbp_proc *pm;
	struct dbp_finding *x;
	char how[96];

	if (!h) {
		x = dbp_report_add(r, "DBM700", DBP_UNKNOWN, ev->pid,
			"No process with PID %d is in the recording %s (log line %zu: \"%s\"): "
			"the recording does not cover that time, or the process lived between "
			"two samples.", (int)ev->pid,
			ev->have_when ? "at or before that time" : "at all", ev->line, ev->text);
		dbp_finding_advise(x, "record with a shorter interval (`dbpod snapshot -i 0.5`) "
			"and keep the recorder running across the time of the incident.");
		return;
	}
	pm = dbp_postmaster_find(t, h ? h->ppid : 0, NULL);
	if (!dbp_postmortem_is_server(pm, h)) {
		crash_foreign(ev, t, h, pm, r);
		return;
	}
	if (ev->how == DBP_PGLOG_EXIT) {
		if (ev->code == 0)
			return;
		x = dbp_report_add(r, "DBM703", DBP_INFO, h->pid,
			"PID %d (%s), a PostgreSQL process, %s (log line %zu).", (int)h->pid,
			dbp_proc_name(h), dbp_pglog_how_text(ev, how, sizeof(how)), ev->line);
		dbp_finding_advise(x, "read the log lines before this one from PID %d for its "
			"error.", (int)h->pid);
		return;
	}
	x = dbp_report_add(r, "DBM702", DBP_WARNING, h->pid,
		"PID %d (%s, user %s), a PostgreSQL server process, %s (log line %zu): the "
		"postmaster terminated every session and ran crash recovery.", (int)h->pid,
		dbp_proc_name(h), h->user, dbp_pglog_how_text(ev, how, sizeof(how)), ev->line);
	dbp_finding_advise(x, "%s", ev->how == DBP_PGLOG_SIGNAL && ev->code == SIGKILL ?
		"signal 9 is most often the OOM killer: look for \"Killed process\" in the "
		"kernel log (dmesg) and at `dbpod oomscore`." :
		"look for a core dump and for the statement it ran (the log's \"Failed process "
		"was running\" line); report a reproducible crash to the PostgreSQL project.");
}

const struct dbp_rec_proc *dbp_postmortem_holder(const struct dbp_recording *rec,
						 const struct dbp_pglog_event *ev, double *seen)
{
	double slack = 2 * (rec->interval > 0 ? rec->interval : 1) + 2;
	const struct dbp_rec_proc *best = NULL;
	long s;

	for (size_t i = 0; i < rec->nprocs; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];

		if (rp->pid == ev->pid && rp->first <= ev->when && ev->when - rp->last <= slack &&
		    (!best || rp->first > best->first))
			best = rp;
	}
	if (best && seen) {
		s = dbp_recording_sample_at(rec, ev->when);
		*seen = ev->when < best->last && s >= 0 ? rec->samples[s] : best->last;
	}
	return best;
}

void dbp_rules_postmortem_missed(const struct dbp_pglog_event *ev, const struct dbp_rec_unseen *w,
				 struct dbp_report *r)
{
	struct dbp_finding *x;
	char a[16], b[16];

	x = dbp_report_add(r, "DBM700", DBP_UNKNOWN, ev->pid,
		"PID %d was allocated between %s and %s UTC and lived less than one interval: "
		"no sample saw it (log line %zu: \"%s\"); %ld other process%s %s missed in "
		"that window.", (int)ev->pid, dbp_time_clock(w->from, a, sizeof(a)),
		dbp_time_clock(w->to, b, sizeof(b)),
		ev->line, ev->text, w->unseen > 0 ? w->unseen - 1 : 0,
		w->unseen - 1 == 1 ? "" : "es", w->unseen - 1 == 1 ? "was" : "were");
	dbp_finding_advise(x, "run the recorder with --acct where the node allows it "
		"(CAP_SYS_PACCT: a privileged sidecar) to name every process that exits, "
		"however short-lived, with its parent, user and signal; or record with a "
		"shorter interval.");
}

/* The recorder itself in t: a dbpod snapshot whose output names f (its
 * -o FILE; f may be FILE.N of a rotation), else the only dbpod snapshot. */
static const struct dbp_proc *recorder_in(const struct dbp_table *t, const struct dbp_rec_file *f)
{
	const char *base = strrchr(f->path, '/');
	const struct dbp_proc *any = NULL;
	size_t n = 0;

	base = base ? base + 1 : f->path;
	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];
		int snapshot = 0;

		if (strcmp(p->comm, "dbpod") || !p->argv)
			continue;
		for (size_t k = 1; p->argv[k]; k++) {
			const char *a = strrchr(p->argv[k], '/');
			size_t len;

			a = a ? a + 1 : p->argv[k];
			if (!strncmp(a, "--output=", 9))
				a += 9;
			len = strlen(a);
			snapshot |= !strcmp(p->argv[k], "snapshot");
			if (snapshot && len && !strncmp(base, a, len) &&
			    (!base[len] || base[len] == '.'))
				return p;
		}
		if (snapshot) {
			any = p;
			n++;
		}
	}
	return n == 1 ? any : NULL;
}

/* Append to the text in buf (size bytes), cut where it is full. */
static void say(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* The recorder's own end in accounting: a dbpod (self's PID when the
 * last sample shows it) killed by a signal after f's last sample, within
 * a couple of intervals; NULL when accounting has none, or when it shows
 * PID 1 ending then too (the kernel kills the namespace with PID 1: the
 * recorder was not killed on its own). */
static const struct dbp_acct_rec *recorder_killed(const struct dbp_recording *rec,
						  const struct dbp_rec_file *f,
						  const struct dbp_proc *self)
{
	double iv = rec->interval > 0 ? rec->interval : 1;

	for (size_t i = 0; i < rec->nexits; i++)
		if (rec->exits[i].pid == 1 && rec->exits[i].end >= f->last_t - 1)
			return NULL;
	for (size_t i = rec->nexits; i-- > 0;) {
		const struct dbp_acct_rec *a = &rec->exits[i];

		if (!strcmp(a->comm, "dbpod") && a->signal && (!self || a->pid == self->pid) &&
		    a->end >= f->last_t - 1 && a->end <= f->last_t + 2 * iv + 2)
			return a;
	}
	return NULL;
}

/* What the last sample says about why the recorder stopped, into buf. */
static void cut_causes(const struct dbp_recording *rec, const struct dbp_rec_file *f,
		       char *buf, size_t size)
{
	struct dbp_table t;
	const struct dbp_proc *pid1, *self = NULL, *parent;
	const struct dbp_acct_rec *killed;
	struct dbp_class c;
	char sn[24], at[16];
	int reached;

	buf[0] = '\0';
#define SAY(...) say(buf, size, __VA_ARGS__)
	dbp_table_init(&t);
	/* only when the replay reached the last sample (a window may not);
	 * not for one container of a node recording, whose PID 1 is not the
	 * recorder's (the node's is) */
	reached = rec->nsamples && rec->samples[rec->nsamples - 1] >= f->last_t && !rec->renumbered &&
		  dbp_recording_table(rec, rec->samples[rec->nsamples - 1], &t) == 0;
	if (reached)
		self = recorder_in(&t, f);
	/* accounting saw the recorder itself killed: that is why the
	 * recording stops, and it says nothing of the database */
	killed = recorder_killed(rec, f, self);
	if (killed)
		SAY(" Process accounting shows the recorder (dbpod, PID %d) killed by signal %d "
		    "(%s)%s at %s UTC: the recording stopped because the recorder was killed; "
		    "what became of the database after that, the recording cannot tell.",
		    (int)killed->pid, killed->signal, dbp_signal_name(killed->signal, sn, sizeof(sn)),
		    killed->core ? ", core dumped" : "", dbp_time_clock(killed->end, at, sizeof(at)));
	if (reached) {
		parent = self ? dbp_table_find(&t, self->ppid) : NULL;
		if (parent && (dbp_classify(parent, &c), c.kind == DBP_KIND_DATABASE))
			SAY(" The recorder (PID %d) was the child of PID %d (%s), a %s server "
			    "(adopted, most likely, from a shell that started it in the "
			    "background): killed there, it was a crashed child to the server "
			    "too (see the server's log).",
			    (int)self->pid, (int)parent->pid, dbp_proc_name(parent), dbp_db_name(c.db));
		pid1 = killed ? NULL : dbp_table_find(&t, 1);
		if (pid1 && (dbp_classify(pid1, &c), c.kind == DBP_KIND_DATABASE))
			SAY(" PID 1 of the recorded PID namespace was %s, a %s server: when PID 1 "
			    "exits, the kernel kills every process of its namespace, the recorder "
			    "too, so the database most likely stopped or died then.",
			    dbp_proc_name(pid1), dbp_db_name(c.db));
	}
	dbp_table_free(&t);
	if (f->torn_tail)
		SAY(" Its last line is torn: the recorder was killed while writing, or the "
		    "disk filled.");
	for (size_t i = 0; i < rec->nnotes; i++)
		if (strstr(rec->notes[i], f->path) && strstr(rec->notes[i], "recorder's note") &&
		    (strstr(rec->notes[i], "No space left") || strstr(rec->notes[i], "quota"))) {
			SAY(" The recorder noted a full disk.");
			break;
		}
	if (!buf[0])
		SAY(" The recorder was killed (SIGKILL, the OOM killer), crashed, or the "
		    "machine stopped.");
#undef SAY
}

/* A recording whose last file has no "end" line was cut off -- or is
 * still being written, when its last sample is recent. */
static void rule_cut_off(const struct dbp_recording *rec, double now, struct dbp_report *r)
{
	const struct dbp_rec_file *f = dbp_recording_last_file(rec);
	struct dbp_finding *x;
	char when[32], why[1024], who[48] = "";

	if (!f || f->ended || !f->last_t)
		return;
	dbp_time_format(f->last_t, when, sizeof(when));
	/* recent, and a writer seen or no way to look: not over yet */
	if (dbp_rec_file_recent(rec, f, now) && f->writing >= 0) {
		if (f->writing > 0)
			snprintf(who, sizeof(who), " (PID %d has it open for writing)", (int)f->writer);
		x = dbp_report_add(r, "DBM707", DBP_INFO, 0,
			"The recording has no end line and its last sample (%s UTC) is %.0f s "
			"old: the recorder is %sstill writing %s%s.", when,
			now > f->last_t ? now - f->last_t : 0.0,
			f->writing > 0 ? "" : "most likely ", f->path, who);
		dbp_finding_advise(x, "read it again later for what came after; stop the "
			"recorder with SIGTERM or SIGINT to end it with its end line.");
		return;
	}
	cut_causes(rec, f, why, sizeof(why));
	x = dbp_report_add(r, "DBM707", DBP_WARNING, 0,
		"The recording was cut off: %s ends after the sample of %s UTC without the "
		"end line a recorder stopped with SIGTERM or SIGINT writes, so what happened "
		"after that is not in it.%s", f->path, when, why);
	if (f->all_containers)
		dbp_finding_advise(x, "give the node recorder memory and disk (--max-size, "
			"--keep), as deploy/dbpod-node.yaml does, and read its log for why "
			"it stopped.");
	else
		dbp_finding_advise(x, "record from where the recorder outlives the database: a "
			"sidecar under an init that shares its PID namespace (Kubernetes "
			"shareProcessNamespace: true), or the node recorder (snapshot "
			"--all-containers), not inside a container whose PID 1 is the "
			"database (WHERE THE RECORDER RUNS in dbpod-snapshot(1)); give it "
			"memory and disk (--max-size, --keep).");
}

/* A node recording: the containers whose PID 1 ended while it recorded
 * -- the kernel then ends the rest of the namespace -- as far as the
 * replay reached. That a container stopped or died is worth a look; why,
 * the recording cannot tell. */
static void rule_ended(const struct dbp_recording *rec, struct dbp_report *r)
{
	for (size_t k = 0; rec->all_containers && k < rec->npidns; k++) {
		const struct dbp_rec_pidns *n = &rec->pidns[k];
		const struct dbp_rec_proc *p1 = NULL;
		const struct dbp_proc *p;
		struct dbp_finding *x;
		char who[320], sel[32], when[32], ns[32] = "";

		for (size_t i = 0; n->pid1 && i < rec->nprocs && !p1; i++)
			if (rec->procs[i].rec_pid == n->pid1 && rec->procs[i].start == n->pid1_start)
				p1 = &rec->procs[i];
		if (!p1 || !p1->gone)
			continue;
		p = dbp_rec_proc_at(p1, p1->last);
		if (n->id[0])
			snprintf(sel, sizeof(sel), "%.12s", n->id);
		else
			snprintf(sel, sizeof(sel), "%llu", n->ino);
		if (n->name[0])
			snprintf(who, sizeof(who), "Container %s (%s)", n->name, sel);
		else if (n->id[0])
			snprintf(who, sizeof(who), "Container %s", sel);
		else
			snprintf(who, sizeof(who), "PID namespace %llu", n->ino);
		dbp_time_format(p1->last, when, sizeof(when));
		if (n->id[0] || n->name[0])
			snprintf(ns, sizeof(ns), " (%llu)", n->ino);
		x = dbp_report_add(r, "DBM708", DBP_INFO, p1->pid,
			"%s ended: its PID 1, %s (PID %d on the node), was last seen at %s UTC; "
			"when PID 1 exits, the kernel ends every other process of its PID "
			"namespace%s.", who, dbp_proc_name(p), (int)n->pid1, when, ns);
		dbp_finding_advise(x, "dbpod postmortem --container %s --at '%s' shows its last "
			"second in its own PIDs; the runtime's and the database's logs say why "
			"it ended.", sel, when);
	}
}

void dbp_rules_postmortem_recording(const struct dbp_recording *rec, double now,
				    struct dbp_report *r)
{
	struct dbp_rec_gap g[1];
	size_t n = dbp_recording_gaps(rec, g, 1);
	struct dbp_finding *x;

	if (n) {
		char a[32], b[32];

		x = dbp_report_add(r, "DBM704", DBP_WARNING, 0,
			"The recording has %zu gap%s longer than two intervals (the first from "
			"%s to %s UTC): processes that lived only then are not in it.",
			n, n == 1 ? "" : "s", dbp_time_format(g[0].from, a, sizeof(a)),
			dbp_time_clock(g[0].to, b, sizeof(b)));
		dbp_finding_advise(x, "keep the recorder running beside the database (a "
			"sidecar or a service that restarts it) and give it CPU: a sample that "
			"takes longer than the interval leaves a gap.");
	}
	if (rec->garbage || rec->refused) {
		x = dbp_report_add(r, "DBM705", DBP_WARNING, 0,
			"%zu line%s of the recording %s not valid and %zu file%s %s skipped: "
			"the rest was used.", rec->garbage, rec->garbage == 1 ? "" : "s",
			rec->garbage == 1 ? "was" : "were", rec->refused,
			rec->refused == 1 ? "" : "s", rec->refused == 1 ? "was" : "were");
		dbp_finding_advise(x, "see the notes on standard error for which lines and "
			"why; a file from a newer dbpod needs a newer dbpod postmortem.");
	}
	if (rec->missing_files) {
		x = dbp_report_add(r, "DBM706", DBP_WARNING, 0,
			"%zu file%s of the rotated recording %s missing (see the notes for "
			"which): processes that lived only then are not in it.",
			rec->missing_files, rec->missing_files == 1 ? "" : "s",
			rec->missing_files == 1 ? "is" : "are");
		dbp_finding_advise(x, "give every rotated file (FILE FILE.1 FILE.2 ...); "
			"raise --keep if the recorder rotated it away.");
	}
	if (!rec->garbage && !rec->refused && rec->torn) {
		x = dbp_report_add(r, "DBM705", DBP_INFO, 0,
			"The last line of %zu file%s was torn (the recorder was killed or the "
			"machine lost power while writing) and skipped.", rec->torn,
			rec->torn == 1 ? "" : "s");
		dbp_finding_advise(x, "nothing to do; stop the recorder with SIGTERM or "
			"SIGINT to end a file cleanly.");
	}
	rule_cut_off(rec, now, r);
	rule_ended(rec, r);
}

const char *dbp_crash_culprit_text(const struct dbp_recording *rec, const struct dbp_crash *c,
				   char *buf, size_t size)
{
	char u[64];

	if (c->culprit) {
		const struct dbp_proc *p = &c->culprit->v[c->culprit->nv - 1].p;

		snprintf(buf, size, "PID %d %s, user %s, parent %d", (int)c->culprit->pid,
			 dbp_proc_name(p), p->have & DBP_HAVE_STATUS ? p->user : "unknown", (int)p->ppid);
	} else if (c->acct) {
		snprintf(buf, size, "PID %d %s, user %s, parent %d", (int)c->acct->pid, c->acct->comm,
			 dbp_recording_user(rec, c->acct->uid, u, sizeof(u)), (int)c->acct->ppid);
	} else if (c->have_log) {
		snprintf(buf, size, "PID %d (a \"%s\" to the server log; no sample saw it)",
			 (int)c->log.pid, c->log.what);
	} else {
		snprintf(buf, size, "unknown");
	}
	return buf;
}

const char *dbp_crash_likely_text(const struct dbp_recording *rec, const struct dbp_crash *c,
				  char *buf, size_t size)
{
	const struct dbp_acct_rec *a = c->culprit ? dbp_rec_proc_exit(rec, c->culprit) : NULL;
	if (a && !a->signal)
		snprintf(buf, size, "process accounting shows it exited with code %d", a->exit_code);
	else if (rec->have_acct)
		/* the recording has accounting, only not where this view read:
		 * the exit lies outside its window */
		snprintf(buf, size, "it ended outside the window read, where accounting records "
			 "how");
	else
		snprintf(buf, size, "how it ended was not recorded: --acct records it");
	return buf;
}

void dbp_rules_postmortem_crash_restart(const struct dbp_recording *rec, const struct dbp_crash *c,
					struct dbp_report *r)
{
	const struct dbp_proc *pm = &c->pm->v[0].p;
	char who[256], a[16], b[16], at[16], sn[24], how[192];
	int foreign = 0;
	struct dbp_finding *x;
	pid_t pid = c->pm->pid;
	int named = c->culprit || c->acct || c->have_log;

	dbp_crash_culprit_text(rec, c, who, sizeof(who));
	if (c->culprit) {
		struct dbp_class k;
		const struct dbp_proc *p = &c->culprit->v[c->culprit->nv - 1].p;

		dbp_classify(p, &k);
		foreign = k.db != DBP_DB_POSTGRES || ((p->have & pm->have & DBP_HAVE_STATUS) &&
						     p->uid != pm->uid);
		pid = c->culprit->pid;
	} else if (c->acct) {
		foreign = strcmp(c->acct->comm, "postgres") != 0;
		pid = c->acct->pid;
	} else if (c->have_log) {
		pid = c->log.pid;
	}
	if (c->have_log) {
		char lhow[96];

		snprintf(how, sizeof(how), "%s at %s UTC (server log line %zu).",
			 dbp_pglog_how_text(&c->log, lhow, sizeof(lhow)), dbp_time_clock(c->when, at, sizeof(at)),
			 c->log.line);
	} else if (c->acct)
		snprintf(how, sizeof(how), "was killed by signal %d (%s)%s at %s UTC%s (process "
			 "accounting).", c->acct->signal, dbp_signal_name(c->acct->signal, sn, sizeof(sn)),
			 c->acct->core ? ", core dumped" : "", dbp_time_clock(c->when, at, sizeof(at)),
			 c->lo < c->hi ? " or so" : "");
	else if (c->likely) {
		char why[128];

		snprintf(how, sizeof(how), "ended in that interval: the likely culprit (%s).",
			 dbp_crash_likely_text(rec, c, why, sizeof(why)));
	}
	x = dbp_report_add(r, "DBM709", DBP_CRITICAL, pid,
		"PostgreSQL crash-restarted between %s and %s UTC: every child of the postmaster "
		"(PID %d; %zu children) ended between two samples and new ones started. %s%s%s%s%s",
		dbp_time_clock(c->before, a, sizeof(a)), dbp_time_clock(c->after, b, sizeof(b)),
		(int)c->pm->pid, c->children,
		named ? who : "No child is known to have died of a signal: the log names it",
		c->culprit || c->acct ? (foreign ? ", not a PostgreSQL server process" : ", a server process") : "",
		named ? (foreign && pm->pid == 1 ? " (adopted by the postmaster, which is PID 1)" : "") : "",
		named ? ", " : "", named ? how : "");
	if (foreign)
		dbp_finding_advise(x, "the postmaster takes any child that dies of a signal for a "
			"crashed server process: run an init as PID 1 (`docker run --init`, tini, "
			"`shareProcessNamespace: true`) so that orphans are not adopted by the "
			"postmaster, and run clients from outside the container.");
	else if ((c->have_log && c->log.how == DBP_PGLOG_SIGNAL && c->log.code == SIGKILL) ||
		 (!c->have_log && c->acct && c->acct->signal == SIGKILL))
		dbp_finding_advise(x, "signal 9 is most often the OOM killer: look for \"Killed "
			"process\" in the kernel log and at `dbpod oomscore`.");
	else if (c->have_log)
		dbp_finding_advise(x, "look for a core dump and for the statement it ran (the "
			"log's \"Failed process was running\" line); report a reproducible crash to "
			"the PostgreSQL project.");
	else
		dbp_finding_advise(x, "read the server log around then (`dbpod postmortem FILE --log "
			"LOG`) for the line that names the child; record with --acct to name how "
			"every child ended.");
}
