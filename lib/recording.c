/*
 * The recording reader: JSON Lines of `dbpod snapshot -o` replayed into a
 * timeline of process lifetimes (recording.h). Files are read whole with
 * zlib, which reads plain files as well as gzip-compressed ones, then
 * ordered and replayed sample by sample: a key replaces the set of live
 * processes, a delta adds, removes and changes some.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include "recording.h"
#include "sigset.h"
#include "slurp.h"

#define MAX_NOTES 50

struct line {
	char *text;
	size_t no;		/* 1-based line number */
};

struct rfile {
	struct dbp_rec_file f;
	struct line *lines;
	size_t n, cap;
	int torn;		/* the last line had no '\n' */
	int empty;
	int error;		/* a negative errno when it could not be read */
	int cut;		/* a compressed stream ended early: the text before it is used */
};

/* The replay state: identities by (pid, start) in an open-addressing hash,
 * and the list of those live in the last sample. */
struct replay {
	struct dbp_recording *rec;
	size_t *hash;		/* index + 1 into rec->procs; 0 empty */
	size_t hcap;
	size_t *live;
	size_t nlive, caplive;
	unsigned *mark;		/* generation of the last key that listed it */
	unsigned gen;
	double last_t;
	int have_t;
	int file;
	int nomem;
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
	nn = realloc(rec->notes, (rec->nnotes + 1) * sizeof(*nn));
	if (!nn) {
		free(s);
		return;
	}
	rec->notes = nn;
	rec->notes[rec->nnotes++] = s;
}

void dbp_recording_init(struct dbp_recording *rec)
{
	memset(rec, 0, sizeof(*rec));
}

static void proc_clear(struct dbp_proc *p)
{
	if (p->argv) {
		for (char **a = p->argv; *a; a++)
			free(*a);
		free(p->argv);
		p->argv = NULL;
	}
}

void dbp_recording_free(struct dbp_recording *rec)
{
	for (size_t i = 0; i < rec->nprocs; i++) {
		for (size_t k = 0; k < rec->procs[i].nv; k++)
			proc_clear(&rec->procs[i].v[k].p);
		free(rec->procs[i].v);
	}
	free(rec->procs);
	for (size_t i = 0; i < rec->nfiles; i++)
		free(rec->files[i].path);
	free(rec->files);
	for (size_t i = 0; i < rec->nnotes; i++)
		free(rec->notes[i]);
	free(rec->notes);
	free(rec->samples);
	memset(rec, 0, sizeof(*rec));
}

/* ---- reading files into lines ---- */

static int add_line(struct rfile *rf, char *text, size_t no)
{
	if (rf->n == rf->cap) {
		size_t cap = rf->cap ? rf->cap * 2 : 256;
		struct line *nl = realloc(rf->lines, cap * sizeof(*nl));

		if (!nl)
			return -ENOMEM;
		rf->lines = nl;
		rf->cap = cap;
	}
	rf->lines[rf->n].text = text;
	rf->lines[rf->n].no = no;
	rf->n++;
	return 0;
}

/* Split text into lines; a last line without '\n' is torn. A line with a
 * NUL byte in it (a zero-filled block after a crash) is kept empty, so that
 * it counts as garbage. */
static int split_text(struct rfile *rf, const char *text, size_t size)
{
	const char *end = text + size;
	size_t no = 0;

	if (!size)
		rf->empty = 1;
	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t len = nl ? (size_t)(nl - text) : (size_t)(end - text);
		char *s;

		no++;
		if (!nl) {
			rf->torn = 1;
			break;
		}
		s = memchr(text, '\0', len) ? strdup("") : strndup(text, len);
		if (!s || add_line(rf, s, no) < 0) {
			free(s);
			return -ENOMEM;
		}
		text = nl + 1;
	}
	rf->f.lines = no;
	return 0;
}

