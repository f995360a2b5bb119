/*
 * lockfile rules (ids and sources in rules_lockfile.h).
 *
 * The judgement mirrors PostgreSQL's own start: a PID that kill(2) cannot
 * find, or that belongs to another user (kill fails with EPERM), makes the
 * file stale; a live PID of the server's user makes PostgreSQL refuse,
 * whoever holds it now. dbpod adds what PostgreSQL cannot know: whether
 * that process is the server that wrote the file (a postgres postmaster
 * working on this data directory, started when line 3 says).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "dbperror.h"
#include "rules_lockfile.h"
#include "timestamp.h"

const char *dbp_lock_state_name(enum dbp_lock_state s)
{
	switch (s) {
	case DBP_LOCK_ABSENT: return "absent";
	case DBP_LOCK_IN_USE: return "in use";
	case DBP_LOCK_STALE: return "stale-harmless";
	case DBP_LOCK_BLOCKING: return "stale-blocking";
	case DBP_LOCK_MALFORMED: return "malformed";
	case DBP_LOCK_UNKNOWN: break;
	}
	return "unknown";
}

static int same_dir(const char *a, const struct dbp_lock_file *lf, const char *datadir,
		    const char *real)
{
	return a && ((lf->pf && lf->pf->datadir[0] && !strcmp(a, lf->pf->datadir)) ||
		     (datadir && !strcmp(a, datadir)) || (real && !strcmp(a, real)));
}

void dbp_lock_judge(const struct dbp_table *t, const struct dbp_lock_file *lf,
		    const char *datadir, const char *datadir_real, int tolerance,
		    struct dbp_lock_judgement *j)
{
	const struct dbp_pidfile *pf = lf->pf;
	const struct dbp_proc *h;
	struct dbp_class c;

	memset(j, 0, sizeof(*j));
	j->dir_match = -1;
	if (lf->err == -ENOENT) {
		j->state = DBP_LOCK_ABSENT;
		return;
	}
	if (lf->err || !pf) {
		j->state = DBP_LOCK_UNKNOWN;
		return;
	}
	/* what PostgreSQL refuses outright: "is empty", "bogus data" */
	if (pf->problem == DBP_PIDFILE_EMPTY || pf->pg_pid <= 0) {
		j->state = DBP_LOCK_MALFORMED;
		return;
	}
	if (lf->pid_ns_unknown) {
		j->state = DBP_LOCK_UNKNOWN;
		return;
	}
	if (!lf->alive) {
		j->state = DBP_LOCK_STALE;
		return;
	}
	/* written in another PID namespace (dbpod on the node or the host):
	 * the reader looked the PID up there */
	h = dbp_table_find(t, lf->other_ns ? lf->table_pid : pf->pg_pid);
	if (!h && lf->thread_of && !lf->other_ns)
		/* a thread's ID: kill(2) finds it, and signals its process */
		h = dbp_table_find(t, lf->thread_of);
	j->holder = h;
	if (!h) {
		/* kill(2) sees it, /proc does not (hidepid, or a PID of
		 * another namespace that happens to exist here) */
		j->state = DBP_LOCK_UNKNOWN;
		return;
	}
	if (pf->have_start_time)
		j->skew = (long)(dbp_proc_start_time(t, h) - pf->start_time);
	dbp_classify(h, &c);
	j->launcher = c.kind == DBP_KIND_SHELL || c.kind == DBP_KIND_INIT ||
		      c.kind == DBP_KIND_SWITCHER;
	/* what ran dbpod runs programs: an entrypoint that checks, then
	 * execs the server (its own PID) or starts it as its child */
	if (!t->foreign && t->self > 0) {
		const struct dbp_proc *me = dbp_table_find(t, t->self);
		const struct dbp_proc *par = me ? dbp_table_find(t, me->ppid) : NULL;

		j->ran_dbpod = me && (me->ppid == h->pid || (par && par->ppid == h->pid));
		if (j->ran_dbpod)
			j->launcher = 1;
	}
	if (lf->cwd_is_datadir)
		j->dir_match = 1;
	else if (lf->cwd)
		j->dir_match = same_dir(lf->cwd, lf, datadir, datadir_real);
	else if (dbp_pg_datadir_arg(h))
		/* a relative -D was relative to a directory we do not know */
		j->dir_match = same_dir(dbp_pg_datadir_arg(h), lf, datadir, datadir_real) ? 1 :
			       dbp_pg_datadir_arg(h)[0] == '/' ? 0 : -1;
	/* a server by what it is; a postgres (not a child) that works in this
	 * very data directory is its server even before its children show */
	j->is_server = dbp_is_postmaster(t, h) || dbp_pg_standalone(h) ||
		       (c.db == DBP_DB_POSTGRES && !dbp_pg_retitled(h) && j->dir_match == 1);
	if (j->is_server && j->dir_match != 0) {
		j->state = DBP_LOCK_IN_USE;
		return;
	}
	/* PostgreSQL's kill(PID, 0) fails with EPERM for another user's
	 * process, which it takes as "not a competing postmaster" */
	if (lf->have_ids ? !lf->owner_may_kill : h->uid != lf->owner) {
		j->state = DBP_LOCK_STALE;
		return;
	}
	j->state = DBP_LOCK_BLOCKING;
}

