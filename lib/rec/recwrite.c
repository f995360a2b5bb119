/*
 * Building the lines of a recording. Keys and values are those of
 * RECORDING FORMAT in dbpod-snapshot(1); readers ignore keys they do not
 * know, so keys may be added, never changed or dropped.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "acct.h"
#include "escape.h"
#include "procread.h"
#include "recgz.h"
#include "recwrite.h"
#include "redact.h"

static struct json_object *time_json(double t)
{
	char s[32];

	/* milliseconds, printed as such: json-c would print 17 digits */
	snprintf(s, sizeof(s), "%.3f", t);
	return json_object_new_double_s(t, s);
}

struct json_object *dbp_rec_header(const struct dbp_rec_header *h)
{
	struct json_object *o = json_object_new_object();
	char iv[32];

	json_object_object_add(o, "k", json_object_new_string("header"));
	json_object_object_add(o, "dbpod_recording", json_object_new_int(h->all_containers ?
			       DBP_RECORDING_VERSION : DBP_RECORDING_VERSION_ONE_NS));
	json_object_object_add(o, "dbpod", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(o, "hostname", json_object_new_string(h->hostname));
	json_object_object_add(o, "boot_time", json_object_new_int64((int64_t)h->boot_time));
	json_object_object_add(o, "clock_ticks", json_object_new_int64(h->clock_ticks));
	json_object_object_add(o, "pid_ns", json_object_new_uint64(h->pid_ns));
	snprintf(iv, sizeof(iv), "%.3f", h->interval);
	json_object_object_add(o, "interval", json_object_new_double_s(h->interval, iv));
	json_object_object_add(o, "started", time_json(h->started));
	json_object_object_add(o, "file_index", json_object_new_int(h->file_index));
	json_object_object_add(o, "redacted", json_object_new_boolean(h->redacted));
	snprintf(iv, sizeof(iv), "%.3f", h->keyframe);
	json_object_object_add(o, "keyframe", json_object_new_double_s(h->keyframe, iv));
	if (h->pid_max > 0)
		json_object_object_add(o, "pid_max", json_object_new_int64(h->pid_max));
	json_object_object_add(o, "acct", json_object_new_boolean(h->acct));
	/* a recording of what hidepid let the recorder see must say so */
	if (h->partial)
		json_object_object_add(o, "partial_view", json_object_new_boolean(1));
	if (h->all_containers)
		json_object_object_add(o, "all_containers", json_object_new_boolean(1));
	/* both are new in 0.2: readers of 0.1 look fields up by name and
	 * pass over these */
	if (h->boot_clock > 0) {
		snprintf(iv, sizeof(iv), "%.6f", h->boot_clock);
		json_object_object_add(o, "boot_clock", json_object_new_double_s(h->boot_clock, iv));
	}
	if (h->server_log[0])
		json_object_object_add(o, "server_log", json_object_new_string(h->server_log));
	/* new in 0.2 too */
	if (h->boot_id[0])
		json_object_object_add(o, "boot_id", json_object_new_string(h->boot_id));
	return o;
}

void dbp_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

/* dbp_redact works on a command line joined with spaces and knows flags
 * whose secret is the next word (--password VALUE, redis-cli -a VALUE)
 * and programs by argv[0]. So each argument is redacted in the context of
 * argv[0] and the argument before it: redact "argv0 prev arg" and take
 * what follows the redacted "argv0 prev". If the context itself changed
 * shape, the argument is hidden whole: greedy is safe. */
static char *redact_arg(const char *argv0, const char *prev, const char *arg)
{
	char *ctx, *full, *out;
	size_t cl;

	if (!argv0)		/* argv[0] itself */
		return (out = strdup(arg)) ? (dbp_redact(out), out) : NULL;
	if (asprintf(&ctx, "%s%s%s", argv0, prev ? " " : "", prev ? prev : "") < 0)
		return NULL;
	if (asprintf(&full, "%s %s", ctx, arg) < 0) {
		free(ctx);
		return NULL;
	}
	dbp_redact(ctx);
	dbp_redact(full);
	cl = strlen(ctx);
	if (!strncmp(full, ctx, cl) && full[cl] == ' ')
		out = strdup(full + cl + 1);
	else
		out = strdup("***");
	free(ctx);
	free(full);
	return out;
}

char **dbp_argv_redacted(char *const *argv)
{
	size_t n = 0;
	char **r;

	while (argv && argv[n])
		n++;
	r = calloc(n + 1, sizeof(*r));
	if (!r)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		r[i] = redact_arg(i ? argv[0] : NULL, i > 1 ? argv[i - 1] : NULL, argv[i]);
		if (!r[i]) {
			dbp_argv_free(r);
			return NULL;
		}
	}
	return r;
}

