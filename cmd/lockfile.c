/*
 * dbpod lockfile: is postmaster.pid telling the truth?
 *
 * Reads DATADIR/postmaster.pid, the socket lock files it names and the
 * shared memory segment of its line 7, and judges them against the live
 * process table with lib/rules_lockfile.c. Reads only: it never removes or
 * changes a file, and never attaches to the segment.
 */
#include "config.h"

#include <stddef.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "dbpod.h"
#include "lockread.h"
#include "pidfile.h"
#include "procenv.h"
#include "procread.h"
#include "rules_lockfile.h"
#include "safeopen.h"

/* what the parser fills: the shared options first (check_lockfile_alone),
 * then lockfile's own, which doctor leaves NULL */
struct opts {
	struct dbp_opts g;
	const char *datadir;		/* DATADIR */
};
/* check_lockfile_alone reads the command's options from the shared ones it is handed */
_Static_assert(offsetof(struct opts, g) == 0, "struct opts begins with its struct dbp_opts");

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct opts *o = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		dbp_argp_share(state, &o->g);
		return 0;
	case ARGP_KEY_ARG:
		if (o->datadir)
			argp_error(state, "only one DATADIR, please");
		o->datadir = arg;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	NULL, parse, "[DATADIR]",
	"Judge PostgreSQL's lock file DATADIR/postmaster.pid: in use by the "
	"running server, stale and harmless, or stale and blocking the next "
	"start because its PID now belongs to another process; also the shared "
	"memory segment it names and the socket lock files. DATADIR defaults to "
	"$PGDATA, else the data directory of the running postmaster. Nothing is "
	"ever removed.",
	dbp_global_child, NULL, NULL
};

/* Where the database's files are seen from here: "" in its own container,
 * "/proc/PID/root" beside it (a debug container that shares only the PID
 * namespace). Paths are shown as the server sees them. */
static char fsroot[64];

/* No data directory given and none found: why, on standard error. */
static void warn_datadir(const struct dbp_datadir_guess *g)
{
	if (!g->npostmasters && g->hidden)
		warnx("no DATADIR given, PGDATA is not set, and no PostgreSQL postmaster is "
		      "visible: /proc is mounted with hidepid= and hides other users' "
		      "processes, so whether one runs cannot be told: give the data "
		      "directory, or run dbpod as root or as the server's user");
	else if (!g->npostmasters)
		warnx("no DATADIR given, PGDATA is not set, and no PostgreSQL postmaster "
		      "runs in this PID namespace: give the data directory");
	else if (g->npostmasters > 1)
		warnx("%zu PostgreSQL postmasters run here (the busiest is PID %d): name "
		      "the one to judge, `dbpod lockfile DATADIR`; a postmaster's data "
		      "directory is its -D (`ps -o pid,args -C postgres`) or its working "
		      "directory (`readlink /proc/%d/cwd`)", g->npostmasters, (int)g->pid,
		      (int)g->pid);
	else
		warnx("cannot find the data directory of postmaster PID %d: it has no "
		      "absolute -D, and its working directory cannot be read from "
		      "'/proc/%d/cwd' (%s; it needs ptrace access to the server: root with CAP_SYS_PTRACE, or the server's own user inside the server's container): give DATADIR",
		      (int)g->pid, (int)g->pid, strerror(-g->cwd_err));
}

struct view {
	const struct dbp_table *t;
	const struct dbp_lockfile_input *in;
	const struct dbp_lock_judgement *main;
	const struct dbp_lock_judgement *socks;
};

