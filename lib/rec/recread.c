/*
 * The recording reader (recread.h): JSON Lines of `dbpod snapshot -o`
 * replayed into a timeline of process lifetimes (recording.h). Files are
 * streamed through recstream (plain or gzip-compressed), ordered and
 * replayed sample by sample: a key replaces the set of live processes, a
 * delta adds, removes and changes some.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>
#include "escape.h"
#include "recread.h"
#include "recording.h"
#include "safeopen.h"
#include "recgz.h"
#include "recstream.h"
#include "sigset.h"
#include "timestamp.h"

#define MAX_NOTES 50

struct rfile {
	struct dbp_rec_file f;
	int torn;		/* the last line had no '\n' */
	int empty;
	int error;		/* a negative errno when it could not be read */
	int cut;		/* a compressed stream ended early: the text before it is used */
	int bad;		/* the first line is not a header of a known format (noted) */
	const char *text;	/* dbp_recording_read_text: the lines, in memory */
};

/* An element of a sample's lists as its check left it: parsed, or (o
 * NULL) a process of a PID not followed, whose text is parsed only if
 * its PID is followed by the time it is replayed (plain_element). */
struct kept {
	struct json_object *o;
	const char *text;
	pid_t pid;
};

/* The replay state: identities by (pid, start) in an open-addressing hash,
 * and the list of those live in the last sample. */
struct replay {
	struct dbp_recording *rec;
	size_t *hash;		/* index + 1 into rec->procs; 0 empty */
	size_t hcap;
	size_t *live;		/* the processes alive at the last sample */
	size_t nlive, caplive;
	size_t *livepos;	/* [proc]: its place in live + 1, 0 when not alive */
	unsigned *mark;		/* generation of the last key that listed it */
	unsigned gen;
	double last_t;
	int have_t;
	int file;
	int nomem;
	size_t garbage_run;	/* garbage lines in a row */
	struct json_tokener *tok;	/* a sample's elements are parsed with it */
	struct kept *kept;	/* and kept from its check (replay_text) */
	size_t nkept, capkept;
	int before_done;
	/* a node recording: the namespace each inode is now (its last
	 * namespace line), as an index into rec->pidns */
	struct curns {
		unsigned long long ino;
		long idx;
	} *curns;
	size_t ncurns, capcurns;
};

static void note(struct dbp_recording *rec, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct dbp_recording *rec, const char *fmt, ...)
{
	va_list ap;
	char *s, **nn;

	if (rec->nnotes > MAX_NOTES)
		return;
	if (rec->nnotes == MAX_NOTES) {
		s = strdup("more notes left out");
	} else {
		va_start(ap, fmt);
		if (vasprintf(&s, fmt, ap) < 0)
			s = NULL;
		va_end(ap);
	}
	if (!s)
		return;
	/* a replay (postmortem --pid replays more than once) meets what an
	 * earlier one noted: say it once */
	for (size_t i = 0; i < rec->nnotes; i++)
		if (!strcmp(rec->notes[i], s)) {
			free(s);
			return;
		}
	nn = realloc(rec->notes, (rec->nnotes + 1) * sizeof(*nn));
	if (!nn) {
		free(s);
		return;
	}
	rec->notes = nn;
	rec->notes[rec->nnotes++] = s;
}

/* ---- JSON helpers ---- */

/* A number within [lo, hi] into *out. Returns 0, or -ENOENT when key is
 * absent, -EINVAL when it is not a number, -ERANGE when it is NaN or out
 * of range: converting *out to an integer type is then never undefined
 * (found by fuzz/fuzz_recording). */
static int jnum(struct json_object *o, const char *key, double lo, double hi, double *out)
{
	struct json_object *v;
	double d;

	if (!json_object_object_get_ex(o, key, &v))
		return -ENOENT;
	if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
		return -EINVAL;
	d = json_object_get_double(v);
	if (!(d >= lo && d <= hi))
		return -ERANGE;
	*out = d;
	return 0;
}

#define EPOCH_MAX 1e13		/* seconds: far beyond any real clock */
#define TICKS_MAX 9e18		/* below ULLONG_MAX and LLONG_MAX */

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *jget(struct json_object *o, const char *key, enum json_type type)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

/* The format version, strictly: a JSON integer, 1 to this dbpod's. A
 * string, a fraction, null or an absent key is not a version (earlier
 * readers took them all as 1). Every version up to this dbpod's is read:
 * 2 adds to 1 what a node recording needs. */
static void parse_version(struct rfile *rf, struct json_object *o)
{
	struct json_object *v;

	rf->f.version_seen = 0;
	if (!json_object_object_get_ex(o, "dbpod_recording", &v) ||
	    !json_object_is_type(v, json_type_int)) {
		rf->f.version = -1;
		return;
	}
	errno = 0;
	rf->f.version_seen = json_object_get_int64(v);
	rf->f.version = rf->f.version_seen >= 1 && rf->f.version_seen <= DBP_RECORDING_VERSION ?
			(int)rf->f.version_seen : -1;
}

static int parse_header(struct rfile *rf, struct json_object *o)
{
	struct json_object *v;
	double d;
	const char *s;

	parse_version(rf, o);
	if ((s = jstr(o, "hostname")))
		snprintf(rf->f.hostname, sizeof(rf->f.hostname), "%s", s);
	if (jnum(o, "boot_time", 0, EPOCH_MAX, &d) == 0)
		rf->f.boot_time = (long long)d;
	rf->f.hz = jnum(o, "clock_ticks", 1, 1e6, &d) == 0 && d > 0 ? (long)d : 100;
	if (jnum(o, "pid_ns", 0, TICKS_MAX, &d) == 0)
		rf->f.pid_ns = (unsigned long long)d;
	rf->f.interval = jnum(o, "interval", 0, 86400, &d) == 0 && d > 0 ? d : 1.0;
	if (jnum(o, "started", 0, EPOCH_MAX, &d) == 0)
		rf->f.started = d;
	if (jnum(o, "file_index", 0, INT_MAX, &d) == 0)
		rf->f.file_index = (long)d;
	rf->f.keyframe = jnum(o, "keyframe", 0, 86400 * 7, &d) == 0 ? d : 300;
	rf->f.pid_max = jnum(o, "pid_max", 0, 1 << 22, &d) == 0 ? (long)d : 0;
	rf->f.redacted = (v = jget(o, "redacted", json_type_boolean)) ?
			 json_object_get_boolean(v) : -1;
	rf->f.acct = (v = jget(o, "acct", json_type_boolean)) && json_object_get_boolean(v);
	rf->f.all_containers = (v = jget(o, "all_containers", json_type_boolean)) &&
			       json_object_get_boolean(v);
	/* within a day of the whole second: a wild value is not taken */
	if (jnum(o, "boot_clock", 0, EPOCH_MAX, &d) == 0 && rf->f.boot_time &&
	    d > (double)rf->f.boot_time - 86400 && d < (double)rf->f.boot_time + 86400)
		rf->f.boot_clock = d;
	if ((s = jstr(o, "server_log")) && s[0] == '/')
		snprintf(rf->f.server_log, sizeof(rf->f.server_log), "%s", s);
	if ((s = jstr(o, "boot_id")) && dbp_boot_id_valid(s))
		snprintf(rf->f.boot_id, sizeof(rf->f.boot_id), "%s", s);
	return 0;
}

/* ---- replay ---- */

static size_t hslot(const struct replay *r, pid_t pid, unsigned long long start)
{
	unsigned long long h = ((unsigned long long)pid * 0x9e3779b97f4a7c15ULL) ^ (start * 0xff51afd7ed558ccdULL);

	return (size_t)(h ^ (h >> 29)) & (r->hcap - 1);
}

static long find_ident(const struct replay *r, pid_t pid, unsigned long long start)
{
	if (!r->hcap)
		return -1;
	for (size_t s = hslot(r, pid, start);; s = (s + 1) & (r->hcap - 1)) {
		size_t i = r->hash[s];

		if (!i)
			return -1;
		if (r->rec->procs[i - 1].rec_pid == pid && r->rec->procs[i - 1].start == start)
			return (long)(i - 1);
	}
}

static int rehash(struct replay *r)
{
	size_t cap = r->hcap ? r->hcap * 2 : 1024;
	size_t *h = calloc(cap, sizeof(*h));
	unsigned *m = realloc(r->mark, cap / 2 * sizeof(*m));
	size_t *lp = m ? realloc(r->livepos, cap / 2 * sizeof(*lp)) : NULL;

	if (m)
		r->mark = m;
	if (lp)
		r->livepos = lp;
	if (!h || !m || !lp) {
		free(h);
		return -ENOMEM;
	}
	memset(m + r->hcap / 2, 0, (cap / 2 - r->hcap / 2) * sizeof(*m));
	memset(lp + r->hcap / 2, 0, (cap / 2 - r->hcap / 2) * sizeof(*lp));
	free(r->hash);
	r->hash = h;
	r->hcap = cap;
	for (size_t i = 0; i < r->rec->nprocs; i++) {
		size_t s = hslot(r, r->rec->procs[i].rec_pid, r->rec->procs[i].start);

		while (r->hash[s])
			s = (s + 1) & (cap - 1);
		r->hash[s] = i + 1;
	}
	return 0;
}

static int live_add(struct replay *r, size_t idx)
{
	if (r->nlive == r->caplive) {
		size_t cap = r->caplive ? r->caplive * 2 : 256;
		size_t *nl = realloc(r->live, cap * sizeof(*nl));

		if (!nl)
			return -ENOMEM;
		r->live = nl;
		r->caplive = cap;
	}
	r->live[r->nlive++] = idx;
	r->livepos[idx] = r->nlive;
	/* seen again after a sample that lacked it: the recorder missed it
	 * that once (out of descriptors, sampler.c), and it did not end
	 * there -- gone is what the last sample says, not any before */
	r->rec->procs[idx].gone = 0;
	return 0;
}

/* A process's last sample is the last one it was alive at: noted when it
 * leaves, and for the ones still alive when the replay ends, rather than
 * for every alive process at every sample (a key of 400,000 processes
 * followed by a day of deltas). */
static void live_last(struct replay *r, size_t idx)
{
	if (r->have_t && r->last_t > r->rec->procs[idx].last)
		r->rec->procs[idx].last = r->last_t;
}

/* no longer alive: its place in live goes to the last one */
static void live_remove(struct replay *r, size_t idx)
{
	size_t i = r->livepos[idx];

	if (!i--)
		return;
	live_last(r, idx);
	r->live[i] = r->live[--r->nlive];
	r->livepos[r->live[i]] = i + 1;
	r->livepos[idx] = 0;
}

static int is_live(const struct replay *r, size_t idx)
{
	return r->livepos[idx] != 0;
}

static int argv_equal(char **a, char **b)
{
	if (!a || !b)
		return !a == !b;
	for (; *a && *b; a++, b++)
		if (strcmp(*a, *b))
			return 0;
	return !*a && !*b;
}

static int same_fields(const struct dbp_proc *a, const struct dbp_proc *b)
{
	return a->ppid == b->ppid && a->pgrp == b->pgrp && a->sid == b->sid &&
	       a->state == b->state && !strcmp(a->comm, b->comm) &&
	       argv_equal(a->argv, b->argv) && a->uid == b->uid && !strcmp(a->user, b->user) &&
	       !memcmp(&a->sig, &b->sig, sizeof(a->sig)) && a->oom_adj == b->oom_adj &&
	       a->have == b->have;
}

/* Apply the fields present in o (a PROC or a "changed" entry) to p.
 * renumber: a node recording read for one container, whose processes
 * take their numbers there (nsppid, nspgid, nssid) and not the node's. */
static int apply_fields(struct dbp_proc *p, struct json_object *o, int renumber)
{
	struct json_object *v, *sig;
	const char *s;
	double d;

	if (jnum(o, renumber ? "nsppid" : "ppid", 0, INT_MAX, &d) == 0)
		p->ppid = (pid_t)d;
	/* 0.2 and later: recordings of 0.1 leave both 0 (not known) */
	if (jnum(o, renumber ? "nspgid" : "pgid", 0, INT_MAX, &d) == 0)
		p->pgrp = (pid_t)d;
	if (jnum(o, renumber ? "nssid" : "sid", 0, INT_MAX, &d) == 0)
		p->sid = (pid_t)d;
	/* a node recording: the namespace, and the numbers there */
	if (jnum(o, "ns", 1, TICKS_MAX, &d) == 0)
		p->ns.ino = (unsigned long long)d;
	if (jnum(o, "nspid", 1, INT_MAX, &d) == 0)
		p->ns.pid = (pid_t)d;
	if (jnum(o, "nspgid", 0, INT_MAX, &d) == 0)
		p->ns.pgrp = (pid_t)d;
	if (jnum(o, "nssid", 0, INT_MAX, &d) == 0)
		p->ns.sid = (pid_t)d;
	if ((s = jstr(o, "state")) && *s)
		p->state = *s;
	if ((s = jstr(o, "comm")))
		snprintf(p->comm, sizeof(p->comm), "%s", s);
	p->cls.valid = 0;
	if (jnum(o, "uid", 0, UINT32_MAX, &d) == 0)
		p->uid = (uid_t)d;
	if ((s = jstr(o, "user")))
		snprintf(p->user, sizeof(p->user), "%s", s);
	else if (jnum(o, "uid", 0, UINT32_MAX, &d) == 0)
		snprintf(p->user, sizeof(p->user), "%u", (unsigned)p->uid);
	if (jnum(o, "oom_adj", -1000, 1000, &d) == 0) {
		p->oom_adj = (int)d;
		p->have |= DBP_HAVE_OOM;
	}
	if ((sig = jget(o, "sig", json_type_object))) {
		struct dbp_sigmasks m;
		const char *k[] = { "pnd", "shd", "blk", "ign", "cgt" };
		uint64_t *dst[] = { &m.pending, &m.shpending, &m.blocked, &m.ignored, &m.caught };
		int ok = 1;

		memset(&m, 0, sizeof(m));
		for (size_t i = 0; i < 5; i++) {
			s = jstr(sig, k[i]);
			/* SigPnd/ShdPnd may be missing; the dispositions may not */
			if (!s)
				ok &= i < 2;
			else if (dbp_sigmask_parse(s, dst[i]) < 0)
				ok = 0;
		}
		if (ok) {
			p->sig = m;
			p->have |= DBP_HAVE_STATUS;
		}
	}
	if ((v = jget(o, "args", json_type_array))) {
		size_t n = json_object_array_length(v);
		const char **argv = calloc(n + 1, sizeof(char *));

		if (!argv)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			argv[i] = json_object_get_string(json_object_array_get_idx(v, i));
			if (!argv[i])
				argv[i] = "";
		}
		if (dbp_proc_set_argv(p, argv) < 0) {
			free(argv);
			return -ENOMEM;
		}
		free(argv);
		p->have |= DBP_HAVE_CMDLINE;
	}
	/* no flags in the recording: kernel threads are the children of
	 * kthreadd, which no container has */
	p->kthread = !renumber && (!p->argv && p->state != 'Z' && (p->pid == 2 || p->ppid == 2)) &&
		     p->pid != 1;
	return 0;
}