static struct json_object *args_json(char *const *argv, int redact)
{
	struct json_object *a = json_object_new_array();
	char **r = NULL;

	if (redact && argv) {
		r = dbp_argv_redacted(argv);
		if (!r)
			return a;	/* without memory: record no argument rather than a secret */
		argv = r;
	}
	for (char *const *s = argv; s && *s; s++)
		json_object_array_add(a, json_object_new_string(*s));
	dbp_argv_free(r);
	return a;
}

static struct json_object *sig_json(const struct dbp_sigmasks *m)
{
	struct json_object *o = json_object_new_object();
	const struct { const char *k; uint64_t v; } f[] = {
		{ "pnd", m->pending }, { "shd", m->shpending }, { "blk", m->blocked },
		{ "ign", m->ignored }, { "cgt", m->caught },
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		char hex[24];

		snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)f[i].v);
		json_object_object_add(o, f[i].k, json_object_new_string(hex));
	}
	return o;
}

static void add_status(struct json_object *o, const struct dbp_proc *p, unsigned what)
{
	if ((what & DBP_CHG_UID) && (p->have & DBP_HAVE_STATUS)) {
		json_object_object_add(o, "uid", json_object_new_int64(p->uid));
		json_object_object_add(o, "user", json_object_new_string(p->user));
	}
	if ((what & DBP_CHG_SIG) && (p->have & DBP_HAVE_STATUS))
		json_object_object_add(o, "sig", sig_json(&p->sig));
	if ((what & DBP_CHG_OOM) && (p->have & DBP_HAVE_OOM))
		json_object_object_add(o, "oom_adj", json_object_new_int(p->oom_adj));
}

static struct json_object *ident(const struct dbp_proc *p)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "pid", json_object_new_int(p->pid));
	json_object_object_add(o, "start", json_object_new_uint64(p->start_ticks));
	return o;
}

/* The parent's number in p's namespace: 0 when it is in another one
 * (the runtime's shim, nsenter) or not found. */
static pid_t ns_ppid(const struct dbp_table *cur, const struct dbp_proc *p,
		     const struct dbp_rec_nsview *nv)
{
	const struct dbp_proc *q = NULL;

	if (p->ppid <= 0)
		return 0;
	if (cur)
		q = dbp_table_find(cur, p->ppid);
	if (!q && nv->prev)
		q = dbp_table_find(nv->prev, p->ppid);
	return q && q->ns.ino == p->ns.ino ? q->ns.pid : 0;
}

/* A node recording's keys of p: ns, and its numbers there when that is
 * not the recorder's namespace -- right after pid and start, so that a
 * reader finds one namespace's processes in a key without parsing it. */
static void add_ns(struct json_object *o, const struct dbp_table *cur, const struct dbp_proc *p,
		   const struct dbp_rec_nsview *nv)
{
	if (!nv || !p->ns.ino)
		return;
	json_object_object_add(o, "ns", json_object_new_uint64(p->ns.ino));
	if (p->ns.ino == nv->own)
		return;
	json_object_object_add(o, "nspid", json_object_new_int(p->ns.pid));
	json_object_object_add(o, "nsppid", json_object_new_int(ns_ppid(cur, p, nv)));
	json_object_object_add(o, "nspgid", json_object_new_int(p->ns.pgrp));
	json_object_object_add(o, "nssid", json_object_new_int(p->ns.sid));
}

