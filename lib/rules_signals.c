/*
 * signals rules and the stop-path prediction.
 *
 * The prediction follows the signal the way the kernel and the programs
 * pass it on: the runtime sends it to PID 1; a namespace's init gets it
 * only if it catches, blocks (and reads) it; an init forwards it to its
 * child or the child's group; a shell without a trap dies of it without
 * passing it on; the database server does what its manual says for it.
 */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules_signals.h"

const char *dbp_outcome_name(enum dbp_outcome o)
{
	switch (o) {
	case DBP_OUT_GRACEFUL: return "graceful";
	case DBP_OUT_RISKY: return "risky";
	case DBP_OUT_UNCERTAIN: return "uncertain";
	case DBP_OUT_TERMINATED: return "terminated";
	case DBP_OUT_SIGKILL: return "sigkill";
	case DBP_OUT_UNKNOWN: break;
	}
	return "unknown";
}

static void step(struct dbp_stop_path *sp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void step(struct dbp_stop_path *sp, const char *fmt, ...)
{
	va_list ap;

	if (sp->nsteps >= DBP_STEPS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(sp->steps[sp->nsteps++], sizeof(sp->steps[0]), fmt, ap);
	va_end(ap);
}

/* Auxiliary process titles of PostgreSQL 9.6-17 ("postgres: checkpointer"). */
static const char *const pg_aux[] = {
	"logger", "checkpointer", "background writer", "walwriter",
	"autovacuum launcher", "autovacuum worker", "archiver", "stats collector",
	"logical replication launcher", "logical replication worker",
	"logical replication apply worker", "logical replication tablesync worker",
	"startup", "walreceiver", "walsummarizer", "parallel worker",
	"slotsync worker", "io worker",
};

size_t dbp_pg_client_backends(const struct dbp_table *t, pid_t postmaster)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];
		const char *title;
		int aux = 0;

		if (p->ppid != postmaster || p->state == 'Z' || !p->argv || !p->argv[0] ||
		    strncmp(p->argv[0], "postgres: ", 10))
			continue;
		title = p->argv[0] + 10;
		/* a cluster name may stand first: "postgres: main: checkpointer" */
		for (size_t k = 0; k < sizeof(pg_aux) / sizeof(pg_aux[0]); k++) {
			const char *hit = strstr(title, pg_aux[k]);

			if (hit && (hit == title || hit[-1] == ' ')) {
				aux = 1;
				break;
			}
		}
		/* walsenders serve replicas: they are clients for a smart shutdown */
		n += !aux;
	}
	return n;
}