static void text_facts(const struct dbp_text *t, void *arg)
{
	const struct view *v = arg;
	const struct dbp_pidfile *pf = v->in->main.pf;
	char ts[32];

	dbp_text_field(t, "Lock file", "%s", v->in->main.path);
	dbp_text_field(t, "Verdict", "%s", dbp_lock_state_name(v->main->state));
	if (pf) {
		char here[80] = "";

		if (v->in->main.other_ns)
			snprintf(here, sizeof(here), v->main->holder ?
				 " (in the server's PID namespace; PID %d here)" :
				 " (in the server's PID namespace)",
				 v->main->holder ? (int)v->main->holder->pid : 0);
		dbp_text_field(t, "PID", "%d%s%s", (int)pf->pg_pid,
			       pf->standalone ? " (standalone backend)" : "", here);
		dbp_text_field(t, "Data dir", "%s", pf->datadir);
		if (pf->have_start_time)
			dbp_text_field(t, "Started", "%s",
				       dbp_iso_time(pf->start_time, ts, sizeof(ts)));
		if (pf->port)
			dbp_text_field(t, "Port", "%d", pf->port);
		if (pf->socket_dir[0])
			dbp_text_field(t, "Socket dir", "%s", pf->socket_dir);
		if (pf->shm_id >= 0)
			dbp_text_field(t, "Segment", "key %lu, ID %d: %s", pf->shm_key,
				       pf->shm_id, v->in->shm_err == -ENOENT ? "gone" :
				       v->in->shm_err ? dbp_open_strerror(v->in->shm_err) : "exists");
		if (pf->shm_id >= 0 && !v->in->shm_err)
			dbp_text_field(t, "  attached", "%lu", v->in->shm.nattch);
		if (pf->status[0])
			dbp_text_field(t, "Line 8", "%s", pf->status);
	}
	if (v->main->holder) {
		char cmd[256];

		dbp_text_field(t, "PID now", "%s, user %s, started %s",
			       dbp_proc_name(v->main->holder), v->main->holder->user,
			       dbp_iso_time(dbp_proc_start_time(v->t, v->main->holder), ts,
					    sizeof(ts)));
		dbp_text_field(t, "", "%s", dbp_proc_cmdline(v->main->holder, cmd, sizeof(cmd)));
	}
	for (size_t i = 0; i < v->in->nsocks; i++)
		dbp_text_field(t, "Socket lock", "%s: %s", v->in->socks[i].path,
			       dbp_lock_state_name(v->socks[i].state));
}

static struct json_object *pidfile_json(const struct dbp_pidfile *pf)
{
	struct json_object *o = json_object_new_object();
	char ts[32];

	json_object_object_add(o, "problem", pf->problem ?
			       json_object_new_string(dbp_pidfile_problem_name(pf->problem)) : NULL);
	json_object_object_add(o, "lines", json_object_new_int(pf->nlines));
	json_object_object_add(o, "pid", pf->pg_pid ? json_object_new_int(pf->pg_pid) : NULL);
	json_object_object_add(o, "standalone", json_object_new_boolean(pf->standalone));
	json_object_object_add(o, "data_directory", json_object_new_string(pf->datadir));
	json_object_object_add(o, "start_time", pf->have_start_time ?
			       json_object_new_int64((int64_t)pf->start_time) : NULL);
	json_object_object_add(o, "start_time_iso", pf->have_start_time ?
			       json_object_new_string(dbp_iso_time(pf->start_time, ts, sizeof(ts))) : NULL);
	json_object_object_add(o, "port", pf->port ? json_object_new_int(pf->port) : NULL);
	json_object_object_add(o, "socket_directory", json_object_new_string(pf->socket_dir));
	json_object_object_add(o, "listen_address", json_object_new_string(pf->listen_addr));
	json_object_object_add(o, "shmem_key", pf->shm_id >= 0 ?
			       json_object_new_int64((int64_t)pf->shm_key) : NULL);
	json_object_object_add(o, "shmem_id", pf->shm_id >= 0 ? json_object_new_int(pf->shm_id) : NULL);
	json_object_object_add(o, "status", pf->status[0] ? json_object_new_string(pf->status) : NULL);
	return o;
}

static struct json_object *judgement_json(const struct view *v, const struct dbp_lock_file *lf,
					  const struct dbp_lock_judgement *j)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "path", json_object_new_string(lf->path));
	json_object_object_add(o, "verdict", json_object_new_string(dbp_lock_state_name(j->state)));
	json_object_object_add(o, "error", lf->err && lf->err != -ENOENT ?
			       json_object_new_string(dbp_open_strerror(lf->err)) : NULL);
	json_object_object_add(o, "not_regular", lf->err == -DBP_ENOTREG && lf->what ?
			       json_object_new_string(lf->what) : NULL);
	json_object_object_add(o, "file", lf->pf ? pidfile_json(lf->pf) : NULL);
	json_object_object_add(o, "pid_alive", lf->pf ? json_object_new_boolean(lf->alive) : NULL);
	/* the file's PID is dbpod's own: free again once dbpod exits */
	json_object_object_add(o, "pid_is_dbpod", json_object_new_boolean(lf->self));
	/* the file's PID is the server's namespace's; dbpod's number for it */
	json_object_object_add(o, "other_pid_namespace", json_object_new_boolean(lf->other_ns));
	json_object_object_add(o, "pid_here", j->holder ? json_object_new_int(j->holder->pid) : NULL);
	json_object_object_add(o, "holder", j->holder ? dbp_proc_json(v->t, j->holder) : NULL);
	json_object_object_add(o, "holder_cwd", lf->cwd ? json_object_new_string(lf->cwd) : NULL);
	json_object_object_add(o, "holder_cwd_error", lf->cwd_err ?
			       json_object_new_string(strerror(-lf->cwd_err)) : NULL);
	json_object_object_add(o, "start_skew_seconds", j->holder && lf->pf && lf->pf->have_start_time ?
			       json_object_new_int64(j->skew) : NULL);
	return o;
}