struct json_object *dbp_rec_proc(const struct dbp_proc *p, int redact)
{
	return dbp_rec_proc_in(NULL, p, redact, NULL);
}

struct json_object *dbp_rec_proc_in(const struct dbp_table *cur, const struct dbp_proc *p,
				    int redact, const struct dbp_rec_nsview *nv)
{
	struct json_object *o = ident(p);
	char st[2] = { p->state, 0 };

	add_ns(o, cur, p, nv);

	json_object_object_add(o, "ppid", json_object_new_int(p->ppid));
	json_object_object_add(o, "pgid", json_object_new_int(p->pgrp));
	json_object_object_add(o, "sid", json_object_new_int(p->sid));
	add_status(o, p, DBP_CHG_UID);
	json_object_object_add(o, "state", json_object_new_string(st));
	json_object_object_add(o, "comm", json_object_new_string(p->comm));
	json_object_object_add(o, "args", args_json(p->argv, redact));
	add_status(o, p, DBP_CHG_SIG | DBP_CHG_OOM);
	if (p->kthread)
		json_object_object_add(o, "kthread", json_object_new_boolean(1));
	return o;
}

static struct json_object *line(const char *k, double t, unsigned long long seq,
				 const struct dbp_rec_counts *c)
{
	struct json_object *o = json_object_new_object();

	/* the order is part of the format: readers take these from the
	 * line's start without parsing it (recread.c line_head) */
	json_object_object_add(o, "k", json_object_new_string(k));
	json_object_object_add(o, "t", time_json(t));
	json_object_object_add(o, "seq", json_object_new_uint64(seq));
	if (c && c->last_pid >= 0) {
		json_object_object_add(o, "last_pid", json_object_new_int64(c->last_pid));
		json_object_object_add(o, "born", json_object_new_int64(c->born));
		json_object_object_add(o, "threads", json_object_new_int64(c->threads));
	}
	return o;
}

struct json_object *dbp_rec_key(double t, unsigned long long seq, const struct dbp_rec_counts *c,
				const struct dbp_table *cur, int redact,
				const struct dbp_rec_nsview *nv)
{
	struct json_object *o = line("key", t, seq, c);
	struct json_object *procs = json_object_new_array_ext((int)cur->n);

	for (size_t i = 0; i < cur->n; i++)
		json_object_array_add(procs, dbp_rec_proc_in(cur, &cur->procs[i], redact, nv));
	json_object_object_add(o, "procs", procs);
	return o;
}

struct json_object *dbp_rec_delta(double t, unsigned long long seq, const struct dbp_rec_counts *cn,
				  const struct dbp_table *prev, const struct dbp_table *cur,
				  const struct dbp_delta *d, int redact,
				  const struct dbp_rec_nsview *nv)
{
	struct json_object *o = line("delta", t, seq, cn);
	struct json_object *added = json_object_new_array();
	struct json_object *gone = json_object_new_array();
	struct json_object *changed = json_object_new_array();

	for (size_t i = 0; i < d->nadded; i++)
		json_object_array_add(added, dbp_rec_proc_in(cur, &cur->procs[d->added[i]], redact, nv));
	for (size_t i = 0; i < d->ngone; i++) {
		const struct dbp_proc *p = &prev->procs[d->gone[i]];
		struct json_object *g = json_object_new_array();

		json_object_array_add(g, json_object_new_int(p->pid));
		json_object_array_add(g, json_object_new_uint64(p->start_ticks));
		json_object_array_add(gone, g);
	}
	for (size_t i = 0; i < d->nchanged; i++) {
		const struct dbp_proc *p = &cur->procs[d->changed[i].cur];
		unsigned w = d->changed[i].what;
		struct json_object *c = ident(p);

		if (w & DBP_CHG_PPID)
			json_object_object_add(c, "ppid", json_object_new_int(p->ppid));
		if (w & DBP_CHG_PGRP) {
			json_object_object_add(c, "pgid", json_object_new_int(p->pgrp));
			json_object_object_add(c, "sid", json_object_new_int(p->sid));
		}
		/* the same in the process's namespace (a node recording) */
		if (nv && p->ns.ino && p->ns.ino != nv->own) {
			if (w & DBP_CHG_PPID)
				json_object_object_add(c, "nsppid",
						       json_object_new_int(ns_ppid(cur, p, nv)));
			if (w & DBP_CHG_PGRP) {
				json_object_object_add(c, "nspgid", json_object_new_int(p->ns.pgrp));
				json_object_object_add(c, "nssid", json_object_new_int(p->ns.sid));
			}
		}
		if (w & DBP_CHG_STATE) {
			char st[2] = { p->state, 0 };

			json_object_object_add(c, "state", json_object_new_string(st));
		}
		if (w & DBP_CHG_COMM)
			json_object_object_add(c, "comm", json_object_new_string(p->comm));
		if (w & DBP_CHG_ARGS)
			json_object_object_add(c, "args", args_json(p->argv, redact));
		add_status(c, p, w);
		json_object_array_add(changed, c);
	}
	json_object_object_add(o, "new", added);
	json_object_object_add(o, "gone", gone);
	json_object_object_add(o, "changed", changed);
	return o;
}

