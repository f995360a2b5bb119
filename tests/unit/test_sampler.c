/* lib/rec/sampler.c: the /proc/PID/stat parser, the delta between two
 * samples, and the sampler on this process's own /proc. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/mount.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "classify.h"
#include "rec/sampler.h"
#include "sigset.h"

/* a real stat line of a PostgreSQL backend (kernel 6.x): fields 1..52 */
static const char backend[] =
	"84799 (postgres) S 1 84799 84799 0 -1 4194560 211 0 0 0 0 0 0 0 20 0 1 0 "
	"5123456 226455552 1503 18446744073709551615 1 1 0 0 0 0 4194304 19935232 "
	"1073744391 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

static void test_stat_fields(void **state)
{
	struct dbp_proc p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(dbp_stat_parse(backend, strlen(backend), &p), 0);
	assert_int_equal(p.pid, 84799);
	assert_string_equal(p.comm, "postgres");
	assert_int_equal(p.state, 'S');
	assert_int_equal(p.ppid, 1);
	assert_int_equal(p.pgrp, 84799);
	assert_int_equal(p.sid, 84799);
	assert_int_equal(p.tty, 0);
	assert_false(p.kthread);
	assert_int_equal(p.start_ticks, 5123456);
}

static void test_stat_comm_with_spaces_and_parens(void **state)
{
	/* prctl(PR_SET_NAME, "a) S 9 (b") -- the comm must end at the last ')' */
	const char line[] = "42 (a) S 9 (b) R 7 42 42 34817 42 4194304 0 0 0 0 0 0 0 0 20 0 1 0 777 0";
	struct dbp_proc p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(dbp_stat_parse(line, strlen(line), &p), 0);
	assert_string_equal(p.comm, "a) S 9 (b");
	assert_int_equal(p.state, 'R');
	assert_int_equal(p.ppid, 7);
	assert_int_equal(p.tty, 34817);
	assert_int_equal(p.start_ticks, 777);
}

static void test_stat_kernel_thread(void **state)
{
	const char line[] = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 3 0 0";
	struct dbp_proc p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(dbp_stat_parse(line, strlen(line), &p), 0);
	assert_true(p.kthread);
	assert_int_equal(p.ppid, 0);
}

/* a task being released reads with parent 0, group and session -1:
 * gone, not a process without a parent */
static void test_stat_task_being_released(void **state)
{
	const char line[] = "147 (sleep) X 0 -1 -1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 900 0 0";
	struct dbp_proc p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(dbp_stat_parse(line, strlen(line), &p), -ESRCH);
}

static void test_stat_not_nul_terminated(void **state)
{
	char buf[sizeof(backend)];
	struct dbp_proc p;

	(void)state;
	memcpy(buf, backend, sizeof(buf));
	buf[sizeof(buf) - 1] = '7';	/* no NUL: the parser keeps to len */
	memset(&p, 0, sizeof(p));
	assert_int_equal(dbp_stat_parse(buf, sizeof(buf) - 1, &p), 0);
	assert_int_equal(p.start_ticks, 5123456);
}

static void test_stat_truncated_is_einval(void **state)
{
	struct dbp_proc p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(dbp_stat_parse(backend, 40, &p), -EINVAL);
	assert_int_equal(dbp_stat_parse("12 (x", 5, &p), -EINVAL);
	assert_int_equal(dbp_stat_parse("", 0, &p), -EINVAL);
}

static struct dbp_proc *add(struct dbp_table *t, pid_t pid, unsigned long long start,
			    pid_t ppid, char state, const char *const *argv)
{
	struct dbp_proc *p = dbp_table_add(t);

	assert_non_null(p);
	p->pid = pid;
	p->start_ticks = start;
	p->ppid = ppid;
	p->state = state;
	snprintf(p->comm, sizeof(p->comm), "%s", argv ? argv[0] : "kworker");
	assert_int_equal(dbp_proc_set_argv(p, argv), 0);
	return p;
}

/* two tables and a delta, for the delta tests */
struct fx {
	struct dbp_table a, b;
	struct dbp_delta d;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	dbp_table_init(&f->a);
	dbp_table_init(&f->b);
	dbp_delta_init(&f->d);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	dbp_delta_free(&f->d);
	dbp_table_free(&f->a);
	dbp_table_free(&f->b);
	free(f);
	return 0;
}

static const char *const pm[] = { "postgres", "-D", "/data", NULL };
static const char *const ck[] = { "postgres: checkpointer ", NULL };
static const char *const psql1[] = { "psql", "-c", "SELECT 1", NULL };
static const char *const idle[] = { "postgres: app db 10.0.0.1(5) idle", NULL };
static const char *const busy[] = { "postgres: app db 10.0.0.1(5) SELECT", NULL };