/* What the database server does on sig; sets sp->action and the outcome. */
static void server_action(const struct dbp_table *t, struct dbp_stop_path *sp,
			  const struct dbp_proc *srv, const struct dbp_class *c)
{
	int sig = sp->signal;
	enum dbp_disposition d = dbp_disposition(&srv->sig, srv->have & DBP_HAVE_STATUS, sig);
	char sn[24];

	dbp_signal_name(sig, sn, sizeof(sn));
	sp->receiver = srv;
	sp->receiver_disp = d;
	if (d == DBP_DISP_UNKNOWN) {
		step(sp, "the signal masks of PID %d (%s) cannot be read", (int)srv->pid,
		     dbp_proc_name(srv));
		sp->outcome = DBP_OUT_UNKNOWN;
		return;
	}
	if (d == DBP_DISP_IGNORED) {
		step(sp, "PID %d (%s) ignores %s", (int)srv->pid, dbp_proc_name(srv), sn);
		sp->outcome = DBP_OUT_SIGKILL;
		return;
	}
	if (d == DBP_DISP_DEFAULT) {
		step(sp, "PID %d (%s) has no handler: the default action ends it at once, "
		     "without cleaning up", (int)srv->pid, dbp_proc_name(srv));
		sp->outcome = c->kind == DBP_KIND_DATABASE ? DBP_OUT_RISKY : DBP_OUT_TERMINATED;
		return;
	}
	if (c->db == DBP_DB_POSTGRES) {
		sp->clients = dbp_pg_client_backends(t, srv->pid);
		switch (sig) {
		case SIGTERM:
			sp->action = "smart shutdown";
			step(sp, "PostgreSQL (PID %d) on SIGTERM: smart shutdown -- no new "
			     "connections, then it waits for every client session to end "
			     "before the shutdown checkpoint; %zu client session%s connected now",
			     (int)srv->pid, sp->clients, sp->clients == 1 ? " is" : "s are");
			sp->outcome = sp->clients ? DBP_OUT_RISKY : DBP_OUT_GRACEFUL;
			return;
		case SIGINT:
			sp->action = "fast shutdown";
			step(sp, "PostgreSQL (PID %d) on SIGINT: fast shutdown -- rolls back "
			     "and disconnects every session, writes the shutdown checkpoint "
			     "and exits", (int)srv->pid);
			sp->outcome = DBP_OUT_GRACEFUL;
			return;
		case SIGQUIT:
			sp->action = "immediate shutdown";
			step(sp, "PostgreSQL (PID %d) on SIGQUIT: immediate shutdown -- exits "
			     "without a checkpoint; the next start runs crash recovery",
			     (int)srv->pid);
			sp->outcome = DBP_OUT_RISKY;
			return;
		default:
			step(sp, "PostgreSQL (PID %d) handles %s, but not as a shutdown "
			     "request (SIGHUP reloads the configuration)", (int)srv->pid, sn);
			sp->outcome = DBP_OUT_SIGKILL;
			return;
		}
	}
	if ((c->db == DBP_DB_REDIS && (sig == SIGTERM || sig == SIGINT)) ||
	    (c->db == DBP_DB_MONGODB && (sig == SIGTERM || sig == SIGINT)) ||
	    (c->db == DBP_DB_MYSQL && sig == SIGTERM)) {
		sp->action = "clean shutdown";
		step(sp, "%s (PID %d) on %s: clean shutdown%s", dbp_db_name(c->db),
		     (int)srv->pid, sn, c->db == DBP_DB_REDIS ?
		     " (saves an RDB snapshot first when save points are set)" : "");
		sp->outcome = DBP_OUT_GRACEFUL;
		return;
	}
	if (c->kind == DBP_KIND_DATABASE) {
		step(sp, "%s (PID %d) handles %s; it is not its documented shutdown signal",
		     dbp_db_name(c->db), (int)srv->pid, sn);
		sp->outcome = DBP_OUT_UNCERTAIN;
		return;
	}
	step(sp, "PID %d (%s) handles %s; whether it stops in time is up to it",
	     (int)srv->pid, dbp_proc_name(srv), sn);
	sp->outcome = DBP_OUT_UNCERTAIN;
}