static void add_str(struct json_object *o, const char *k, const char *v)
{
	if (v && *v)
		json_object_object_add(o, k, json_object_new_string(v));
}

struct json_object *dbp_rec_namespace(double t, const struct dbp_rec_pidns *n)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "k", json_object_new_string("namespace"));
	json_object_object_add(o, "t", time_json(t));
	json_object_object_add(o, "ns", json_object_new_uint64(n->ino));
	if (n->pid1) {
		json_object_object_add(o, "pid1", json_object_new_int(n->pid1));
		json_object_object_add(o, "pid1_start", json_object_new_uint64(n->pid1_start));
	}
	add_str(o, "container_id", n->id);
	add_str(o, "runtime", n->runtime);
	add_str(o, "pod_uid", n->pod_uid);
	add_str(o, "qos", n->qos);
	add_str(o, "name", n->name);
	add_str(o, "image", n->image);
	return o;
}

struct json_object *dbp_rec_note(double t, const char *msg)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "k", json_object_new_string("note"));
	json_object_object_add(o, "t", time_json(t));
	json_object_object_add(o, "msg", json_object_new_string(msg));
	return o;
}

struct json_object *dbp_rec_exit(double t, const struct dbp_acct_rec *a)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "k", json_object_new_string("exit"));
	json_object_object_add(o, "t", time_json(t));
	json_object_object_add(o, "pid", json_object_new_int(a->pid));
	json_object_object_add(o, "ppid", json_object_new_int(a->ppid));
	json_object_object_add(o, "uid", json_object_new_int64(a->uid));
	json_object_object_add(o, "gid", json_object_new_int64(a->gid));
	json_object_object_add(o, "comm", json_object_new_string(a->comm));
	json_object_object_add(o, "start", json_object_new_int64((int64_t)a->start));
	json_object_object_add(o, "end", time_json(a->end));
	json_object_object_add(o, "exit", a->exit_code >= 0 ? json_object_new_int(a->exit_code) : NULL);
	json_object_object_add(o, "signal", a->signal ? json_object_new_int(a->signal) : NULL);
	json_object_object_add(o, "core", json_object_new_boolean(a->core));
	return o;
}

struct json_object *dbp_rec_end(double t, unsigned long long samples, const char *reason)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "k", json_object_new_string("end"));
	json_object_object_add(o, "t", time_json(t));
	json_object_object_add(o, "samples", json_object_new_uint64(samples));
	json_object_object_add(o, "reason", json_object_new_string(reason));
	return o;
}

