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
	case DBP_OUT_CRASH: return "crash";
	case DBP_OUT_UNKNOWN: break;
	}
	return "unknown";
}

const char *dbp_when_text(const struct dbp_stop_path *sp, char *buf, size_t size)
{
	switch (sp->when) {
	case DBP_WHEN_SHUTDOWN:
		snprintf(buf, size, "when its shutdown ends");
		break;
	case DBP_WHEN_AT_ONCE:
		snprintf(buf, size, "at once");
		break;
	case DBP_WHEN_AFTER:
		snprintf(buf, size, "after %d s", sp->when_seconds);
		break;
	case DBP_WHEN_GRACE:
		snprintf(buf, size, "at the end of the %d s grace period", sp->when_seconds);
		break;
	case DBP_WHEN_UNKNOWN:
	default:
		snprintf(buf, size, "unknown");
		break;
	}
	return buf;
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

/* PostgreSQL's client programs: adopted by a postmaster PID 1, each holds
 * a session that a shutdown cuts, and then exits with code 2. */
static int is_pg_client_program(const struct dbp_proc *p)
{
	static const char *const clients[] = {
		"psql", "pg_dump", "pg_dumpall", "pg_restore", "pgbench", "pg_basebackup",
		"vacuumdb", "reindexdb", "clusterdb", "pg_receivewal", "pg_recvlogical",
	};

	for (size_t i = 0; i < sizeof(clients) / sizeof(clients[0]); i++)
		if (!strcmp(p->comm, clients[i]) || !strcmp(dbp_proc_name(p), clients[i]))
			return 1;
	return 0;
}

/* One walk of the stop path for one signal. */
struct walk {
	const struct dbp_table *t;
	const struct dbp_signals_input *in;
	const struct dbp_pid1_facts *f;
	struct dbp_stop_path *sp;
	int sig;		/* the signal arriving now (su turns any into SIGTERM) */
	int bound;		/* seconds the service has: the grace, or su's 2 s */
	int bounded_by_su;	/* bound comes from su/runuser, not the runtime */
};

/* How a step names a process: "PID 7 (postgres)" (pid_name) or
 * "postgres (PID 7)" (name_pid), or " (PID 7)" after a name of its own
 * (pid_tag). In a predicted table (an image's chain, t->predicted) only
 * PID 1's number holds, and the others go by their names alone. */
static void outcome(struct walk *w, enum dbp_outcome o, enum dbp_when when);

struct tag {
	char s[96];
};

static int numbered(const struct walk *w, const struct dbp_proc *p)
{
	return !w->t->predicted || p->pid == 1;
}

static struct tag pid_name(const struct walk *w, const struct dbp_proc *p)
{
	struct tag t;

	if (numbered(w, p))
		snprintf(t.s, sizeof(t.s), "PID %d (%s)", (int)p->pid, dbp_proc_name(p));
	else
		snprintf(t.s, sizeof(t.s), "%s", dbp_proc_name(p));
	return t;
}

static struct tag name_pid(const struct walk *w, const struct dbp_proc *p)
{
	struct tag t;

	if (numbered(w, p))
		snprintf(t.s, sizeof(t.s), "%s (PID %d)", dbp_proc_name(p), (int)p->pid);
	else
		snprintf(t.s, sizeof(t.s), "%s", dbp_proc_name(p));
	return t;
}

static struct tag pid_tag(const struct walk *w, const struct dbp_proc *p)
{
	struct tag t = { "" };

	if (numbered(w, p))
		snprintf(t.s, sizeof(t.s), " (PID %d)", (int)p->pid);
	return t;
}

/* p's signal masks are not known: not readable live; in a predicted
 * chain, a program whose handling dbpod does not know, or a shell whose
 * script was not read */
static void masks_unknown(struct walk *w, const struct dbp_proc *p, const char *unread_live)
{
	const struct dbp_shell_script *sc = dbp_pid1_script(&w->in->pid1, p->pid);

	if (!w->t->predicted) {
		step(w->sp, "the signal masks of PID %d (%s) cannot be read", (int)p->pid,
		     dbp_proc_name(p));
		w->sp->unread = unread_live;
	} else if (sc && !sc->read) {
		step(w->sp, "what %s does with the signal is up to its script, %s, which "
		     "was not read", pid_name(w, p).s, sc->source);
		w->sp->unread = "the entrypoint script";
	} else {
		step(w->sp, "what %s does with the signal is not known to dbpod",
		     pid_name(w, p).s);
		w->sp->unread = "the program's signal handling";
	}
	outcome(w, DBP_OUT_UNKNOWN, DBP_WHEN_UNKNOWN);
}

static void outcome(struct walk *w, enum dbp_outcome o, enum dbp_when when)
{
	w->sp->outcome = o;
	w->sp->when = when;
	if (when == DBP_WHEN_GRACE || when == DBP_WHEN_AFTER)
		w->sp->when_seconds = w->bound;
}

/* Nothing will stop the service: it is SIGKILLed when the bound ends. */
static void killed_at_bound(struct walk *w)
{
	if (w->bounded_by_su) {
		step(w->sp, "%d s after the signal, su SIGKILLs its child", w->bound);
		outcome(w, DBP_OUT_SIGKILL, DBP_WHEN_AFTER);
	} else {
		step(w->sp, "the runtime SIGKILLs every process when the %d s grace period ends",
		     w->bound);
		outcome(w, DBP_OUT_SIGKILL, DBP_WHEN_GRACE);
	}
}

/* A shutdown that ends by itself, within the bound su leaves it, if any. */
static void shuts_down(struct walk *w)
{
	if (w->bounded_by_su) {
		step(w->sp, "su SIGKILLs it %d s after the signal whether it is done or "
		     "not: a shutdown that takes longer (a large checkpoint) is cut short",
		     w->bound);
		outcome(w, DBP_OUT_RISKY, DBP_WHEN_AFTER);
		return;
	}
	outcome(w, DBP_OUT_GRACEFUL, DBP_WHEN_SHUTDOWN);
}

/* PostgreSQL PID 1 in a fast or smart shutdown: an adopted client
 * program loses its session and exits with code 2, and the postmaster's
 * reaper takes any child that exits other than 0 or 1 for a crashed
 * server process (measured: "server process (PID N) exited with exit code
 * 2", "abnormal database system shutdown", crash recovery on the next
 * start, 4 runs of 5). */
static const struct dbp_proc *adopted_client(const struct walk *w, const struct dbp_proc *srv)
{
	if (srv->pid != 1 || w->f->pid1_class.db != DBP_DB_POSTGRES)
		return NULL;
	for (size_t i = 0; i < w->t->n; i++) {
		const struct dbp_proc *p = &w->t->procs[i];

		if (dbp_pid1_is_foreign_child(w->t, w->f, p) && is_pg_client_program(p))
			return p;
	}
	return NULL;
}

/* What the database server (or the program at the end of the chain) does
 * with the signal arriving now. */
static void server_action(struct walk *w, const struct dbp_proc *srv, const struct dbp_class *c)
{
	struct dbp_stop_path *sp = w->sp;
	int sig = w->sig;
	enum dbp_disposition d = dbp_disposition(&srv->sig, srv->have & DBP_HAVE_STATUS, sig);
	const struct dbp_proc *orphan;
	char sn[24];

	dbp_signal_name(sig, sn, sizeof(sn));
	sp->receiver = srv;
	sp->receiver_disp = d;
	if (c->kind == DBP_KIND_DATABASE)
		sp->server_signal = sig;
	if (d == DBP_DISP_UNKNOWN) {
		masks_unknown(w, srv, "the server's signal masks");
		return;
	}
	if (d == DBP_DISP_IGNORED) {
		step(sp, "%s ignores %s", pid_name(w, srv).s, sn);
		killed_at_bound(w);
		return;
	}
	if (d == DBP_DISP_DEFAULT) {
		step(sp, "%s has no handler: the default action ends it at once, "
		     "without cleaning up", pid_name(w, srv).s);
		outcome(w, c->kind == DBP_KIND_DATABASE ? DBP_OUT_CRASH : DBP_OUT_TERMINATED,
			DBP_WHEN_AT_ONCE);
		return;
	}
	if (c->db == DBP_DB_POSTGRES) {
		sp->clients = dbp_pg_client_backends(w->t, srv->pid);
		orphan = adopted_client(w, srv);
		switch (sig) {
		case SIGTERM:
			sp->action = "smart shutdown";
			if (w->t->predicted)
				step(sp, "PostgreSQL%s on SIGTERM: smart shutdown -- no new "
				     "connections, then it waits for every client session to "
				     "end before the shutdown checkpoint; judged with none "
				     "connected (a client that stays keeps it running until "
				     "SIGKILL)", pid_tag(w, srv).s);
			else
				step(sp, "PostgreSQL%s on SIGTERM: smart shutdown -- no new "
				     "connections, then it waits for every client session to end "
				     "before the shutdown checkpoint; %zu client session%s connected now",
				     pid_tag(w, srv).s, sp->clients, sp->clients == 1 ? " is" : "s are");
			if (sp->clients) {
				step(sp, "unless every client disconnects first, the shutdown "
				     "never starts");
				killed_at_bound(w);
				return;
			}
			shuts_down(w);
			return;
		case SIGINT:
			sp->action = "fast shutdown";
			step(sp, "PostgreSQL%s on SIGINT: fast shutdown -- rolls back "
			     "and disconnects every session, writes the shutdown checkpoint "
			     "and exits", pid_tag(w, srv).s);
			if (orphan) {
				step(sp, "PID %d (%s), adopted by the postmaster, loses its session "
				     "and exits with code 2; if that happens before the postmaster "
				     "exits, which it does most of the time (it races the shutdown "
				     "checkpoint), the postmaster takes it for a crashed server "
				     "process: \"abnormal database system shutdown\", crash "
				     "recovery on the next start",
				     (int)orphan->pid, dbp_proc_name(orphan));
				outcome(w, DBP_OUT_CRASH, DBP_WHEN_AT_ONCE);
				return;
			}
			shuts_down(w);
			return;
		case SIGQUIT:
			sp->action = "immediate shutdown";
			step(sp, "PostgreSQL%s on SIGQUIT: immediate shutdown -- every "
			     "process exits within a second, without a checkpoint; the next "
			     "start always runs crash recovery", pid_tag(w, srv).s);
			outcome(w, DBP_OUT_CRASH, DBP_WHEN_AT_ONCE);
			return;
		default:
			step(sp, "PostgreSQL%s handles %s, but not as a shutdown "
			     "request (SIGHUP reloads the configuration)", pid_tag(w, srv).s, sn);
			killed_at_bound(w);
			return;
		}
	}
	if (c->db == DBP_DB_MYSQL) {
		/* mariadbd/mysqld block every signal in every thread; one signal
		 * thread sigwaits for SIGTERM, SIGQUIT, SIGHUP and SIGTSTP (SIGINT
		 * only with --gdb). Measured: SIGINT stays pending (ShdPnd), SIGKILL
		 * at the grace, InnoDB crash recovery. */
		if (sig == SIGTERM || sig == SIGQUIT) {
			sp->action = "clean shutdown";
			step(sp, "%s%s on %s: its signal thread starts a clean "
			     "shutdown", dbp_db_name(c->db), pid_tag(w, srv).s, sn);
			shuts_down(w);
			return;
		}
		step(sp, "%s%s blocks %s and its signal thread never waits for it: "
		     "it stays pending, and InnoDB recovers on the next start",
		     dbp_db_name(c->db), pid_tag(w, srv).s, sn);
		killed_at_bound(w);
		return;
	}
	if ((c->db == DBP_DB_REDIS || c->db == DBP_DB_MONGODB) &&
	    (sig == SIGTERM || sig == SIGINT)) {
		sp->action = "clean shutdown";
		step(sp, "%s%s on %s: clean shutdown%s", dbp_db_name(c->db),
		     pid_tag(w, srv).s, sn, c->db == DBP_DB_REDIS ?
		     " (saves an RDB snapshot first when save points are set)" : "");
		shuts_down(w);
		return;
	}
	if (c->kind == DBP_KIND_DATABASE) {
		step(sp, "%s%s handles %s; it is not its documented shutdown signal",
		     dbp_db_name(c->db), pid_tag(w, srv).s, sn);
		sp->unread = "what the server does with this signal";
		outcome(w, DBP_OUT_UNCERTAIN, DBP_WHEN_UNKNOWN);
		return;
	}
	step(sp, "%s %s %s; whether it stops in time is up to it", pid_name(w, srv).s,
	     d == DBP_DISP_CAUGHT ? "handles" : "blocks (and may read)", sn);
	sp->unread = "what the program does with this signal";
	outcome(w, DBP_OUT_UNCERTAIN, DBP_WHEN_UNKNOWN);
}

static void follow(struct walk *w, size_t i, int service_hit);

/* A shell that catches the signal: its own deferral of SIGINT, or a trap. */
static void shell_catches(struct walk *w, size_t i, int service_hit)
{
	const struct dbp_proc *sh = w->f->chain[i];
	const struct dbp_shell_script *sc = dbp_pid1_script(&w->in->pid1, sh->pid);
	const char *svc = dbp_proc_name(w->f->service);
	const struct dbp_sh_trap *fw = dbp_script_forwards(sc, w->sig);
	char sn[24], fsn[24];

	dbp_signal_name(w->sig, sn, sizeof(sn));
	if (fw && sc->background == 1 && w->f->service != sh) {
		/* the measured wrapper: `trap 'kill -INT $p; wait $p' TERM;
		 * postgres & p=$!; wait $p` stops as cleanly as postgres alone */
		step(w->sp, "%s has a trap on %s in %s that passes the stop on: `%s` "
		     "sends %s to %s, and the trap waits for it to exit", name_pid(w, sh).s,
		     sn + 3, sc->source, fw->how, dbp_signal_name(fw->sends, fsn, sizeof(fsn)),
		     svc);
		w->sig = fw->sends;
		w->sp->passed_on = 1;
		follow(w, w->f->chain_len - 1, 0);
		return;
	}
	if (sc && sc->read && dbp_sigmask_has(sc->trapped, w->sig) && sc->background == 0 &&
	    w->f->service != sh) {
		/* bash and dash run a trap only once the foreground command
		 * they wait for has exited (bash(1), SIGNALS) */
		step(w->sp, "%s has a trap on %s in %s%s%s%s, but it runs %s in the "
		     "foreground, and a shell runs a trap only after its foreground "
		     "child exits", name_pid(w, sh).s, sn + 3, sc->source,
		     fw ? " that would pass it on (`" : "", fw ? fw->how : "", fw ? "`)" : "",
		     svc);
		if (service_hit) {
			follow(w, w->f->chain_len - 1, 0);
			return;
		}
		killed_at_bound(w);
		return;
	}
	if (sc && sc->read && dbp_sigmask_has(sc->trapped, w->sig)) {
		step(w->sp, "%s has a trap on %s in %s; what it does decides, and "
		     "dbpod does not run it", name_pid(w, sh).s, sn + 3, sc->source);
		w->sp->unread = "the shell's trap";
		outcome(w, DBP_OUT_UNCERTAIN, DBP_WHEN_UNKNOWN);
		return;
	}
	if (w->sig != SIGINT || !sc || !sc->read) {
		step(w->sp, "%s catches %s%s%s; whether a trap passes it on to %s "
		     "is up to the script", name_pid(w, sh).s, sn,
		     sc && !sc->read ? ", and its script could not be read: " : "",
		     sc && !sc->read ? sc->source : "", svc);
		w->sp->unread = sc && !sc->read ? "the shell's script" : "the shell's trap";
		outcome(w, DBP_OUT_UNCERTAIN, DBP_WHEN_UNKNOWN);
		return;
	}
	/* bash and dash catch SIGINT while they wait for a foreground child
	 * and act on it only after the child exits (measured: SigCgt holds
	 * SIGINT with no trap in the script) */
	step(w->sp, "%s has no trap on INT in %s: it catches SIGINT only "
	     "to defer it until its child exits, and passes it on to nobody",
	     name_pid(w, sh).s, sc->source);
	if (service_hit) {
		follow(w, w->f->chain_len - 1, 0);
		return;
	}
	killed_at_bound(w);
}

/* chain[i] (below PID 1, or PID 1 itself) receives w->sig. service_hit:
 * the service got the same signal directly (a group forward). */
static void follow(struct walk *w, size_t i, int service_hit)
{
	const struct dbp_pid1_facts *f = w->f;
	const struct dbp_proc *p = f->chain[i];
	struct dbp_class c;
	enum dbp_disposition d;
	char sn[24];

	dbp_classify(p, &c);
	if (p == f->service || c.kind == DBP_KIND_DATABASE) {
		server_action(w, p, &c);
		return;
	}
	dbp_signal_name(w->sig, sn, sizeof(sn));
	d = dbp_disposition(&p->sig, p->have & DBP_HAVE_STATUS, w->sig);
	w->sp->receiver = p;
	w->sp->receiver_disp = d;
	if (d == DBP_DISP_UNKNOWN) {
		masks_unknown(w, p, "a signal mask on the path");
		return;
	}
	if (c.kind == DBP_KIND_SWITCHER && !strcmp(c.name, "sudo") && d == DBP_DISP_CAUGHT &&
	    i + 1 < f->chain_len) {
		step(w->sp, "%s relays %s to its child", name_pid(w, p).s, sn);
		follow(w, i + 1, service_hit);
		return;
	}
	if (c.kind == DBP_KIND_SWITCHER && d == DBP_DISP_CAUGHT && i + 1 < f->chain_len) {
		/* util-linux su/runuser: on a caught signal, "Session terminated,
		 * killing shell...", SIGTERM to the child, sleep(2), SIGKILL,
		 * " ...killed." -- whatever the signal was */
		step(w->sp, "%s sends SIGTERM to its child, waits 2 s and then "
		     "SIGKILLs it", numbered(w, p) ? name_pid(w, p).s : c.name);
		w->sig = SIGTERM;
		w->sp->passed_on = 1;
		if (w->bound > 2) {
			w->bound = 2;
			w->bounded_by_su = 1;
		}
		follow(w, i + 1, 0);
		return;
	}
	if (d == DBP_DISP_CAUGHT && c.kind == DBP_KIND_SHELL) {
		shell_catches(w, i, service_hit);
		return;
	}
	if (d == DBP_DISP_DEFAULT && (c.kind == DBP_KIND_SHELL || c.kind == DBP_KIND_SWITCHER ||
				      c.kind == DBP_KIND_OTHER) && i > 0) {
		step(w->sp, "%s has no handler and dies of it at once, without "
		     "passing it on%s", name_pid(w, p).s,
		     service_hit ? " -- before the server is done" : "");
		if (f->chain[i - 1]->pid == 1 && f->pid1_class.kind == DBP_KIND_INIT) {
			step(w->sp, "%s (PID 1) exits with its child, and the kernel SIGKILLs "
			     "%s as the namespace ends", f->pid1_class.name,
			     pid_name(w, f->service).s);
			outcome(w, DBP_OUT_SIGKILL, DBP_WHEN_AT_ONCE);
			return;
		}
		if (!service_hit && i + 1 < f->chain_len) {
			struct dbp_class pc;

			dbp_classify(f->chain[i - 1], &pc);
			if (pc.kind == DBP_KIND_SWITCHER &&
			    (f->chain[i - 1]->pid == 1 || f->chain[i - 1]->ppid == 1)) {
				/* su sees its child end and exits at once; with it
				 * goes PID 1 (or, under an init, the program PID 1
				 * was stopping) */
				step(w->sp, "%s exits with it, and %s, never signalled, is "
				     "SIGKILLed by the kernel when PID 1 exits", pc.name,
				     pid_name(w, f->service).s);
				outcome(w, DBP_OUT_SIGKILL, DBP_WHEN_AT_ONCE);
				return;
			}
		}
		if (service_hit) {
			follow(w, f->chain_len - 1, 0);
			return;
		}
		killed_at_bound(w);
		return;
	}
	if (d == DBP_DISP_IGNORED || d == DBP_DISP_BLOCKED || d == DBP_DISP_DEFAULT) {
		step(w->sp, "%s %s it and never passes it on", name_pid(w, p).s,
		     d == DBP_DISP_IGNORED ? "ignores" :
		     d == DBP_DISP_BLOCKED ? "blocks" : "drops");
		if (service_hit) {
			follow(w, f->chain_len - 1, 0);
			return;
		}
		killed_at_bound(w);
		return;
	}
	server_action(w, p, &c);
}

/* PID 1 is supervisord: it stops each program with the program's own
 * stopsignal and SIGKILLs it after stopwaitsecs. */
static void supervisor(struct walk *w)
{
	const struct dbp_supervisor *sup = w->in->supervisor;
	const struct dbp_pid1_facts *f = w->f;
	char sn[24];

	if (!sup || !sup->read || !f->service || f->service == f->pid1) {
		step(w->sp, "%s stops its programs with each program's stopsignal; %s",
		     f->pid1_class.name, sup && sup->conf[0] ?
		     "its configuration could not be read" : "dbpod does not read its configuration");
		if (sup && sup->conf[0])
			step(w->sp, "not read: %s", sup->conf);
		w->sp->unread = "the supervisor's configuration";
		outcome(w, DBP_OUT_UNCERTAIN, DBP_WHEN_UNKNOWN);
		return;
	}
	step(w->sp, "supervisord stops [program:%s] (%s) with %s, as %s says, and "
	     "SIGKILLs it after stopwaitsecs=%d", sup->program, sup->conf,
	     dbp_signal_name(sup->stopsignal, sn, sizeof(sn)), sup->conf, sup->stopwaitsecs);
	w->sig = sup->stopsignal;
	w->sp->passed_on = 1;
	if (sup->stopwaitsecs < w->bound) {
		w->bound = sup->stopwaitsecs;
		w->bounded_by_su = 0;
		w->sp->bound = sup->stopwaitsecs;
	}
	/* the program's own process first, when it is not the server (su
	 * -c, a wrapper script): it gets the stopsignal */
	if (f->chain_len > 2 && f->chain[1] != f->service)
		follow(w, 1, 0);
	else
		server_action(w, f->service, &f->service_class);
	if (w->sp->when == DBP_WHEN_GRACE && sup->stopwaitsecs < w->in->grace)
		w->sp->when = DBP_WHEN_AFTER;	/* supervisord's SIGKILL comes first */
}

void dbp_stop_path(const struct dbp_table *t, const struct dbp_signals_input *in,
		   const struct dbp_pid1_facts *f, int sig, struct dbp_stop_path *sp)
{
	struct walk w = { t, in, f, sp, sig, in->grace, 0 };
	const struct dbp_proc *p1 = f->pid1;
	enum dbp_disposition d1;
	char sn[24];

	memset(sp, 0, sizeof(*sp));
	sp->signal = sig;
	sp->grace = in->grace;
	sp->bound = in->grace;
	dbp_signal_name(sig, sn, sizeof(sn));
	if (!p1) {
		step(sp, "PID 1 is not visible");
		sp->unread = "PID 1";
		return;
	}
	step(sp, "the runtime sends %s to PID 1 (%s)", sn, dbp_proc_name(p1));
	if (sig == SIGKILL) {
		step(sp, "SIGKILL cannot be caught: every process of the container dies at once");
		outcome(&w, DBP_OUT_SIGKILL, DBP_WHEN_AT_ONCE);
		return;
	}
	if (in->grace == 0) {
		/* docker stop -t 0, terminationGracePeriodSeconds: 0 */
		step(sp, "the grace period is 0 s: the runtime SIGKILLs every process right "
		     "after the signal, before any shutdown can run");
		outcome(&w, DBP_OUT_SIGKILL, DBP_WHEN_AT_ONCE);
		return;
	}
	d1 = dbp_disposition(&p1->sig, p1->have & DBP_HAVE_STATUS, sig);
	switch (d1) {
	case DBP_DISP_UNKNOWN:
		if (t->predicted) {
			masks_unknown(&w, p1, NULL);
			return;
		}
		step(sp, "PID 1's signal masks cannot be read");
		sp->unread = "PID 1's signal masks";
		return;
	case DBP_DISP_DEFAULT:
	case DBP_DISP_IGNORED:
		step(sp, "PID 1 %s it: the kernel drops a signal to a namespace's init "
		     "that neither has a handler for it nor blocks it",
		     d1 == DBP_DISP_IGNORED ? "ignores" : "has no handler for");
		killed_at_bound(&w);
		sp->dropped_by_pid1 = 1;
		sp->receiver = p1;
		sp->receiver_disp = d1;
		return;
	default:
		break;
	}
	if (f->pid1_class.kind != DBP_KIND_INIT) {
		follow(&w, 0, 0);
		return;
	}
	/* PID 1 is an init */
	if (!strcmp(f->pid1_class.name, "pause")) {
		if (f->service && f->service != p1) {
			step(sp, "the pause process does not forward; the kubelet signals each "
			     "container's main process itself");
			server_action(&w, f->service, &f->service_class);
		} else {
			sp->unread = "the pod's containers";
			outcome(&w, DBP_OUT_UNCERTAIN, DBP_WHEN_UNKNOWN);
		}
		return;
	}
	if (f->forward == DBP_FWD_SERVICES) {
		if (!strcmp(f->pid1_class.name, "supervisord")) {
			supervisor(&w);
			return;
		}
		step(sp, "%s stops the services it supervises in its own way and order",
		     f->pid1_class.name);
		sp->unread = "the supervisor's configuration";
		outcome(&w, DBP_OUT_UNCERTAIN, DBP_WHEN_UNKNOWN);
		return;
	}
	if (f->chain_len < 2) {
		step(sp, "%s has no child to forward it to", f->pid1_class.name);
		sp->unread = "the init's child";
		outcome(&w, DBP_OUT_UNCERTAIN, DBP_WHEN_UNKNOWN);
		return;
	}
	if (d1 == DBP_DISP_BLOCKED || d1 == DBP_DISP_WAITING)
		step(sp, "%s blocks every signal and waits for them (sigtimedwait or "
		     "signalfd): a blocked signal is never discarded, ignored or not",
		     f->pid1_class.name);
	if (f->forward == DBP_FWD_GROUP) {
		const struct dbp_proc *kid = f->chain[1];
		int hit = f->service != kid && f->service->pgrp == kid->pgrp;

		step(sp, "%s forwards it to its child's process group (%d)%s",
		     f->pid1_class.name, (int)kid->pgrp,
		     hit ? ", which holds the server too" : "");
		follow(&w, 1, hit);
		return;
	}
	step(sp, "%s forwards it to its child, %s", f->pid1_class.name,
	     pid_name(&w, f->chain[1]).s);
	follow(&w, 1, 0);
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

static int stop_ignored(const struct dbp_table *t, const struct dbp_proc *p, int sig)
{
	return p->pid != 1 && !p->kthread && p->state != 'Z' && p->pid != t->self &&
	       dbp_disposition(&p->sig, p->have & DBP_HAVE_STATUS, sig) == DBP_DISP_IGNORED &&
	       !is_own_session(t, p) && !is_interactive_shell(p) && !is_server_child(t, p);
}

/* The first stop signal p ignores, or 0. */
static int stop_ignored_any(const struct dbp_table *t, const struct dbp_pid1_facts *f,
			    const struct dbp_proc *p)
{
	for (size_t k = 0; k < f->nstops; k++)
		if (stop_ignored(t, p, f->stop_signals[k]))
			return f->stop_signals[k];
	return 0;
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

int dbp_signals_judged(const struct dbp_table *t, const struct dbp_pid1_facts *f,
		       const struct dbp_proc *p)
{
	struct dbp_class c;

	for (size_t i = 0; i < f->chain_len; i++)
		if (f->chain[i] == p)
			return 1;
	if (p == f->service)
		return 1;
	dbp_classify(p, &c);
	if (c.kind == DBP_KIND_DATABASE)
		return 1;
	if (!f->pid1)
		return 0;
	switch (f->forward) {
	case DBP_FWD_GROUP:
		return f->chain_len > 1 && p->pgrp == f->chain[1]->pgrp;
	case DBP_FWD_SERVICES:
		return p->ppid == 1;
	default:
		break;
	}
	/* the kubelet signals each container's main process itself */
	return !strcmp(f->pid1_class.name ? f->pid1_class.name : "", "pause") && p->ppid == 0 &&
	       p->pid != t->self;
}

/* Judged for DBS202 and DBS204: reached by the stop, or everyone (--all),
 * or asked for (the caller passes only those) */
static int judged(const struct dbp_table *t, const struct dbp_pid1_facts *f,
		  const struct dbp_signals_input *in, int asked, const struct dbp_proc *p)
{
	return asked || in->judge_all || dbp_signals_judged(t, f, p);
}

int dbp_signals_notable(const struct dbp_table *t, const struct dbp_pid1_facts *f,
			const struct dbp_signals_input *in, const struct dbp_proc *p)
{
	for (size_t i = 0; i < f->chain_len; i++)
		if (f->chain[i] == p)
			return 1;
	return p == f->service || sigpipe_victim(t, f, p) ||
	       ((stop_ignored_any(t, f, p) || pending_blocked(p)) && judged(t, f, in, 0, p));
}

static int stop_pending(const struct dbp_pid1_facts *f, uint64_t pending)
{
	for (size_t k = 0; k < f->nstops; k++)
		if (dbp_sigmask_has(pending, f->stop_signals[k]))
			return 1;
	return 0;
}

const char *dbp_stop_consequence(const struct dbp_stop_path *sp)
{
	switch (sp->outcome) {
	case DBP_OUT_SIGKILL:
		return sp->when == DBP_WHEN_AT_ONCE ? "The service is SIGKILLed at once, mid-shutdown." :
		       sp->when == DBP_WHEN_AFTER ? "The service is SIGKILLed before it is done." :
		       "The service is SIGKILLed when the grace period ends.";
	case DBP_OUT_CRASH:
		return "The database stops without a clean shutdown: the next start runs "
		       "crash recovery.";
	case DBP_OUT_RISKY:
		return "A shutdown that takes longer is cut short by SIGKILL.";
	case DBP_OUT_TERMINATED:
		return "The service dies without cleaning up.";
	default:
		break;
	}
	return "";
}

const char *dbp_stop_advice(const struct dbp_pid1_facts *f, const struct dbp_stop_path *sp)
{
	if (sp->dropped_by_pid1)
		return "exec the service from the entrypoint so that it is PID 1 with its own "
		       "handler, or run an init (`docker run --init`, tini, dumb-init) as PID 1.";
	if (f->service_class.db == DBP_DB_POSTGRES && sp->action &&
	    !strcmp(sp->action, "smart shutdown") && sp->clients)
		return "stop PostgreSQL with SIGINT, a fast shutdown: `STOPSIGNAL SIGINT` in the "
		       "Dockerfile, as the official postgres image does, or a preStop hook "
		       "running `pg_ctl stop -m fast`; give terminationGracePeriodSeconds room "
		       "for the shutdown checkpoint.";
	if (f->service_class.db == DBP_DB_POSTGRES && sp->action &&
	    !strcmp(sp->action, "immediate shutdown"))
		return "use SIGINT (fast shutdown) as the stop signal: SIGQUIT skips the "
		       "shutdown checkpoint and makes every start a crash recovery.";
	if (f->pid1_class.db == DBP_DB_POSTGRES && sp->outcome == DBP_OUT_CRASH)
		return "run an init as PID 1 (`docker run --init`, tini, dumb-init, or "
		       "`shareProcessNamespace: true`) so that orphans are adopted by it and "
		       "not by the postmaster; end exec sessions' background jobs before a stop.";
	return "let the signal reach the service: `exec` it from the entrypoint script (or "
	       "use gosu, su-exec or setpriv, which exec, instead of su/runuser), use an "
	       "init that forwards it (tini, dumb-init), and stop with the signal the "
	       "database shuts down cleanly on (PostgreSQL SIGINT, MariaDB SIGTERM).";
}

/* The findings about one stop path. */
static void rule_stop_path(const struct dbp_pid1_facts *f, const struct dbp_stop_path *sp,
			   struct dbp_report *r)
{
	struct dbp_finding *x;
	char sn[24], when[64];
	int db = f->service && f->service_class.kind == DBP_KIND_DATABASE;
	const char *what = sp->nsteps ? sp->steps[sp->nsteps - 1] : "";
	enum dbp_severity sev;

	dbp_signal_name(sp->signal, sn, sizeof(sn));
	dbp_when_text(sp, when, sizeof(when));
	if (sp->dropped_by_pid1) {
		x = dbp_report_add(r, "DBS203", DBP_CRITICAL, 1,
			"PID 1 (%s) %s %s, %s, and the kernel drops such a signal to a "
			"namespace's init: the runtime waits out the %d s grace period "
			"and SIGKILLs every process%s.",
			dbp_proc_name(f->pid1),
			sp->receiver_disp == DBP_DISP_IGNORED ? "ignores" : "has no handler for",
			sn, f->nstops > 1 ? "one of the signals it may be stopped with" : "the stop signal",
			sp->grace, db ? ", the database included" : "");
		dbp_finding_advise(x, "%s", dbp_stop_advice(f, sp));
		return;
	}
	switch (sp->outcome) {
	case DBP_OUT_SIGKILL:
	case DBP_OUT_CRASH:
	case DBP_OUT_RISKY:
		break;
	case DBP_OUT_TERMINATED:
		if (db)
			break;
		return;
	case DBP_OUT_UNCERTAIN:
		x = dbp_report_add(r, "DBS205", DBP_INFO, sp->receiver ? sp->receiver->pid : 0,
			"On stop with %s: %s. dbpod cannot tell what happens next: %s "
			"decides.", sn, what, sp->unread ? sp->unread : "a handler");
		(void)x;
		return;
	default:
		return;
	}
	sev = (sp->outcome == DBP_OUT_SIGKILL || sp->outcome == DBP_OUT_CRASH) && db ?
	      DBP_CRITICAL : DBP_WARNING;
	if (sp->action && !strcmp(sp->action, "smart shutdown") && sp->clients) {
		/* the reason first, then the end, once: the last step already
		 * names the SIGKILL and the grace period */
		x = dbp_report_add(r, "DBS205", sev, sp->receiver ? sp->receiver->pid : 0,
			"On stop with %s PostgreSQL makes a smart shutdown, which waits for "
			"every client session to end, and %zu %s connected now: unless %s "
			"disconnect%s first, %s, the database without a shutdown checkpoint.",
			sn, sp->clients, sp->clients == 1 ? "is" : "are",
			sp->clients == 1 ? "it" : "they", sp->clients == 1 ? "s" : "", what);
	} else {
		/* a last step that names the SIGKILL says the consequence */
		x = dbp_report_add(r, "DBS205", sev, sp->receiver ? sp->receiver->pid : 0,
			"On stop with %s (%d s grace period): %s.%s%s", sn, sp->grace, what,
			sp->outcome == DBP_OUT_SIGKILL && strstr(what, "SIGKILL") ? "" : " ",
			sp->outcome == DBP_OUT_SIGKILL && strstr(what, "SIGKILL") ? "" :
			dbp_stop_consequence(sp));
	}
	dbp_finding_advise(x, "%s", dbp_stop_advice(f, sp));
}

void dbp_rules_signals_asked(const struct dbp_table *t, const struct dbp_signals_input *in,
			     const pid_t *only, size_t nonly, struct dbp_report *r)
{
	struct dbp_finding *x;

	for (size_t k = 0; k < nonly; k++) {
		const struct dbp_proc *p = dbp_table_find(t, only[k]);

		if (!p) {
			x = dbp_report_add(r, "DBS200", DBP_UNKNOWN, only[k],
				"There is no process %d in this PID namespace%s: it exited, "
				"or it is a PID of another namespace (the host's, or another "
				"container's).", (int)only[k],
				in->pid1.hidepid ? ", or /proc hides it (hidepid)" : "");
			dbp_finding_advise(x, "run `dbpod signals` without PIDs to see the "
				"processes of this namespace.");
		} else if (!(p->have & DBP_HAVE_STATUS)) {
			x = dbp_report_add(r, "DBS200", DBP_UNKNOWN, p->pid,
				"The signal masks of PID %d (%s) cannot be read from "
				"/proc/%d/status.", (int)p->pid, p->comm, (int)p->pid);
			dbp_finding_advise(x, "run dbpod as root or as the process's user.");
		}
	}
	if (!dbp_table_find(t, 1)) {
		x = dbp_report_add(r, "DBS200", DBP_UNKNOWN, 1,
			"PID 1 is not visible%s, so the stop path cannot be followed.",
			in->pid1.hidepid ? " (/proc is mounted with hidepid)" : "");
		dbp_finding_advise(x, "run dbpod as root or as the user of PID 1.");
	}
}

size_t dbp_signals_recheck_pids(const struct dbp_table *t, const struct dbp_signals_input *in,
				const pid_t *only, size_t nonly, pid_t *pids, size_t max)
{
	struct dbp_pid1_facts f;
	size_t n = 0;

	dbp_pid1_examine(t, &in->pid1, &f);
	for (size_t i = 0; i < t->n && n < max; i++) {
		const struct dbp_proc *p = &t->procs[i];

		if (!dbp_pid_selected(only, nonly, p->pid))
			continue;
		if (pending_blocked(p) && judged(t, &f, in, nonly > 0, p))
			pids[n++] = dbp_proc_fspid(p);
	}
	return n;
}

/* The process of t whose /proc files are at fspid. */
static const struct dbp_proc *by_fspid(const struct dbp_table *t, pid_t fspid)
{
	const struct dbp_proc *p = dbp_table_find(t, fspid);

	if (p && dbp_proc_fspid(p) == fspid)
		return p;
	for (size_t i = 0; i < t->n; i++)
		if (dbp_proc_fspid(&t->procs[i]) == fspid)
			return &t->procs[i];
	return NULL;
}

void dbp_signals_recheck_match(const struct dbp_table *t, struct dbp_table *later)
{
	size_t kept = 0;

	for (size_t i = 0; i < later->n; i++) {
		struct dbp_proc *q = &later->procs[i];
		const struct dbp_proc *p = by_fspid(t, q->pid);
		const struct dbp_proc *parent = p ? dbp_table_find(t, p->ppid) : NULL;
		/* status names the parent as the reader sees it */
		pid_t ppid = !p ? -1 : !p->host_pid ? p->ppid : parent ? dbp_proc_fspid(parent) : q->ppid;

		if (!p || q->ppid != ppid || strcmp(q->comm, p->comm)) {
			dbp_proc_clear(q);	/* not the same process */
			continue;
		}
		/* numbered as t is (another namespace's numbers in node mode) */
		q->pid = p->pid;
		q->host_pid = p->host_pid;
		q->ppid = p->ppid;
		q->start_ticks = p->start_ticks;
		later->procs[kept++] = *q;
	}
	later->n = kept;
	dbp_table_sort(later);
}

/* What ends a shutdown longer than sp->bound, in words: the grace
 * period, or supervisord's stopwaitsecs when that is shorter */
static const char *bound_what(const struct dbp_stop_path *sp)
{
	return sp->bound < sp->grace ? "supervisord waits (stopwaitsecs)" : "grace period";
}

/* A shutdown under way that outlasts sp->bound: SIGKILLed when it ends */
static void killed_mid_shutdown(struct dbp_stop_path *sp)
{
	sp->outcome = DBP_OUT_SIGKILL;
	sp->when_seconds = sp->bound;
	sp->when = sp->bound < sp->grace ? DBP_WHEN_AFTER : DBP_WHEN_GRACE;
}

/* A graceful Redis shutdown with save points writes its RDB snapshot
 * first (rules_budget.h): one longer than the grace is SIGKILLed
 * mid-save, and the previous snapshot stays. */
static void redis_stop_budget(const struct dbp_signals_input *in, struct dbp_stop_path *sp)
{
	struct dbp_stop_budget *b = &sp->budget;

	dbp_redis_stop_budget(in->redis, sp->bound, b);
	if (!b->have_estimate)
		return;
	step(sp, "its final RDB snapshot takes about %.1f s: %.1f MB, the RDB file the last "
	     "save left, at the %.1f MB/s that save measured", b->seconds,
	     b->bytes / (1024 * 1024), b->byte_rate / (1024 * 1024));
	if (!b->over)
		return;
	killed_mid_shutdown(sp);
	step(sp, "%.1f s is longer than the %d s %s: %s SIGKILLs the server mid-save; the "
	     "previous RDB file stays, and %s", b->seconds, sp->bound, bound_what(sp),
	     sp->bound < sp->grace ? "it" : "the runtime",
	     b->appendonly ? "the next start loads the AOF (appendonly yes)" :
	     "every write since it was saved is lost");
}

/* A graceful MariaDB shutdown writes InnoDB's dirty pages first
 * (rules_budget.h): one longer than the grace is SIGKILLed before
 * "Shutdown complete", and the next start runs InnoDB crash recovery. */
static void mariadb_stop_budget(const struct dbp_signals_input *in, struct dbp_stop_path *sp)
{
	struct dbp_stop_budget *b = &sp->budget;

	dbp_mariadb_stop_budget(in->mariadb, sp->bound, b);
	if (!b->have_estimate)
		return;
	step(sp, "its shutdown takes about %.1f s: %s the server's error log timed%s", b->seconds,
	     b->timed == 1 ? "as long as the one shutdown" : "the longest of the recent shutdowns",
	     b->fast_shutdown == 0 ? " (innodb_fast_shutdown=0: a slow shutdown may take longer)" :
	     "");
	if (b->fast_shutdown >= 2)
		step(sp, "innodb_fast_shutdown=%d: it writes no dirty page, so the next start "
		     "runs InnoDB crash recovery even after a complete shutdown", b->fast_shutdown);
	if (!b->over)
		return;
	killed_mid_shutdown(sp);
	step(sp, "%.1f s is longer than the %d s %s: %s SIGKILLs the server before \"Shutdown "
	     "complete\", and the next start runs InnoDB crash recovery", b->seconds, sp->bound,
	     bound_what(sp), sp->bound < sp->grace ? "it" : "the runtime");
}

/* A graceful shutdown must also fit the grace period: PostgreSQL's
 * shutdown checkpoint, timed from the server's log (rules_budget.h), or
 * Redis's final snapshot (redis_stop_budget). A PostgreSQL one that does
 * not is SIGKILLed mid-checkpoint, and the next start runs crash
 * recovery: the outcome becomes SIGKILL at the end of the grace. */
static void stop_budget(const struct dbp_pid1_facts *f, const struct dbp_signals_input *in,
			struct dbp_stop_path *sp)
{
	struct dbp_stop_budget *b = &sp->budget;

	if (in->redis && sp->outcome == DBP_OUT_GRACEFUL && f->service &&
	    f->service_class.db == DBP_DB_REDIS && sp->action &&
	    !strcmp(sp->action, "clean shutdown")) {
		redis_stop_budget(in, sp);
		return;
	}
	if (in->mariadb && sp->outcome == DBP_OUT_GRACEFUL && f->service &&
	    f->service_class.db == DBP_DB_MYSQL && sp->action &&
	    !strcmp(sp->action, "clean shutdown")) {
		mariadb_stop_budget(in, sp);
		return;
	}
	if (!in->pg || sp->outcome != DBP_OUT_GRACEFUL || !f->service ||
	    f->service_class.db != DBP_DB_POSTGRES || !sp->action ||
	    (strcmp(sp->action, "fast shutdown") && strcmp(sp->action, "smart shutdown")))
		return;
	dbp_pg_stop_budget(in->pg, sp->bound, b);
	if (!b->have_estimate)
		return;
	step(sp, "its shutdown checkpoint takes about %.1f s: %ld dirty buffers, as many as "
	     "the largest recent checkpoint wrote, at the %.1f MB/s the server's log measured",
	     b->seconds, b->buffers, b->rate * DBP_PG_BLOCK_KB / 1024);
	if (!b->over)
		return;
	/* supervisord's SIGKILL comes first where it waits less */
	killed_mid_shutdown(sp);
	step(sp, "%.1f s is longer than the %d s %s: %s SIGKILLs the server mid-checkpoint, "
	     "and the next start runs crash recovery", b->seconds, sp->bound, bound_what(sp),
	     sp->bound < sp->grace ? "it" : "the runtime");
}

/* What the probes allow a recovering server, as said when dbpod cannot
 * see them */
#define PROBES_ASSUMED "the probes allow (assumed: a Kubernetes liveness probe with its " \
	"defaults, periodSeconds 10 times failureThreshold 3, and no startupProbe; dbpod cannot " \
	"see the probes from inside the container)"

/* The crash recovery a kill of a PostgreSQL server now would cause
 * (rules_budget.h); a stop that SIGKILLs the server, or crashes it, costs
 * the next start that long. */
static void recovery_budget(const struct dbp_pid1_facts *f, const struct dbp_signals_input *in,
			    const struct dbp_stop_path *first, struct dbp_stop_path *sp)
{
	struct dbp_recovery_budget *b = &sp->recovery;

	if (!in->pg || !f->service || f->service_class.db != DBP_DB_POSTGRES)
		return;
	if (first)
		*b = first->recovery;
	else
		dbp_pg_recovery_budget(in->pg, DBP_RECOVERY_PROBES_ASSUMED, PROBES_ASSUMED, b);
	if (b->have_estimate && b->seconds > 0 &&
	    (sp->outcome == DBP_OUT_SIGKILL || sp->outcome == DBP_OUT_CRASH))
		step(sp, "the next start runs crash recovery, which takes about %.1f s by the "
		     "server's own evidence (DBS208)", b->seconds);
}

/* DBS208: the crash recovery a kill now would cause, against what the
 * probes allow */
static void rule_recovery_budget(const struct dbp_stop_path *sp, struct dbp_report *r)
{
	const struct dbp_recovery_budget *b = &sp->recovery;
	struct dbp_finding *x;
	int need;

	if (!b->have_estimate)
		return;
	need = (int)(2 * b->seconds) + 1;
	if (b->over)
		x = dbp_report_add(r, "DBS208", DBP_WARNING, sp->receiver ? sp->receiver->pid : 0,
			"If PostgreSQL were killed now (a SIGKILL when the grace period ends, the "
			"OOM killer), the crash recovery of its next start would take about %.1f s "
			"(at least %.1f s), longer than the %d s %s: "
			"the server refuses connections until it is done, so a liveness probe kills "
			"it mid-recovery and every restart starts over. The estimate rests on this: %s.",
			b->seconds, b->seconds_low, b->allowed, b->allowed_what, b->basis);
	else
		x = dbp_report_add(r, "DBS208", DBP_INFO, sp->receiver ? sp->receiver->pid : 0,
			"If PostgreSQL were killed now, the crash recovery of its next start would "
			"take about %.1f s (at least %.1f s), within the %d s %s. The estimate "
			"rests on this: %s.",
			b->seconds, b->seconds_low, b->allowed, b->allowed_what, b->basis);
	if (b->over)
		dbp_finding_advise(x, "give a recovering server time before a liveness probe "
			"counts: a startupProbe whose failureThreshold times periodSeconds is over "
			"twice the estimate (%d s); or make recovery shorter: checkpoint more often "
			"(a lower checkpoint_timeout or max_wal_size bounds the WAL a crash replays); "
			"or a faster disk.", need);
	else
		dbp_finding_advise(x, "where probes restart the container, keep their allowance "
			"(a startupProbe's failureThreshold times periodSeconds) over twice the "
			"estimate, %d s; the WAL to replay grows with checkpoint_timeout and "
			"max_wal_size.", need);
}

/* DBS207 for Redis: its final RDB snapshot */
static void redis_rule_stop_budget(const struct dbp_stop_path *sp, const char *sn, int need,
				   struct dbp_report *r)
{
	const struct dbp_stop_budget *b = &sp->budget;
	const char *bound = bound_what(sp);
	struct dbp_finding *x;

	if (b->over)
		x = dbp_report_add(r, "DBS207", b->appendonly ? DBP_INFO : DBP_WARNING,
			sp->receiver ? sp->receiver->pid : 0,
			"On stop with %s, Redis's final RDB snapshot takes about %.1f s, longer "
			"than the %d s %s: the server is SIGKILLed mid-save and the previous RDB "
			"file stays, %s. The estimate rests on this: %s.", sn, b->seconds, sp->bound,
			bound, b->appendonly ? "though the AOF (appendonly yes) keeps the writes" :
			"so every write since the last save is lost", b->basis);
	else
		x = dbp_report_add(r, "DBS207", DBP_INFO, sp->receiver ? sp->receiver->pid : 0,
			"On stop with %s, Redis's final RDB snapshot takes about %.1f s, within the "
			"%d s %s, but a snapshot as large as the server's memory would take %.1f s. "
			"The estimate rests on this: %s.", sn, b->seconds, sp->bound, bound,
			b->worst_seconds, b->basis);
	if (sp->bound < sp->grace)
		dbp_finding_advise(x, "give the stop room for the snapshot, twice the estimate: "
			"stopwaitsecs=%d in the program's section of supervisord's configuration, and "
			"a grace period longer still; or turn on appendonly, so that a kill costs no "
			"write; or a faster disk.", need);
	else
		dbp_finding_advise(x, "give the stop room for the snapshot, twice the estimate: "
			"terminationGracePeriodSeconds: %d (Kubernetes), stop_grace_period: %ds "
			"(Compose), `docker stop -t %d`; or turn on appendonly, so that a kill costs "
			"no write; or a faster disk.", need, need, need);
}

/* DBS207 for MariaDB: its shutdown, timed by its error log */
static void mariadb_rule_stop_budget(const struct dbp_stop_path *sp, const char *sn, int need,
				     struct dbp_report *r)
{
	const struct dbp_stop_budget *b = &sp->budget;
	struct dbp_finding *x;

	x = dbp_report_add(r, "DBS207", DBP_WARNING, sp->receiver ? sp->receiver->pid : 0,
		"On stop with %s, MariaDB's shutdown takes about %.1f s, longer than the %d s %s: "
		"the server is SIGKILLed before InnoDB has written its dirty pages (no \"Shutdown "
		"complete\"), and the next start runs InnoDB crash recovery. The estimate rests on "
		"this: %s.", sn, b->seconds, sp->bound, bound_what(sp), b->basis);
	if (sp->bound < sp->grace)
		dbp_finding_advise(x, "give the stop room for the shutdown, twice the estimate: "
			"stopwaitsecs=%d in the program's section of supervisord's configuration, and "
			"a grace period longer still; or leave fewer pages dirty at the stop (a lower "
			"innodb_max_dirty_pages_pct); or a faster disk.", need);
	else
		dbp_finding_advise(x, "give the stop room for the shutdown, twice the estimate: "
			"terminationGracePeriodSeconds: %d (Kubernetes), stop_grace_period: %ds "
			"(Compose), `docker stop -t %d`; or leave fewer pages dirty at the stop: a "
			"preStop hook that runs `SET GLOBAL innodb_max_dirty_pages_pct=0` and waits for "
			"Innodb_buffer_pool_pages_dirty to fall; or a faster disk.", need, need, need);
}

/* DBS207: a shutdown longer than its grace period, or that could be */
static void rule_stop_budget(const struct dbp_stop_path *sp, struct dbp_report *r)
{
	const struct dbp_stop_budget *b = &sp->budget;
	struct dbp_finding *x;
	char sn[24];
	int need;

	if (!b->have_estimate || (!b->over && !b->worst_over))
		return;
	dbp_signal_name(sp->signal, sn, sizeof(sn));
	need = (int)(2 * (b->over ? b->seconds : b->worst_seconds)) + 1;
	if (b->redis) {
		redis_rule_stop_budget(sp, sn, need, r);
		return;
	}
	if (b->mariadb) {
		mariadb_rule_stop_budget(sp, sn, need, r);
		return;
	}
	if (b->over)
		x = dbp_report_add(r, "DBS207", DBP_WARNING, sp->receiver ? sp->receiver->pid : 0,
			"On stop with %s, PostgreSQL's shutdown checkpoint takes about %.1f s, "
			"longer than the %d s %s: the server is SIGKILLed "
			"mid-checkpoint and the next start runs crash recovery. The estimate "
			"rests on this: %s.", sn, b->seconds, sp->bound,
			bound_what(sp),
			b->basis);
	else
		x = dbp_report_add(r, "DBS207", DBP_INFO, sp->receiver ? sp->receiver->pid : 0,
			"On stop with %s, PostgreSQL's shutdown checkpoint takes about %.1f s, "
			"within the %d s %s, but with every buffer of shared_buffers "
			"dirty it would take %.1f s. The estimate rests on this: %s.",
			sn, b->seconds, sp->bound,
			bound_what(sp),
			b->worst_seconds, b->basis);
	if (sp->bound < sp->grace)
		dbp_finding_advise(x, "give the stop room for the checkpoint, twice the estimate: "
			"stopwaitsecs=%d in the program's section of supervisord's configuration, "
			"and a grace period longer still; or make the shutdown checkpoint smaller: "
			"checkpoint more often (a lower checkpoint_timeout or max_wal_size); or a "
			"faster disk.", need);
	else
		dbp_finding_advise(x, "give the stop room for the checkpoint, twice the estimate: "
			"terminationGracePeriodSeconds: %d (Kubernetes), stop_grace_period: %ds "
			"(Compose), `docker stop -t %d`; or make the shutdown checkpoint smaller: "
			"checkpoint more often (a lower checkpoint_timeout or max_wal_size), or run "
			"`CHECKPOINT` in a preStop hook before the signal; or a faster disk.",
			need, need, need);
}

void dbp_rules_signals(const struct dbp_table *t, const struct dbp_signals_input *in,
		       struct dbp_report *r, struct dbp_pid1_facts *f,
		       struct dbp_stop_path *sp, size_t *nsp, const pid_t *only, size_t nonly)
{
	char sn[24], names[512];
	struct dbp_finding *x;

	dbp_pid1_examine(t, &in->pid1, f);
	if (in->pid1.host) {
		/* no runtime stops the host: no stop path to predict */
		*nsp = 0;
		x = dbp_report_add(r, "DBS206", DBP_INFO, 0,
			"This is not a container (the host's initial PID namespace): no "
			"runtime stop to predict. The host's service manager stops a "
			"database here, with its own signal and timeout (systemd: "
			"KillSignal=, TimeoutStopSec=, KillMode=).");
		dbp_finding_advise(x, "on a node, `dbpod doctor --all-containers` predicts "
			"each container's stop as from inside it.");
		return;
	}
	for (size_t k = 0; k < f->nstops; k++) {
		dbp_stop_path(t, in, f, f->stop_signals[k], &sp[k]);
		stop_budget(f, in, &sp[k]);
		recovery_budget(f, in, k ? &sp[0] : NULL, &sp[k]);
	}
	*nsp = f->nstops;

	/* the stop path: about the container as a whole, judged only in the
	 * default view or when PID 1 is asked about */
	if (dbp_pid_selected(only, nonly, 1))
		for (size_t k = 0; k < f->nstops; k++) {
			if (sp[k].budget.over)
				rule_stop_budget(&sp[k], r);	/* the path itself is sound */
			else {
				rule_stop_path(f, &sp[k], r);
				rule_stop_budget(&sp[k], r);
			}
		}
	/* a kill now, whatever the stop: once */
	if (f->nstops && dbp_pid_selected(only, nonly, 1))
		rule_recovery_budget(&sp[0], r);

	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];
		uint64_t pb;
		int ign;

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
		if (!judged(t, f, in, nonly > 0, p))
			continue;
		if ((ign = stop_ignored_any(t, f, p))) {
			struct dbp_class c;
			int key = p == f->service;

			dbp_classify(p, &c);
			for (size_t k = 0; k < f->chain_len; k++)
				key |= f->chain[k] == p;
			x = dbp_report_add(r, "DBS202",
				key || c.kind == DBP_KIND_DATABASE ? DBP_CRITICAL : DBP_WARNING,
				p->pid,
				"PID %d (%s, user %s) ignores %s, %s. Ignored "
				"signals stay ignored across exec, so this was most likely "
				"inherited from a wrapper's `trap '' %s`%s: the stop request "
				"will not end it, and it is SIGKILLed %s.", (int)p->pid,
				dbp_proc_name(p), p->user,
				dbp_signal_name(ign, sn, sizeof(sn)),
				f->nstops > 1 ? "one of the signals it may be stopped with" : "the stop signal",
				sn + 3, ign == SIGHUP ? " or from nohup" : "",
				key ? "when the grace period ends" :
				/* supervisord gives up on a program after its
				 * stopwaitsecs; a process nobody waits for dies
				 * with PID 1 */
				f->forward == DBP_FWD_SERVICES && p->ppid == 1 ?
				"without cleaning up, when its supervisor gives up on it "
				"(stopwaitsecs) or the grace period ends" :
				"without cleaning up, when PID 1 exits or the grace period ends");
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
				stop_pending(f, pb) ? DBP_WARNING : DBP_INFO,
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