void dbp_stop_path(const struct dbp_table *t, const struct dbp_signals_input *in,
		   const struct dbp_pid1_facts *f, struct dbp_stop_path *sp)
{
	int sig = in->pid1.stop_signal;
	char sn[24];
	const struct dbp_proc *p1 = f->pid1;
	size_t i;

	memset(sp, 0, sizeof(*sp));
	sp->signal = sig;
	sp->grace = in->grace;
	dbp_signal_name(sig, sn, sizeof(sn));
	if (!p1) {
		step(sp, "PID 1 is not visible");
		return;
	}
	step(sp, "the runtime sends %s to PID 1 (%s)", sn, dbp_proc_name(p1));
	if (sig == SIGKILL) {
		step(sp, "SIGKILL cannot be caught: every process of the container dies at once");
		sp->outcome = DBP_OUT_SIGKILL;
		return;
	}
	switch (f->stop) {
	case DBP_DISP_UNKNOWN:
		step(sp, "PID 1's signal masks cannot be read");
		return;
	case DBP_DISP_DEFAULT:
	case DBP_DISP_IGNORED:
		step(sp, "PID 1 %s it: the kernel drops a signal to a namespace's init "
		     "that has no handler", f->stop == DBP_DISP_IGNORED ? "ignores" :
		     "has no handler for");
		step(sp, "the runtime SIGKILLs every process when the %d s grace period ends",
		     in->grace);
		sp->outcome = DBP_OUT_SIGKILL;
		sp->dropped_by_pid1 = 1;
		sp->receiver = p1;
		sp->receiver_disp = f->stop;
		return;
	default:
		break;
	}
	if (f->pid1_class.kind == DBP_KIND_DATABASE || f->chain_len == 1) {
		if (f->pid1_class.kind != DBP_KIND_INIT) {
			server_action(t, sp, p1, &f->pid1_class);
			return;
		}
	}
	if (f->pid1_class.kind == DBP_KIND_SHELL) {
		step(sp, "the shell's trap handles it; whether it passes it on to %s is up "
		     "to the script", dbp_proc_name(f->service));
		sp->receiver = p1;
		sp->receiver_disp = f->stop;
		sp->outcome = DBP_OUT_UNCERTAIN;
		return;
	}
	if (f->pid1_class.kind != DBP_KIND_INIT) {
		server_action(t, sp, p1, &f->pid1_class);
		return;
	}
	/* PID 1 is an init */
	if (!strcmp(f->pid1_class.name, "pause")) {
		if (f->service && f->service != p1) {
			step(sp, "the pause process does not forward; the kubelet signals each "
			     "container's main process itself");
			server_action(t, sp, f->service, &f->service_class);
		} else {
			sp->outcome = DBP_OUT_UNCERTAIN;
		}
		return;
	}
	if (f->forward == DBP_FWD_SERVICES) {
		step(sp, "%s stops the services it supervises in its own way and order",
		     f->pid1_class.name);
		sp->outcome = DBP_OUT_UNCERTAIN;
		return;
	}
	if (f->chain_len < 2) {
		step(sp, "%s has no child to forward it to", f->pid1_class.name);
		sp->outcome = DBP_OUT_UNCERTAIN;
		return;
	}
	if (f->forward == DBP_FWD_GROUP) {
		const struct dbp_proc *kid = f->chain[1];

		step(sp, "%s forwards it to its child's process group (%d)",
		     f->pid1_class.name, (int)kid->pgrp);
		if (f->service->pgrp == kid->pgrp) {
			server_action(t, sp, f->service, &f->service_class);
			return;
		}
	} else {
		step(sp, "%s forwards it to its child, PID %d (%s)", f->pid1_class.name,
		     (int)f->chain[1]->pid, dbp_proc_name(f->chain[1]));
	}
	/* follow the chain below the init: shells and su/sudo in between */
	for (i = 1; i < f->chain_len; i++) {
		const struct dbp_proc *p = f->chain[i];
		struct dbp_class c;
		enum dbp_disposition d;

		dbp_classify(p, &c);
		if (p == f->service || c.kind == DBP_KIND_DATABASE) {
			server_action(t, sp, p, &c);
			return;
		}
		d = dbp_disposition(&p->sig, p->have & DBP_HAVE_STATUS, sig);
		sp->receiver = p;
		sp->receiver_disp = d;
		if (c.kind == DBP_KIND_SWITCHER && d == DBP_DISP_CAUGHT) {
			step(sp, "%s (PID %d) relays it to its child", c.name, (int)p->pid);
			continue;
		}
		if (c.kind == DBP_KIND_SHELL || c.kind == DBP_KIND_SWITCHER) {
			if (d == DBP_DISP_DEFAULT) {
				step(sp, "%s (PID %d) has no handler: it dies without passing the "
				     "signal on", dbp_proc_name(p), (int)p->pid);
				step(sp, "%s exits with its child, and the kernel SIGKILLs PID %d "
				     "(%s) as the namespace ends", f->pid1_class.name,
				     (int)f->service->pid, dbp_proc_name(f->service));
				sp->outcome = DBP_OUT_SIGKILL;
				return;
			}
			if (d == DBP_DISP_IGNORED || d == DBP_DISP_BLOCKED) {
				step(sp, "%s (PID %d) %s it; %s never hears of the stop",
				     dbp_proc_name(p), (int)p->pid,
				     d == DBP_DISP_IGNORED ? "ignores" : "blocks",
				     dbp_proc_name(f->service));
				step(sp, "the runtime SIGKILLs every process when the %d s grace "
				     "period ends", in->grace);
				sp->outcome = DBP_OUT_SIGKILL;
				return;
			}
			step(sp, "%s (PID %d) traps it; whether it passes it on to %s is up to "
			     "the script", dbp_proc_name(p), (int)p->pid, dbp_proc_name(f->service));
			sp->outcome = DBP_OUT_UNCERTAIN;
			return;
		}
		server_action(t, sp, p, &c);
		return;
	}
}

static int is_own_session(const struct dbp_table *t, const struct dbp_proc *p)
{
	return t->self && dbp_table_is_ancestor(t, p->pid, t->self);
}

static int is_interactive_shell(const struct dbp_proc *p)
{
	struct dbp_class c;

	dbp_classify(p, &c);
	/* interactive shells ignore SIGTERM by design (bash(1) INVOCATION) */
	return c.kind == DBP_KIND_SHELL && p->tty != 0;
}

/* A database server's own children are stopped by the server, each with
 * its own signal: PostgreSQL's checkpointer ignores SIGTERM by design and
 * is told to finish with SIGUSR2. */