const char *dbp_rec_string(struct json_object *obj)
{
	/* one line, no spaces, "/" unescaped (paths are most of the bytes) */
	return json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* ---- the file ---- */

int dbp_recout_init(struct dbp_recout *o, const char *path, int keep)
{
	struct stat st;
	FILE *f;

	memset(o, 0, sizeof(*o));
	o->path = path;
	o->fd = -1;
	o->keep = keep;
	if (gethostname(o->hostname, sizeof(o->hostname)) < 0)
		snprintf(o->hostname, sizeof(o->hostname), "?");
	o->hostname[sizeof(o->hostname) - 1] = '\0';
	o->h.hostname = o->hostname;
	o->h.clock_ticks = sysconf(_SC_CLK_TCK);
	o->h.pid_ns = stat("/proc/self/ns/pid", &st) == 0 ? (unsigned long long)st.st_ino : 0;
	o->h.partial = dbp_proc_view_partial() > 0;
	f = fopen("/proc/sys/kernel/pid_max", "re");
	if (f) {
		if (fscanf(f, "%ld", &o->h.pid_max) != 1)
			o->h.pid_max = 0;
		fclose(f);
	}
	return dbp_outdir_open(&o->dir, path, &o->name);
}

int dbp_recout_line(struct dbp_recout *o, struct json_object *obj)
{
	/* json-c passes bytes that are not UTF-8 through; a recording keeps
	 * them as \udcNN escapes (escape.h), valid JSON and lossless */
	char *s = dbp_escape_json(dbp_rec_string(obj));
	size_t len = s ? strlen(s) : 0;
	struct iovec iov[2] = { { (void *)s, len }, { "\n", 1 } };
	size_t total = len + 1, done = 0;
	int rc = 0;

	if (!s) {
		json_object_put(obj);
		return -ENOMEM;
	}

	/* one writev per line: O_APPEND, so a reader (or a crash) sees
	 * whole lines except possibly the last */
	while (done < total) {
		ssize_t n = writev(o->fd, iov, 2);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (n == 0) {
			rc = -EIO;
			break;
		}
		done += (size_t)n;
		/* a partial write: go on with the rest */
		while (n > 0) {
			size_t k = (size_t)n < iov[0].iov_len ? (size_t)n : iov[0].iov_len;

			iov[0].iov_base = (char *)iov[0].iov_base + k;
			iov[0].iov_len -= k;
			n -= (ssize_t)k;
			if (!iov[0].iov_len && n > 0) {
				iov[1].iov_len -= (size_t)n;
				n = 0;
			}
		}
	}
	free(s);
	json_object_put(obj);
	o->size += done;
	return rc;
}

int dbp_recout_open(struct dbp_recout *o)
{
	struct timespec ts;
	struct stat st;

	o->fd = dbp_outdir_file_open(&o->dir, o->name, O_WRONLY | O_APPEND, 0644);
	if (o->fd < 0) {
		int rc = o->fd;

		o->fd = -1;
		return rc;
	}
	if (fstat(o->fd, &st) < 0)
		return -errno;
	o->size = (unsigned long long)st.st_size;
	clock_gettime(CLOCK_REALTIME, &ts);
	o->h.started = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	return dbp_recout_line(o, dbp_rec_header(&o->h));
}

/* FILE.from[.gz] -> FILE.to[.gz]: from 0 is FILE itself */
static int shift_one(const struct dbp_recout *o, int from, int to, const char *ext)
{
	char *a = NULL, *b = NULL;
	int rc;

	if ((from ? asprintf(&a, "%s.%d%s", o->name, from, ext) :
	     asprintf(&a, "%s%s", o->name, ext)) < 0)
		return -ENOMEM;
	if (asprintf(&b, "%s.%d%s", o->name, to, ext) < 0) {
		free(a);
		return -ENOMEM;
	}
	rc = dbp_outdir_file_rename(&o->dir, a, b);
	free(a);
	free(b);
	return rc == -ENOENT ? 0 : rc;
}

/* FILE.n and FILE.n.gz removed: the oldest, aged out */
static int drop_slot(const struct dbp_recout *o, int n)
{
	char *name = NULL;
	int rc = 0;

	for (int gz = 0; gz <= 1 && !rc; gz++) {
		if (asprintf(&name, "%s.%d%s", o->name, n, gz ? ".gz" : "") < 0)
			return -ENOMEM;
		rc = dbp_outdir_file_unlink(&o->dir, name);
		free(name);
		if (rc == -ENOENT)
			rc = 0;
	}
	return rc;
}

int dbp_recout_shift(const struct dbp_recout *o)
{
	int rc = 0;

	/* the oldest goes whichever kind it is: a rename drops it only when
	 * one of its kind comes after it, and a plain FILE.keep that an
	 * earlier run without --compress left would stay for ever beside
	 * the .gz ones */
	if (o->keep >= 1)
		rc = drop_slot(o, o->keep);
	/* the compressed ones move along with the plain ones, whichever a
	 * run made; FILE itself is never compressed */
	for (int i = o->keep; i >= 1 && !rc; i--) {
		rc = shift_one(o, i - 1, i, "");
		if (!rc && i > 1)
			rc = shift_one(o, i - 1, i, ".gz");
	}
	if (!o->keep && (rc = dbp_outdir_file_unlink(&o->dir, o->name)) == -ENOENT)
		rc = 0;
	return rc;
}

int dbp_recout_compress(struct dbp_recout *o)
{
	char *plain = NULL, *gz = NULL, tmp[512];
	int in = -1, out = -1, rc;
	struct stat st;

	o->compress_err = 0;
	if (!o->compress || o->keep < 1)
		return 0;
	if (asprintf(&plain, "%s.1", o->name) < 0)
		return o->compress_err = -ENOMEM;
	if (asprintf(&gz, "%s.1.gz", o->name) < 0) {
		free(plain);
		return o->compress_err = -ENOMEM;
	}
	/* FILE.1 as the recorder's own file, never through a link; the
	 * open would create one that is not there */
	if (dbp_outdir_file_stat(&o->dir, plain, &st) == -ENOENT) {
		rc = 0;
		goto out;
	}
	in = dbp_outdir_file_open(&o->dir, plain, O_RDONLY, 0);
	if (in < 0) {
		rc = in == -ENOENT ? 0 : in;
		goto out;
	}
	out = dbp_outdir_replace_begin(&o->dir, gz, tmp, sizeof(tmp));
	if (out < 0) {
		rc = out;
		goto out;
	}
	rc = dbp_recgz_write(in, out, DBP_RECGZ_LEVEL);
	if (rc < 0)
		dbp_outdir_file_unlink(&o->dir, tmp);
	else
		rc = dbp_outdir_replace_commit(&o->dir, tmp, gz, out);
	/* FILE.1.gz is whole and durable: FILE.1 can go */
	if (!rc)
		rc = dbp_outdir_file_unlink(&o->dir, plain);
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	free(plain);
	free(gz);
	return o->compress_err = rc;
}

int dbp_recout_close(struct dbp_recout *o)
{
	int rc = 0;

	if (o->fd < 0)
		return 0;
	if (fsync(o->fd) < 0 && errno != EINVAL)
		rc = -errno;
	if (close(o->fd) < 0 && !rc)
		rc = -errno;
	o->fd = -1;
	return rc;
}

int dbp_recout_rotate(struct dbp_recout *o)
{
	int rc = dbp_recout_close(o);

	if (rc < 0)
		return rc;
	rc = dbp_recout_shift(o);
	if (rc < 0)
		return rc;
	dbp_recout_compress(o);
	o->h.file_index++;
	return dbp_recout_open(o);
}

void dbp_recout_free(struct dbp_recout *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	dbp_outdir_close(&o->dir);
}

int dbp_recout_reopen_if_unlinked(struct dbp_recout *o)
{
	int rc;

	/* deleted (rm, a log cleaner), or renamed away and replaced; what
	 * stands under the name now is opened as a new file would be, so a
	 * link planted there by whoever deleted it is refused */
	if (dbp_outdir_file_is(&o->dir, o->name, o->fd))
		return 0;
	close(o->fd);
	o->fd = -1;
	rc = dbp_recout_open(o);
	return rc < 0 ? rc : 1;
}