int dbp_lock_shm_in_use(const struct dbp_lockfile_input *in)
{
	const struct dbp_pidfile *pf = in->main.pf;

	if (!pf || pf->shm_id < 0 || in->shm_err == -ENOENT)
		return 0;
	if (in->shm_err)
		return in->shm_err;
	/* the id was given to another segment since */
	if (in->shm.key != pf->shm_key)
		return 0;
	return in->shm.nattch > 0;
}

static const char *when(time_t t, char *buf, size_t size)
{
	return dbp_iso_time(t, buf, size);
}

/* "NAME (user U, started T: CMDLINE)"; without the start time when
 * with_start is 0 */
static void holder_words(const struct dbp_table *t, const struct dbp_proc *h, int with_start,
			 char *buf, size_t size)
{
	char cmd[256], st[48];

	st[0] = '\0';
	if (with_start) {
		memcpy(st, ", started ", 11);
		when(dbp_proc_start_time(t, h), st + 10, sizeof(st) - 10);
	}
	snprintf(buf, size, "%s (user %s%s: %s)", dbp_proc_name(h), h->user, st,
		 dbp_proc_cmdline(h, cmd, sizeof(cmd)));
}

static void rule_malformed(const struct dbp_lockfile_input *in, struct dbp_report *r)
{
	const struct dbp_pidfile *pf = in->main.pf;
	const char *path = in->main.path;
	struct dbp_finding *x;

	if (!pf || pf->problem == DBP_PIDFILE_OK)
		return;
	if (pf->problem == DBP_PIDFILE_EMPTY) {
		x = dbp_report_add(r, "DBL507", DBP_CRITICAL, 0,
			"%s is empty. PostgreSQL will not start: it stops with `lock file "
			"\"postmaster.pid\" is empty` (either a server is starting this very "
			"moment, or a start crashed before writing its PID).", path);
		dbp_finding_advise(x, "run dbpod lockfile again in a few seconds; if the file "
			"is still empty and no postgres process works on %s, removing the empty "
			"file is safe: it names no process.", in->datadir);
		return;
	}
	if (pf->pg_pid <= 0) {
		x = dbp_report_add(r, "DBL507", DBP_CRITICAL, 0,
			"%s does not start with a PID (%s). PostgreSQL will not start: "
			"it stops with `bogus data in lock file \"postmaster.pid\"`.",
			path, dbp_pidfile_problem_name(pf->problem));
		dbp_finding_advise(x, "if no postgres process works on %s (check `ps -eo "
			"pid,lstart,args | grep postgres`), the file is garbage and removing "
			"it is safe; keep a copy for the post-mortem.", in->datadir);
		return;
	}
	x = dbp_report_add(r, "DBL507", DBP_WARNING, 0,
		"%s is malformed: %s (%d line%s%s). PostgreSQL reads PID %d from it and "
		"judges that PID as below.", path, dbp_pidfile_problem_name(pf->problem),
		pf->nlines, pf->nlines == 1 ? "" : "s",
		pf->final_newline ? "" : ", no final newline", (int)pf->pg_pid);
	dbp_finding_advise(x, pf->problem == DBP_PIDFILE_OLD_FORMAT ?
		"a file of PostgreSQL before 9.1 in this data directory means it was "
		"copied or restored with the file in it; a backup should not hold "
		"postmaster.pid." :
		pf->problem == DBP_PIDFILE_TRUNCATED ?
		"PostgreSQL writes the first five lines in one write: a shorter file was "
		"cut by a full disk or a copy, or edited by hand. Judge by the PID verdict." :
		/* a line PostgreSQL never writes so: not a short write */
		"PostgreSQL writes each of these lines as a plain number: this one was "
		"edited by hand or written by another program. Judge by the PID verdict.");
}

/* why a launcher holding the PID may not block: it may be the server's
 * own process (exec), its parent or its grandparent */
static const char *launcher_words(const struct dbp_lock_judgement *j)
{
	if (j->ran_dbpod)
		return ": it ran dbpod, and may be that if it execs the server or "
		       "starts it as its child or grandchild";
	if (j->launcher)
		return ": this shell or init may well be that, if it execs the "
		       "server or starts it as its child or grandchild";
	return "";
}