static int is_server_child(const struct dbp_table *t, const struct dbp_proc *p)
{
	struct dbp_class c, pc;
	const struct dbp_proc *parent = dbp_table_find(t, p->ppid);

	if (!parent)
		return 0;
	dbp_classify(p, &c);
	dbp_classify(parent, &pc);
	return c.kind == DBP_KIND_DATABASE && c.db == pc.db && p->uid == parent->uid;
}

static int stop_ignored(const struct dbp_table *t, const struct dbp_signals_input *in,
			const struct dbp_proc *p)
{
	return p->pid != 1 && !p->kthread && p->state != 'Z' && p->pid != t->self &&
	       (p->have & DBP_HAVE_STATUS) &&
	       dbp_sigmask_has(p->sig.ignored, in->pid1.stop_signal) &&
	       !is_own_session(t, p) && !is_interactive_shell(p) && !is_server_child(t, p);
}

static uint64_t pending_blocked(const struct dbp_proc *p)
{
	if (!(p->have & DBP_HAVE_STATUS) || p->kthread || p->state == 'Z')
		return 0;
	return (p->sig.pending | p->sig.shpending) & p->sig.blocked;
}

static int sigpipe_victim(const struct dbp_table *t, const struct dbp_pid1_facts *f,
			  const struct dbp_proc *p)
{
	return f->pid1 && f->pid1_class.db == DBP_DB_POSTGRES &&
	       f->pid1_class.kind == DBP_KIND_DATABASE &&
	       dbp_pid1_is_foreign_child(t, f, p) &&
	       dbp_disposition(&p->sig, p->have & DBP_HAVE_STATUS, SIGPIPE) == DBP_DISP_DEFAULT;
}

int dbp_signals_notable(const struct dbp_table *t, const struct dbp_pid1_facts *f,
			const struct dbp_signals_input *in, const struct dbp_proc *p)
{
	for (size_t i = 0; i < f->chain_len; i++)
		if (f->chain[i] == p)
			return 1;
	return p == f->service || sigpipe_victim(t, f, p) || stop_ignored(t, in, p) ||
	       pending_blocked(p);
}

void dbp_rules_signals(const struct dbp_table *t, const struct dbp_signals_input *in,
		       struct dbp_report *r, struct dbp_pid1_facts *f,
		       struct dbp_stop_path *sp, const pid_t *only, size_t nonly)
{
	char sn[24], names[512];
	struct dbp_finding *x;
	int db = 0;

	dbp_pid1_examine(t, &in->pid1, f);
	dbp_stop_path(t, in, f, sp);
	dbp_signal_name(in->pid1.stop_signal, sn, sizeof(sn));
	db = f->service && f->service_class.kind == DBP_KIND_DATABASE;