static int read_file(struct rfile *rf, const char *path)
{
	char *buf;
	size_t len;
	int rc = dbp_slurp(path, &buf, &len);

	if (rc < 0)
		return rc;
	rf->cut = rc == 1;
	rc = split_text(rf, buf, len);
	free(buf);
	return rc;
}

/* ---- JSON helpers ---- */

/* A number within [lo, hi]; anything else (absent, not a number, NaN,
 * out of range) is -1, so that converting it to an integer type is never
 * undefined (found by fuzz/fuzz_recording). */
static int jnum(struct json_object *o, const char *key, double lo, double hi, double *out)
{
	struct json_object *v;
	double d;

	if (!json_object_object_get_ex(o, key, &v))
		return -1;
	if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
		return -1;
	d = json_object_get_double(v);
	if (!(d >= lo && d <= hi))
		return -1;
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

static int parse_header(struct rfile *rf, struct json_object *o)
{
	double d;
	const char *s;

	rf->f.version = jnum(o, "dbpod_recording", 0, INT_MAX, &d) == 0 ? (int)d : 1;
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
		if (r->rec->procs[i - 1].pid == pid && r->rec->procs[i - 1].start == start)
			return (long)(i - 1);
	}
}

static int rehash(struct replay *r)
{
	size_t cap = r->hcap ? r->hcap * 2 : 1024;
	size_t *h = calloc(cap, sizeof(*h));
	unsigned *m = realloc(r->mark, cap / 2 * sizeof(*m));

	if (!h || !m) {
		free(h);
		if (m)
			r->mark = m;
		return -ENOMEM;
	}
	memset(m + r->hcap / 2, 0, (cap / 2 - r->hcap / 2) * sizeof(*m));
	r->mark = m;
	free(r->hash);
	r->hash = h;
	r->hcap = cap;
	for (size_t i = 0; i < r->rec->nprocs; i++) {
		size_t s = hslot(r, r->rec->procs[i].pid, r->rec->procs[i].start);

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
	return 0;
}

static void live_remove(struct replay *r, size_t idx)
{
	for (size_t i = 0; i < r->nlive; i++)
		if (r->live[i] == idx) {
			r->live[i] = r->live[--r->nlive];
			return;
		}
}

static int is_live(const struct replay *r, size_t idx)
{
	for (size_t i = 0; i < r->nlive; i++)
		if (r->live[i] == idx)
			return 1;
	return 0;
}

static int copy_proc(struct dbp_proc *dst, const struct dbp_proc *src)
{
	*dst = *src;
	dst->argv = NULL;
	return dbp_proc_set_argv(dst, (const char *const *)src->argv);
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
	return a->ppid == b->ppid && a->state == b->state && !strcmp(a->comm, b->comm) &&
	       argv_equal(a->argv, b->argv) && a->uid == b->uid && !strcmp(a->user, b->user) &&
	       !memcmp(&a->sig, &b->sig, sizeof(a->sig)) && a->oom_adj == b->oom_adj &&
	       a->have == b->have;
}

/* Apply the fields present in o (a PROC or a "changed" entry) to p. */
static int apply_fields(struct dbp_proc *p, struct json_object *o)
{
	struct json_object *v, *sig;
	const char *s;
	double d;

	if (jnum(o, "ppid", 0, INT_MAX, &d) == 0)
		p->ppid = (pid_t)d;
	if ((s = jstr(o, "state")) && *s)
		p->state = *s;
	if ((s = jstr(o, "comm")))
		snprintf(p->comm, sizeof(p->comm), "%s", s);
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
	/* no flags in the recording: kernel threads are the children of kthreadd */
	p->kthread = (!p->argv && p->state != 'Z' && (p->pid == 2 || p->ppid == 2)) && p->pid != 1;
	return 0;
}

static int add_version(struct dbp_rec_proc *rp, double t, const struct dbp_proc *p)
{
	struct dbp_rec_version *nv = realloc(rp->v, (rp->nv + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	rp->v = nv;
	rp->v[rp->nv].t = t;
	if (copy_proc(&rp->v[rp->nv].p, p) < 0)
		return -ENOMEM;
	rp->nv++;
	return 0;
}

static int ident_of(struct json_object *o, pid_t *pid, unsigned long long *start)
{
	double p, s;

	if (jnum(o, "pid", 0, INT_MAX, &p) < 0 || jnum(o, "start", 0, TICKS_MAX, &s) < 0)
		return -1;
	*pid = (pid_t)p;
	*start = (unsigned long long)s;
	return 0;
}

/* A PROC seen in a sample at t: a new identity, or new fields for a known
 * one. Returns its index, or -1 on a malformed PROC / no memory. */
static long see_proc(struct replay *r, struct json_object *o, double t, const char *where)
{
	struct dbp_recording *rec = r->rec;
	struct dbp_rec_proc *rp;
	struct dbp_proc p;
	pid_t pid;
	unsigned long long start;
	long idx;

	if (ident_of(o, &pid, &start) < 0) {
		note(rec, "%s: a process without \"pid\" and \"start\": skipped", where);
		return -1;
	}
	idx = find_ident(r, pid, start);
	if (idx >= 0) {
		rp = &rec->procs[idx];
		if (copy_proc(&p, &rp->v[rp->nv - 1].p) < 0 || apply_fields(&p, o) < 0)
			goto nomem;
		if (!same_fields(&p, &rp->v[rp->nv - 1].p) && add_version(rp, t, &p) < 0)
			goto nomem;
		proc_clear(&p);
		return idx;
	}
	if (rec->nprocs == rec->capprocs) {
		size_t cap = rec->capprocs ? rec->capprocs * 2 : 256;
		struct dbp_rec_proc *np = realloc(rec->procs, cap * sizeof(*np));

		if (!np)
			return r->nomem = 1, -1;
		rec->procs = np;
		rec->capprocs = cap;
	}
	if ((rec->nprocs + 1) * 2 > r->hcap && rehash(r) < 0)
		return r->nomem = 1, -1;
	memset(&p, 0, sizeof(p));
	p.pid = pid;
	p.start_ticks = start;
	p.state = '?';
	if (apply_fields(&p, o) < 0)
		goto nomem;
	rp = &rec->procs[rec->nprocs];
	memset(rp, 0, sizeof(*rp));
	rp->pid = pid;
	rp->start = start;
	rp->first = rp->last = t;
	rp->file = r->file;
	if (add_version(rp, t, &p) < 0)
		goto nomem;
	proc_clear(&p);
	{
		size_t s = hslot(r, pid, start);

		while (r->hash[s])
			s = (s + 1) & (r->hcap - 1);
		r->hash[s] = rec->nprocs + 1;
	}
	r->mark[rec->nprocs] = 0;
	return (long)rec->nprocs++;
nomem:
	proc_clear(&p);
	r->nomem = 1;
	return -1;
}

static int add_sample(struct dbp_recording *rec, double t)
{
	if (!(rec->nsamples & (rec->nsamples - 1)) || !rec->nsamples) {
		size_t cap = rec->nsamples ? rec->nsamples * 2 : 64;
		double *ns = realloc(rec->samples, cap * sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		rec->samples = ns;
	}
	rec->samples[rec->nsamples++] = t;
	return 0;
}

static void replay_key(struct replay *r, struct json_object *o, double t, const char *where)
{
	struct json_object *procs = jget(o, "procs", json_type_array);
	size_t n = procs ? json_object_array_length(procs) : 0;

	r->gen++;
	for (size_t i = 0; i < n; i++) {
		long idx = see_proc(r, json_object_array_get_idx(procs, i), t, where);

		if (idx >= 0) {
			if (!is_live(r, (size_t)idx) && r->mark[idx] != r->gen &&
			    live_add(r, (size_t)idx) < 0)
				r->nomem = 1;
			r->mark[idx] = r->gen;
		}
	}
	/* those the key does not list are gone */
	for (size_t i = 0; i < r->nlive;) {
		if (r->mark[r->live[i]] != r->gen) {
			r->rec->procs[r->live[i]].gone = 1;
			r->live[i] = r->live[--r->nlive];
		} else {
			i++;
		}
	}
}

static void replay_delta(struct replay *r, struct json_object *o, double t, const char *where)
{
	struct json_object *a;
	size_t n;

	if ((a = jget(o, "gone", json_type_array))) {
		n = json_object_array_length(a);
		for (size_t i = 0; i < n; i++) {
			struct json_object *g = json_object_array_get_idx(a, i);
			long idx;

			if (!json_object_is_type(g, json_type_array) || json_object_array_length(g) < 2)
				continue;
			idx = find_ident(r, (pid_t)json_object_get_int(json_object_array_get_idx(g, 0)),
					 (unsigned long long)json_object_get_int64(json_object_array_get_idx(g, 1)));
			if (idx >= 0) {
				r->rec->procs[idx].gone = 1;
				live_remove(r, (size_t)idx);
			}
		}
	}
	if ((a = jget(o, "new", json_type_array))) {
		n = json_object_array_length(a);
		for (size_t i = 0; i < n; i++) {
			long idx = see_proc(r, json_object_array_get_idx(a, i), t, where);

			if (idx >= 0 && !is_live(r, (size_t)idx) && live_add(r, (size_t)idx) < 0)
				r->nomem = 1;
		}
	}
	if ((a = jget(o, "changed", json_type_array))) {
		n = json_object_array_length(a);
		for (size_t i = 0; i < n; i++) {
			struct json_object *c = json_object_array_get_idx(a, i);
			pid_t pid;
			unsigned long long start;

			/* a change of a process never seen new: taken as new */
			if (ident_of(c, &pid, &start) == 0) {
				long idx = see_proc(r, c, t, where);

				if (idx >= 0 && !is_live(r, (size_t)idx) && live_add(r, (size_t)idx) < 0)
					r->nomem = 1;
			}
		}
	}
}

static void replay_file(struct replay *r, struct rfile *rf)
{
	struct dbp_recording *rec = r->rec;
	int dup_noted = 0;

	for (size_t i = 1; i < rf->n && !r->nomem; i++) {
		struct json_object *o = json_tokener_parse(rf->lines[i].text);
		const char *k = o && json_object_is_type(o, json_type_object) ? jstr(o, "k") : NULL;
		char where[4200];
		double t;

		snprintf(where, sizeof(where), "%s:%zu", rf->f.path, rf->lines[i].no);
		if (!k) {
			note(rec, "%s: not a line of a recording: skipped", where);
			rec->garbage++;
		} else if (!strcmp(k, "key") || !strcmp(k, "delta")) {
			if (jnum(o, "t", 0, EPOCH_MAX, &t) < 0) {
				note(rec, "%s: a %s without a time \"t\": skipped", where, k);
				rec->garbage++;
			} else if (r->have_t && t <= r->last_t) {
				if (!dup_noted++)
					note(rec, "%s: samples not newer than the ones already read "
					     "(the same recording given twice?): skipped", where);
				rec->duplicates++;
			} else {
				if (!strcmp(k, "key"))
					replay_key(r, o, t, where);
				else
					replay_delta(r, o, t, where);
				for (size_t j = 0; j < r->nlive; j++)
					rec->procs[r->live[j]].last = t;
				if (add_sample(rec, t) < 0)
					r->nomem = 1;
				r->last_t = t;
				r->have_t = 1;
				if (!rf->f.samples++)
					rf->f.first_t = t;
				rf->f.last_t = t;
			}
		} else if (!strcmp(k, "note")) {
			const char *m = jstr(o, "msg");

			note(rec, "%s: recorder's note: %s", where, m ? m : "(empty)");
		} else if (!strcmp(k, "end")) {
			const char *why = jstr(o, "reason");

			snprintf(rf->f.end_reason, sizeof(rf->f.end_reason), "%s", why ? why : "end");
		} else if (!strcmp(k, "header")) {
			note(rec, "%s: a second header inside a file: skipped", where);
		} else {
			note(rec, "%s: unknown line kind \"%s\": skipped", where, k);
		}
		json_object_put(o);
	}
}

static int cmp_files(const void *a, const void *b)
{
	const struct rfile *x = a, *y = b;

	if (!x->f.version != !y->f.version)
		return !x->f.version ? 1 : -1;
	if (x->f.started != y->f.started)
		return x->f.started < y->f.started ? -1 : 1;
	if (x->f.file_index != y->f.file_index)
		return x->f.file_index < y->f.file_index ? -1 : 1;
	return 0;
}

/* Check the header line; on a problem, say so and leave version 0. */
static void check_header(struct dbp_recording *rec, struct rfile *rf)
{
	struct json_object *o;
	const char *k;

	if (rf->error) {
		note(rec, "%s: cannot read: %s", rf->f.path, strerror(-rf->error));
		return;
	}
	if (rf->empty || (!rf->n && !rf->torn)) {
		note(rec, "%s: the file is empty: no header, no samples", rf->f.path);
		return;
	}
	if (rf->cut)
		note(rec, "%s: the compressed data is cut short or corrupt after line %zu: "
		     "the lines before are used", rf->f.path, rf->f.lines);
	if (rf->torn)
		note(rec, "%s:%zu: torn last line (the recorder was killed or the machine "
		     "lost power while writing): skipped", rf->f.path, rf->f.lines);
	if (!rf->n) {
		note(rec, "%s: no complete line: not a usable recording", rf->f.path);
		return;
	}
	o = json_tokener_parse(rf->lines[0].text);
	k = o && json_object_is_type(o, json_type_object) ? jstr(o, "k") : NULL;
	if (!k || strcmp(k, "header")) {
		note(rec, "%s:1: the first line is not a dbpod recording header: the file "
		     "is skipped", rf->f.path);
	} else {
		parse_header(rf, o);
		if (rf->f.version > DBP_RECORDING_VERSION) {
			note(rec, "%s: written by a newer dbpod (recording format %d; this "
			     "dbpod reads up to %d): the file is skipped; read it with a newer "
			     "dbpod postmortem", rf->f.path, rf->f.version, DBP_RECORDING_VERSION);
			rf->f.version = 0;
		} else if (rf->f.version < 1) {
			note(rec, "%s:1: recording format %d is not known: the file is skipped",
			     rf->f.path, rf->f.version);
			rf->f.version = 0;
		}
	}
	json_object_put(o);
}

static int replay_all(struct dbp_recording *rec, struct rfile *rfs, size_t n)
{
	struct replay r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.rec = rec;
	for (size_t i = 0; i < n; i++)
		check_header(rec, &rfs[i]);
	qsort(rfs, n, sizeof(*rfs), cmp_files);
	rec->files = calloc(n ? n : 1, sizeof(*rec->files));
	if (!rec->files)
		return -ENOMEM;
	if (rehash(&r) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		r.file = (int)i;
		if (rfs[i].f.version) {
			if (!rec->interval)
				rec->interval = rfs[i].f.interval;
			replay_file(&r, &rfs[i]);
		} else {
			rec->refused++;
		}
		rec->torn += (size_t)rfs[i].torn;
		rec->files[i] = rfs[i].f;
		rfs[i].f.path = NULL;
		rec->nfiles++;
	}
	free(r.hash);
	free(r.live);
	free(r.mark);
	rc = r.nomem ? -ENOMEM : (int)(rec->nsamples > 0x7fffffff ? 0x7fffffff : rec->nsamples);
	return rc;
}

static void rfiles_free(struct rfile *rfs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < rfs[i].n; k++)
			free(rfs[i].lines[k].text);
		free(rfs[i].lines);
		free(rfs[i].f.path);
	}
	free(rfs);
}

int dbp_recording_read(struct dbp_recording *rec, char *const *paths, size_t npaths)
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
		rc = read_file(&rfs[i], paths[i]);
		if (rc == -ENOMEM) {
			rfiles_free(rfs, npaths);
			return rc;
		}
		rfs[i].error = rc;
	}
	rc = replay_all(rec, rfs, npaths);
	rfiles_free(rfs, npaths);
	return rc;
}