static void test_delta_added_gone_changed(void **state)
{
	struct fx *f = *state;
	struct dbp_table *a = &f->a, *b = &f->b;
	struct dbp_delta *d = &f->d;

	add(a, 1, 10, 0, 'S', pm);
	add(a, 20, 50, 1, 'S', ck);
	add(a, 30, 60, 1, 'S', idle);
	add(a, 40, 70, 35, 'S', psql1);	/* its parent shell is about to exit */
	add(b, 1, 10, 0, 'S', pm);
	add(b, 30, 60, 1, 'R', busy);	/* retitled and running */
	add(b, 40, 70, 1, 'S', psql1);	/* adopted by PID 1 */
	add(b, 41, 90, 1, 'S', idle);	/* a new backend */
	dbp_table_sort(a);
	dbp_table_sort(b);

	assert_int_equal(dbp_delta_compute(a, b, 0, d), 0);
	assert_int_equal(d->nadded, 1);
	assert_int_equal(b->procs[d->added[0]].pid, 41);
	assert_int_equal(d->ngone, 1);
	assert_int_equal(a->procs[d->gone[0]].pid, 20);
	assert_int_equal(d->nchanged, 2);
	assert_int_equal(b->procs[d->changed[0].cur].pid, 30);
	assert_int_equal(d->changed[0].what, DBP_CHG_STATE | DBP_CHG_ARGS);
	assert_int_equal(b->procs[d->changed[1].cur].pid, 40);
	assert_int_equal(d->changed[1].what, DBP_CHG_PPID);

}

static void test_delta_pid_reuse_is_two_processes(void **state)
{
	struct fx *f = *state;
	struct dbp_table *a = &f->a, *b = &f->b;
	struct dbp_delta *d = &f->d;

	add(a, 7, 100, 1, 'S', psql1);
	add(b, 7, 250, 1, 'S', psql1);	/* same PID, same command, later start */
	assert_int_equal(dbp_delta_compute(a, b, 0, d), 0);
	assert_int_equal(d->ngone, 1);
	assert_int_equal(d->nadded, 1);
	assert_int_equal(d->nchanged, 0);
	assert_int_equal(a->procs[d->gone[0]].start_ticks, 100);
	assert_int_equal(b->procs[d->added[0]].start_ticks, 250);
}

static void test_delta_status_only_when_asked(void **state)
{
	struct fx *f = *state;
	struct dbp_table *a = &f->a, *b = &f->b;
	struct dbp_delta *d = &f->d;
	struct dbp_proc *p, *q;

	p = add(a, 5, 1, 1, 'S', NULL);
	q = add(b, 5, 1, 1, 'S', NULL);
	p->have = q->have = DBP_HAVE_STATUS | DBP_HAVE_OOM;
	q->sig.ignored = 1u << 12;	/* SIGPIPE now ignored */
	q->oom_adj = 900;
	assert_int_equal(dbp_delta_compute(a, b, 0, d), 0);
	assert_int_equal(d->nchanged, 0);
	assert_int_equal(dbp_delta_compute(a, b, 1, d), 0);
	assert_int_equal(d->nchanged, 1);
	assert_int_equal(d->changed[0].what, DBP_CHG_SIG | DBP_CHG_OOM);
	/* unreadable on one side: not a change */
	q->have = 0;
	assert_int_equal(dbp_delta_compute(a, b, 1, d), 0);
	assert_int_equal(d->nchanged, 0);
}

/* setsid after fork: a change of session the recording keeps, so that a
 * table of a later second shows the session leader and its group */
static void test_delta_process_group_and_session(void **state)
{
	struct fx *f = *state;
	struct dbp_table *a = &f->a, *b = &f->b;
	struct dbp_delta *d = &f->d;
	struct dbp_proc *p, *q;

	p = add(a, 5, 1, 1, 'S', NULL);
	q = add(b, 5, 1, 1, 'S', NULL);
	p->pgrp = p->sid = 1;
	q->pgrp = q->sid = 5;
	assert_int_equal(dbp_delta_compute(a, b, 0, d), 0);
	assert_int_equal(d->nchanged, 1);
	assert_int_equal(d->changed[0].what, DBP_CHG_PGRP);
	q->pgrp = 1;	/* the session alone */
	assert_int_equal(dbp_delta_compute(a, b, 0, d), 0);
	assert_int_equal(d->changed[0].what, DBP_CHG_PGRP);
}