static int pid_wanted(const struct dbp_recording *rec, pid_t pid);
static int want_parent(struct dbp_recording *rec, pid_t ppid);

static int add_version(struct dbp_rec_proc *rp, double t, const struct dbp_proc *p)
{
	/* doubled, not grown by one: a process that changes at every
	 * sample of a week's recording has thousands of versions, and a
	 * realloc that cannot grow in place copies them all each time;
	 * room for one at first, since most processes never change (not
	 * dbp_grow, whose first room is 8: 200,000 processes' versions
	 * would take eight times the memory) */
	if (rp->nv == rp->capv) {
		size_t cap = rp->capv ? rp->capv * 2 : 1;
		struct dbp_rec_version *nv = realloc(rp->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		rp->v = nv;
		rp->capv = cap;
	}
	rp->v[rp->nv].t = t;
	if (dbp_proc_copy(&rp->v[rp->nv].p, p) < 0)
		return -ENOMEM;
	rp->nv++;
	return 0;
}

/* A PROC's identity: its "pid" and "start". Returns 0, or jnum's
 * negative errno for the first that is missing or bad. */
static int ident_of(struct json_object *o, pid_t *pid, unsigned long long *start)
{
	double p, s;
	int rc;

	if ((rc = jnum(o, "pid", 0, INT_MAX, &p)) < 0 ||
	    (rc = jnum(o, "start", 0, TICKS_MAX, &s)) < 0)
		return rc;
	*pid = (pid_t)p;
	*start = (unsigned long long)s;
	return 0;
}

/* The namespace inode ino is now (its last namespace line): an index
 * into rec->pidns, or -1. */
static long cur_pidns(const struct replay *r, unsigned long long ino)
{
	for (size_t i = 0; i < r->ncurns; i++)
		if (r->curns[i].ino == ino)
			return r->curns[i].idx;
	return -1;
}

/* Is the namespace ino now one the query asks for? */
static int pidns_selected(const struct replay *r, unsigned long long ino)
{
	const struct dbp_rec_query *q = &r->rec->query;
	long idx = cur_pidns(r, ino);

	for (size_t i = 0; idx >= 0 && i < q->npidns; i++)
		if (q->pidns[i] == (size_t)idx)
			return 1;
	return 0;
}

/* A PROC seen in a sample at t: a new identity, or new fields for a known
 * one. Returns its index; -EINVAL for a malformed PROC (noted), -ENOMEM
 * (r->nomem set), or -ENOENT for a process the query does not ask for. */
static long see_proc(struct replay *r, struct json_object *o, double t, const char *where)
{
	struct dbp_recording *rec = r->rec;
	int renumber = rec->query.pidns != NULL;
	struct dbp_rec_proc *rp;
	struct dbp_proc p;
	pid_t pid, shown;
	unsigned long long start, ino = 0;
	long idx;
	double d;

	if (ident_of(o, &pid, &start) < 0) {
		note(rec, "%s: a process without \"pid\" and \"start\": skipped", where);
		return -EINVAL;
	}
	idx = find_ident(r, pid, start);
	if (jnum(o, "ns", 1, TICKS_MAX, &d) == 0)
		ino = (unsigned long long)d;
	shown = idx >= 0 ? rec->procs[idx].pid : pid;
	if (renumber && idx < 0) {
		/* one container's: a process is met first in a key or as new,
		 * which say its namespace and its number there; a change of
		 * one not met is another namespace's */
		if (!ino || !pidns_selected(r, ino))
			return -ENOENT;
		if (jnum(o, "nspid", 1, INT_MAX, &d) < 0) {
			note(rec, "%s: a process of namespace %llu without \"nspid\": skipped",
			     where, ino);
			return -EINVAL;
		}
		shown = (pid_t)d;
	}
	if (!pid_wanted(rec, shown))
		return -ENOENT;
	if (idx >= 0 && rec->query.first_only)
		return idx;
	if (idx >= 0) {
		rp = &rec->procs[idx];
		if (dbp_proc_copy(&p, &rp->v[rp->nv - 1].p) < 0 || apply_fields(&p, o, renumber) < 0)
			goto nomem;
		if (!same_fields(&p, &rp->v[rp->nv - 1].p) && add_version(rp, t, &p) < 0)
			goto nomem;
		want_parent(rec, p.ppid);
		dbp_proc_clear(&p);
		return idx;
	}
	if (rec->nprocs == rec->capprocs) {
		size_t cap = rec->capprocs ? rec->capprocs * 2 : 256;
		struct dbp_rec_proc *np = realloc(rec->procs, cap * sizeof(*np));

		if (!np)
			return r->nomem = 1, -ENOMEM;
		rec->procs = np;
		rec->capprocs = cap;
	}
	if ((rec->nprocs + 1) * 2 > r->hcap && rehash(r) < 0)
		return r->nomem = 1, -ENOMEM;
	memset(&p, 0, sizeof(p));
	p.pid = shown;
	p.start_ticks = start;
	p.state = '?';
	if (apply_fields(&p, o, renumber) < 0)
		goto nomem;
	rp = &rec->procs[rec->nprocs];
	memset(rp, 0, sizeof(*rp));
	rp->pid = shown;
	rp->rec_pid = pid;
	rp->ns = ino;
	rp->pidns = ino ? cur_pidns(r, ino) : -1;
	rp->start = start;
	rp->first = rp->last = t;
	rp->file = r->file;
	if (add_version(rp, t, &p) < 0)
		goto nomem;
	want_parent(rec, p.ppid);
	dbp_proc_clear(&p);
	{
		size_t s = hslot(r, pid, start);

		while (r->hash[s])
			s = (s + 1) & (r->hcap - 1);
		r->hash[s] = rec->nprocs + 1;
	}
	r->mark[rec->nprocs] = 0;
	return (long)rec->nprocs++;
nomem:
	dbp_proc_clear(&p);
	r->nomem = 1;
	return -ENOMEM;
}

static int add_sample(struct dbp_recording *rec, const struct dbp_rec_sample *si)
{
	if (!(rec->nsamples & (rec->nsamples - 1))) {
		size_t cap = rec->nsamples ? rec->nsamples * 2 : 64;
		double *ns = realloc(rec->samples, cap * sizeof(*ns));
		struct dbp_rec_sample *ni;

		if (!ns)
			return -ENOMEM;
		rec->samples = ns;
		ni = realloc(rec->sinfo, cap * sizeof(*ni));
		if (!ni)
			return -ENOMEM;
		rec->sinfo = ni;
	}
	rec->samples[rec->nsamples] = si->t;
	rec->sinfo[rec->nsamples++] = *si;
	return 0;
}

/* A key lists every process alive: each one listed is seen (and alive);
 * key_end marks the rest gone. */
static void key_proc(struct replay *r, struct json_object *e, double t, const char *where)
{
	long idx = see_proc(r, e, t, where);

	if (idx >= 0) {
		if (!is_live(r, (size_t)idx) && r->mark[idx] != r->gen && live_add(r, (size_t)idx) < 0)
			r->nomem = 1;
		r->mark[idx] = r->gen;
	}
}

static void key_end(struct replay *r)
{
	/* those the key does not list are gone */
	for (size_t i = 0; i < r->nlive;) {
		size_t idx = r->live[i];

		if (r->mark[idx] != r->gen) {
			r->rec->procs[idx].gone = 1;
			live_remove(r, idx);
		} else {
			i++;
		}
	}
}

/* A delta's lists, one process each: [pid, start] gone, a process new,
 * a process changed (taken as new when never seen). */
static void delta_gone(struct replay *r, struct json_object *g, double t, const char *where)
{
	long idx;

	(void)t;
	(void)where;
	if (!json_object_is_type(g, json_type_array) || json_object_array_length(g) < 2)
		return;
	idx = find_ident(r, (pid_t)json_object_get_int(json_object_array_get_idx(g, 0)),
			 (unsigned long long)json_object_get_int64(json_object_array_get_idx(g, 1)));
	if (idx >= 0) {
		r->rec->procs[idx].gone = 1;
		live_remove(r, (size_t)idx);
	}
}

static void delta_new(struct replay *r, struct json_object *e, double t, const char *where)
{
	long idx = see_proc(r, e, t, where);

	if (idx >= 0 && !is_live(r, (size_t)idx) && live_add(r, (size_t)idx) < 0)
		r->nomem = 1;
}

static void delta_changed(struct replay *r, struct json_object *c, double t, const char *where)
{
	pid_t pid;
	unsigned long long start;

	if (ident_of(c, &pid, &start) == 0)
		delta_new(r, c, t, where);
}

typedef void element_fn(struct replay *r, struct json_object *e, double t, const char *where);

static void each_item(struct replay *r, struct json_object *o, const char *key, element_fn *fn,
		      double t, const char *where)
{
	struct json_object *a = jget(o, key, json_type_array);
	size_t n = a ? json_object_array_length(a) : 0;

	for (size_t i = 0; i < n; i++)
		fn(r, json_object_array_get_idx(a, i), t, where);
}

static void replay_key(struct replay *r, struct json_object *o, double t, const char *where)
{
	r->gen++;
	each_item(r, o, "procs", key_proc, t, where);
	key_end(r);
}

static void replay_delta(struct replay *r, struct json_object *o, double t, const char *where)
{
	each_item(r, o, "gone", delta_gone, t, where);
	each_item(r, o, "new", delta_new, t, where);
	each_item(r, o, "changed", delta_changed, t, where);
}

/* ---- a sample's processes one at a time, from the line's text ---- */

/* A key of 400,000 processes parsed whole is a gigabyte of json-c's
 * objects. A sample line as the writer lays it out (recwrite.c: the head,
 * then "procs", or "new", "gone" and "changed", last) is read an element
 * of its lists at a time instead: memory for one process beside the line.
 * The line is checked whole first, so that a line that is not JSON is
 * skipped whole, as a parsed one would be. The check of a delta keeps
 * the elements it parsed, up to KEPT_MAX of them, and the replay takes
 * them from there: a delta is parsed once (each element's parse is
 * json-c's cost, locale switch included); a key, and a delta of more,
 * is parsed again, an element at a time. */

#define WS " \t\r\n"
#define KEPT_MAX 4096		/* elements kept from a line's check: a few MB of json-c's */

static void kept_clear(struct replay *r)
{
	for (size_t i = 0; i < r->nkept; i++)
		json_object_put(r->kept[i].o);
	r->nkept = 0;
}

/* Keep an element the check parsed (e), or the text of one it did not
 * (e NULL); 0 when there is no room (then the line's elements are parsed
 * again when replayed). */
static int kept_add(struct replay *r, struct json_object *e, const char *text, pid_t pid)
{
	if (r->nkept == r->capkept) {
		size_t cap = r->capkept ? r->capkept * 2 : 64;
		struct kept *nk = cap <= KEPT_MAX ? realloc(r->kept, cap * sizeof(*nk)) : NULL;

		if (!nk)
			return 0;
		r->kept = nk;
		r->capkept = cap;
	}
	r->kept[r->nkept].o = e;
	r->kept[r->nkept].text = text;
	r->kept[r->nkept++].pid = pid;
	return 1;
}

/*
 * With a PID filter, most processes a delta names are not followed, and
 * parsing them is most of a delta's cost. An element in the plainest
 * JSON -- what recwrite.c writes: no \u escape, no fraction or exponent,
 * JSON's own whitespace, shallow -- that json-c surely reads alike (it
 * reads all of that, ending where the object ends) is only checked, and
 * its "pid" and "start" read from the text, as ident_of reads them.
 * Anything else is left to json-c.
 */
#define PLAIN_DEPTH 8

struct plain {
	const char *s, *end;
	int depth;
};

static void plain_ws(struct plain *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\r'))
		p->s++;
}

/* A string without \u escapes or control characters; its text (quotes
 * included) from *from. */
static int plain_string(struct plain *p, const char **from)
{
	*from = p->s++;
	while (p->s < p->end && *p->s != '"') {
		if ((unsigned char)*p->s < 0x20)
			return 0;
		if (*p->s == '\\') {
			if (++p->s >= p->end || !strchr("\"\\/bfnrt", *p->s) || !*p->s)
				return 0;
		}
		p->s++;
	}
	if (p->s >= p->end)
		return 0;
	p->s++;
	return 1;
}

/* An integer of up to 18 digits, no leading zero: into *v (non-negative
 * ones; -1 for a negative one). */
static int plain_int(struct plain *p, long long *v)
{
	int neg = *p->s == '-', n = 0;

	p->s += neg;
	*v = 0;
	if (p->s < p->end && *p->s == '0' && p->s + 1 < p->end && p->s[1] >= '0' && p->s[1] <= '9')
		return 0;
	for (; p->s < p->end && *p->s >= '0' && *p->s <= '9'; p->s++, n++)
		if (n < 18)
			*v = *v * 10 + (*p->s - '0');
	if (neg)
		*v = -1;
	return n > 0 && n <= 18 && (p->s >= p->end || (*p->s != '.' && *p->s != 'e' && *p->s != 'E'));
}

static int plain_value(struct plain *p, long long *num);

/* An object or array at p->s; in the element's own object (top), the
 * integers of "pid" and "start" into id[0], id[1], each seen[] once. */
static int plain_container(struct plain *p, int top, long long id[2], int seen[2])
{
	char close = *p->s == '{' ? '}' : ']';

	if (++p->depth > PLAIN_DEPTH)
		return 0;
	p->s++;
	plain_ws(p);
	if (p->s < p->end && *p->s == close) {
		p->s++;
		p->depth--;
		return 1;
	}
	for (;;) {
		int which = -1;
		long long v = -1;

		if (close == '}') {
			const char *k;

			if (p->s >= p->end || *p->s != '"' || !plain_string(p, &k))
				return 0;
			if (top && p->s - k == 5 && !memcmp(k, "\"pid\"", 5))
				which = 0;
			else if (top && p->s - k == 7 && !memcmp(k, "\"start\"", 7))
				which = 1;
			plain_ws(p);
			if (p->s >= p->end || *p->s++ != ':')
				return 0;
		}
		plain_ws(p);
		if (!plain_value(p, &v))
			return 0;
		if (which >= 0) {
			if (seen[which]++)
				return 0;	/* json-c takes the last: json-c's to read */
			id[which] = v;
		}
		plain_ws(p);
		if (p->s < p->end && *p->s == ',') {
			p->s++;
			plain_ws(p);
			continue;
		}
		if (p->s < p->end && *p->s == close) {
			p->s++;
			p->depth--;
			return 1;
		}
		return 0;
	}
}

/* A value; *num its integer when it is one (else left as it was) */
static int plain_value(struct plain *p, long long *num)
{
	const char *from;
	long long id[2];
	int seen[2] = { 0, 0 };

	if (p->s >= p->end)
		return 0;
	switch (*p->s) {
	case '{':
	case '[':
		return plain_container(p, 0, id, seen);
	case '"':
		return plain_string(p, &from);
	case 't':
	case 'f':
	case 'n': {
		const char *w = *p->s == 't' ? "true" : *p->s == 'f' ? "false" : "null";
		size_t n = strlen(w);

		if ((size_t)(p->end - p->s) < n || memcmp(p->s, w, n))
			return 0;
		p->s += n;
		return 1;
	}
	default:
		return (*p->s == '-' || (*p->s >= '0' && *p->s <= '9')) && plain_int(p, num);
	}
}

/* The object at s as json-c would read it, when it is in the plainest
 * JSON and names a process: 1 with its PID and where it ends; 0 when it
 * is for json-c to read. */
static int plain_element(const char *s, const char *end, pid_t *pid, const char **after)
{
	struct plain p = { s, end, 0 };
	long long id[2] = { -1, -1 };
	int seen[2] = { 0, 0 };

	if (*s != '{' || !plain_container(&p, 1, id, seen))
		return 0;
	/* then what json-c stops at: a list's ',' or ']' (past a comment
	 * or \f it would go on) */
	*after = p.s;
	plain_ws(&p);
	if (p.s >= end || (*p.s != ',' && *p.s != ']'))
		return 0;
	/* ident_of: both there, in range (a note otherwise: json-c's) */
	if (!seen[0] || !seen[1] || id[0] < 0 || id[0] > INT_MAX || id[1] < 0 ||
	    id[1] > (long long)TICKS_MAX)
		return 0;
	*pid = (pid_t)id[0];
	return 1;
}

/* The array at s, its elements (objects or arrays) parsed one by one and
 * given to fn; with fn NULL, only checked and, while *keep, kept (*keep
 * turns 0 when one finds no room). Returns what follows its ']', or NULL
 * when it is no such array. */
static const char *each_element(struct replay *r, struct json_tokener *tok, const char *s,
				const char *end, element_fn *fn, double t, const char *where,
				int *keep)
{
	/* a process not followed needs no parse: the PID filter's, but
	 * not a node's (renumbered: its PIDs are not the filter's) */
	int defer = !fn && keep && r->rec->query.pids && !r->rec->query.pidns;

	s += strspn(s, WS);
	if (*s++ != '[')
		return NULL;
	s += strspn(s, WS);
	if (*s == ']')
		return s + 1;
	for (;;) {
		struct json_object *e;
		const char *after;
		pid_t pid;

		if (*s != '{' && *s != '[')
			return NULL;
		if (defer && *keep && plain_element(s, end, &pid, &after) &&
		    !pid_wanted(r->rec, pid)) {
			if (!kept_add(r, NULL, s, pid))
				*keep = 0;
			s = after;
			goto next;
		}
		json_tokener_reset(tok);
		e = json_tokener_parse_ex(tok, s, (int)(end - s < INT_MAX ? end - s : INT_MAX));
		if (!e)
			return NULL;
		s += json_tokener_get_parse_end(tok);
		if (fn)
			fn(r, e, t, where);
		else if (keep && *keep && kept_add(r, e, s, 0))
			e = NULL;	/* put once replayed */
		else if (keep)
			*keep = 0;
		json_object_put(e);
next:
		s += strspn(s, WS);
		if (*s == ']')
			return s + 1;
		if (*s++ != ',')
			return NULL;
		s += strspn(s, WS);
	}
}

/* `,"name":` at s: what follows it, or NULL */
static const char *member(const char *s, const char *name)
{
	size_t n = strlen(name);

	if (s[0] != ',' || s[1] != '"' || strncmp(s + 2, name, n) || s[2 + n] != '"' ||
	    s[3 + n] != ':')
		return NULL;
	return s + 4 + n;
}

/* The lists of a sample line from its text, each checked; 0 when the
 * line is not laid out so (then it is parsed whole). With *keep, the
 * elements are kept in r->kept, list i's from kfrom[i] on (*keep turns 0
 * when they do not all fit). */
static int stream_lists(struct replay *r, struct json_tokener *tok, const char *s,
			const char *end, int key, const char *at[3], size_t kfrom[4], int *keep)
{
	static const char *const names[2][3] = { { "new", "gone", "changed" }, { "procs" } };
	const char *const *nm = names[key];
	int i;

	for (i = 0; i < (key ? 1 : 3); i++) {
		kfrom[i] = r->nkept;
		if (!(at[i] = member(s, nm[i])) ||
		    !(s = each_element(r, tok, at[i], end, NULL, 0, NULL, keep)))
			return 0;
	}
	kfrom[i] = r->nkept;
	s += strspn(s, WS);
	if (*s++ != '}')
		return 0;
	return s + strspn(s, WS) == end;
}

/* The elements of list i as the check kept them, given to fn; one not
 * parsed is parsed now if its PID has come to be followed since (the
 * parent of one before it in the line) */
static void each_kept(struct replay *r, const size_t kfrom[4], int i, element_fn *fn, double t,
		      const char *where)
{
	for (size_t k = kfrom[i]; k < kfrom[i + 1]; k++) {
		struct kept *e = &r->kept[k];

		if (!e->o && pid_wanted(r->rec, e->pid)) {
			json_tokener_reset(r->tok);
			e->o = json_tokener_parse_ex(r->tok, e->text, (int)strnlen(e->text, INT_MAX));
		}
		if (e->o)
			fn(r, e->o, t, where);
	}
}

/* Replay a sample from its text; 0 when it must be parsed whole instead. */
static int replay_text(struct replay *r, const char *line, const char *rest, int key, double t,
		       const char *where)
{
	const char *end = line + strlen(line), *at[3];
	size_t kfrom[4];
	/* a key's elements are not kept: its hundreds of processes held at
	 * once and freed together churn the heap more than a second parse
	 * costs (summary of a week: 10 % slower) */
	int keep = !key, ok;

	if (!r->tok && !(r->tok = json_tokener_new()))
		return 0;
	ok = rest && stream_lists(r, r->tok, rest, end, key, at, kfrom, &keep);
	if (ok && key) {
		r->gen++;
		each_element(r, r->tok, at[0], end, key_proc, t, where, NULL);
		key_end(r);
	} else if (ok && keep) {
		each_kept(r, kfrom, 1, delta_gone, t, where);
		each_kept(r, kfrom, 0, delta_new, t, where);
		each_kept(r, kfrom, 2, delta_changed, t, where);
	} else if (ok) {
		each_element(r, r->tok, at[1], end, delta_gone, t, where, NULL);
		each_element(r, r->tok, at[0], end, delta_new, t, where, NULL);
		each_element(r, r->tok, at[2], end, delta_changed, t, where, NULL);
	}
	kept_clear(r);
	return ok;
}

/* ---- the lines of a file ---- */

/* The kind and time of a sample line, and the recorder's counts, read
 * from the line's start without parsing it: the writer puts "k", "t",
 * "seq", "last_pid", "born" and "threads" first (recwrite.c). Returns 1
 * when the line starts that way, 0 otherwise (then parse it whole). */
struct lhead {
	char k[40];
	double t;
	int have_t;
	struct dbp_rec_sample si;
	const char *rest;	/* a sample's line after the head: its lists */
};

static int line_head(const char *s, struct lhead *h)
{
	int rc;

	memset(h, 0, sizeof(*h));
	rc = dbp_rec_head_parse(s, h->k, sizeof(h->k), &h->si, &h->rest);
	h->t = h->si.t;
	h->have_t = rc == 1;
	return rc != 0;
}

/* The same from a parsed line (a writer that orders keys otherwise). */
static void obj_head(struct json_object *o, struct lhead *h)
{
	const char *k = jstr(o, "k");
	double v;

	memset(h, 0, sizeof(*h));
	h->si.last_pid = -1;
	h->si.born = h->si.threads = -1;
	snprintf(h->k, sizeof(h->k), "%s", k ? k : "?");
	if (jnum(o, "t", 0, EPOCH_MAX, &v) == 0) {
		h->t = h->si.t = v;
		h->have_t = 1;
	}
	if (jnum(o, "last_pid", 0, 1 << 22, &v) == 0)
		h->si.last_pid = (long long)v;
	if (jnum(o, "born", 0, 1 << 22, &v) == 0)
		h->si.born = (long)v;
	if (jnum(o, "threads", 0, 1 << 22, &v) == 0)
		h->si.threads = (long)v;
}

/* Lines from a file (recstream) or, for tests, from memory. A compressed
 * file with an index (recgz.h) is read a member at a time once
 * src_members is called: a member that skip says is not needed is
 * stepped over, and its samples come back as delta lines without
 * changes, so that what is replayed is what the whole file gives a
 * reader that filters as skip does. */
struct src {
	struct dbp_recstream *rs;
	char *text, *pos, *end;
	size_t no;		/* the line number of the last line */
	int torn;
	struct dbp_recgz_index ix;
	int indexed;		/* ix is the file's, and checks out */
	int bad_index;		/* the file has an index that does not */
	int members;		/* reading member by member, from next */
	int need_member;
	off_t next;
	int bad_member;		/* a member's header did not check out: the rest was
				 * read as a plain gzip stream */
	struct dbp_recgz_member *m;
	size_t synth;		/* m's samples handed out; m->nsamples: none pending */
	int heads;		/* hand them out as head, not as lines of text */
	struct dbp_rec_sample head;
	char line[320];
	int (*skip)(void *arg, const struct dbp_recgz_member *m);
	/* with skip: the PIDs followed, and whether their parents are */
	const pid_t *(*followed)(void *arg, size_t *n, int *ancestors);
	void *skip_arg;
	char *keyline;		/* a key put together from its parts */
	size_t keycap, keylen;
};

static void src_close(struct src *sr);

static int src_open(struct src *sr, struct rfile *rf)
{
	int rc;

	memset(sr, 0, sizeof(*sr));
	if (rf->text) {
		sr->text = strdup(rf->text);
		if (!sr->text)
			return -ENOMEM;
		sr->pos = sr->text;
		sr->end = sr->text + strlen(sr->text);
		return 0;
	}
	rc = dbp_recstream_open(&sr->rs, rf->f.path);
	if (rc < 0 || !dbp_recstream_compressed(sr->rs))
		return rc;
	rc = dbp_recstream_gz_index(sr->rs, &sr->ix);
	sr->indexed = rc == 0;
	sr->bad_index = rc == -EBADMSG;
	if (rc == -ENOMEM) {
		src_close(sr);
		return rc;
	}
	return 0;
}

static void src_close(struct src *sr)
{
	dbp_recstream_close(sr->rs);
	dbp_recgz_index_free(&sr->ix);
	free(sr->m);
	free(sr->keyline);
	free(sr->text);
	sr->rs = NULL;
	sr->text = NULL;
	sr->m = NULL;
}

/* Read from the member at off on, a member at a time. 0 or -ENOMEM. */
static int src_members(struct src *sr, off_t off)
{
	if (!sr->m && !(sr->m = malloc(sizeof(*sr->m))))
		return -ENOMEM;
	sr->m->nsamples = sr->synth = 0;
	sr->members = sr->need_member = 1;
	sr->next = off;
	return 0;
}

/* The bytes that are not UTF-8 come as \udcNN escapes (the writer's
 * dbp_escape_json): back to the raw bytes before json-c parses the line,
 * which would make each a U+FFFD. The line is ours until the next read. */
static void unescape_bytes(char *line, char *end)
{
	/* memchr first: most lines hold no backslash, and it is much the
	 * faster scan of the two */
	size_t n = (size_t)(end - line);

	if (memchr(line, '\\', n) && memmem(line, n, "\\udc", 4))
		dbp_json_unescape_bytes(line);
}

#define KEY_PARTS_MAX 8192	/* 16 KiB parts: a key of 128 MiB, beyond any line's limit */
#define EXTRA_MAX 64		/* parents looked for in one key beyond those followed */

/* The members from m on that hold one line: m and each after it while
 * the one before goes on (CONT). Returns where the last ends, or -EINVAL
 * when a header does not check out or there are too many. */
static off_t line_end(struct src *sr, struct dbp_recgz_member *m)
{
	off_t at = m->off;

	for (size_t n = 1; m->flags & DBP_RECGZ_CONT; n++) {
		at += m->csize;
		if (n >= KEY_PARTS_MAX ||
		    dbp_recstream_gz_member(sr->rs, at, sr->ix.data_end, m) < 0 ||
		    !(m->flags & DBP_RECGZ_PART))
			return -EINVAL;
	}
	return at + m->csize;
}

struct part {
	off_t off;
	uint32_t csize, usize;
	unsigned char bloom[DBP_RECGZ_BLOOM];
	int in;			/* to be read */
	char *text;		/* once read */
};

static int pid_in(const pid_t *p, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == pid)
			return 1;
	return 0;
}

