/*
 * pid1check rules. They read only the table and the input; everything
 * they conclude goes into the report and the facts.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "rules_pid1.h"

#define INIT_ADVICE \
	"run an init as PID 1 that reaps orphans and forwards the stop signal: " \
	"`docker run --init`, `ENTRYPOINT [\"tini\", \"--\", \"docker-entrypoint.sh\"]` " \
	"(or dumb-init) in the image, or `shareProcessNamespace: true` in the " \
	"Kubernetes pod spec so that the pause process is PID 1"

static void ago(const struct dbp_table *t, const struct dbp_proc *p, char *buf, size_t size)
{
	long s = (long)(t->now - dbp_proc_start_time(t, p));

	if (!t->now || s < 0)
		snprintf(buf, size, "an unknown time");
	else if (s < 120)
		snprintf(buf, size, "%ld s", s);
	else if (s < 7200)
		snprintf(buf, size, "%ld min", s / 60);
	else if (s < 172800)
		snprintf(buf, size, "%ld h", s / 3600);
	else
		snprintf(buf, size, "%ld days", s / 86400);
}

static void walk_chain(const struct dbp_table *t, struct dbp_pid1_facts *f)
{
	f->chain_len = dbp_table_chain(t, f->chain, DBP_CHAIN_MAX);
	f->service = dbp_chain_service(t, f->chain, f->chain_len, &f->service_class);
}

const struct dbp_shell_script *dbp_pid1_script(const struct dbp_pid1_input *in, pid_t pid)
{
	for (size_t i = 0; in && i < in->nscripts; i++)
		if (in->scripts[i].pid == pid)
			return &in->scripts[i];
	return NULL;
}

const struct dbp_sh_trap *dbp_script_forwards(const struct dbp_shell_script *sc, int sig)
{
	const struct dbp_sh_trap *tr;

	if (!sc || !sc->read || !dbp_sigmask_has(sc->trapped, sig))
		return NULL;
	tr = dbp_sh_trap_for(sc->traps, sc->ntraps, sig);
	return tr && !tr->ignore && tr->sends && tr->waits ? tr : NULL;
}

/* Does the shell sh pass every stop signal judged on to its child, with
 * a trap that waits, while the child runs in the background (a shell
 * runs a trap only once a foreground child has exited)? */
static int shell_forwards_stop(const struct dbp_pid1_input *in, const struct dbp_pid1_facts *f,
			       const struct dbp_proc *sh)
{
	const struct dbp_shell_script *sc = dbp_pid1_script(in, sh->pid);

	if (!sc || sc->background != 1 || !f->nstops)
		return 0;
	for (size_t k = 0; k < f->nstops; k++)
		if (!dbp_script_forwards(sc, f->stop_signals[k]))
			return 0;
	return 1;
}

static int in_chain(const struct dbp_pid1_facts *f, const struct dbp_proc *p)
{
	for (size_t i = 0; i < f->chain_len; i++)
		if (f->chain[i] == p)
			return 1;
	return 0;
}

int dbp_pid1_is_foreign_child(const struct dbp_table *t, const struct dbp_pid1_facts *f,
			      const struct dbp_proc *p)
{
	struct dbp_class c;

	if (!f->pid1 || p->ppid != 1 || p->pid == 1 || p->state == 'Z' ||
	    p->pid == t->self || in_chain(f, p))
		return 0;
	dbp_classify(p, &c);
	if (f->pid1_class.kind == DBP_KIND_DATABASE)
		/* a server's own children: its kind, its user */
		return !(c.db == f->pid1_class.db && p->uid == f->pid1->uid);
	if (f->chain_len > 1) {
		/* beside the service: another program or another user */
		const struct dbp_proc *main = f->chain[1];

		return p->uid != main->uid || strcmp(dbp_proc_name(p), dbp_proc_name(main));
	}
	return 1;
}