static void rule_verdict(const struct dbp_table *t, const struct dbp_lockfile_input *in,
			 const struct dbp_lock_judgement *j, int shm_in_use, struct dbp_report *r)
{
	const struct dbp_pidfile *pf = in->main.pf;
	const char *path = in->main.path;
	struct dbp_finding *x;
	char hw[512], fst[32], here[96] = "";
	pid_t pid = pf ? pf->pg_pid : 0;
	/* the finding's PID is dbpod's number for the process: from outside
	 * the server's PID namespace, not the file's */
	pid_t fpid = pid;
	const char *there = "";

	if (pf && pf->have_start_time)
		when(pf->start_time, fst, sizeof(fst));
	else
		snprintf(fst, sizeof(fst), "an unknown time");
	if (in->main.other_ns) {
		fpid = j->holder ? j->holder->pid : 0;
		if (j->holder)
			snprintf(here, sizeof(here), " (PID %d as dbpod sees it, outside that "
				 "namespace)", (int)j->holder->pid);
		there = " in the PID namespace of the processes that work on the data "
			"directory, where the server wrote it";
	} else if (in->main.thread_of && j->holder)
		/* kill(2) takes a thread's ID and signals its process */
		snprintf(here, sizeof(here), " (a thread of process %d)",
			 (int)in->main.thread_of);

	switch (j->state) {
	case DBP_LOCK_ABSENT:
		if (in->workers.server) {
			/* the file was removed under a running server: it notices
			 * within a minute (RecheckDataDirLockFile) and stops */
			const struct dbp_proc *sv = in->workers.server;

			x = dbp_report_add(r, "DBL501", DBP_CRITICAL, sv->pid,
				"There is no %s, but PID %d, a PostgreSQL %s, works on this "
				"data directory: the file was removed or moved while the server "
				"runs. The server checks its lock file once a minute and then "
				"performs an immediate shutdown (`performing immediate shutdown "
				"because data directory lock file is invalid`), with crash "
				"recovery at the next start; until then only its shared memory "
				"segment keeps a second server off these files, and not one in "
				"another IPC namespace (another container).", path, (int)sv->pid,
				dbp_pg_standalone(sv) ? "standalone backend" : "postmaster");
			dbp_finding_advise(x, "if the file was moved, put it back at once (its "
				"line 1 must be the server's PID as its namespace numbers it: %d); "
				"else stop the server cleanly now (SIGINT to PID %d, a fast "
				"shutdown) before it stops itself, then start it. Start no other "
				"server on %s.", in->workers.server_nspid ? (int)in->workers.server_nspid :
				(int)sv->pid, (int)sv->pid, in->datadir);
			return;
		}
		dbp_report_add(r, "DBL501", DBP_INFO, 0,
			"There is no %s: no server is running on this data directory (it "
			"shut down cleanly, or never started).", path);
		return;
	case DBP_LOCK_UNKNOWN:
		if (in->main.err == -DBP_ENOTREG) {
			x = dbp_report_add(r, "DBL500", DBP_UNKNOWN, 0,
				"%s is %s, not a regular file. PostgreSQL only ever writes a "
				"regular file there; dbpod does not follow links or open FIFOs, "
				"sockets and devices in a data directory (one could point it at "
				"any file, the others hang a reader or never end), so the lock "
				"file was not judged.", path, in->main.what ? in->main.what :
				"something else");
			dbp_finding_advise(x, "find out who put it there (`ls -l %s`); once no "
				"server runs on this data directory, move it away: PostgreSQL "
				"writes a new one when it starts.", path);
		} else if (in->main.pid_ns_unknown) {
			x = dbp_report_add(r, "DBL500", DBP_UNKNOWN, 0,
				"%s was written by a server that called its data directory %s, "
				"which is not %s here: it ran in another mount namespace (a "
				"container; or the directory was moved or copied since), and PID "
				"%d is then a PID of that container's PID namespace, not of "
				"dbpod's. No process works on the data directory now, so that "
				"namespace cannot be found, and whether PID %d there is free, "
				"another user's or blocks the next start (the container then "
				"restarts in a loop) cannot be told from here.", path,
				pf->datadir, in->datadir, (int)pid, (int)pid);
			dbp_finding_advise(x, "run dbpod lockfile %s inside the database's "
				"container (kubectl exec, docker exec; or a debug container "
				"sharing its PID namespace), or dbpod doctor --all-containers on "
				"the node; do not remove the file on this verdict.", pf->datadir);
		} else if (in->main.err) {
			x = dbp_report_add(r, "DBL500", DBP_UNKNOWN, 0, "%s cannot be read: %s.",
					   path, strerror(-in->main.err));
			dbp_finding_advise(x, "run dbpod as the database's user (postgres) or "
				"as root: PostgreSQL creates the file with mode 0600.");
		} else {
			x = dbp_report_add(r, "DBL500", DBP_UNKNOWN, pid,
				"PID %d of %s exists (kill(2) finds it), but /proc does not "
				"show it: /proc is mounted with hidepid, or dbpod runs in "
				"another PID namespace than the server.", (int)pid, path);
			dbp_finding_advise(x, "run dbpod inside the database's container "
				"(kubectl exec, docker exec), as root or the server's user.");
		}
		return;
	case DBP_LOCK_MALFORMED:
		return;		/* rule_malformed said it */
	case DBP_LOCK_IN_USE:
		holder_words(t, j->holder, 1, hw, sizeof(hw));
		if (in->main.other_ns)
			x = dbp_report_add(r, "DBL502", DBP_INFO, fpid,
				"In use by PID %d (PID %d in its container): the PostgreSQL %s "
				"that wrote %s, in its own PID namespace: %s%s%s.",
				(int)j->holder->pid, (int)pid,
				pf->standalone ? "standalone backend" : "postmaster", path, hw,
				pf->status[0] ? ", status " : "", pf->status);
		else
			x = dbp_report_add(r, "DBL502", DBP_INFO, pid,
				"In use: PID %d is the PostgreSQL %s that wrote %s: %s%s%s.",
				(int)pid, pf->standalone ? "standalone backend" : "postmaster",
				path, hw, pf->status[0] ? ", status " : "", pf->status);
		dbp_finding_advise(x, "never remove postmaster.pid while the server runs: a "
			"second server could start on the same files and corrupt them.");
		/* The writer held the PID when it wrote the file, so it started
		 * before line 3's time: long before it, when an entrypoint ran
		 * initdb and then exec'd postgres under the same PID (the
		 * official image does). Only a start after the file's time says
		 * the file is not this process's. */
		if (j->skew > in->tolerance) {
			x = dbp_report_add(r, "DBL505", DBP_WARNING, fpid,
				"PID %d%s is a PostgreSQL server, but it started %+ld s after the "
				"time on line 3 of the file (%s): it cannot have written it.",
				(int)pid, here, j->skew, fst);
			dbp_finding_advise(x, "the file may have been rewritten or copied; "
				"compare `ps -o lstart= -p %d` with line 3, and do not remove "
				"the file while this server runs.", (int)pid);
		} else if (j->dir_match < 0) {
			dbp_report_add(r, "DBL505", DBP_INFO, fpid,
				"PID %d is a PostgreSQL server that started before the time on "
				"line 3 of the file, as its writer did, but its data directory "
				"cannot be confirmed (no absolute -D, and /proc/%d/cwd is not "
				"readable without ptrace access).", (int)pid, (int)pid);
		}
		return;
	case DBP_LOCK_STALE:
		if (shm_in_use > 0)
			return;		/* the segment rule says why it blocks */
		if (in->main.self)
			x = dbp_report_add(r, "DBL503", DBP_WARNING, fpid,
				"Stale, harmless: PID %d%s is dbpod's own, this run's, which "
				"frees it when it exits; no other process has it, so the server "
				"that wrote %s at %s is gone without a clean shutdown (a crash, "
				"kill -9, or the container was killed). PostgreSQL removes the "
				"file at the next start.", (int)pid, there, path, fst);
		else if (!in->main.alive)
			x = dbp_report_add(r, "DBL503", DBP_WARNING, fpid,
				"Stale, harmless: no process has PID %d%s, so the server that "
				"wrote %s at %s is gone without a clean shutdown (a crash, kill -9, "
				"or the container was killed). PostgreSQL removes the file at the "
				"next start.", (int)pid, there, path, fst);
		else {
			holder_words(t, j->holder, 1, hw, sizeof(hw));
			x = dbp_report_add(r, "DBL503", DBP_WARNING, fpid,
				"Stale, harmless: PID %d%s is now %s, another user's process%s; "
				"PostgreSQL's kill(PID, 0) fails with EPERM for it and takes the "
				"file as stale. The server that wrote the file at %s is gone.",
				(int)pid, here, hw, j->holder->uid == in->main.owner ?
				" by its real and saved uid, which are what kill(2) compares "
				"(only its effective uid is the server's)" : "", fst);
		}
		dbp_finding_advise(x, "just start the server: it removes the file itself%s. "
			"Removing the file by hand is safe too, because %s, but not needed.",
			shm_in_use < 0 ? " (once it has checked the shared memory segment, which "
			"dbpod could not read)" : "",
			shm_in_use < 0 ? "no live process holds its PID" :
			"no live process of the server's user holds its PID and none is attached "
			"to its shared memory");
		return;
	case DBP_LOCK_BLOCKING: {
		time_t hs = dbp_proc_start_time(t, j->holder);
		char hst[32];

		when(hs, hst, sizeof(hst));
		if (j->holder->state == 'Z') {
			/* kill(PID, 0) succeeds on a zombie: until its parent
			 * reaps it, the dead server blocks its own restart */
			const struct dbp_proc *par = dbp_table_find(t, j->holder->ppid);

			x = dbp_report_add(r, "DBL504", DBP_CRITICAL, fpid,
				"Stale, blocking: PID %d%s is a zombie: %s (started %s) has "
				"exited, but its parent, PID %d (%s), has not reaped it. kill(2) "
				"still finds a zombie, so PostgreSQL will refuse to start: `lock "
				"file \"postmaster.pid\" already exists`, as long as that parent "
				"neither reaps it nor exits.", (int)pid, here,
				dbp_proc_name(j->holder), hst, (int)j->holder->ppid,
				par ? dbp_proc_name(par) : "not seen");
			dbp_finding_advise(x, "a parent that does not reap its children is the "
				"fault: as PID 1 of a container it needs an init (tini, dumb-init, "
				"docker run --init) in front of it. %s", shm_in_use == 0 ?
				"Removing postmaster.pid is safe meanwhile: the process is dead and "
				"no process is attached to its shared memory." :
				"Removing postmaster.pid is safe once `ipcs -m` shows nobody "
				"attached to the segment of line 7: the process itself is dead.");
			return;
		}
		holder_words(t, j->holder, 0, hw, sizeof(hw));
		x = dbp_report_add(r, "DBL504", j->launcher ? DBP_WARNING : DBP_CRITICAL, fpid,
			"Stale, blocking: PID %d%s is now %s, started %s %s the server that "
			"wrote %s (%s)%s. It is not that server, but it is alive and runs as the "
			"server's user%s, so PostgreSQL will refuse to start: `lock file "
			"\"postmaster.pid\" already exists` (unless the PID is the new server's "
			"own, its parent's or its grandparent's%s). PIDs are reused, in a "
			"container on every start.", (int)pid, here, hw, hst,
			!pf->have_start_time ? "while the file has no start time for" :
			hs > pf->start_time + in->tolerance ? "after" :
			hs < pf->start_time - in->tolerance ? "before" :
			"about when", path, fst,
			j->is_server ? "; it is a PostgreSQL server of another data directory" : "",
			j->holder->uid != in->main.owner ? " by its real or saved uid, which "
			"is what kill(2) compares (its effective uid is another)" : "",
			launcher_words(j));
		if (shm_in_use == 0)
			dbp_finding_advise(x, "removing %s is safe: PID %d is %s, not this data "
				"directory's server, and no process is attached to the server's "
				"shared memory. Check once more that no postgres process works on "
				"%s, then remove the file and start the server.", path, (int)pid,
				dbp_proc_name(j->holder), in->datadir);
		else
			dbp_finding_advise(x, "first make sure no old server process remains "
				"(`ipcs -m -i %d` shows 0 attached, no postgres process works on %s); "
				"then removing %s is safe, because PID %d is not the server.",
				pf->shm_id, in->datadir, path, (int)pid);
		return;
	}
	}
}