static void test_delta_empty_tables(void **state)
{
	struct fx *f = *state;
	struct dbp_table *a = &f->a, *b = &f->b;
	struct dbp_delta *d = &f->d;

	add(b, 1, 1, 0, 'S', pm);
	assert_int_equal(dbp_delta_compute(a, b, 0, d), 0);
	assert_int_equal(d->nadded, 1);
	assert_int_equal(dbp_delta_compute(b, a, 0, d), 0);
	assert_int_equal(d->ngone, 1);
	assert_int_equal(d->nadded, 0);
}

static void test_argv_equal(void **state)
{
	char *x[] = { "a", "b", NULL }, *y[] = { "a", "b", NULL }, *z[] = { "a", NULL };
	char *e[] = { "a", "", NULL };

	(void)state;
	assert_true(dbp_argv_equal(x, y));
	assert_false(dbp_argv_equal(x, z));
	assert_false(dbp_argv_equal(z, x));
	assert_false(dbp_argv_equal(z, e));
	assert_false(dbp_argv_equal(x, NULL));
	assert_true(dbp_argv_equal(NULL, NULL));
}

static void test_sampler_sees_itself_and_keeps_identity(void **state)
{
	struct dbp_sampler *s;
	const struct dbp_table *cur, *prev;
	const struct dbp_proc *me, *again;
	struct dbp_sampler_stats st;
	unsigned long long start;

	(void)state;
	assert_int_equal(dbp_sampler_new(&s, NULL), 0);
	assert_int_equal(dbp_sampler_take(s, 1, &cur, &prev), 0);
	assert_int_equal(prev->n, 0);
	me = dbp_table_find(cur, getpid());
	assert_non_null(me);
	assert_int_equal(me->ppid, getppid());
	assert_true(me->have & DBP_HAVE_STATUS);
	assert_true(me->have & DBP_HAVE_CMDLINE);
	start = me->start_ticks;
	assert_int_equal(dbp_sampler_take(s, 0, &cur, &prev), 0);
	again = dbp_table_find(cur, getpid());
	assert_non_null(again);
	assert_int_equal(again->start_ticks, start);
	/* carried over from the first sample, not read again */
	assert_true(again->have & DBP_HAVE_STATUS);
	assert_ptr_equal(again->argv, dbp_table_find(prev, getpid())->argv);
	dbp_sampler_stats(s, &st);
	assert_true(st.held > 0);
	dbp_sampler_free(s);
}

static void test_sampler_open_per_sample(void **state)
{
	struct dbp_sampler *s;
	const struct dbp_table *cur, *prev;
	struct dbp_sampler_stats st;

	(void)state;
	assert_int_equal(dbp_sampler_new(&s, NULL), 0);
	dbp_sampler_set_hold_max(s, 0);	/* as if out of descriptors */
	assert_int_equal(dbp_sampler_take(s, 1, &cur, &prev), 0);
	assert_int_equal(dbp_sampler_take(s, 0, &cur, &prev), 0);
	assert_non_null(dbp_table_find(cur, getpid()));
	dbp_sampler_stats(s, &st);
	assert_int_equal(st.held, 0);
	assert_true(st.unheld > 0);
	dbp_sampler_free(s);
}

/* As PID 1 of a namespace of its own, with its own /proc (no other
 * process forks there): two children that wait, one that has exited (the
 * PID counter names it, and no live process), then samples. The second
 * sample is out of descriptors: the children, not held, are missed. The
 * third has them back. Returns 0 when the third sample shows them, 2 when
 * it does not, 3 when the stage could not be set. */
static int missed_then_seen(void)
{
	struct dbp_sampler *s;
	const struct dbp_table *cur, *prev;
	struct dbp_sampler_stats st;
	struct rlimit rl, low;
	int fds[4096], n = 0, rc;
	pid_t kids[3];

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", "/proc", "proc", 0, NULL) < 0)
		return 3;
	for (int i = 0; i < 3; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			return 3;
		if (kids[i] == 0) {
			if (i < 2)
				pause();
			_exit(0);
		}
	}
	if (waitpid(kids[2], &rc, 0) != kids[2])
		return 3;
	if (dbp_sampler_new(&s, NULL) < 0)
		return 3;
	dbp_sampler_set_hold_max(s, 1);		/* PID 1 held, the children opened each time */
	if (dbp_sampler_take(s, 1, &cur, &prev) < 0 || !dbp_table_find(cur, kids[0]))
		return 3;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 3;
	low = rl;
	low.rlim_cur = 256;
	if (setrlimit(RLIMIT_NOFILE, &low) < 0)
		return 3;
	while (n < 4096 && (fds[n] = open("/dev/null", O_RDONLY)) >= 0)
		n++;
	rc = dbp_sampler_take(s, 0, &cur, &prev);
	while (n > 0)
		close(fds[--n]);
	setrlimit(RLIMIT_NOFILE, &rl);
	dbp_sampler_stats(s, &st);
	if (rc < 0 || !st.missed || dbp_table_find(cur, kids[0]))
		return 3;
	rc = dbp_sampler_take(s, 0, &cur, &prev) < 0 ? 3 :
	     dbp_table_find(cur, kids[0]) && dbp_table_find(cur, kids[1]) ? 0 : 2;
	dbp_sampler_free(s);
	return rc;
}