static void rule_pid1_is_database(const struct dbp_pid1_facts *f, struct dbp_report *r)
{
	struct dbp_finding *x;
	const char *db = dbp_db_name(f->pid1_class.db);

	if (f->pid1_class.kind != DBP_KIND_DATABASE)
		return;
	if (f->pid1_class.db == DBP_DB_POSTGRES) {
		x = dbp_report_add(r, "DBP101", DBP_CRITICAL, 1,
			"PID 1 is the PostgreSQL postmaster itself. Every process "
			"orphaned in the container (a psql or script left behind by "
			"`kubectl exec`, a health check's child) is adopted by it, and "
			"when such a process dies from a signal the postmaster takes it "
			"for a crashed server process: it terminates every session and "
			"runs crash recovery (\"server process (PID N) was terminated "
			"by signal 13: Broken pipe\").");
		dbp_finding_advise(x, "%s. Keep `STOPSIGNAL SIGINT` so that the "
			"init forwards a fast shutdown to the postmaster.", INIT_ADVICE);
		return;
	}
	x = dbp_report_add(r, "DBP101", DBP_WARNING, 1,
		"PID 1 is the %s server (%s) itself. It does not reap processes "
		"orphaned in the container (exec sessions, health checks), so they "
		"stay as zombies and hold PIDs.", db, f->pid1_class.name);
	dbp_finding_advise(x, "%s.", INIT_ADVICE);
}

static void rule_stop_signal(const struct dbp_pid1_facts *f, int signal,
			     enum dbp_disposition stop, struct dbp_report *r)
{
	char sn[24];
	const char *sig = dbp_signal_name(signal, sn, sizeof(sn));
	struct dbp_finding *x;

	if (signal == 9 || signal == 19)	/* SIGKILL, SIGSTOP */
		return;
	if (stop == DBP_DISP_UNKNOWN) {
		/* once, whichever signals are judged */
		for (size_t i = 0; i < r->n; i++)
			if (!strcmp(r->items[i].id, "DBP108"))
				return;
		x = dbp_report_add(r, "DBP108", DBP_UNKNOWN, 1,
			"The signal masks of PID 1 (%s) cannot be read from "
			"/proc/1/status, so whether it handles %s is unknown.",
			dbp_proc_name(f->pid1), sig);
		dbp_finding_advise(x, "run dbpod as root or as the user of PID 1.");
		return;
	}
	if (stop != DBP_DISP_DEFAULT && stop != DBP_DISP_IGNORED)
		return;
	x = dbp_report_add(r, "DBP103", DBP_CRITICAL, 1,
		"PID 1 (%s) %s %s%s. The kernel delivers to a PID namespace's init "
		"only the signals it has a handler for or blocks, so that stop "
		"request is dropped: the runtime waits out the grace period (docker "
		"10 s, Kubernetes terminationGracePeriodSeconds, 30 s by default) "
		"and then SIGKILLs every process%s%s%s.",
		dbp_proc_name(f->pid1),
		stop == DBP_DISP_IGNORED ? "ignores" : "neither catches nor blocks", sig,
		f->nstops > 1 ? ", one of the signals it may be stopped with" : ", the stop signal",
		f->service_class.kind == DBP_KIND_DATABASE ? ", " : "",
		f->service_class.kind == DBP_KIND_DATABASE ? dbp_db_name(f->service_class.db) : "",
		f->service_class.kind == DBP_KIND_DATABASE ? " included, without a clean shutdown" : "");
	dbp_finding_advise(x, "make the service PID 1 with `exec` in the entrypoint "
		"(it has its own %s handler), or %s%s.", sig, INIT_ADVICE,
		stop == DBP_DISP_IGNORED ? "; an ignored signal is inherited across "
		"exec, so also remove the `trap ''` in the wrapper that set it" : "");
}

static void rule_shells(const struct dbp_pid1_input *in, const struct dbp_pid1_facts *f,
			struct dbp_report *r)
{
	int db = f->service_class.kind == DBP_KIND_DATABASE;