static void rule_shm(const struct dbp_lockfile_input *in, const struct dbp_lock_judgement *j,
		     int in_use, struct dbp_report *r)
{
	const struct dbp_pidfile *pf = in->main.pf;
	struct dbp_finding *x;

	/* a server that works on the data directory, whatever the file says */
	int served = j->state == DBP_LOCK_IN_USE || in->workers.server;

	if (!pf || pf->shm_id < 0 || j->state == DBP_LOCK_ABSENT)
		return;
	if (in_use < 0 && served) {
		/* the segment only decides a verdict once its server is gone: with
		 * the server running, not seeing it changes nothing (and from
		 * another IPC namespace, or without the server's user, it is
		 * never seen) */
		dbp_report_add(r, "DBL506", DBP_INFO, 0,
			"The shared memory segment of line 7 (key %lu, ID %d) cannot be "
			"examined (%s); while the server that wrote the file runs, that "
			"changes nothing.", pf->shm_key, pf->shm_id, dbp_open_strerror(in->shm_err));
		return;
	}
	if (in_use < 0 && in->workers.n && in->workers.any) {
		x = dbp_report_add(r, "DBL506", DBP_CRITICAL, in->workers.any->pid,
			"The server that wrote %s is gone, but %zu PostgreSQL process%s "
			"still work%s on %s (PID %d%s), and its shared memory segment (key %lu, "
			"ID %d) cannot be examined from here (%s). Every server process but the "
			"logger stays attached to it until it exits, and PostgreSQL will refuse "
			"to start while one is: `pre-existing shared memory block (key %lu, ID %d) "
			"is still in use`.", in->main.path, in->workers.n,
			in->workers.n == 1 ? "" : "es", in->workers.n == 1 ? "s" : "",
			in->datadir, (int)in->workers.any->pid, in->workers.n == 1 ? "" :
			" among them", pf->shm_key, pf->shm_id, dbp_open_strerror(in->shm_err),
			pf->shm_key, pf->shm_id);
		dbp_finding_advise(x, "do not remove postmaster.pid: two sets of server "
			"processes on one data directory corrupt it. Stop the old processes "
			"(`ps -u %d -o pid,lstart,args`, or `ipcs -m -p` inside the container); "
			"then start the server.", (int)in->main.owner);
		return;
	}
	if (in_use < 0) {
		x = dbp_report_add(r, "DBL506", DBP_UNKNOWN, 0,
			"The shared memory segment of line 7 (key %lu, ID %d) cannot be "
			"examined: %s.", pf->shm_key, pf->shm_id, dbp_open_strerror(in->shm_err));
		dbp_finding_advise(x, "run dbpod as the server's user or root, or look "
			"with `ipcs -m -i %d`.", pf->shm_id);
		return;
	}
	if (served) {
		dbp_report_add(r, "DBL506", DBP_INFO, 0,
			"The server's shared memory segment (key %lu, ID %d) has %lu "
			"process%s attached: the postmaster and its children.", pf->shm_key,
			pf->shm_id, in->shm.nattch, in->shm.nattch == 1 ? "" : "es");
		return;
	}
	if (in_use > 0 && !in->workers.n) {
		/* attached, but by no process dbpod sees on this data directory:
		 * a live server in a PID namespace dbpod does not see, or hidden
		 * from it; never call that "old processes: stop them" */
		x = dbp_report_add(r, "DBL506", DBP_UNKNOWN, 0,
			"The shared memory segment of line 7 (key %lu, ID %d) has %lu "
			"process%s attached, but dbpod sees no PostgreSQL process working on "
			"%s%s: they may be a running server in a PID namespace dbpod does not "
			"see (another container), or hidden from it. Whether the server that "
			"wrote %s runs cannot be told from here.", pf->shm_key, pf->shm_id,
			in->shm.nattch, in->shm.nattch == 1 ? "" : "es", in->datadir,
			in->workers.unreadable ? " (the working directories of some PostgreSQL "
			"processes could not be read: that needs ptrace access, which root has)" :
			"", in->main.path);
		dbp_finding_advise(x, "run dbpod lockfile inside the database's container, "
			"or as root on the node, where every container's processes are seen; "
			"do not remove postmaster.pid meanwhile.");
		return;
	}
	if (in_use > 0) {
		x = dbp_report_add(r, "DBL506", DBP_CRITICAL, 0,
			"The server that wrote %s is gone, but its shared memory segment "
			"(key %lu, ID %d) still has %lu process%s attached: old server "
			"processes outlived their postmaster. PostgreSQL will refuse to start: "
			"`pre-existing shared memory block (key %lu, ID %d) is still in use`.",
			in->main.path, pf->shm_key, pf->shm_id, in->shm.nattch,
			in->shm.nattch == 1 ? "" : "es", pf->shm_key, pf->shm_id);
		dbp_finding_advise(x, "do not remove postmaster.pid: two sets of server "
			"processes on one data directory corrupt it. Find the old processes "
			"(`ipcs -m -p` shows the last PID; `ps -u %d -o pid,lstart,args`) and "
			"stop them; then start the server.", (int)in->main.owner);
		return;
	}
	if (in->shm_err == 0 && in->shm.key == pf->shm_key)
		x = dbp_report_add(r, "DBL506", DBP_INFO, 0,
			"The shared memory segment of the gone server (key %lu, ID %d, %zu "
			"bytes) survives with no process attached. PostgreSQL removes or "
			"reuses it at the next start.", pf->shm_key, pf->shm_id, in->shm.size);
	else
		x = dbp_report_add(r, "DBL506", DBP_INFO, 0,
			"The shared memory segment of line 7 (key %lu, ID %d) is gone%s: no "
			"server process is left attached to it.", pf->shm_key, pf->shm_id,
			in->shm_err == 0 ? " (the ID now belongs to another segment)" : "");
	(void)x;
}