/* In the text of a key's parts: the parents of the processes of the PIDs
 * followed (and of those parents), into extra. Returns 1 when one was
 * added. */
static int key_parents(const char *text, const pid_t *f, size_t nf, pid_t *extra, size_t *nextra)
{
	int added = 0;

	for (const char *s = strstr(text, "{\"pid\":"); s; s = strstr(s + 7, "{\"pid\":")) {
		pid_t pid = (pid_t)strtol(s + 7, NULL, 10), ppid;
		const char *pp = strstr(s + 7, "\"ppid\":"), *next = strstr(s + 7, "{\"pid\":");

		if (!pid_in(f, nf, pid) && !pid_in(extra, *nextra, pid))
			continue;
		if (!pp || (next && pp > next))
			continue;
		ppid = (pid_t)strtol(pp + 7, NULL, 10);
		if (ppid > 0 && !pid_in(f, nf, ppid) && !pid_in(extra, *nextra, ppid) &&
		    *nextra < EXTRA_MAX) {
			extra[(*nextra)++] = ppid;
			added = 1;
		}
	}
	return added;
}

static int bloom_any(const unsigned char *bloom, const pid_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (dbp_recgz_bloom_has(bloom, p[i]))
			return 1;
	return 0;
}

/* A key in parts, read for the PIDs followed: its first and last parts
 * and those whose filters name a PID followed or the parent of one, put
 * together in sr->keyline -- the key a PID filter would make of the whole
 * line, as the processes of the others are dropped anyway. Returns 1 with
 * the line; 0 when the stream is positioned to read the parts whole (a
 * part that does not inflate, a torn key) or, after a header that does
 * not check out, the rest of the file; -ENOMEM; or the negative errno of
 * dbp_recstream_member when the stream cannot be positioned. */