	for (size_t i = 0; i + 1 < f->chain_len; i++) {
		const struct dbp_proc *sh = f->chain[i], *kid = f->chain[i + 1];
		struct dbp_class c;
		struct dbp_finding *x;
		char why[512];
		enum dbp_severity sev = db ? DBP_CRITICAL : DBP_WARNING;
		const char *svc = dbp_proc_name(f->service);

		dbp_classify(sh, &c);
		if (c.kind != DBP_KIND_SHELL || shell_forwards_stop(in, f, sh))
			continue;
		if (i == 0) {
			snprintf(why, sizeof(why),
				"The stop signal is meant for PID 1, and a shell passes it "
				"on to nobody: %s never hears of the stop and is SIGKILLed "
				"when the grace period ends%s.", svc,
				db ? " — a database killed without a shutdown checkpoint, "
				     "recovering on the next start" : "");
		} else if (f->forward == DBP_FWD_GROUP && i == 1) {
			/* measured: tini -g / dumb-init in front of bash without
			 * exec, SIGTERM: bash dies at once, the init exits with
			 * its child and the kernel SIGKILLs the server within
			 * 0.01-0.4 s; with SIGINT bash waits and the server's
			 * shutdown decides */
			int term_kills = dbp_disposition(&sh->sig, sh->have & DBP_HAVE_STATUS,
							 SIGTERM) == DBP_DISP_DEFAULT;

			if (!term_kills)
				sev = DBP_WARNING;
			snprintf(why, sizeof(why),
				"%s (PID 1) signals the whole process group, so %s and the "
				"shell get the stop signal together and race: %s",
				f->pid1_class.name, svc, term_kills ?
				"the shell has no SIGTERM handler and dies of it at once, "
				"the init exits with its only child, and the kernel SIGKILLs "
				"everything left as the namespace ends, the database "
				"mid-shutdown. (With SIGINT the shell waits for its child "
				"and the server's own shutdown decides.)" :
				"the shell survives it and the server's own shutdown "
				"decides; a shell that does not exec still hides the "
				"service's exit status.");
		} else if (f->forward == DBP_FWD_CHILD && i == 1) {
			snprintf(why, sizeof(why),
				"%s (PID 1) forwards the stop signal to the shell alone, and "
				"the shell does not pass it on: %s is SIGKILLed, when the "
				"shell dies and the init exits with it, or at the end of the "
				"grace period%s.", dbp_proc_name(f->pid1), svc,
				db ? " — a database killed without a shutdown checkpoint" : "");
		} else {
			snprintf(why, sizeof(why),
				"The shell stands between the stop signal and %s: unless a "
				"trap in it passes the signal on, %s never hears of the stop "
				"and is SIGKILLed%s.", svc, svc,
				db ? " — a database killed without a shutdown checkpoint" : "");
		}
		x = dbp_report_add(r, "DBP102", sev, sh->pid,
			"PID %d (%s) is a shell that runs %s (PID %d) as a child "
			"instead of exec'ing it. %s", (int)sh->pid, dbp_proc_name(sh),
			dbp_proc_name(kid), (int)kid->pid, why);
		dbp_finding_advise(x, "end the entrypoint script with `exec \"$@\"` (or "
			"`exec %s ...`) so that the service replaces the shell, and use "
			"the exec form `CMD [\"%s\", ...]` rather than the shell form.",
			svc, svc);
	}
}

static void rule_switchers(const struct dbp_pid1_facts *f, struct dbp_report *r)
{
	for (size_t i = 0; i + 1 < f->chain_len; i++) {
		const struct dbp_proc *su = f->chain[i], *kid = f->chain[i + 1];
		struct dbp_class c;
		struct dbp_finding *x;

		dbp_classify(su, &c);
		if (c.kind != DBP_KIND_SWITCHER)
			continue;
		x = dbp_report_add(r, "DBP107", DBP_WARNING, su->pid,
			"PID %d (%s) stays resident as the parent of %s (PID %d): %s "
			"forks and waits instead of exec'ing, so the stop signal and "
			"the exit status pass through a process that handles them its "
			"own way (su forwards only some signals and may leave its child "
			"behind; sudo relays them but adds a session of its own).",
			(int)su->pid, c.name, dbp_proc_name(kid), (int)kid->pid, c.name);
		dbp_finding_advise(x, "switch users with a tool that execs: `gosu USER CMD`, "
			"`su-exec USER CMD`, `setpriv --reuid=USER --regid=GROUP "
			"--init-groups CMD`, or `USER` in the Dockerfile.");
	}
}

static void rule_zombies(const struct dbp_table *t, struct dbp_pid1_facts *f,
			 struct dbp_report *r)
{
	struct dbp_finding *x;
	char age[32];
	int init = f->pid1_class.kind == DBP_KIND_INIT;

	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];

		/* reaped: gone a moment after the reading (procread.c) */
		if (p->state != 'Z' || p->ppid != 1 || p->reaped)
			continue;
		f->zombies++;
		if (!f->oldest_zombie || p->start_ticks < f->oldest_zombie->start_ticks)
			f->oldest_zombie = p;
	}
	if (!f->zombies)
		return;
	ago(t, f->oldest_zombie, age, sizeof(age));
	x = dbp_report_add(r, "DBP104", init ? DBP_INFO : DBP_WARNING, 1,
		"%zu zombie process%s wait%s to be reaped by PID 1 (%s); the oldest, "
		"PID %d (%s), was started %s ago. %s", f->zombies,
		f->zombies == 1 ? "" : "es", f->zombies == 1 ? "s" : "",
		dbp_proc_name(f->pid1), (int)f->oldest_zombie->pid, f->oldest_zombie->comm, age,
		init ? "PID 1 is an init, so this is most likely a moment before it reaps them; "
		       "check again if the count stays." :
		       "PID 1 does not wait() for the orphans it adopts. Each zombie "
		       "holds a PID, and the pod's pids limit can run out.");
	if (!init)
		dbp_finding_advise(x, "%s.", INIT_ADVICE);
}