static void rule_socks(const struct dbp_table *t, const struct dbp_lockfile_input *in,
		       const struct dbp_lock_judgement *main, struct dbp_lock_judgement *socks,
		       struct dbp_report *r)
{
	char hw[512];

	for (size_t i = 0; i < in->nsocks; i++) {
		const struct dbp_lock_file *s = &in->socks[i];
		struct dbp_lock_judgement j;
		struct dbp_finding *x;
		pid_t pid = s->pf ? s->pf->pg_pid : 0;

		dbp_lock_judge(t, s, in->datadir, in->datadir_real, in->tolerance, &j);
		if (socks)
			socks[i] = j;
		switch (j.state) {
		case DBP_LOCK_ABSENT:
			if (main->state != DBP_LOCK_IN_USE)
				break;
			x = dbp_report_add(r, "DBL508", DBP_WARNING, main->holder->pid,
				"The running server's socket lock file %s is missing: something "
				"removed it (a /tmp cleaner, a cleanup script).", s->path);
			dbp_finding_advise(x, "nothing stops a second server from taking "
				"this socket now; PostgreSQL touches its lock files hourly so that "
				"cleaners spare them. Restart the server to recreate it, or keep "
				"the socket directory out of the cleaner's reach.");
			break;
		case DBP_LOCK_IN_USE:
			if (main->state == DBP_LOCK_IN_USE && pid == in->main.pf->pg_pid)
				break;
			x = dbp_report_add(r, "DBL508", DBP_WARNING, pid,
				"Socket lock file %s belongs to PostgreSQL server PID %d, not to "
				"the server of this data directory's postmaster.pid.", s->path,
				(int)pid);
			dbp_finding_advise(x, "two servers want port %d in %s: give one "
				"another port or socket directory.", s->pf->port,
				s->pf->socket_dir);
			break;
		case DBP_LOCK_STALE:
			dbp_report_add(r, "DBL508", DBP_INFO, pid,
				"Socket lock file %s is stale (PID %d is %s); PostgreSQL removes "
				"it at the next start.", s->path, (int)pid, s->self ?
				"dbpod's own, free once it exits" : "gone or another user's");
			break;
		case DBP_LOCK_BLOCKING:
			holder_words(t, j.holder, 1, hw, sizeof(hw));
			/* the same check as postmaster.pid's (DBL504), with the
			 * same exemptions */
			x = dbp_report_add(r, "DBL508", j.launcher ? DBP_WARNING : DBP_CRITICAL, pid,
				"Socket lock file %s is stale but blocking: PID %d is now %s. "
				"PostgreSQL will refuse to start: `lock file \"%s\" already exists` "
				"(unless the PID is the new server's own, its parent's or its "
				"grandparent's%s).", s->path, (int)pid, hw, s->path, launcher_words(&j));
			dbp_finding_advise(x, "removing %s is safe once no postgres process "
				"uses the socket (check `ss -xlp | grep PGSQL`): PID %d is not a "
				"server.", s->path, (int)pid);
			break;
		case DBP_LOCK_MALFORMED:
			dbp_report_add(r, "DBL508", DBP_WARNING, 0,
				"Socket lock file %s is malformed (%s): PostgreSQL will refuse "
				"to create its socket there.", s->path,
				s->pf ? dbp_pidfile_problem_name(s->pf->problem) : "unreadable");
			break;
		case DBP_LOCK_UNKNOWN:
			if (s->err == -DBP_ENOTREG)
				dbp_report_add(r, "DBL508", DBP_UNKNOWN, 0,
					"Socket lock file %s is %s, not a regular file: dbpod "
					"does not follow links or open FIFOs, sockets and "
					"devices there, so it was not judged.", s->path,
					s->what ? s->what : "something else");
			else if (s->err)
				dbp_report_add(r, "DBL508", DBP_UNKNOWN, 0,
					"Socket lock file %s cannot be read: %s.", s->path,
					strerror(-s->err));
			break;
		}
	}
}

