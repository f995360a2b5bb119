/*
 * lint rules: a Dockerfile stage, a Compose service or a Kubernetes
 * container judged before anything runs. What an image config also says
 * (shell form, a script entrypoint, an init, the stop signal, su) is
 * judged by the imagecheck rules with their ids; what a Dockerfile or a
 * deployment adds has ids of its own. Every finding is located in the
 * file and names the database it was judged for.
 *
 * Finding ids (documented in dbpod-lint(1); never reuse one):
 *   DBI600..DBI607, DBI609, DBI613, DBI614   as in rules_image.h
 *   DBI608 warning      ENTRYPOINT resets the CMD of the base image
 *   DBI610 critical     PostgreSQL started directly as root: it refuses to run
 *   DBI611 warn/info    PG_OOM_ADJUST_FILE not /proc/self/oom_score_adj, or VALUE alone
 *   DBI612 warning      an init installed in the image but not PID 1
 *   DBI615 warning      supervisord stops a database with a signal it does not
 *                       shut down cleanly on (TERM: PostgreSQL's smart shutdown)
 *   DBI616 warning      supervisord's stopwaitsecs shorter than the database needs
 *   DBI617 critical     the command starts a program nothing in the image creates
 *                       (FROM scratch or an official image: its content is known)
 *   DBI690 warning      an inline ignore without a reason
 *   DBK701 crit/warn    a grace period shorter than the database needs
 *   DBK702 info         PostgreSQL in Kubernetes: the stop depends on the image's STOPSIGNAL
 *   DBK703 info         shareProcessNamespace: pause is PID 1
 *   DBK704 warn/info    pid: host or another service's PID namespace (Compose)
 *   DBK705 warning      a livenessProbe on a database without a startupProbe
 *   DBK706 warning      a preStop hook runs pg_ctl as root, which pg_ctl refuses
 *   DBK707 unknown      a Helm template: its documents with {{ }} are not judged
 *   DBK708 info         a database operator's custom resource: not judged
 *   DBK709 warning      a probe's own terminationGracePeriodSeconds cuts the stop short
 *   DBO306 warning      Guaranteed QoS without PG_OOM_ADJUST_FILE (as in oomscore)
 *   DBO307 crit/warn    a database in BestEffort or Burstable QoS (as in oomscore)
 *   DBO309 warning      no memory limit (as in oomscore)
 */
#ifndef DBPOD_RULES_LINT_H
#define DBPOD_RULES_LINT_H

#include "lintunit.h"
#include "lintignore.h"
#include "report.h"
#include "rules_image.h"

struct dbp_lint_opts {
	enum dbp_db profile;	/* --profile / config; DBP_DB_NONE: detect */
	int generic;		/* --profile=generic: judge as no database */
	long long min_grace;	/* seconds a database needs to stop (default 60) */
	int stop_signal;	/* --stop-signal: as the runtime is told; 0: the file's */
	int grace;		/* --grace, seconds; -1: the file's, else the runtime's */
};

#define DBP_LINT_MIN_GRACE 60

/* Judge u (read from file, as named in findings) into r; out (NULL: not
 * wanted) receives the image facts with the predicted stop, to be freed
 * with dbp_image_facts_free. */
void dbp_rules_lint(const struct dbp_unit *u, const struct dbp_lint_opts *o,
		    const char *file, struct dbp_report *r, struct dbp_image_facts *out);

/* An input of dbpod lint that was read but could not be judged: path as
 * given ("-" for standard input); lf holds why it could not be parsed
 * (dbp_lint_read): DBI600, located at the file (and the line, when
 * known). A file that cannot be read at all is no finding: dbpod lint
 * says so on stderr and exits 3, as every command does for a missing
 * input. */
void dbp_rules_lint_unjudged(const char *path, const struct dbp_lintfile *lf,
			     struct dbp_report *r);

/* What in a file read (lf) could not be judged, and why: Helm template
 * documents (DBK707), operator custom resources (DBK708). */
void dbp_rules_lint_file(const struct dbp_lintfile *lf, const char *file, struct dbp_report *r);

/* A one-line title of a finding id, for SARIF rules and JUnit names;
 * "dbpod finding" for an unknown id. */
const char *dbp_lint_title(const char *id);

/* The first id of the comma-separated list ids that no lint or imagecheck
 * rule reports (a typo in --ignore or .dbpod.yaml, which would silence
 * nothing), into bad; 0 when every id is known, 1 when one is not. */
int dbp_lint_ids_unknown(const char *ids, char *bad, size_t size);

/* Drop the findings r->items[first..] located in file on a line an
 * ignore with a reason covers; add DBI690 (file, line) for each ignore
 * without a reason. With honour 0 (--no-inline-ignores) nothing is
 * dropped and no DBI690 is added. Returns how many were dropped. */
size_t dbp_ignores_apply(struct dbp_report *r, size_t first, const struct dbp_ignores *l,
			 const char *file, int honour);

#endif