int dbp_recording_read_text(struct dbp_recording *rec, const char *path, const char *text)
{
	struct rfile *rf = calloc(1, sizeof(*rf));
	int rc;

	if (!rf || !(rf->f.path = strdup(path)) || split_text(rf, text, strlen(text)) < 0) {
		rfiles_free(rf, rf ? 1 : 0);
		return -ENOMEM;
	}
	rc = replay_all(rec, rf, 1);
	rfiles_free(rf, 1);
	return rc;
}

/* ---- queries ---- */

long dbp_recording_sample_at(const struct dbp_recording *rec, double when)
{
	size_t lo = 0, hi = rec->nsamples;

	if (!rec->nsamples || when < rec->samples[0])
		return -1;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (rec->samples[mid] <= when)
			lo = mid;
		else
			hi = mid;
	}
	return (long)lo;
}

const struct dbp_proc *dbp_rec_proc_at(const struct dbp_rec_proc *rp, double when)
{
	size_t k = 0;

	while (k + 1 < rp->nv && rp->v[k + 1].t <= when)
		k++;
	return &rp->v[k].p;
}

int dbp_rec_proc_alive(const struct dbp_rec_proc *rp, double when)
{
	return rp->first <= when && when <= rp->last;
}

const struct dbp_rec_proc *dbp_recording_find(const struct dbp_recording *rec, pid_t pid,
					      double when)
{
	for (size_t i = rec->nprocs; i-- > 0;)
		if (rec->procs[i].pid == pid && dbp_rec_proc_alive(&rec->procs[i], when))
			return &rec->procs[i];
	return NULL;
}