void dbp_rules_lockfile_datadir(const struct dbp_datadir_guess *g, struct dbp_report *r)
{
	struct dbp_finding *x;

	if (!g->npostmasters && g->hidden) {
		x = dbp_report_add(r, "DBL500", DBP_UNKNOWN, 0,
			"No PostgreSQL postmaster is visible, but /proc is mounted with "
			"hidepid= and hides the processes of other users from dbpod: "
			"whether one runs, and on which data directory, cannot be told.");
		dbp_finding_advise(x, "give the data directory (DATADIR or $PGDATA), "
			"or run dbpod as root or as the server's user.");
	} else if (g->npostmasters > 1) {
		x = dbp_report_add(r, "DBL500", DBP_UNKNOWN, 0,
			"%zu PostgreSQL postmasters run here (the busiest is PID %d): "
			"which data directory to judge is not clear.", g->npostmasters,
			(int)g->pid);
		dbp_finding_advise(x, "name the one to judge: `dbpod lockfile DATADIR`, "
			"or PGDATA=DATADIR for doctor; a postmaster's data directory is its "
			"-D (`ps -o pid,args -C postgres`) or its working directory "
			"(`readlink /proc/%d/cwd`).", (int)g->pid);
	} else if (g->npostmasters && g->cwd_err) {
		dbp_report_add(r, "DBL500", DBP_UNKNOWN, (int)g->pid,
			"The data directory of postmaster PID %d cannot be found: it "
			"has no absolute -D, and its working directory cannot be read "
			"from '/proc/%d/cwd' (%s; it needs ptrace access to the server: root with CAP_SYS_PTRACE, or the server's own user inside the server's container).",
			(int)g->pid, (int)g->pid, strerror(-g->cwd_err));
	}
}