static int src_key_parts(struct src *sr)
{
	struct dbp_recgz_member *m = sr->m;
	struct part *parts = NULL;
	pid_t extra[EXTRA_MAX];
	size_t n = 0, nextra = 0, nf, total = 0;
	const pid_t *f;
	off_t at = sr->next, end;
	int anc, rc = 1, more = 1;

	/* the parts' headers, m the first's: one read each */
	for (size_t cap = 0;; n++) {
		if (n == cap) {
			struct part *np = cap < KEY_PARTS_MAX ?
					  realloc(parts, (cap = cap ? cap * 2 : 32) * sizeof(*np)) : NULL;

			if (!np) {
				free(parts);
				if (cap < KEY_PARTS_MAX)
					return -ENOMEM;
				parts = NULL;
				break;
			}
			parts = np;
		}
		memset(&parts[n], 0, sizeof(parts[n]));
		parts[n].off = at;
		parts[n].csize = m->csize;
		parts[n].usize = m->usize;
		memcpy(parts[n].bloom, m->bloom, sizeof(parts[n].bloom));
		parts[n].in = n == 0;
		if (!(m->flags & DBP_RECGZ_CONT))
			break;
		at += m->csize;
		if (dbp_recstream_gz_member(sr->rs, at, sr->ix.data_end, m) < 0 ||
		    !(m->flags & DBP_RECGZ_PART)) {
			free(parts);
			parts = NULL;
			break;
		}
	}
	if (!parts) {
		/* too many parts, or a header that does not check out */
		sr->bad_member = 1;
		sr->members = 0;
		return dbp_recstream_member(sr->rs, sr->next, 0);
	}
	n++;
	parts[n - 1].in = 1;
	end = at + parts[n - 1].csize;
	f = sr->followed(sr->skip_arg, &nf, &anc);
	for (int round = 0; more && rc == 1 && round < 16; round++) {
		more = 0;
		for (size_t i = 0; i < n; i++)
			if (!parts[i].in && (bloom_any(parts[i].bloom, f, nf) ||
					     bloom_any(parts[i].bloom, extra, nextra)))
				parts[i].in = 1;
		for (size_t i = 0; i < n && rc == 1; i++) {
			struct dbp_recgz_member pm;

			if (!parts[i].in || parts[i].text)
				continue;
			total += parts[i].usize;
			if (total > DBP_LINE_MAX || !(parts[i].text = malloc((size_t)parts[i].usize + 1))) {
				rc = total > DBP_LINE_MAX ? 0 : -ENOMEM;
				break;
			}
			pm.off = parts[i].off;
			pm.csize = parts[i].csize;
			pm.usize = parts[i].usize;
			if (dbp_recgz_member_inflate(dbp_recstream_fd(sr->rs), &pm, parts[i].text) < 0) {
				rc = 0;		/* damaged: read as a stream, which says so */
				break;
			}
			parts[i].text[parts[i].usize] = '\0';
			if (anc && key_parents(parts[i].text, f, nf, extra, &nextra))
				more = 1;
		}
	}
	if (rc == 1) {
		size_t len = 0;
		const char *last = parts[n - 1].text;

		/* a key without its newline is a torn last line: the stream
		 * says so as for any line */
		if (!last || !parts[n - 1].usize || last[parts[n - 1].usize - 1] != '\n')
			rc = 0;
		if (rc == 1 && total + 1 > sr->keycap) {
			char *k = realloc(sr->keyline, total + 1);

			if (!k)
				rc = -ENOMEM;
			else
				sr->keyline = k, sr->keycap = total + 1;
		}
		for (size_t i = 0; rc == 1 && i < n; i++) {
			if (!parts[i].text)
				continue;
			memcpy(sr->keyline + len, parts[i].text, parts[i].usize);
			len += parts[i].usize;
		}
		if (rc == 1 && len > 0) {
			sr->keyline[len - 1] = '\0';
			sr->keylen = len - 1;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(parts[i].text);
	free(parts);
	if (rc == 0)
		rc = dbp_recstream_member(sr->rs, sr->next, end);
	sr->next = end;
	return rc;
}

/* The next member to read, or the samples of one stepped over. Returns
 * 1 with a line in sr->line, 3 with a sample in sr->head (sr->heads), 2
 * with a key in sr->keyline, 0 when the
 * next member is open, -ENODATA at the end of the data, -ENOMEM, or the
 * negative errno of dbp_recstream_member when the stream cannot be
 * positioned (src_next takes any but -ENOMEM as the members' end). */
static int src_next_member(struct src *sr)
{
	struct dbp_recgz_member *m = sr->m;

	for (;;) {
		off_t end;
		int rc;

		if (sr->synth < m->nsamples) {
			sr->head = m->samples[sr->synth++];
			if (sr->heads)
				return 3;
			if (dbp_rec_head_format(&sr->head, sr->line, sizeof(sr->line)) < 0)
				sr->line[0] = '\0';
			return 1;
		}
		if (sr->next >= sr->ix.data_end)
			return -ENODATA;
		if (dbp_recstream_gz_member(sr->rs, sr->next, sr->ix.data_end, m) < 0) {
			/* the chain is broken here: the rest as a gzip stream,
			 * which its members still are */
			sr->bad_member = 1;
			sr->members = 0;
			m->nsamples = sr->synth = 0;
			return dbp_recstream_member(sr->rs, sr->next, 0);
		}
		sr->synth = 0;
		if (sr->skip && m->flags == DBP_RECGZ_DELTAS && sr->skip(sr->skip_arg, m)) {
			sr->next += m->csize;
			continue;
		}
		if (sr->skip && m->flags == (DBP_RECGZ_KEY | DBP_RECGZ_CONT)) {
			rc = src_key_parts(sr);
			m->nsamples = 0;
			return rc == 1 ? 2 : rc;
		}
		/* a line in parts is read whole, from its first part; the
		 * member's heads are its lines', none to hand out */
		end = m->flags & DBP_RECGZ_CONT ? line_end(sr, m) : sr->next + m->csize;
		m->nsamples = 0;
		if (end < 0) {
			sr->bad_member = 1;
			sr->members = 0;
			return dbp_recstream_member(sr->rs, sr->next, 0);
		}
		rc = dbp_recstream_member(sr->rs, sr->next, end);
		if (rc < 0)
			return rc;
		sr->next = end;
		return 0;
	}
}

/* Returns 1 with a line, 0 at the end, or a negative errno; a line with
 * a NUL byte in it (a zero-filled block after a crash) comes back empty,
 * so that it counts as garbage. With sr->heads, a sample of a member
 * stepped over comes back as *line NULL and sr->head. */
static int src_next(struct src *sr, const char **line, off_t *off)
{
	size_t len;
	int rc;

	if (sr->text) {
		char *nl;

		if (sr->pos >= sr->end)
			return 0;
		nl = strchr(sr->pos, '\n');
		if (!nl) {
			sr->torn = 1;
			sr->pos = sr->end;
			return 0;
		}
		*nl = '\0';
		unescape_bytes(sr->pos, nl);
		*line = sr->pos;
		if (off)
			*off = sr->pos - sr->text;
		sr->pos = nl + 1;
		sr->no++;
		return 1;
	}
	for (;;) {
		if (sr->members && sr->need_member) {
			rc = src_next_member(sr);
			if (rc == 3) {
				sr->no++;
				*line = NULL;
				if (off)
					*off = 0;
				return 1;
			}
			if (rc == 1 || rc == 2) {
				sr->no++;
				*line = rc == 1 ? sr->line : sr->keyline;
				/* a NUL byte in it: garbage, as src_next says below */
				if (rc == 2 && strlen(sr->keyline) != sr->keylen)
					*line = "";
				else if (rc == 2)
					unescape_bytes(sr->keyline, sr->keyline + sr->keylen);
				if (off)
					*off = 0;
				return 1;
			}
			if (rc == -ENOMEM)
				return rc;
			if (rc < 0)
				return 0;
			sr->need_member = 0;
		}
		rc = dbp_recstream_next(sr->rs, line, &len, off);
		if (rc == 1) {
			sr->no++;
			if (strlen(*line) != len)
				*line = "";
			else
				unescape_bytes((char *)*line, (char *)*line + len);
		} else if (rc == 0) {
			sr->torn = dbp_recstream_torn(sr->rs);
			if (sr->members) {
				sr->need_member = 1;
				continue;
			}
		}
		return rc;
	}
}

#define HEADER_MAX 65536	/* a header line is well under 1 kB */

/* Is rf the accounting spool of `snapshot --acct` (FILE.acct, or
 * FILE.acct.new during a switch: acctread.h)? Its name says so, and its
 * first record is a version 3 one (or it is empty). A glob such as
 * ps.jsonl* picks it up beside the recording. 1 when it is, 0 when it is
 * not or cannot be read. */
static int is_acct_spool(const struct rfile *rf)
{
	const char *p = rf->f.path;
	size_t n = strlen(p);
	unsigned char buf[DBP_ACCT_RECORD];
	struct dbp_acct_rec a;
	struct stat st;
	FILE *f;
	size_t got;

	if (rf->text || !((n > 5 && !strcmp(p + n - 5, ".acct")) ||
			  (n > 9 && !strcmp(p + n - 9, ".acct.new"))))
		return 0;
	if (lstat(p, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size % DBP_ACCT_RECORD)
		return 0;
	if (!st.st_size)
		return 1;
	if (!(f = fopen(p, "rbe")))
		return 0;
	got = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return got == sizeof(buf) && dbp_acct_parse(buf, got, &a) == 0;
}

/* Is a the spool's record of one of the first nlines exits, the exit
 * lines (the same PID, name and end)? Looked up among that PID's, by the
 * index of them the replay built before the spool (dbp_recording_index),
 * not through every exit line for each record: a spool of 16,000 records
 * beside a day's exit lines took seconds so. */
static int spool_dup(const struct dbp_recording *rec, size_t nlines, const struct dbp_acct_rec *a)
{
	size_t lo = 0, hi = nlines;

	if (!rec->exits_bypid || rec->nexitsix != nlines) {
		for (size_t i = 0; i < nlines; i++)
			if (rec->exits[i].pid == a->pid && !strcmp(rec->exits[i].comm, a->comm) &&
			    rec->exits[i].end > a->end - 0.02 && rec->exits[i].end < a->end + 0.02)
				return 1;
		return 0;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rec->exits[rec->exits_bypid[mid]].pid < a->pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < nlines && rec->exits[rec->exits_bypid[lo]].pid == a->pid; lo++) {
		const struct dbp_acct_rec *e = &rec->exits[rec->exits_bypid[lo]];

		if (!strcmp(e->comm, a->comm) && e->end > a->end - 0.02 && e->end < a->end + 0.02)
			return 1;
	}
	return 0;
}

/* The exits of an accounting spool that the recording's exit lines do
 * not hold: those the recorder had not written when it was stopped --
 * often the last moments, the ones a post-mortem is about. The spool
 * also holds what was already written (it is emptied only on a
 * switch): a record with the PID, name and end of an exit line is that
 * line. */
static void spool_read(struct dbp_recording *rec, const struct dbp_rec_file *sf, size_t nlines)
{
	unsigned char buf[DBP_ACCT_RECORD * 64];
	const struct dbp_rec_query *q = &rec->query;
	FILE *f = fopen(sf->path, "rbe");
	size_t got;

	if (!f)
		return;
	while ((got = fread(buf, 1, sizeof(buf), f)) >= DBP_ACCT_RECORD) {
		for (size_t off = 0; off + DBP_ACCT_RECORD <= got; off += DBP_ACCT_RECORD) {
			struct dbp_acct_rec a;

			if (dbp_acct_parse(buf + off, DBP_ACCT_RECORD, &a) < 0 || !pid_wanted(rec, a.pid) ||
			    (q->from > 0 && a.end < q->from - 60) || (q->to > 0 && a.end > q->to + 60))
				continue;
			if (spool_dup(rec, nlines, &a))
				continue;
			if (rec->nexits == rec->capexits) {
				size_t cap = rec->capexits ? rec->capexits * 2 : 64;
				struct dbp_acct_rec *ne = realloc(rec->exits, cap * sizeof(*ne));

				if (!ne)
					break;
				rec->exits = ne;
				rec->capexits = cap;
			}
			rec->exits[rec->nexits++] = a;
			rec->spooled++;
		}
	}
	fclose(f);
}

/* Read and check the header line; on a problem, say so and leave the
 * file unused (version 0). */
static void check_header(struct dbp_recording *rec, struct rfile *rf)
{
	struct src sr;
	struct json_object *o;
	const char *line, *k;
	int rc;

	rf->f.version = 0;
	if (is_acct_spool(rf)) {
		rf->f.acct_spool = 1;
		note(rec, "%s: read as what it is, the recorder's process accounting spool (left "
		     "by a recorder that was killed or is still running): its exits join the "
		     "recording's", rf->f.path);
		return;
	}
	rc = src_open(&sr, rf);
	if (rc == -DBP_ENOTREG) {
		char what[256];
		struct stat st;

		/* a device, a FIFO, a link: never read or waited on */
		rf->bad = 1;
		note(rec, "%s: not a dbpod recording: it is %s, and dbpod reads only regular "
		     "files", rf->f.path, dbp_file_describe(NULL, rf->f.path,
		     lstat(rf->f.path, &st) == 0 ? st.st_mode : 0, what, sizeof(what)));
		return;
	} else if (rc < 0) {
		rf->error = rc;
		note(rec, "%s: cannot read: %s", rf->f.path, dbp_open_strerror(rc));
		return;
	}
	if (sr.bad_index)
		note(rec, "%s: the index at the end of the compressed file is damaged (it does "
		     "not fit the file): the file is read from its start", rf->f.path);
	if (sr.rs)
		dbp_recstream_set_max(sr.rs, HEADER_MAX);
	rc = src_next(&sr, &line, NULL);
	if (rc == 0 && !sr.torn) {
		rf->empty = 1;
		note(rec, "%s: the file is empty: no header, no samples", rf->f.path);
	} else if (rc == 0) {
		rf->bad = 1;
		note(rec, "%s: no complete line: not a usable recording", rf->f.path);
	} else if (rc == -E2BIG) {
		rf->bad = 1;
		note(rec, "%s: not a dbpod recording: its first line is longer than %d bytes "
		     "(a header is one short line)", rf->f.path, HEADER_MAX);
	} else if (rc < 0) {
		rf->error = rc;
		note(rec, "%s: cannot read: %s", rf->f.path, dbp_open_strerror(rc));
	} else {
		o = json_tokener_parse(line);
		k = o && json_object_is_type(o, json_type_object) ? jstr(o, "k") : NULL;
		if (!k || strcmp(k, "header")) {
			rf->bad = 1;
			note(rec, "%s:1: the first line is not a dbpod recording header: the file "
			     "is skipped", rf->f.path);
		} else {
			parse_header(rf, o);
			if (rf->f.version_seen > DBP_RECORDING_VERSION) {
				note(rec, "%s: written by a newer dbpod (recording format %lld; this "
				     "dbpod reads formats up to %d): the file is skipped; read it with "
				     "a newer dbpod postmortem", rf->f.path, rf->f.version_seen,
				     DBP_RECORDING_VERSION);
				rf->f.version = 0;
			} else if (rf->f.version < 1) {
				note(rec, "%s:1: \"dbpod_recording\" is not a known format version "
				     "(an integer, %d): the file is skipped", rf->f.path,
				     DBP_RECORDING_VERSION);
				rf->f.version = 0;
			}
		}
		json_object_put(o);
	}
	if (rf->f.version > 0)
		rf->f.first_t = rf->f.last_t = 0;
	src_close(&sr);
}

/* The kind and, for a sample, the time of a line, as its replay reads
 * them: from its head, or from the parsed line when it is laid out
 * otherwise (keys in another order: a recording put through jq -S or
 * another tool). Read from the head only, such a file had no sample
 * time at all and was refused whole as no recording ("no sample could
 * be read"), though its replay reads every line of it. 0 when the line
 * is no object with a "k". */
static int any_head(const char *line, struct lhead *h)
{
	struct json_object *o;

	if (line_head(line, h))
		return 1;
	o = json_tokener_parse(line);
	if (!o || !json_object_is_type(o, json_type_object) || !jstr(o, "k")) {
		json_object_put(o);
		return 0;
	}
	obj_head(o, h);
	json_object_put(o);
	/* as line_head: a time only for a sample */
	h->have_t &= !strcmp(h->k, "key") || !strcmp(h->k, "delta");
	return 1;
}

/* Whether a line is the "end" line of a clean stop; the last line read
 * of a file decides (ended). */
static int is_end(const char *line)
{
	struct lhead h;

	return any_head(line, &h) && !strcmp(h.k, "end");
}

/* The times of a file's first and last samples, for ordering and for
 * finding where a window starts, and how it ends (ended, torn_tail).
 * Plain files: the head, then the tail from its end; gzip: every line's
 * head (decompressing is the cost). */
static void probe_span(struct rfile *rf)
{
	struct src sr;
	struct lhead h;
	const char *line;
	off_t back = 1 << 16, size;
	int ended = 0;

	if (src_open(&sr, rf) < 0)
		return;
	if (sr.indexed) {
		/* the index says what a read of the whole file would */
		rf->f.first_t = sr.ix.first_t;
		rf->f.last_t = sr.ix.last_t;
		rf->f.ended = !!(sr.ix.flags & DBP_RECGZ_ENDED);
		rf->f.torn_tail = !!(sr.ix.flags & DBP_RECGZ_TORN);
		src_close(&sr);
		return;
	}
	while (src_next(&sr, &line, NULL) == 1) {
		ended = is_end(line);
		if (any_head(line, &h) && h.have_t) {
			rf->f.first_t = rf->f.last_t = h.t;
			break;
		}
		if (sr.no > 64)		/* a header, notes: the first sample is near */
			break;
	}
	size = sr.rs && !dbp_recstream_compressed(sr.rs) ? dbp_recstream_size(sr.rs) : 0;
	if (sr.rs && dbp_recstream_compressed(sr.rs)) {
		while (src_next(&sr, &line, NULL) == 1) {
			if (any_head(line, &h) && h.have_t)
				rf->f.last_t = h.t;
			ended = is_end(line);
		}
	} else if (sr.rs) {
		for (;;) {
			double last = 0;
			off_t at = size > back ? size - back : 0;

			if (dbp_recstream_seek(sr.rs, at) < 0)
				break;
			if (at > 0 && dbp_recstream_sync(sr.rs) != 1)
				break;
			while (src_next(&sr, &line, NULL) == 1) {
				if (any_head(line, &h) && h.have_t)
					last = h.t;
				ended = is_end(line);
			}
			if (last > 0 || !at) {
				if (last > 0)
					rf->f.last_t = last;
				break;
			}
			back *= 8;
		}
	} else {
		while (src_next(&sr, &line, NULL) == 1) {
			if (any_head(line, &h) && h.have_t)
				rf->f.last_t = h.t;
			ended = is_end(line);
		}
	}
	rf->f.ended = ended;
	rf->f.torn_tail = sr.torn;
	src_close(&sr);
}

/* Where to start reading a plain file for a window from `from`: a line
 * well before the key at or before from (bisection on the lines' times);
 * the replay keeps the last key before from and its deltas. */
static off_t seek_point(struct src *sr, double target)
{
	off_t lo = 0, hi = dbp_recstream_size(sr->rs);
	const char *line;
	struct lhead h;

	while (hi - lo > (1 << 16)) {
		off_t mid = lo + (hi - lo) / 2, at;
		int got = 0;

		if (dbp_recstream_seek(sr->rs, mid) < 0 || dbp_recstream_sync(sr->rs) != 1)
			return lo;
		/* the next line with a time */
		for (int i = 0; i < 8 && !got; i++) {
			if (dbp_recstream_next(sr->rs, &line, &(size_t){ 0 }, &at) != 1)
				break;
			got = line_head(line, &h) && h.have_t;
		}
		if (!got || h.t > target)
			hi = mid;
		else
			lo = mid;
	}
	return lo;
}

/* ---- replaying the lines ---- */

static int pid_wanted(const struct dbp_recording *rec, pid_t pid)
{
	if (!rec->query.pids)
		return 1;
	for (size_t i = 0; i < rec->nfpids; i++)
		if (rec->fpids[i] == pid)
			return 1;
	return 0;
}

/* An ancestor met: into the filter. Returns 1 when it was added. */
static int want_parent(struct dbp_recording *rec, pid_t ppid)
{
	pid_t *np;

	if (!rec->query.pids || !rec->query.ancestors || ppid <= 0 || pid_wanted(rec, ppid))
		return 0;
	np = realloc(rec->fpids, (rec->nfpids + 1) * sizeof(*np));
	if (!np)
		return 0;
	rec->fpids = np;
	rec->query.pids = np;
	rec->fpids[rec->nfpids++] = ppid;
	return 1;
}

struct names_arg {
	const struct replay *r;
	int (*match)(const struct replay *r, pid_t pid);
};

static int names_match(void *arg, pid_t pid)
{
	const struct names_arg *a = arg;

	return a->match(a->r, pid);
}

/* Does the line name a PID that match says yes to (dbp_rec_line_pids)? */
static int line_names(const struct replay *r, const char *line,
		      int (*match)(const struct replay *r, pid_t pid))
{
	struct names_arg a = { r, match };

	return dbp_rec_line_pids(line, names_match, &a) != 0;
}

static int filter_pid(const struct replay *r, pid_t pid)
{
	return pid_wanted(r->rec, pid);
}

/* With a PID filter: could this line hold one of the PIDs? */
static int line_mentions(const struct replay *r, const char *line)
{
	return line_names(r, line, filter_pid);
}

/* Is rec_pid the recorded PID of a process live in the replay? */
static int live_rec_pid(const struct replay *r, pid_t rec_pid)
{
	for (size_t i = 0; i < r->nlive; i++)
		if (r->rec->procs[r->live[i]].rec_pid == rec_pid)
			return 1;
	return 0;
}

/* A pattern of the namespaces the query asks for, as they are now:
 * their processes' keys start {"pid":P,"start":S,"ns":INO,"nspid": */
static int ns_pattern(const struct replay *r, size_t i, char *pat, size_t size)
{
	const struct dbp_recording *rec = r->rec;
	size_t idx = rec->query.pidns[i];

	if (idx >= rec->npidns || cur_pidns(r, rec->pidns[idx].ino) != (long)idx)
		return 0;
	snprintf(pat, size, ",\"ns\":%llu,\"nspid\":", rec->pidns[idx].ino);
	return 1;
}

/* With namespaces asked for (a node recording read for one container):
 * could this delta hold one of theirs? A new process of theirs says its
 * namespace; a change or an end names a process the replay holds. */
static int line_mentions_ns(const struct replay *r, const char *line)
{
	char pat[64];

	for (size_t i = 0; i < r->rec->query.npidns; i++)
		if (ns_pattern(r, i, pat, sizeof(pat)) && strstr(line, pat))
			return 1;
	return r->nlive && line_names(r, line, live_rec_pid);
}

/* One object of a line, parsed from its '{' at. */
static struct json_object *object_at(const char *at)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *p = tok ? json_tokener_parse_ex(tok, at, (int)strnlen(at, INT_MAX)) : NULL;

	json_tokener_free(tok);
	if (p && !json_object_is_type(p, json_type_object)) {
		json_object_put(p);
		p = NULL;
	}
	return p;
}

/* A key with namespaces asked for: only their processes' objects are
 * parsed, found by the keys that start each (the node's other
 * containers are most of a node recording's key). */
static struct json_object *key_filtered_ns(const struct replay *r, const char *line)
{
	struct json_object *o = json_object_new_object(), *procs = json_object_new_array();
	char pat[64];

	json_object_object_add(o, "procs", procs);
	for (size_t i = 0; i < r->rec->query.npidns; i++) {
		if (!ns_pattern(r, i, pat, sizeof(pat)))
			continue;
		for (const char *at = strstr(line, pat); at; at = strstr(at + 1, pat)) {
			const char *open = memrchr(line, '{', (size_t)(at - line));
			struct json_object *p = open ? object_at(open) : NULL;

			if (p)
				json_object_array_add(procs, p);
		}
	}
	return o;
}

/* Are a key's processes laid out as the writer lays them out, each
 * object opening with its "pid" (then "start", and in a node recording
 * "ns" and "nspid"), which key_filtered and key_filtered_ns find them by?
 * A key in another layout (its keys sorted by jq -S or another tool)
 * is parsed whole: filtered by those patterns, it held none of the PIDs
 * followed, and read again for the parents met in it, it ended the
 * processes of the first read -- --pid showed its holder gone after its
 * first key, its parent "not recorded". */
static int procs_by_pid(const char *line)
{
	return strstr(line, "\"procs\":[{\"pid\":") || strstr(line, "\"procs\":[]");
}

/* A key with a PID filter: only the filtered processes' objects are
 * parsed (a key holds every process; parsing it whole is the cost). */
static struct json_object *key_filtered(const struct dbp_recording *rec, const char *line)
{
	struct json_object *o = json_object_new_object(), *procs = json_object_new_array();
	char pat[40];

	json_object_object_add(o, "procs", procs);
	for (size_t i = 0; i < rec->nfpids; i++) {
		const char *at;

		snprintf(pat, sizeof(pat), "{\"pid\":%d,\"start\":", (int)rec->fpids[i]);
		for (at = strstr(line, pat); at; at = strstr(at + 1, pat)) {
			struct json_object *p = object_at(at);

			if (p)
				json_object_array_add(procs, p);
		}
	}
	return o;
}

struct pending {
	char **lines;		/* the last key before the window and its deltas, and the
				 * namespace lines among and before them */
	size_t *nos;
	size_t n, cap;
	int keyed;		/* a key is among them */
};

static void pending_clear(struct pending *pd)
{
	for (size_t i = 0; i < pd->n; i++)
		free(pd->lines[i]);
	pd->n = 0;
	pd->keyed = 0;
}

static int is_namespace_line(const char *line)
{
	struct lhead h;

	return line_head(line, &h) && !strcmp(h.k, "namespace");
}

/* A key: what came before it goes, but the namespace lines just before
 * it, which the recorder writes for every key. */
static void pending_key(struct pending *pd)
{
	size_t from = pd->n, k = 0;

	while (from > 0 && is_namespace_line(pd->lines[from - 1]))
		from--;
	for (size_t i = 0; i < from; i++)
		free(pd->lines[i]);
	for (size_t i = from; i < pd->n; i++, k++) {
		pd->lines[k] = pd->lines[i];
		pd->nos[k] = pd->nos[i];
	}
	pd->n = k;
	pd->keyed = 1;
}

static int pending_add(struct pending *pd, const char *line, size_t no)
{
	if (pd->n == pd->cap) {
		size_t cap = pd->cap ? pd->cap * 2 : 64;
		char **nl = realloc(pd->lines, cap * sizeof(*nl));
		size_t *nn;

		if (!nl)
			return -ENOMEM;
		pd->lines = nl;
		nn = realloc(pd->nos, cap * sizeof(*nn));
		if (!nn)
			return -ENOMEM;
		pd->nos = nn;
		pd->cap = cap;
	}
	if (!(pd->lines[pd->n] = strdup(line)))
		return -ENOMEM;
	pd->nos[pd->n++] = no;
	return 0;
}

#define GARBAGE_RUN_MAX 10000	/* lines of garbage in a row: not a recording any more */

/* An exit line (snapshot --acct): kept when its PID is wanted and it
 * ended in the window (give or take a minute: a crash line is logged
 * after the exit, and a process that exited just before the window may
 * be what it is about). */
static void see_exit(struct replay *r, struct json_object *o, const char *where)
{
	struct dbp_recording *rec = r->rec;
	const struct dbp_rec_query *q = &rec->query;
	struct dbp_acct_rec a;
	const char *s;
	double d;

	memset(&a, 0, sizeof(a));
	if (jnum(o, "pid", 1, INT_MAX, &d) < 0) {
		note(rec, "%s: an exit without a \"pid\": skipped", where);
		return;
	}
	a.pid = (pid_t)d;
	if (jnum(o, "end", 0, EPOCH_MAX, &a.end) < 0 || !pid_wanted(rec, a.pid) ||
	    (q->from > 0 && a.end < q->from - 60) || (q->to > 0 && a.end > q->to + 60))
		return;
	if (jnum(o, "ppid", 0, INT_MAX, &d) == 0)
		a.ppid = (pid_t)d;
	if (jnum(o, "uid", 0, UINT32_MAX, &d) == 0)
		a.uid = (unsigned)d;
	if (jnum(o, "gid", 0, UINT32_MAX, &d) == 0)
		a.gid = (unsigned)d;
	if ((s = jstr(o, "comm")))
		snprintf(a.comm, sizeof(a.comm), "%s", s);
	if (jnum(o, "start", 0, EPOCH_MAX, &a.start) < 0)
		a.start = a.end;
	a.elapsed = a.end >= a.start ? a.end - a.start : 0;
	a.exit_code = jnum(o, "exit", 0, 255, &d) == 0 ? (int)d : -1;
	a.signal = jnum(o, "signal", 1, 127, &d) == 0 ? (int)d : 0;
	a.core = jget(o, "core", json_type_boolean) && json_object_get_boolean(jget(o, "core", json_type_boolean));
	if (rec->nexits == rec->capexits) {
		size_t cap = rec->capexits ? rec->capexits * 2 : 64;
		struct dbp_acct_rec *ne = realloc(rec->exits, cap * sizeof(*ne));

		if (!ne) {
			r->nomem = 1;
			return;
		}
		rec->exits = ne;
		rec->capexits = cap;
	}
	rec->exits[rec->nexits++] = a;
}

/* The strings of a namespace line, as printable as the recorder took them. */
static void take_str(struct json_object *o, const char *key, char *out, size_t size)
{
	const char *v = jstr(o, key);

	snprintf(out, size, "%s", v ? v : "");
}

/* A namespace line into n. Returns 0, or jnum's negative errno when its
 * "ns" names no namespace. */
static int parse_namespace(struct json_object *o, struct dbp_rec_pidns *n)
{
	double d;
	int rc;

	memset(n, 0, sizeof(*n));
	if ((rc = jnum(o, "ns", 1, TICKS_MAX, &d)) < 0)
		return rc;
	n->ino = (unsigned long long)d;
	if (jnum(o, "pid1", 1, INT_MAX, &d) == 0)
		n->pid1 = (pid_t)d;
	if (jnum(o, "pid1_start", 0, TICKS_MAX, &d) == 0)
		n->pid1_start = (unsigned long long)d;
	if (jnum(o, "t", 0, EPOCH_MAX, &d) == 0)
		n->first = n->last = d;
	take_str(o, "container_id", n->id, sizeof(n->id));
	take_str(o, "runtime", n->runtime, sizeof(n->runtime));
	take_str(o, "pod_uid", n->pod_uid, sizeof(n->pod_uid));
	take_str(o, "qos", n->qos, sizeof(n->qos));
	take_str(o, "name", n->name, sizeof(n->name));
	take_str(o, "image", n->image, sizeof(n->image));
	return 0;
}

/* A namespace line met in a replay: the inode is this namespace from
 * now on. */
static void see_namespace(struct replay *r, struct json_object *o, const char *where)
{
	struct dbp_rec_pidns n;
	long idx;
	size_t i;

	if (parse_namespace(o, &n) < 0) {
		note(r->rec, "%s: a namespace line without \"ns\": skipped", where);
		return;
	}
	idx = dbp_recording_pidns_add(r->rec, &n);
	if (idx < 0) {
		r->nomem = 1;
		return;
	}
	for (i = 0; i < r->ncurns && r->curns[i].ino != n.ino; i++)
		;
	if (i == r->ncurns) {
		if (r->ncurns == r->capcurns) {
			size_t cap = r->capcurns ? r->capcurns * 2 : 16;
			struct curns *nc = realloc(r->curns, cap * sizeof(*nc));

			if (!nc) {
				r->nomem = 1;
				return;
			}
			r->curns = nc;
			r->capcurns = cap;
		}
		r->curns[r->ncurns++].ino = n.ino;
	}
	r->curns[i].idx = idx;
}

/* One line of a file as its replay meets it: its head, and its object
 * once parsed -- a sample is parsed only where its text cannot be read a
 * process at a time. */
struct rline {
	struct replay *r;
	struct rfile *rf;
	const char *line;
	size_t no;
	int *dup_noted;		/* said once per file: 1 "not newer", 2 the clock went back */
	struct lhead h;
	struct json_object *o;	/* NULL until parsed */
	char where[4200];	/* "FILE:LINE" for notes: "" until one is written */
};

static const char *line_where(struct rline *l)
{
	if (!l->where[0])
		snprintf(l->where, sizeof(l->where), "%s:%zu", l->rf->f.path, l->no);
	return l->where;
}

/* Whether a delta holds anything the query reads (a key always does:
 * the time and counts are enough for one of nothing of ours) */
static int delta_wanted(const struct rline *l)
{
	const struct dbp_rec_query *q = &l->r->rec->query;

	/* nothing of the namespaces, or the PIDs, asked for */
	if (q->pidns ? !line_mentions_ns(l->r, l->line) : q->pids && !line_mentions(l->r, l->line))
		return 0;
	/* only changes, and those are not kept */
	return !(q->first_only && strstr(l->line, "\"new\":[],\"gone\":[]"));
}

/* A sample's processes into the recording: from the text a process at a
 * time where it can be, else from the parsed line. -1: the line is not
 * a recording's (noted), and no sample. */
static int sample_read(struct rline *l, int key)
{
	struct replay *r = l->r;
	struct dbp_recording *rec = r->rec;
	const struct dbp_rec_query *q = &rec->query;
	const char *where = line_where(l);
	size_t had = rec->nfpids;
	int filtered = 0;

	/* a key of some namespaces, or of some PIDs, is read for theirs
	 * only (key_filtered_ns, key_filtered) */
	if (!l->o && !((q->pids || q->pidns) && key) &&
	    replay_text(r, l->line, l->h.rest, key, l->h.t, where)) {
		/* read from the text, a process at a time */
	} else {
		if (!l->o) {
			filtered = key && (q->pids || q->pidns) && procs_by_pid(l->line);
			l->o = filtered && q->pidns ? key_filtered_ns(r, l->line) :
			       filtered ? key_filtered(rec, l->line) :
			       json_tokener_parse(l->line);
		}
		if (!l->o) {
			note(rec, "%s: not a line of a recording: skipped", where);
			rec->garbage++;
			return -1;
		}
		if (key)
			replay_key(r, l->o, l->h.t, where);
		else
			replay_delta(r, l->o, l->h.t, where);
		/* ancestors met in a key are in the same key: again with them */
		for (int k = 0; key && q->pids && rec->nfpids > had && k < 8; k++) {
			had = rec->nfpids;
			/* a key parsed whole holds them already */
			if (filtered && !q->pidns) {
				json_object_put(l->o);
				l->o = key_filtered(rec, l->line);
			}
			replay_key(r, l->o, l->h.t, where);
		}
	}
	if (!key && rec->nfpids > had && !rec->late_from)
		rec->late_from = l->h.t;
	return 0;
}

/* A sample counted: its time and counts, and where the file's samples
 * begin and end */
static void sample_count(struct rline *l)
{
	struct replay *r = l->r;
	struct dbp_rec_file *f = &l->rf->f;
	struct lhead *h = &l->h;

	/* the PID counter and the births are the node's, not one
	 * container's: nothing to count its missed processes by */
	if (r->rec->query.pidns)
		h->si.last_pid = h->si.born = h->si.threads = -1;
	if (add_sample(r->rec, &h->si) < 0)
		r->nomem = 1;
	r->last_t = h->t;
	r->have_t = 1;
	if (!f->samples++)
		f->first_t = h->t;
	/* the file's last sample is where the file ends, as its open
	 * found it (or later, when it grew since): not where a replay
	 * of a window stopped, or a file still written looks cut off */
	if (h->t > f->last_t)
		f->last_t = h->t;
}

/* "key" (every process) and "delta" (what changed) lines: a sample.
 * 1 once past the window asked for. */
static int replay_sample(struct rline *l)
{
	struct replay *r = l->r;
	struct dbp_recording *rec = r->rec;
	int key = !strcmp(l->h.k, "key");

	if (!l->h.have_t) {
		note(rec, "%s: a %s without a time \"t\": skipped", line_where(l), l->h.k);
		rec->garbage++;
		return 0;
	}
	if (rec->query.to > 0 && l->h.t > rec->query.to)
		return 1;
	if (r->have_t && l->h.t <= r->last_t && !l->rf->f.samples) {
		if (!(*l->dup_noted & 1))
			note(rec, "%s: samples not newer than the ones already read "
			     "(the same recording given twice?): skipped", line_where(l));
		*l->dup_noted |= 1;
		rec->duplicates++;
		return 0;
	}
	if (r->have_t && l->h.t <= r->last_t) {
		/* after a sample of this same file: a file is written in
		 * order, so the recorder's wall clock went back (an NTP step,
		 * a clock set by hand), and this is no sample read already.
		 * Skipped, its births and ends were lost -- a process born
		 * until the clock caught up was in no sample, one that ended
		 * then stayed to the next key. Replayed instead just after
		 * the sample before, a millisecond apart: the order is the
		 * file's, the times the clock's once it passes them again. */
		if (!(*l->dup_noted & 2)) {
			char a[32], b[32];

			note(rec, "%s: the recorder's clock went back %.3f s (a sample of %s UTC "
			     "after one of %s): its samples until the clock passes that one are "
			     "placed just after it, in the file's order", line_where(l),
			     r->last_t - l->h.t, dbp_time_format(l->h.t, a, sizeof(a)),
			     dbp_time_format(r->last_t, b, sizeof(b)));
		}
		*l->dup_noted |= 2;
		l->h.t = l->h.si.t = r->last_t + 0.001;
	}
	if ((key || delta_wanted(l)) && sample_read(l, key) < 0)
		return 0;
	sample_count(l);
	return 0;
}

static int replay_note(struct rline *l)
{
	const char *m = l->o ? jstr(l->o, "msg") : NULL;

	note(l->r->rec, "%s: recorder's note: %s", line_where(l), m ? m : "(empty)");
	return 0;
}

/* the recorder's namespace's PIDs */
static int replay_exit(struct rline *l)
{
	if (l->o && !l->r->rec->query.pidns)
		see_exit(l->r, l->o, line_where(l));
	return 0;
}

static int replay_namespace(struct rline *l)
{
	if (l->o)
		see_namespace(l->r, l->o, line_where(l));
	return 0;
}

static int replay_end(struct rline *l)
{
	const char *why = l->o ? jstr(l->o, "reason") : NULL;

	snprintf(l->rf->f.end_reason, sizeof(l->rf->f.end_reason), "%s", why ? why : "end");
	return 0;
}

static int replay_header(struct rline *l)
{
	note(l->r->rec, "%s: a second header inside a file: skipped", line_where(l));
	return 0;
}

/* The kinds of line a recording holds (dbpod-snapshot(1), RECORDING
 * FORMAT) past the header that opens each file; sample: parsed by the
 * replay only where it must be, the others always. */
static const struct {
	const char *kind;
	int sample;
	int (*replay)(struct rline *l);
} line_kinds[] = {
	{ "delta", 1, replay_sample },
	{ "key", 1, replay_sample },
	{ "note", 0, replay_note },
	{ "exit", 0, replay_exit },
	{ "namespace", 0, replay_namespace },
	{ "end", 0, replay_end },
	{ "header", 0, replay_header },
};

/* What replay_line returns beside 0 (go on) and 1 (the window is over):
 * GARBAGE_RUN_MAX lines in a row were no recording's, and the rest of the
 * file is skipped. Positive, so that no read error can be taken for it. */
#define REPLAY_GARBAGE 2

/* One line of a file, or with head given, the sample that head says
 * (replay_head). Returns 0; 1 when the window is over (stop);
 * REPLAY_GARBAGE. */
static int replay_line_head(struct replay *r, struct rfile *rf, const char *line, size_t no,
			    int *dup_noted, const struct lhead *head)
{
	const size_t nkinds = sizeof(line_kinds) / sizeof(line_kinds[0]);
	struct rline l;
	size_t k;
	int rc = 0;

	/* not zeroed whole: where is 4 KB, and this runs for every line */
	l.r = r;
	l.rf = rf;
	l.line = line;
	l.no = no;
	l.dup_noted = dup_noted;
	l.o = NULL;
	l.where[0] = '\0';
	if (head) {
		l.h = *head;
	} else if (!line_head(line, &l.h)) {
		l.o = json_tokener_parse(line);
		if (!l.o || !json_object_is_type(l.o, json_type_object) || !jstr(l.o, "k")) {
			note(r->rec, "%s: not a line of a recording: skipped", line_where(&l));
			r->rec->garbage++;
			json_object_put(l.o);
			return ++r->garbage_run >= GARBAGE_RUN_MAX ? REPLAY_GARBAGE : 0;
		}
		obj_head(l.o, &l.h);
	}
	r->garbage_run = 0;
	for (k = 0; k < nkinds && strcmp(l.h.k, line_kinds[k].kind); k++)
		;
	if (k == nkinds) {
		note(r->rec, "%s: unknown line kind \"%s\": skipped", line_where(&l), l.h.k);
	} else {
		if (!line_kinds[k].sample && !l.o)
			l.o = json_tokener_parse(line);
		rc = line_kinds[k].replay(&l);
	}
	json_object_put(l.o);
	return rc;
}

/* One line of a file. Returns 0; 1 when the window is over (stop);
 * REPLAY_GARBAGE. */
static int replay_line(struct replay *r, struct rfile *rf, const char *line, size_t no,
		       int *dup_noted)
{
	return replay_line_head(r, rf, line, no, dup_noted, NULL);
}

/* A sample of a member stepped over, given as its head (src: heads): the
 * delta without changes it stands for, replayed as its text would be but
 * without writing the text and reading it back, which was most of the
 * cost of the members a PID filter steps over. */
static const char empty_delta[] = "{\"k\":\"delta\",\"new\":[],\"gone\":[],\"changed\":[]}";

static int replay_head(struct replay *r, struct rfile *rf, const struct dbp_rec_sample *si,
		       size_t no, int *dup_noted)
{
	struct lhead h;

	memset(&h, 0, sizeof(h));
	snprintf(h.k, sizeof(h.k), "delta");
	h.si = *si;
	h.t = si->t;
	h.have_t = 1;
	h.rest = strchr(empty_delta, ',');	/* its lists, after the kind */
	return replay_line_head(r, rf, empty_delta, no, dup_noted, &h);
}

/* A member of deltas only may be stepped over when its PID filter names
 * none of the PIDs followed: those grow only from lines that name one. */
static int skip_member(void *arg, const struct dbp_recgz_member *m)
{
	const struct replay *r = arg;

	for (size_t i = 0; i < r->rec->nfpids; i++)
		if (dbp_recgz_bloom_has(m->bloom, r->rec->fpids[i]))
			return 0;
	return 1;
}

static const pid_t *followed(void *arg, size_t *n, int *ancestors)
{
	const struct replay *r = arg;

	*n = r->rec->nfpids;
	*ancestors = r->rec->query.ancestors;
	return r->rec->fpids;
}

/* Open rf for a replay and read its header into *hdr (src_next's code,
 * 1 read); with seek, for a window that begins well after the file's
 * first sample, go on to a point well before the key at or before the
 * window, skipping most of the file, and set *seeked. Returns src_open's
 * code: 0, or a negative errno with nothing open. */
static int replay_open(struct replay *r, struct rfile *rf, struct src *sr, int seek,
		       int *hdr, int *seeked)
{
	const struct dbp_rec_query *q = &r->rec->query;
	const char *line;
	int rc, before = q->from > 0;

	*seeked = 0;
	if ((rc = src_open(sr, rf)) < 0)
		return rc;
	if (sr->indexed) {
		/* a member at a time; members whose deltas name none of the
		 * PIDs followed are stepped over, unless they hold more than
		 * deltas */
		if (src_members(sr, 0) < 0)
			r->nomem = 1;
		if (q->pids && !q->pidns && !q->first_only) {
			sr->skip = skip_member;
			sr->followed = followed;
			sr->skip_arg = r;
		}
	}
	*hdr = src_next(sr, &line, NULL);	/* the header, checked */
	if (*hdr != 1 || !seek || !before || rf->f.first_t >= q->from - 2 * rf->f.keyframe)
		return 0;
	if (sr->indexed) {
		/* as for a plain file below: from well before the key at or
		 * before from, the last key member at or before that */
		double target = q->from - 2 * rf->f.keyframe - 2 * rf->f.interval;
		off_t at = 0;

		for (size_t i = 0; i < sr->ix.n && sr->ix.e[i].t <= target; i++)
			at = sr->ix.e[i].off;
		if (at > 0 && src_members(sr, at) == 0)
			sr->no = 0, *seeked = 1;	/* line numbers are not known after a seek */
	} else if (sr->rs && !dbp_recstream_compressed(sr->rs)) {
		/* well before the key at or before from: most of the file is skipped */
		off_t at = seek_point(sr, q->from - 2 * rf->f.keyframe - 2 * rf->f.interval);

		/* back to at even when it is the file's start: the bisection's
		 * probes left the stream past the key before from, and a replay
		 * from there meets the parents of the PIDs followed first in a
		 * delta (without their names), or not at all. At the start, the
		 * sync drops the header, read already. */
		if (dbp_recstream_seek(sr->rs, at) == 0 && dbp_recstream_sync(sr->rs) == 1 && at > 0)
			sr->no = 0, *seeked = 1;	/* line numbers are not known after a seek */
	}
	return 0;
}

/* Replay a file's lines after its header. Returns 1 when the window is
 * over (no later file is needed). */
static int replay_file(struct replay *r, struct rfile *rf)
{
	struct dbp_recording *rec = r->rec;
	const struct dbp_rec_query *q = &rec->query;
	struct pending pd = { 0 };
	struct src sr;
	const char *line;
	int dup_noted = 0, done = 0, rc, before = q->from > 0, seeked, err;

	rf->f.samples = 0;
	if (replay_open(r, rf, &sr, 1, &rc, &seeked) < 0)
		return 0;
	/* before the window, the lines are kept as text */
	sr.heads = !before;
	while (!done && !r->nomem && (rc = src_next(&sr, &line, NULL)) == 1) {
		size_t no = sr.no;

		if (!line) {
			done = replay_head(r, rf, &sr.head, no, &dup_noted) != 0;
			continue;
		}
		if (before) {
			struct lhead h;

			if (line_head(line, &h) && !strcmp(h.k, "namespace")) {
				/* in order with the samples: which namespace an
				 * inode is depends on when */
				if (pending_add(&pd, line, no) < 0)
					r->nomem = 1;
				continue;
			}
			if (line_head(line, &h) && h.have_t && h.t < q->from) {
				/* before the window: keep the last key and its deltas */
				if (!strcmp(h.k, "key"))
					pending_key(&pd);
				if ((!strcmp(h.k, "key") || (pd.keyed && !strcmp(h.k, "delta"))) &&
				    pending_add(&pd, line, no) < 0)
					r->nomem = 1;
				continue;
			}
			if ((!line_head(line, &h) || h.have_t) && seeked && !pd.keyed) {
				/* the seek went past the last key before the
				 * window: the header's keyframe promised one
				 * within it, and the file does not keep that
				 * promise (a recorder stopped, a file put
				 * together by hand). A window built from
				 * deltas alone would show processes without
				 * their parents and names: from the start. */
				pending_clear(&pd);
				src_close(&sr);
				if ((err = replay_open(r, rf, &sr, 0, &rc, &seeked)) < 0) {
					rc = err;	/* said below, as any read error */
					break;
				}
				continue;
			}
			if (!line_head(line, &h) || h.have_t) {
				/* the window begins: what led to it first */
				before = 0;
				for (size_t i = 0; i < pd.n && !rec->window_from; i++)
					if (line_head(pd.lines[i], &h) && !strcmp(h.k, "key"))
						rec->window_from = h.t;
				for (size_t i = 0; i < pd.n && !done; i++)
					done = replay_line(r, rf, pd.lines[i], pd.nos[i], &dup_noted) != 0;
				pending_clear(&pd);
				sr.heads = 1;
				if (!done)
					r->before_done = 1;
			}
		}
		rc = replay_line(r, rf, line, no, &dup_noted);
		if (rc == REPLAY_GARBAGE) {
			note(rec, "%s:%zu: %d lines in a row are not a recording's: the rest of "
			     "the file is skipped", rf->f.path, no, GARBAGE_RUN_MAX);
			break;
		}
		done = rc;
	}
	/* a window after this file's last sample: its end is what there is */
	for (size_t i = 0; i < pd.n && !done; i++)
		done = replay_line(r, rf, pd.lines[i], pd.nos[i], &dup_noted) != 0;
	if (rc == -E2BIG)
		note(rec, "%s:%zu: a line longer than %u bytes: not a recording's; the rest of "
		     "the file is skipped", rf->f.path, sr.no + 1, DBP_LINE_MAX);
	else if (rc < 0 && !done)
		note(rec, "%s: cannot read: %s", rf->f.path, dbp_open_strerror(rc));
	if (sr.bad_member)
		note(rec, "%s: a block of the compressed file is not where its index says: "
		     "the file was read on from there as a plain gzip stream", rf->f.path);
	if (sr.rs && dbp_recstream_cut(sr.rs)) {
		rf->cut = 1;
		note(rec, "%s: the compressed data is cut short or corrupt after line %zu: "
		     "the lines before are used", rf->f.path, sr.no);
	}
	if (sr.torn && !done) {
		rf->torn = 1;
		note(rec, "%s:%zu: torn last line (the recorder was killed or the machine "
		     "lost power while writing): skipped", rf->f.path, sr.no + 1);
	}
	pending_clear(&pd);
	free(pd.lines);
	free(pd.nos);
	src_close(&sr);
	return done;
}

/* When a file was begun: its header's "started", else (a header without
 * it, of another tool or put together by hand) its first sample, which
 * the recorder takes within a second of it. Taken as 0, such a file went
 * first, and every sample of the files begun before it was skipped as
 * not newer than its own. */
static double file_began(const struct rfile *x)
{
	return x->f.started > 0 ? x->f.started : x->f.first_t;
}

static int cmp_files(const void *a, const void *b)
{
	const struct rfile *x = a, *y = b;
	double bx = file_began(x), by = file_began(y);

	if (!x->f.version != !y->f.version)
		return !x->f.version ? 1 : -1;
	if (bx != by)
		return bx < by ? -1 : 1;
	if (x->f.file_index != y->f.file_index)
		return x->f.file_index < y->f.file_index ? -1 : 1;
	return 0;
}

/* Whether rf was recorded in another boot than ref: their boot_ids
 * differ; without them (files of 0.1), rf's machine booted after the
 * last sample seen of the files merged so far. A boot time that merely
 * differs is the same boot: /proc/stat's btime is the wall clock minus
 * the time since boot, and moves with every step of the clock. */
static int another_boot(const struct rfile *ref, const struct rfile *rf, double seen)
{
	if (ref->f.boot_id[0] && rf->f.boot_id[0])
		return strcmp(ref->f.boot_id, rf->f.boot_id) != 0;
	return ref->f.boot_time && rf->f.boot_time && rf->f.boot_time != ref->f.boot_time &&
	       (double)rf->f.boot_time > seen;
}

/* The files of one story: one PID namespace on one host, and no file of
 * a rotated run left out. */
static void check_set(struct dbp_recording *rec, struct rfile *rfs, size_t n)
{
	const struct rfile *ref = NULL, *prev = NULL;
	double seen = 0;	/* the last time a merged file was sampled */

	for (size_t i = 0; i < n; i++) {
		struct rfile *rf = &rfs[i];

		if (!rf->f.version)
			continue;
		if (!ref) {
			ref = rf;
		} else if (another_boot(ref, rf, seen)) {
			/* On a node the PID namespace (the host's, the same
			 * inode at every boot) and the hostname match, but the
			 * PIDs and start times are another boot's. */
			if (ref->f.boot_id[0] && rf->f.boot_id[0])
				note(rec, "%s: recorded after a reboot (boot_id %s, where %s has "
				     "%s): its PIDs are not the same processes, so it is not "
				     "merged; read it on its own", rf->f.path, rf->f.boot_id,
				     ref->f.path, ref->f.boot_id);
			else
				note(rec, "%s: recorded after a reboot (booted %.0f s after %s's "
				     "last sample): its PIDs are not the same processes, so it is "
				     "not merged; read it on its own", rf->f.path,
				     (double)rf->f.boot_time - seen, prev ? prev->f.path : ref->f.path);
			rf->f.version = 0;
			rec->other_ns++;
			continue;
		} else if ((ref->f.pid_ns && rf->f.pid_ns && ref->f.pid_ns != rf->f.pid_ns) ||
			   (ref->f.hostname[0] && rf->f.hostname[0] &&
			    strcmp(ref->f.hostname, rf->f.hostname))) {
			note(rec, "%s: recorded in another PID namespace or on another host "
			     "(pid_ns %llu on %s; %s has pid_ns %llu on %s): its PIDs are not "
			     "the same processes, so it is not merged; read it on its own",
			     rf->f.path, rf->f.pid_ns, rf->f.hostname, ref->f.path,
			     ref->f.pid_ns, ref->f.hostname);
			rf->f.version = 0;
			rec->other_ns++;
			continue;
		}
		if (prev && rf->f.file_index > prev->f.file_index + 1) {
			if (rf->f.file_index == prev->f.file_index + 2)
				note(rec, "a file of the rotated recording is missing: the one with "
				     "file_index %ld, between %s and %s (rotated away by --keep, or "
				     "not given)", prev->f.file_index + 1, prev->f.path, rf->f.path);
			else
				note(rec, "files of the rotated recording are missing: those with "
				     "file_index %ld to %ld, between %s and %s (rotated away by "
				     "--keep, or not given)", prev->f.file_index + 1,
				     rf->f.file_index - 1, prev->f.path, rf->f.path);
			rec->missing_files += (size_t)(rf->f.file_index - prev->f.file_index - 1);
		}
		prev = rf;
		if (rf->f.last_t > seen)
			seen = rf->f.last_t;
		if (rf->f.started > seen)
			seen = rf->f.started;
	}
}

static void rfiles_free(struct rfile *rfs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(rfs[i].f.path);
	free(rfs);
}

static int open_all(struct dbp_recording *rec, struct rfile *rfs, size_t n)
{
	size_t usable = 0, bad = 0;

	for (size_t i = 0; i < n; i++) {
		check_header(rec, &rfs[i]);
		if (rfs[i].f.version)
			probe_span(&rfs[i]);
	}
	qsort(rfs, n, sizeof(*rfs), cmp_files);
	check_set(rec, rfs, n);
	rec->files = calloc(n ? n : 1, sizeof(*rec->files));
	if (!rec->files)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (rfs[i].f.version) {
			if (!rec->interval)
				rec->interval = rfs[i].f.interval;
			if (!usable++)
				rec->span_from = rfs[i].f.first_t;
			if (rfs[i].f.last_t > rec->span_to)
				rec->span_to = rfs[i].f.last_t;
		} else if (!rfs[i].f.acct_spool) {
			rec->refused++;
			bad += rfs[i].bad || rfs[i].empty;
		}
		rec->files[i] = rfs[i].f;
		rec->have_acct |= rfs[i].f.version && rfs[i].f.acct;
		rec->all_containers |= rfs[i].f.version && rfs[i].f.all_containers;
		rfs[i].f.path = NULL;
		rec->nfiles++;
	}
	rec->not_recording = !usable && bad == n;
	return 0;
}

/* Forget what a replay built (files and notes stay). */
static void replay_clear(struct dbp_recording *rec)
{
	for (size_t i = 0; i < rec->nprocs; i++) {
		for (size_t k = 0; k < rec->procs[i].nv; k++)
			dbp_proc_clear(&rec->procs[i].v[k].p);
		free(rec->procs[i].v);
	}
	free(rec->procs);
	free(rec->bypid);
	free(rec->samples);
	free(rec->sinfo);
	rec->bypid = NULL;
	rec->nbypid = 0;
	rec->procs = NULL;
	rec->samples = NULL;
	rec->sinfo = NULL;
	rec->nprocs = rec->capprocs = rec->nsamples = 0;
	rec->garbage = rec->torn = rec->duplicates = 0;
	rec->window_from = 0;
	free(rec->fpids);
	rec->fpids = NULL;
	rec->nfpids = 0;
	free(rec->sel_pidns);
	rec->sel_pidns = NULL;
	rec->late_from = 0;
	free(rec->exits);
	free(rec->exits_bypid);
	free(rec->exits_byend);
	rec->exits = NULL;
	rec->exits_bypid = rec->exits_byend = NULL;
	rec->nexits = rec->capexits = rec->nexitsix = 0;
}

int dbp_recording_replay(struct dbp_recording *rec, const struct dbp_rec_query *q)
{
	struct replay r;
	struct rfile rf;
	int rc;

	replay_clear(rec);
	memset(&rec->query, 0, sizeof(rec->query));
	if (q)
		rec->query = *q;
	if (rec->query.pids) {
		rec->fpids = malloc((rec->query.npids + 1) * sizeof(*rec->fpids));
		if (!rec->fpids)
			return -ENOMEM;
		memcpy(rec->fpids, rec->query.pids, rec->query.npids * sizeof(*rec->fpids));
		rec->nfpids = rec->query.npids;
		/* the caller's array may go: the filter is ours */
		rec->query.pids = rec->fpids;
	}
	rec->renumbered = rec->query.pidns != NULL;
	if (rec->query.pidns) {
		size_t *sel = malloc((rec->query.npidns + 1) * sizeof(*sel));

		if (!sel)
			return -ENOMEM;
		memcpy(sel, rec->query.pidns, rec->query.npidns * sizeof(*sel));
		/* the caller's array may go, as the PID filter's */
		rec->sel_pidns = sel;
		rec->query.pidns = sel;
	}
	memset(&r, 0, sizeof(r));
	r.rec = rec;
	if (rehash(&r) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < rec->nfiles && !r.nomem; i++) {
		int done;

		if (!rec->files[i].version)
			continue;
		/* a file wholly before the window: skipped, unless its end
		 * is all there is before the window (its last key) */
		if (rec->query.from > 0 && rec->files[i].last_t > 0 &&
		    rec->files[i].last_t < rec->query.from && i + 1 < rec->nfiles &&
		    rec->files[i + 1].version && rec->files[i + 1].first_t > 0 &&
		    rec->files[i + 1].first_t <= rec->query.from)
			continue;
		memset(&rf, 0, sizeof(rf));
		rf.f = rec->files[i];
		rf.text = rec->text;
		r.file = (int)i;
		done = replay_file(&r, &rf);
		rec->torn += (size_t)rf.torn;
		rf.f.path = rec->files[i].path;
		rec->files[i] = rf.f;
		if (done)
			break;
	}
	for (size_t j = 0; j < r.nlive; j++)
		live_last(&r, r.live[j]);
	{
		size_t nlines = rec->nexits;

		rec->spooled = 0;
		/* the exit lines indexed, for spool_dup (again below, with
		 * the spool's) */
		if (dbp_recording_index(rec) < 0)
			r.nomem = 1;
		for (size_t i = 0; i < rec->nfiles; i++)
			if (rec->files[i].acct_spool)
				spool_read(rec, &rec->files[i], nlines);
		rec->have_acct |= rec->spooled > 0;
	}
	/* what the replay read, the spool's exits with it */
	if (!r.nomem && dbp_recording_index(rec) < 0)
		r.nomem = 1;
	free(r.hash);
	free(r.live);
	free(r.livepos);
	free(r.mark);
	free(r.curns);
	free(r.kept);
	if (r.tok)
		json_tokener_free(r.tok);
	rc = r.nomem ? -ENOMEM : (int)(rec->nsamples > 0x7fffffff ? 0x7fffffff : rec->nsamples);
	return rc;
}

int dbp_recording_open(struct dbp_recording *rec, char *const *paths, size_t npaths)
{
	struct rfile *rfs = calloc(npaths ? npaths : 1, sizeof(*rfs));
	int rc;

	if (!rfs)
		return -ENOMEM;
	for (size_t i = 0; i < npaths; i++) {
		rfs[i].f.path = strdup(paths[i]);
		if (!rfs[i].f.path) {
			rfiles_free(rfs, npaths);
			return -ENOMEM;
		}
	}
	rc = open_all(rec, rfs, npaths);
	rfiles_free(rfs, npaths);
	return rc;
}

int dbp_recording_namespaces(struct dbp_recording *rec)
{
	for (size_t i = 0; i < rec->nfiles; i++) {
		struct rfile rf;
		struct src sr;
		const char *line;
		struct lhead h;

		if (!rec->files[i].version || !rec->files[i].all_containers)
			continue;
		memset(&rf, 0, sizeof(rf));
		rf.f = rec->files[i];
		rf.text = rec->text;
		if (src_open(&sr, &rf) < 0)
			continue;
		/* only the namespace lines are parsed: the samples are most
		 * of the file, and their heads say what they are */
		while (src_next(&sr, &line, NULL) == 1) {
			struct json_object *o;
			struct dbp_rec_pidns n;

			if (!line_head(line, &h) || strcmp(h.k, "namespace"))
				continue;
			o = json_tokener_parse(line);
			if (o && json_object_is_type(o, json_type_object) && parse_namespace(o, &n) == 0 &&
			    dbp_recording_pidns_add(rec, &n) < 0) {
				json_object_put(o);
				src_close(&sr);
				return -ENOMEM;
			}
			json_object_put(o);
		}
		src_close(&sr);
	}
	return (int)(rec->npidns > 0x7fffffff ? 0x7fffffff : rec->npidns);
}

int dbp_recording_read(struct dbp_recording *rec, char *const *paths, size_t npaths)
{
	int rc = dbp_recording_open(rec, paths, npaths);

	return rc < 0 ? rc : dbp_recording_replay(rec, NULL);
}

int dbp_recording_read_text(struct dbp_recording *rec, const char *path, const char *text)
{
	struct rfile *rf = calloc(1, sizeof(*rf));
	int rc;

	if (!rf || !(rf->f.path = strdup(path)) || !(rec->text = strdup(text))) {
		rfiles_free(rf, rf ? 1 : 0);
		return -ENOMEM;
	}
	rf->text = rec->text;
	rc = open_all(rec, rf, 1);
	rfiles_free(rf, 1);
	return rc < 0 ? rc : dbp_recording_replay(rec, NULL);
}