const struct dbp_rec_file *dbp_rec_proc_file(const struct dbp_recording *rec,
					     const struct dbp_rec_proc *rp)
{
	return rp->file >= 0 && (size_t)rp->file < rec->nfiles ? &rec->files[rp->file] : NULL;
}

int dbp_recording_table(const struct dbp_recording *rec, double sample_t, struct dbp_table *t)
{
	int have_header = 0;

	t->now = (time_t)sample_t;
	t->self = 0;
	for (size_t i = 0; i < rec->nprocs; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];
		const struct dbp_rec_file *f;
		struct dbp_proc *p;

		if (!dbp_rec_proc_alive(rp, sample_t))
			continue;
		f = dbp_rec_proc_file(rec, rp);
		if (f && !have_header) {
			t->hz = f->hz;
			t->boot_time = (time_t)f->boot_time;
			have_header = 1;
		}
		p = dbp_table_add(t);
		if (!p || copy_proc(p, dbp_rec_proc_at(rp, sample_t)) < 0)
			return -ENOMEM;
		p->pid = rp->pid;
		p->start_ticks = rp->start;
	}
	dbp_table_sort(t);
	return 0;
}

size_t dbp_recording_gaps(const struct dbp_recording *rec, struct dbp_rec_gap *out, size_t max)
{
	double iv = rec->interval > 0 ? rec->interval : 1.0;
	size_t n = 0;

	for (size_t i = 1; i < rec->nsamples; i++) {
		if (rec->samples[i] - rec->samples[i - 1] <= 2 * iv + 0.001)
			continue;
		if (n < max) {
			out[n].from = rec->samples[i - 1];
			out[n].to = rec->samples[i];
		}
		n++;
	}
	return n;
}