/* no data directory is not "no lock file" */
static void rule_datadir(const struct dbp_lockfile_input *in, struct dbp_report *r)
{
	const char *root = in->fsroot ? in->fsroot : "";
	struct dbp_finding *x;

	x = dbp_report_add(r, "DBL500", DBP_UNKNOWN, 0,
		"The data directory '%s' cannot be examined: %s%s%s.", in->datadir,
		strerror(-in->datadir_err), root[0] ? ", through " : "", root);
	if (in->root_err < 0 && in->datadir_err == -ENOENT)
		dbp_finding_advise(x, "'%s' is postmaster PID %d's path, in its own "
			"filesystem; from a container beside it dbpod reads it "
			"through /proc/%d/root, which needs CAP_SYS_PTRACE (%s): run "
			"the debug container as root with that capability, or dbpod "
			"inside the database's container.", in->datadir, (int)in->server,
			(int)in->server, strerror(-in->root_err));
	else
		dbp_finding_advise(x, "give the data directory (the server's -D, "
			"$PGDATA) as seen inside the database's container.");
}

/* A server works on this data directory (dbp_lock_workers), but the file
 * does not name it: rewritten, copied in, or read from another namespace
 * than dbpod could place. Whatever the file's PID is now, the directory
 * is in use: never "stale", never "remove it". 1 when said. */