/* who works on the data directory (dbp_lock_workers) */
static struct json_object *workers_json(const struct dbp_lock_workers *w)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "processes", json_object_new_int64((int64_t)w->n));
	json_object_object_add(o, "cwd_unreadable", json_object_new_int64((int64_t)w->unreadable));
	json_object_object_add(o, "server_pid", w->server ? json_object_new_int(w->server->pid) : NULL);
	json_object_object_add(o, "server_pid_in_namespace", w->server && w->server_nspid ?
			       json_object_new_int(w->server_nspid) : NULL);
	json_object_object_add(o, "other_pid_namespace", json_object_new_boolean(w->other_ns));
	return o;
}

static struct json_object *json_facts(const struct view *v)
{
	struct json_object *o = json_object_new_object();
	struct json_object *shm = json_object_new_object();
	struct json_object *socks = json_object_new_array();
	const struct dbp_lockfile_input *in = v->in;

	json_object_object_add(o, "data_directory", json_object_new_string(in->datadir));
	json_object_object_add(o, "lockfile", judgement_json(v, &in->main, v->main));
	json_object_object_add(o, "verdict", json_object_new_string(dbp_lock_state_name(v->main->state)));
	json_object_object_add(o, "tolerance_seconds", json_object_new_int(in->tolerance));
	json_object_object_add(shm, "id", in->main.pf && in->main.pf->shm_id >= 0 ?
			       json_object_new_int(in->main.pf->shm_id) : NULL);
	json_object_object_add(shm, "exists", in->shm_err == 0 ? json_object_new_boolean(1) :
			       in->shm_err == -ENOENT ? json_object_new_boolean(0) : NULL);
	json_object_object_add(shm, "error", in->shm_err && in->shm_err != -ENOENT ?
			       json_object_new_string(dbp_open_strerror(in->shm_err)) : NULL);
	json_object_object_add(shm, "key_matches", in->shm_err == 0 && in->main.pf ?
			       json_object_new_boolean(in->shm.key == in->main.pf->shm_key) : NULL);
	json_object_object_add(shm, "nattch", in->shm_err == 0 ?
			       json_object_new_int64((int64_t)in->shm.nattch) : NULL);
	json_object_object_add(shm, "size", in->shm_err == 0 ?
			       json_object_new_int64((int64_t)in->shm.size) : NULL);
	json_object_object_add(o, "shared_memory", shm);
	json_object_object_add(o, "workers", workers_json(&in->workers));
	for (size_t i = 0; i < in->nsocks; i++)
		json_object_array_add(socks, judgement_json(v, &in->socks[i], &v->socks[i]));
	json_object_object_add(o, "socket_locks", socks);
	return o;
}

struct state {
	struct view v;		/* first: text_facts gets the state as its view */
	struct dbp_table t;
	struct dbp_lockfile_input in;
	struct dbp_lock_judgement main, socks[1];
	struct dbp_lock_slot mainslot, sockslot;
	struct dbp_datadir_guess guess;
	char datadir[4096], real[PATH_MAX];
};

static void state_free(void *arg)
{
	struct state *s = arg;

	dbp_table_free(&s->t);
	free(s);
}

/* Whether the server's segment is in another IPC namespace than dbpod's:
 * shmctl would then ask about another segment with that ID, or none. The
 * server's own process says where it is (beside the container, or on the
 * host); with the server gone, any process still working on the data
 * directory (an orphaned backend, attached to that very segment: from
 * the node, "no segment with that ID here" would call it gone); in node
 * mode, else, the container's PID 1. */
