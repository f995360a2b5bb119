/*
 * The run of a check and its end: the live process table (read once for
 * doctor), the result a check fills, --ignore, the format, the exit code.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbpod.h"
#include "cgroupread.h"
#include "classify.h"
#include "procenv.h"
#include "procread.h"
#include "rules_check.h"

/* doctor's one reading of /proc (dbp_live_share): while it is set, every
 * check judges it (borrowed, not copied) instead of walking /proc again,
 * so that its findings describe one instant and /proc is read once */
static struct dbp_table shared_table;
static int shared_rc, shared_on;
static unsigned shared_want;

/* node mode: the PID namespace judged is another one, whose PID 1 has
 * this host PID; 0 for dbpod's own */
static pid_t target_init;

void dbp_live_share(unsigned want)
{
	dbp_table_init(&shared_table);
	shared_rc = dbp_table_read_live(&shared_table, want);
	shared_want = want;
	shared_on = 1;
}

void dbp_live_unshare(void)
{
	dbp_table_free(&shared_table);
	shared_on = 0;
	target_init = 0;
}

void dbp_live_target(const struct dbp_table *t, unsigned want, pid_t init_host_pid)
{
	dbp_table_borrow(&shared_table, t);
	shared_rc = 0;
	shared_want = want;
	shared_on = 1;
	target_init = init_host_pid;
}

pid_t dbp_live_target_init(void)
{
	return target_init;
}

int dbp_live_cgroup_read(const struct dbp_table *t, const struct dbp_opts *o,
			 struct dbp_cgroup_mem *m, pid_t *of)
{
	const struct dbp_proc *db;

	*of = 0;
	if (target_init)
		return dbp_cgroup_mem_read_of(NULL, target_init, m);
	/* the database's cgroup, not dbpod's: beside it (a debug container
	 * shares the PID namespace, not the cgroup, and has a limit of its
	 * own) or on the host, dbpod's own would be another's limit */
	if (!o->root && t && (db = dbp_table_db_process(t, 0)) && db->pid != t->self &&
	    dbp_cgroup_differs(dbp_proc_fspid(db)) == 1) {
		*of = db->pid;
		return dbp_cgroup_mem_read_of(NULL, dbp_proc_fspid(db), m);
	}
	return dbp_cgroup_mem_read(o->root, m);
}

const char *dbp_live_getenv(const char *name, char *buf, size_t size)
{
	const char *v;

	if (!target_init) {
		v = getenv(name);
		return v && *v ? v : NULL;
	}
	/* the container's environment, as `exec` into it gets it: its PID 1's */
	return dbp_environ_get(NULL, target_init, name, buf, size) == 0 && *buf ? buf : NULL;
}

void dbp_live_fsroot(char *buf, size_t size)
{
	if (target_init)
		snprintf(buf, size, "/proc/%d/root", (int)target_init);
	else if (size)
		buf[0] = '\0';
}

int dbp_live_table(struct dbp_table *t, unsigned want)
{
	if (!shared_on || (shared_want & want) != want)
		return dbp_table_read_live(t, want);
	if (shared_rc < 0)
		return shared_rc;
	dbp_table_borrow(t, &shared_table);
	return 0;
}

int dbp_read_table(struct dbp_result *res, struct dbp_table *t, unsigned want)
{
	int rc = dbp_live_table(t, want);

	if (rc < 0)
		dbp_rules_table_unreadable(&res->report, rc);
	return rc;
}

void dbp_result_init(struct dbp_result *res, const char *command)
{
	memset(res, 0, sizeof(*res));
	dbp_report_init(&res->report, command);
	dbp_metrics_init(&res->metrics);
}

void dbp_result_free(struct dbp_result *res)
{
	dbp_report_free(&res->report);
	json_object_put(res->facts);
	dbp_metrics_free(&res->metrics);
	if (res->view_free)
		res->view_free(res->view);
	memset(res, 0, sizeof(*res));
}