static void rule_adopted(const struct dbp_table *t, struct dbp_pid1_facts *f,
			 struct dbp_report *r)
{
	int pg = f->pid1_class.db == DBP_DB_POSTGRES;
	int db = f->pid1_class.kind == DBP_KIND_DATABASE;

	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];
		struct dbp_finding *x;
		char cmd[100];

		if (!dbp_pid1_is_foreign_child(t, f, p))
			continue;
		f->adopted++;
		/* under an init adoption is its job; on a host, PID 1 has
		 * hundreds of children worth nothing to list */
		if (f->pid1_class.kind == DBP_KIND_INIT)
			continue;
		dbp_proc_cmdline(p, cmd, sizeof(cmd));
		if (pg) {
			x = dbp_report_add(r, "DBP105", DBP_CRITICAL, p->pid,
				"PID %d (%s, user %s) is a child of the PostgreSQL postmaster "
				"(PID 1) but not a PostgreSQL process: `%s`. It was adopted "
				"when its parent exited. If it dies from a signal (psql and "
				"scripts die of SIGPIPE when their reader goes away), the "
				"postmaster takes it for a crashed server process, terminates "
				"every session and runs crash recovery.",
				(int)p->pid, p->comm, p->user, cmd);
			dbp_finding_advise(x, "%s. Until then, never leave processes running "
				"behind a `kubectl exec`/`docker exec` session.", INIT_ADVICE);
		} else {
			x = dbp_report_add(r, "DBP105", db ? DBP_WARNING : DBP_INFO, p->pid,
				"PID %d (%s, user %s) is a child of PID 1 (%s) that is not "
				"part of the service: `%s`. Most likely an orphan adopted "
				"from an exec session or a script.",
				(int)p->pid, p->comm, p->user, dbp_proc_name(f->pid1), cmd);
			if (db)
				dbp_finding_advise(x, "%s.", INIT_ADVICE);
		}
	}
}

/* dbpod's own recorder (`dbpod snapshot`), as an exec starts it: a
 * process of its own, not a shell whose jobs outlive it. Only the
 * recorder is exempt: any other dbpod run ends before a stop. */
static int is_recorder(const struct dbp_proc *p)
{
	if (strcmp(p->comm, "dbpod") || !p->argv || !p->argv[0])
		return 0;
	for (char **a = p->argv + 1; *a; a++)
		if (!strcmp(*a, "snapshot"))
			return 1;
	return 0;
}

static void rule_outside(const struct dbp_table *t, struct dbp_pid1_facts *f,
			 struct dbp_report *r)
{
	int pg = f->pid1_class.db == DBP_DB_POSTGRES;
	int pause = !strcmp(f->pid1_class.name, "pause");

	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];
		struct dbp_finding *x;
		int mine, recorder;

		if (p->ppid != 0 || p->pid == 1 || p->kthread || p->pid == t->self)
			continue;
		f->outside++;
		mine = dbp_table_is_ancestor(t, p->pid, t->self);
		recorder = is_recorder(p);
		x = dbp_report_add(r, "DBP106", pg && !mine && !recorder ? DBP_WARNING : DBP_INFO,
			p->pid, "PID %d (%s, user %s) entered this PID namespace from outside: %s%s",
			(int)p->pid, dbp_proc_name(p), p->user,
			pause ? "a container of this pod (shareProcessNamespace) or an "
				"exec session." :
				"a `kubectl exec`/`docker exec` session.",
			mine ? " It is the session dbpod runs in." :
			recorder ? " It is dbpod's recorder, started by the exec itself as "
				   "dbpod-snapshot(1) recommends: it starts nothing, and PID 1 "
				   "does not adopt it." :
			pg ? " Whatever it leaves running when it ends is adopted by the "
			     "PostgreSQL postmaster (PID 1)." : "");
		if (recorder)
			continue;
		if (pg)
			dbp_finding_advise(x, "end the session's background jobs before it "
				"exits, and %s.", INIT_ADVICE);
	}
}