/* Out of descriptors for a sample, the processes it could not open are
 * missed that once: the next sample lists /proc again, where a re-read of
 * the last list (the PID counter has not moved) missed them until the
 * next fork, and recorded them gone meanwhile. Needs root (CLONE_NEWPID). */
static void test_sampler_missed_process_is_seen_next(void **state)
{
	pid_t outer;
	int st;

	(void)state;
	outer = fork();
	assert_true(outer >= 0);
	if (outer == 0) {
		pid_t in;

		if (unshare(CLONE_NEWPID | CLONE_NEWNS) < 0)
			_exit(77);
		in = fork();
		if (in < 0)
			_exit(3);
		if (in == 0)
			_exit(missed_then_seen());
		if (waitpid(in, &st, 0) != in || !WIFEXITED(st))
			_exit(3);
		_exit(WEXITSTATUS(st));
	}
	assert_int_equal(waitpid(outer, &st, 0), outer);
	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* Between keys the status is carried over, but not across an exec: that
 * is where setpriv or gosu has changed the uid, and where the dispositions
 * change.  The child ignores SIGUSR2 only after the first sample, then
 * execs sleep; a delta sample must see both the new comm and the mask. */
static void test_sampler_rereads_status_after_exec(void **state)
{
	struct dbp_sampler *s;
	const struct dbp_table *cur, *prev;
	const struct dbp_proc *p;
	int go[2], st;
	pid_t pid;
	char c;

	(void)state;
	assert_int_equal(pipe(go), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		signal(SIGUSR2, SIG_IGN);
		execlp("sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	close(go[0]);
	assert_int_equal(dbp_sampler_new(&s, NULL), 0);
	assert_int_equal(dbp_sampler_take(s, 1, &cur, &prev), 0);
	p = dbp_table_find(cur, pid);
	assert_non_null(p);
	assert_true(p->have & DBP_HAVE_STATUS);
	assert_false(dbp_sigmask_has(p->sig.ignored, SIGUSR2));

	assert_int_equal(write(go[1], "x", 1), 1);
	close(go[1]);
	for (int i = 0; i < 500; i++) {	/* up to 5 s for the exec */
		assert_int_equal(dbp_sampler_take(s, 0, &cur, &prev), 0);
		p = dbp_table_find(cur, pid);
		assert_non_null(p);
		if (!strcmp(p->comm, "sleep"))
			break;
		usleep(10000);
	}
	assert_string_equal(p->comm, "sleep");
	assert_true(p->have & DBP_HAVE_STATUS);
	assert_true(dbp_sigmask_has(p->sig.ignored, SIGUSR2));

	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	dbp_sampler_free(s);
}

/* The slot of namespace ino among the sampler's, or NULL. */
static const struct dbp_sampler_pidns *slot_of(const struct dbp_sampler *s, unsigned long long ino)
{
	size_t n;
	const struct dbp_sampler_pidns *ns = dbp_sampler_pidns(s, &n);

	for (size_t i = 0; i < n; i++)
		if (ns[i].ino == ino)
			return &ns[i];
	return NULL;
}

/* Node mode: a process of a new PID namespace with its number there, read
 * at its birth; the namespace fresh in the sample that first shows it, and
 * forgotten once it has ended. Needs root (CLONE_NEWPID). */
static void test_sampler_node_mode_namespaces(void **state)
{
	struct dbp_sampler *s;
	const struct dbp_table *cur, *prev;
	const struct dbp_proc *init, *child;
	const struct dbp_sampler_pidns *n;
	unsigned long long ino;
	int fds[2], st;
	pid_t outer, pids[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	outer = fork();
	assert_true(outer >= 0);
	if (outer == 0) {
		pid_t in;

		close(fds[0]);
		if (unshare(CLONE_NEWPID) < 0)
			_exit(77);
		in = fork();
		if (in == 0) {
			pid_t two = fork();

			if (two == 0) {
				pause();
				_exit(0);
			}
			/* PID 1 of the namespace: its child's host PID is not
			 * its to know; the outer process tells both */
			pause();
			_exit(0);
		}
		if (write(fds[1], &in, sizeof(in)) != sizeof(in))
			_exit(1);
		waitpid(in, &st, 0);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &pids[0], sizeof(pids[0])) != sizeof(pids[0])) {
		waitpid(outer, &st, 0);
		close(fds[0]);
		skip();
	}
	close(fds[0]);
	assert_int_equal(dbp_sampler_new(&s, NULL), 0);
	assert_int_equal(dbp_sampler_set_pidns(s, 1), 0);
	/* until PID 1 has forked its child */
	for (int i = 0; i < 500; i++) {
		assert_int_equal(dbp_sampler_take(s, 1, &cur, &prev), 0);
		child = NULL;
		for (size_t k = 0; k < cur->n; k++)
			if (cur->procs[k].ppid == pids[0])
				child = &cur->procs[k];
		if (child)
			break;
		usleep(10000);
	}
	assert_non_null(child);
	pids[1] = child->pid;
	init = dbp_table_find(cur, pids[0]);
	assert_non_null(init);
	assert_int_equal(init->ns.pid, 1);
	assert_int_equal(child->ns.pid, 2);
	assert_true(init->ns.ino && init->ns.ino == child->ns.ino);
	assert_int_equal(dbp_table_find(cur, getpid())->ns.pid, getpid());
	assert_true(dbp_table_find(cur, getpid())->ns.ino != init->ns.ino);
	ino = init->ns.ino;
	n = slot_of(s, ino);
	assert_non_null(n);
	assert_int_equal(n->init, pids[0]);
	assert_int_equal(n->init_start, init->start_ticks);
	assert_int_equal(n->procs, 2);
	assert_false(n->own);
	assert_non_null(slot_of(s, dbp_table_find(cur, getpid())->ns.ino));
	assert_true(slot_of(s, dbp_table_find(cur, getpid())->ns.ino)->own);
	/* carried over: not fresh, not read again */
	assert_int_equal(dbp_sampler_take(s, 0, &cur, &prev), 0);
	n = slot_of(s, ino);
	assert_non_null(n);
	assert_false(n->fresh);
	assert_int_equal(dbp_table_find(cur, pids[1])->ns.pid, 2);
	/* its PID 1 killed: the kernel ends the namespace */
	kill(pids[0], SIGKILL);
	waitpid(outer, &st, 0);
	for (int i = 0; i < 500 && dbp_table_find(cur, pids[1]); i++) {
		usleep(10000);
		assert_int_equal(dbp_sampler_take(s, 0, &cur, &prev), 0);
	}
	assert_null(dbp_table_find(cur, pids[1]));
	assert_null(slot_of(s, ino));
	dbp_sampler_free(s);
}

static void test_loadavg_last_pid(void **state)
{
	(void)state;
	assert_int_equal(dbp_loadavg_last_pid("0.00 0.01 0.05 1/123 4567\n", 26), 4567);
	assert_int_equal(dbp_loadavg_last_pid("0.00 0.01 0.05 1/123 4567", 25), 4567);
	assert_int_equal(dbp_loadavg_last_pid("0.00 0.01 0.05 1/123 \n", 22), -EINVAL);
	assert_int_equal(dbp_loadavg_last_pid("", 0), -EINVAL);
	assert_int_equal(dbp_loadavg_last_pid("1 2 3 4/5 12345678901\n", 22), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_fields),
		cmocka_unit_test(test_loadavg_last_pid),
		cmocka_unit_test(test_stat_comm_with_spaces_and_parens),
		cmocka_unit_test(test_stat_kernel_thread),
		cmocka_unit_test(test_stat_task_being_released),
		cmocka_unit_test(test_stat_not_nul_terminated),
		cmocka_unit_test(test_stat_truncated_is_einval),
		cmocka_unit_test_setup_teardown(test_delta_added_gone_changed, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_delta_pid_reuse_is_two_processes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_delta_status_only_when_asked, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_delta_process_group_and_session, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_delta_empty_tables, fx_setup, fx_teardown),
		cmocka_unit_test(test_argv_equal),
		cmocka_unit_test(test_sampler_sees_itself_and_keeps_identity),
		cmocka_unit_test(test_sampler_open_per_sample),
		cmocka_unit_test(test_sampler_missed_process_is_seen_next),
		cmocka_unit_test(test_sampler_rereads_status_after_exec),
		cmocka_unit_test(test_sampler_node_mode_namespaces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