static int ipcns_elsewhere(const struct dbp_lock_workers *w)
{
	const struct dbp_proc *p = w->server ? w->server : w->any;
	pid_t pid = p ? dbp_proc_fspid(p) : dbp_live_target_init();

	return pid > 0 && dbp_ipcns_differs(pid) != 0;
}

/* quiet: doctor's run, where a data directory that cannot be found is a
 * finding (or, with no PostgreSQL at all, -ENOENT: not applicable);
 * datadir: the command's DATADIR, or NULL. */
static int run(struct dbp_result *res, int quiet, const char *datadir)
{
	struct state *s = calloc(1, sizeof(*s));
	char envbuf[512];
	/* the judged container's PGDATA (node mode: its PID 1's) */
	const char *env = dbp_live_getenv("PGDATA", envbuf, sizeof(envbuf));
	const struct dbp_proc *db;
	pid_t beside = 0;
	int rc;

	dbp_result_init(res, "lockfile");
	if (!s)
		return -ENOMEM;
	res->view = s;
	res->view_free = state_free;
	s->v = (struct view){ &s->t, &s->in, &s->main, s->socks };
	dbp_table_init(&s->t);
	rc = dbp_read_table(res, &s->t, DBP_HAVE_STATUS);
	if (rc < 0)
		return rc;
	/* beside the database (a debug container sharing its PID namespace,
	 * another root): dbpod's own environment is the debug image's (a
	 * postgres image sets PGDATA to its default), the server's is the
	 * database's, a path of its filesystem */
	if (!dbp_live_target_init() && (db = dbp_table_db_process(&s->t, 0)) &&
	    db->pid != s->t.self && dbp_proc_root_differs(db->pid) == 1) {
		beside = db->pid;
		env = dbp_environ_get(NULL, beside, "PGDATA", envbuf, sizeof(envbuf)) == 0 &&
		      *envbuf ? envbuf : NULL;
	}
	if (datadir) {
		snprintf(s->datadir, sizeof(s->datadir), "%s", datadir);
	} else if (env && *env) {
		snprintf(s->datadir, sizeof(s->datadir), "%s", env);
	} else if ((rc = dbp_datadir_find(&s->t, &s->guess)) < 0) {
		if (!quiet) {
			/* the command says why on stderr: nothing to judge */
			warn_datadir(&s->guess);
			return -ENOENT;
		}
		dbp_rules_lockfile_datadir(&s->guess, &res->report);
		return rc;
	} else {
		snprintf(s->datadir, sizeof(s->datadir), "%s", s->guess.dir);
		s->in.server = s->guess.pid;
	}
	fsroot[0] = '\0';
	/* the server's path is in its own filesystem: beside its container,
	 * reach it through /proc/PID/root */
	if (dbp_live_target_init()) {
		/* node mode: the container's filesystem, whichever process
		 * named the path */
		const struct dbp_proc *sv = dbp_table_find(&s->t, s->in.server);

		if (sv)
			snprintf(fsroot, sizeof(fsroot), "/proc/%d/root", (int)dbp_proc_fspid(sv));
		else
			dbp_live_fsroot(fsroot, sizeof(fsroot));
		rc = 0;
	} else {
		pid_t other, two[2] = { 0, 0 };
		const char *rest;

		rc = s->in.server > 0 ? dbp_proc_root_differs(s->in.server) : 0;
		if (rc == 1)
			snprintf(fsroot, sizeof(fsroot), "/proc/%d/root", (int)s->in.server);
		else if (!datadir && !s->in.server && beside)
			snprintf(fsroot, sizeof(fsroot), "/proc/%d/root", (int)beside);
		/* the same root, but the server's own mounts at the path (or
		 * none here): the path as the server names it is its own */
		/* told the server's filesystem (/proc/PID/root/...): every path
		 * of its file is read there */
		else if (datadir && dbp_path_proc_root(datadir, fsroot, sizeof(fsroot), &rest))
			memmove(s->datadir, rest, strlen(rest) + 1);
		else if ((other = dbp_datadir_other_view(&s->t, s->datadir, two)) > 0)
			snprintf(fsroot, sizeof(fsroot), "/proc/%d/root", (int)other);
		else if (other == -EEXIST && !quiet && datadir) {
			dbp_warnx("cannot judge the data directory '%s': servers in "
				  "filesystems of their own (containers) each have a data "
				  "directory of that name, PID %d's and PID %d's: give "
				  "/proc/PID/root%s for the one meant, or run dbpod in its "
				  "container", datadir, (int)two[0], (int)two[1], datadir);
			return -ENOENT;
		}
	}
	s->in.root_err = rc < 0 ? rc : 0;
	s->in.fsroot = fsroot;
	s->in.datadir = s->datadir;
	/* realpath cannot resolve below /proc/PID/root (its link reads "/") */
	s->in.datadir_real = !fsroot[0] && realpath(s->datadir, s->real) ? s->real : NULL;
	s->in.tolerance = DBP_LOCK_TOLERANCE;
	s->in.shm_err = -ENOENT;
	s->in.datadir_err = dbp_datadir_examine(fsroot, s->datadir);
	if (!quiet && datadir && (s->in.datadir_err == -ENOENT ||
				      s->in.datadir_err == -ENOTDIR)) {
		/* a DATADIR typed on the command line that is not there, or is
		 * not a directory: said as a missing file is, exit 3; doctor
		 * and $PGDATA keep DBL500, the finding */
		dbp_warnx("cannot judge the data directory '%s': %s", datadir,
			  dbp_open_strerror(s->in.datadir_err));
		return -ENOENT;
	}
	if (!quiet && datadir && !s->in.datadir_err &&
	    dbp_datadir_is_pg(fsroot, s->datadir) == 0) {
		/* a directory of another kind (/etc, a parent of the data
		 * directory): "no lock file, OK" would be a verdict on nothing */
		dbp_warnx("'%s' is not a PostgreSQL data directory: it has neither "
			  "PG_VERSION nor postmaster.pid", datadir);
		return -ENOENT;
	}
	if (s->in.datadir_err) {
		/* nothing else is read: the rules say why, there are no facts */
		dbp_rules_lockfile(&s->t, &s->in, &res->report, &s->main, NULL);
		return -EIO;
	}
	/* who works on the directory tells in which PID namespace the file's
	 * PIDs are, and in which IPC namespace its segment is */
	dbp_lock_workers_read(&s->t, fsroot, s->datadir, &s->in.workers);
	snprintf(s->mainslot.path, sizeof(s->mainslot.path), "%s/postmaster.pid", s->datadir);
	dbp_lock_slot_read(fsroot, &s->t, &s->in.workers, &s->mainslot);
	s->in.main = s->mainslot.lf;
	if (s->in.main.pf && s->in.main.pf->shm_id >= 0)
		s->in.shm_err = s->in.main.pid_ns_unknown || ipcns_elsewhere(&s->in.workers) ?
			-DBP_EIPCNS :
			dbp_shm_stat(s->in.main.pf->shm_id, &s->in.shm);
	/* PostgreSQL 15 lists its first socket directory on line 5 */
	if (s->in.main.pf && s->in.main.pf->socket_dir[0] && s->in.main.pf->port) {
		snprintf(s->sockslot.path, sizeof(s->sockslot.path), "%s/.s.PGSQL.%d.lock",
			 s->in.main.pf->socket_dir, s->in.main.pf->port);
		dbp_lock_slot_read(fsroot, &s->t, &s->in.workers, &s->sockslot);
		s->in.socks = &s->sockslot.lf;
		s->in.nsocks = 1;
	}
	dbp_rules_lockfile(&s->t, &s->in, &res->report, &s->main, s->socks);
	res->facts = json_facts(&s->v);
	res->text_facts = text_facts;
	return 0;
}

int check_lockfile(struct dbp_result *res, const struct dbp_opts *o)
{
	(void)o;
	return run(res, 1, NULL);
}

/* the command's run: g is the shared part of its struct opts */
static int check_lockfile_alone(struct dbp_result *res, const struct dbp_opts *g)
{
	return run(res, 0, ((const struct opts *)g)->datadir);
}

int cmd_lockfile(int argc, char **argv, const struct dbp_opts *o)
{
	struct opts opts = { .g = *o };
	struct dbp_result res;
	int rc;

	dbp_argp_parse(&argp, argc, argv, &opts, &opts.g);
	rc = dbp_check_run("lockfile", check_lockfile_alone, &opts.g, &res);
	if (rc == -ENOENT && !res.report.n) {
		/* no data directory to judge: said on stderr */
		dbp_result_free(&res);
		return DBP_EXIT_UNKNOWN;
	}
	rc = dbp_emit(&res, &opts.g);
	dbp_result_free(&res);
	return rc;
}