static int rule_server_elsewhere(const struct dbp_table *t, const struct dbp_lockfile_input *in,
				 struct dbp_lock_judgement *j, struct dbp_report *r)
{
	const struct dbp_proc *sv = in->workers.server;
	const struct dbp_pidfile *pf = in->main.pf;
	struct dbp_finding *x;
	char hw[512];

	if (!sv || !pf || (j->state != DBP_LOCK_STALE && j->state != DBP_LOCK_BLOCKING &&
			   !(j->state == DBP_LOCK_UNKNOWN && !in->main.err)))
		return 0;
	holder_words(t, sv, 1, hw, sizeof(hw));
	j->state = DBP_LOCK_UNKNOWN;
	x = dbp_report_add(r, "DBL500", DBP_UNKNOWN, sv->pid,
		"PostgreSQL server PID %d%s works on %s (its working directory is that "
		"directory): %s. But %s names PID %d, which is not it%s. The data "
		"directory is in use; the file was rewritten or copied in, or names the "
		"server in a PID namespace dbpod cannot place.", (int)sv->pid,
		in->workers.other_ns ? " (as dbpod sees it, outside the server's PID "
		"namespace)" : "", in->datadir, hw, in->main.path, (int)pf->pg_pid,
		in->workers.server_nspid && in->workers.server_nspid != sv->pid ?
		" (nor its PID in its own namespace)" : "");
	dbp_finding_advise(x, "do not remove %s while that server runs: a second "
		"server could start on the same files. Compare the file's first line "
		"with the server's PID inside its container.", in->main.path);
	return 1;
}

void dbp_rules_lockfile(const struct dbp_table *t, const struct dbp_lockfile_input *in,
			struct dbp_report *r, struct dbp_lock_judgement *main,
			struct dbp_lock_judgement *socks)
{
	int shm_in_use, via_shm;

	if (in->datadir_err) {
		memset(main, 0, sizeof(*main));
		main->state = DBP_LOCK_UNKNOWN;
		rule_datadir(in, r);
		return;
	}
	dbp_lock_judge(t, &in->main, in->datadir, in->datadir_real, in->tolerance, main);
	shm_in_use = main->state == DBP_LOCK_ABSENT ? 0 : dbp_lock_shm_in_use(in);
	/* PGSharedMemoryIsInUse: a stale file whose segment is still attached
	 * blocks the start as surely as a live PID -- when the attached
	 * processes are seen; else nothing can be told from here */
	via_shm = main->state == DBP_LOCK_STALE &&
		  (shm_in_use > 0 ||
		   /* the segment cannot be examined (from the node, it is in the
		    * container's IPC namespace), but processes of the gone server
		    * still work on the data directory: never "harmless" */
		   (shm_in_use < 0 && in->workers.n && !in->workers.server));
	if (via_shm)
		main->state = in->workers.n ? DBP_LOCK_BLOCKING : DBP_LOCK_UNKNOWN;
	rule_malformed(in, r);
	if (rule_server_elsewhere(t, in, main, r))
		via_shm = 1;	/* said instead of a verdict */
	if (!via_shm)		/* else rule_shm says why it blocks */
		rule_verdict(t, in, main, shm_in_use, r);
	rule_shm(in, main, shm_in_use, r);
	if (in->main.pf && in->main.pf->standalone && main->state != DBP_LOCK_ABSENT)
		dbp_report_add(r, "DBL509", DBP_INFO, in->main.pf->pg_pid,
			"The PID on line 1 is negative: the file was written by a standalone "
			"backend (postgres --single, as initdb and pg_upgrade run it), not by "
			"a postmaster.");
	rule_socks(t, in, main, socks, r);
}