int dbp_result_finish(struct dbp_result *res, const struct dbp_opts *o)
{
	if (o->ignore)
		dbp_report_ignore(&res->report, o->ignore);
	dbp_report_sort(&res->report);
	return dbp_severity_exit(dbp_report_status(&res->report));
}

/* dbp_emit_report, or with emit 0 only --ignore and the status */
static int dbp_emit_report_as(struct dbp_report *r, struct json_object *facts,
			      void (*text_facts)(const struct dbp_text *t, void *view), void *view,
			      const struct dbp_opts *o, int emit)
{
	struct dbp_result res;
	int rc;

	dbp_result_init(&res, r->command);
	dbp_report_free(&res.report);
	res.report = *r;		/* borrowed: handed back below */
	res.facts = facts;
	res.text_facts = text_facts;
	res.view = view;
	rc = emit ? dbp_emit(&res, o) : dbp_result_finish(&res, o);
	*r = res.report;		/* --ignore and sorting apply to the caller's */
	memset(&res.report, 0, sizeof(res.report));
	dbp_result_free(&res);
	return rc;
}

int dbp_emit_report(struct dbp_report *r, struct json_object *facts,
		    void (*text_facts)(const struct dbp_text *t, void *view), void *view,
		    const struct dbp_opts *o)
{
	return dbp_emit_report_as(r, facts, text_facts, view, o, 1);
}

int dbp_report_finish(struct dbp_report *r, const struct dbp_opts *o)
{
	return dbp_emit_report_as(r, NULL, NULL, NULL, o, 0);
}

int dbp_emit(struct dbp_result *res, const struct dbp_opts *o)
{
	struct dbp_text t;
	int status = dbp_result_finish(res, o);

	switch (o->format) {
	case DBP_FORMAT_JSON: {
		struct json_object *j = dbp_report_json(&res->report, res->facts);

		res->facts = NULL;	/* now j's */
		dbp_json_print(stdout, j, isatty(STDOUT_FILENO));
		json_object_put(j);
		return status;
	}
	case DBP_FORMAT_PROMETHEUS: {
		struct dbp_metrics m;

		dbp_metrics_init(&m);
		dbp_report_metrics(&res->report, &m);
		dbp_metrics_merge(&m, &res->metrics);
		dbp_metrics_render(stdout, &m);
		dbp_metrics_free(&m);
		return status;
	}
	case DBP_FORMAT_ONELINE:
		dbp_oneline_findings(stdout, &res->report, NULL);
		return status;
	case DBP_FORMAT_TEXT:
		break;
	}
	dbp_text_init(&t, o);
	if (res->text_facts) {
		res->text_facts(&t, res->view);
		fputc('\n', stdout);
	}
	dbp_text_findings(&t, &res->report);
	dbp_text_status(&t, &res->report);
	return status;
}

/* DBPOD_TEST_FAIL_CHECK=NAME[,NAME...]: those checks fail at once with
 * ENOMEM, before any finding, as a check does when its first allocation
 * fails; for the tests of what a failed check reports (010-cli.sh). */
static int test_fails(const char *name)
{
	const char *list = getenv("DBPOD_TEST_FAIL_CHECK");

	return list && dbp_ids_listed(list, name);
}

int dbp_check_run(const char *name, dbp_check_fn *check, const struct dbp_opts *o,
		  struct dbp_result *res)
{
	int rc;

	if (test_fails(name)) {
		dbp_result_init(res, name);
		rc = -ENOMEM;
	} else {
		rc = check(res, o);
	}
	dbp_rules_check_failed(&res->report, rc);
	return rc;
}

int dbp_run_check(const char *name, dbp_check_fn *check, const struct dbp_opts *o)
{
	struct dbp_result res;
	int rc;

	dbp_check_run(name, check, o, &res);
	rc = dbp_emit(&res, o);
	dbp_result_free(&res);
	return rc;
}