size_t dbp_stop_signals(const struct dbp_pid1_input *in, int out[DBP_STOP_MAX])
{
	if (in->stop_signal_given || (in->stop_signal && in->stop_signal != SIGTERM)) {
		out[0] = in->stop_signal;
		return 1;
	}
	out[0] = SIGTERM;
	out[1] = SIGINT;
	if (!in->stop_signal_unread)
		return 2;
	out[2] = SIGQUIT;
	return 3;
}

void dbp_pid1_examine(const struct dbp_table *t, const struct dbp_pid1_input *in,
		      struct dbp_pid1_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->pid1 = dbp_table_find(t, 1);
	if (!f->pid1)
		return;
	dbp_classify(f->pid1, &f->pid1_class);
	f->nstops = dbp_stop_signals(in, f->stop_signals);
	for (size_t i = 0; i < f->nstops; i++)
		f->stops[i] = dbp_disposition(&f->pid1->sig, f->pid1->have & DBP_HAVE_STATUS,
					      f->stop_signals[i]);
	f->stop = f->stops[0];
	f->forward = dbp_init_forwarding(f->pid1, in->tini_kill_group);
	walk_chain(t, f);
}

/* The host: PID 1 is the machine's init (systemd), stopped by no runtime;
 * every PID 1 rule is about a container's entrypoint, and its advice
 * ("exec", "run an init") would be wrong here. */
static void rule_host(const struct dbp_pid1_facts *f, struct dbp_report *r)
{
	struct dbp_finding *x = dbp_report_add(r, "DBP110", DBP_INFO, 1,
		"This is not a container: dbpod runs in the host's initial PID "
		"namespace, whose PID 1 (%s) is the machine's init, not a container's "
		"entrypoint. The container rules (the runtime's stop signal to PID 1, "
		"orphans and zombies left to it) do not apply; the host's service "
		"manager stops a database here (systemd: KillSignal=, TimeoutStopSec=).",
		dbp_proc_name(f->pid1));

	dbp_finding_advise(x, "to judge a container, run dbpod inside it (`kubectl exec`, "
		"`docker exec`), or on the node `dbpod doctor --all-containers`, which judges "
		"every container as from inside.");
}

void dbp_rules_pid1(const struct dbp_table *t, const struct dbp_pid1_input *in,
		    struct dbp_report *r, struct dbp_pid1_facts *f)
{
	dbp_pid1_examine(t, in, f);
	if (!f->pid1 && in->recorded) {
		struct dbp_finding *x = dbp_report_add(r, "DBP100", DBP_UNKNOWN, 0,
			"The recording holds no PID 1 at this second: the recorder did not "
			"see it (/proc hid it, or the recorder ran in another PID namespace "
			"than the database's), so nothing about it can be judged.");

		dbp_finding_advise(x, "record inside the database's PID namespace, as root "
			"or as PID 1's user: `kubectl exec` into the container, or a "
			"sidecar in a pod with `shareProcessNamespace: true`.");
		return;
	}
	if (!f->pid1) {
		struct dbp_finding *x = dbp_report_add(r, "DBP100", DBP_UNKNOWN, 0,
			"PID 1 is not visible in /proc%s, so nothing about it can be "
			"judged.", in->hidepid ? ", which is mounted with hidepid= "
			"(processes of other users are hidden)" : "");

		dbp_finding_advise(x, "run dbpod as root or as the user of PID 1%s.",
				   in->hidepid ? ", or as a member of the group that the /proc "
				   "mount's gid= option names" : "");
		return;
	}
	if (f->pid1->pid == t->self) {
		struct dbp_finding *x = dbp_report_add(r, "DBP109", DBP_UNKNOWN, 1,
			"dbpod is PID 1 itself: it runs in a PID namespace of its own, "
			"not in the database's, and sees nothing to judge.");

		dbp_finding_advise(x, "run it inside the database's PID namespace: "
			"`kubectl exec POD -- dbpod ...`, `kubectl debug -it POD "
			"--image=... --target=CONTAINER`, or `docker run --pid=container:NAME`.");
		return;
	}
	if (in->host) {
		rule_host(f, r);
		return;
	}
	rule_pid1_is_database(f, r);
	for (size_t i = 0; i < f->nstops; i++)
		rule_stop_signal(f, f->stop_signals[i], f->stops[i], r);
	rule_shells(in, f, r);
	rule_switchers(f, r);
	rule_zombies(t, f, r);
	rule_adopted(t, f, r);
	rule_outside(t, f, r);
}