	/* the stop path: about the container as a whole, judged only in the
	 * default view or when PID 1 is asked about */
	if (dbp_pid_selected(only, nonly, 1)) {
		if (sp->dropped_by_pid1) {
			x = dbp_report_add(r, "DBS203", DBP_CRITICAL, 1,
				"PID 1 (%s) %s %s, the stop signal, and the kernel drops "
				"such a signal to a namespace's init: the runtime waits out "
				"the %d s grace period and SIGKILLs every process%s.",
				dbp_proc_name(f->pid1),
				f->stop == DBP_DISP_IGNORED ? "ignores" : "has no handler for",
				sn, in->grace, db ? ", the database included" : "");
			dbp_finding_advise(x, "exec the service from the entrypoint so that it "
				"is PID 1 with its own handler, or run an init (`docker run "
				"--init`, tini, dumb-init) as PID 1.");
		} else if (sp->outcome == DBP_OUT_SIGKILL || sp->outcome == DBP_OUT_RISKY ||
			   (sp->outcome == DBP_OUT_TERMINATED && db)) {
			enum dbp_severity sev = sp->outcome == DBP_OUT_SIGKILL && db ?
						DBP_CRITICAL : DBP_WARNING;
			const char *what = sp->nsteps ? sp->steps[sp->nsteps - 1] : "";

			x = dbp_report_add(r, "DBS205", sev, sp->receiver ? sp->receiver->pid : 0,
				"On stop (%s, %d s grace period): %s.%s", sn, in->grace, what,
				sp->outcome == DBP_OUT_SIGKILL ? " The service is SIGKILLed." :
				sp->clients ? " It will outlive the grace period unless every "
				"client disconnects in time, and is then SIGKILLed." : "");
			if (f->service_class.db == DBP_DB_POSTGRES && sp->action &&
			    !strcmp(sp->action, "smart shutdown"))
				dbp_finding_advise(x, "stop PostgreSQL with SIGINT, a fast shutdown: "
					"`STOPSIGNAL SIGINT` in the Dockerfile, as the official "
					"postgres image does, or a preStop hook running `pg_ctl stop "
					"-m fast`; give terminationGracePeriodSeconds room for the "
					"shutdown checkpoint.");
			else if (f->service_class.db == DBP_DB_POSTGRES && sp->action &&
				 !strcmp(sp->action, "immediate shutdown"))
				dbp_finding_advise(x, "use SIGINT (fast shutdown) as the stop signal: "
					"SIGQUIT skips the shutdown checkpoint and makes every start a "
					"crash recovery.");
			else
				dbp_finding_advise(x, "let the signal reach the service: `exec` it "
					"from the entrypoint script, or run tini with -g so the whole "
					"process group gets it; remove traps that ignore it.");
		} else if (sp->outcome == DBP_OUT_UNCERTAIN) {
			dbp_report_add(r, "DBS205", DBP_INFO, sp->receiver ? sp->receiver->pid : 0,
				"On stop (%s): %s. dbpod cannot tell what that handler does.", sn,
				sp->nsteps ? sp->steps[sp->nsteps - 1] : "");
		}
	}

	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];
		uint64_t pb;

		if (!dbp_pid_selected(only, nonly, p->pid))
			continue;
		if (sigpipe_victim(t, f, p)) {
			x = dbp_report_add(r, "DBS201", DBP_CRITICAL, p->pid,
				"PID %d (%s, user %s, parent PID 1, the PostgreSQL postmaster) "
				"does not ignore SIGPIPE. If the reader of its output goes away "
				"it dies of signal 13, and the postmaster takes that for a crashed "
				"server process: \"server process (PID %d) was terminated by "
				"signal 13: Broken pipe\", every session terminated, crash "
				"recovery.", (int)p->pid, p->comm, p->user, (int)p->pid);
			dbp_finding_advise(x, "run an init as PID 1 (`docker run --init`, tini, "
				"dumb-init, or `shareProcessNamespace: true`) so that orphans are "
				"adopted by it and not by the postmaster; and do not leave "
				"processes behind in exec sessions.");
		}
		if (stop_ignored(t, in, p)) {
			struct dbp_class c;
			int key = p == f->service;

			dbp_classify(p, &c);
			for (size_t k = 0; k < f->chain_len; k++)
				key |= f->chain[k] == p;
			x = dbp_report_add(r, "DBS202",
				key || c.kind == DBP_KIND_DATABASE ? DBP_CRITICAL : DBP_WARNING,
				p->pid,
				"PID %d (%s, user %s) ignores %s, the stop signal. Ignored "
				"signals stay ignored across exec, so this was most likely "
				"inherited from a wrapper's `trap '' %s`%s: the stop request "
				"will not end it, and it is SIGKILLed when the grace period "
				"ends.", (int)p->pid, dbp_proc_name(p), p->user, sn, sn + 3,
				in->pid1.stop_signal == SIGHUP ? " or from nohup" : "");
			dbp_finding_advise(x, "remove the `trap ''` from the script that starts "
				"it, or reset the disposition before exec: `trap - %s` in the "
				"shell, or `env --default-signal=%s CMD` (coreutils 8.31 and "
				"later).", sn + 3, sn + 3);
		}
		pb = pending_blocked(p);
		if (pb) {
			const struct dbp_proc *later = in->recheck ?
				dbp_table_find(in->recheck, p->pid) : NULL;

			if (in->recheck) {
				/* only what stayed pending, in the same process */
				if (!later || later->start_ticks != p->start_ticks)
					continue;
				pb &= pending_blocked(later);
				if (!pb)
					continue;
			}
			dbp_sigmask_names(pb, " ", names, sizeof(names));
			x = dbp_report_add(r, "DBS204",
				dbp_sigmask_has(pb, in->pid1.stop_signal) ? DBP_WARNING : DBP_INFO,
				p->pid,
				"PID %d (%s) has %s pending but blocked%s: a blocked signal is "
				"never acted on until it is unblocked.", (int)p->pid,
				dbp_proc_name(p), names,
				in->recheck ? " on two readings" : "");
			dbp_finding_advise(x, "look for what blocked it: a wrapper that calls "
				"sigprocmask and then execs keeps the mask (it survives exec), "
				"or a program stuck before it unblocks signals.");
		}
	}
}
