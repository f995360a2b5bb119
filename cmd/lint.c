/*
 * dbpod lint: judge Dockerfiles, Compose files, Kubernetes manifests and
 * inspect JSON before anything runs, in the formats CI systems read.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbpod.h"
#include "lint/lintconfig.h"
#include "lint/lintread.h"
#include "lint/render_ci.h"
#include "lint/rules_lint.h"
#include "rules_overcommit.h"
#include "safeopen.h"
#include "sigset.h"
#include "slurp.h"

enum {
	OPT_THRESHOLD = 0x200,
	OPT_CONFIG,
	OPT_NO_INLINE,
	OPT_PROFILE,
	OPT_MIN_GRACE,
	OPT_KIND,
};

/* what the parser fills: the shared options, then lint's own */
struct opts {
	struct dbp_opts g;
	const char **files;		/* FILE... ("-": standard input) */
	size_t nfiles;
	int threshold;			/* --failure-threshold; -1: the configuration's */
	const char *config;		/* --config */
	int no_inline;			/* --no-inline-ignores */
	int profile;			/* --profile; -1: the configuration's */
	long long min_grace;		/* --min-grace; -1: the configuration's */
	enum dbp_lint_kind kind;	/* --kind */
};

static const struct argp_option options[] = {
	{ "failure-threshold", OPT_THRESHOLD, "LEVEL", 0,
	  "Exit non-zero only for findings at or above LEVEL: info, warning "
	  "(default), critical or none", 0 },
	{ "config", OPT_CONFIG, "FILE", 0,
	  "Read FILE instead of the nearest .dbpod.yaml (current directory up to "
	  "the repository root)", 0 },
	{ "no-inline-ignores", OPT_NO_INLINE, NULL, 0,
	  "Disregard `# dbpod ignore=` comments and dbpod.io/ignore annotations", 0 },
	{ "profile", OPT_PROFILE, "DB", 0,
	  "Judge for this database instead of the one detected: postgres, mysql, "
	  "mongodb, redis or generic", 0 },
	{ "min-grace", OPT_MIN_GRACE, "SECONDS", 0,
	  "The grace period a database needs to stop (default 60)", 0 },
	{ "kind", OPT_KIND, "KIND", 0,
	  "Read every input as dockerfile, compose, kubernetes or inspect instead "
	  "of detecting it", 0 },
	{ 0 }
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct opts *o = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		dbp_argp_share(state, &o->g);
		break;
	case ARGP_KEY_ARG: {
		const char **nf = realloc(o->files, (o->nfiles + 1) * sizeof(*nf));

		if (!nf)
			argp_failure(state, DBP_EXIT_UNKNOWN, ENOMEM, "out of memory");
		o->files = nf;
		o->files[o->nfiles++] = arg;
		break;
	}
	case OPT_THRESHOLD:
		if ((o->threshold = dbp_threshold_parse(arg)) < 0)
			argp_error(state, "--failure-threshold takes info, warning, critical or "
				   "none, not '%s'", arg);
		break;
	case OPT_CONFIG:
		o->config = arg;
		break;
	case OPT_NO_INLINE:
		o->no_inline = 1;
		break;
	case OPT_PROFILE:
		if ((o->profile = dbp_profile_parse(arg)) < 0)
			argp_error(state, "unknown profile '%s': use postgres, mysql, mongodb, "
				   "redis or generic", arg);
		break;
	case OPT_MIN_GRACE:
		o->min_grace = dbp_argp_seconds(state, "--min-grace", arg);
		break;
	case OPT_KIND: {
		int k = dbp_lint_kind_parse(arg);

		if (k <= 0)
			argp_error(state, "unknown kind '%s': use dockerfile, compose, "
				   "kubernetes or inspect", arg);
		o->kind = (enum dbp_lint_kind)k;
		break;
	}
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse, "[FILE|-]...",
	"Judge Dockerfiles (the final stage), Compose files, Kubernetes manifests "
	"(Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob, Lists, many "
	"documents) and docker/podman inspect JSON for a database's survival, "
	"before anything runs: PID 1, shell form, an init, the stop signal, the "
	"grace period, memory and QoS. The kind of each input is detected; - "
	"reads standard input. --format=sarif, junit, codequality or checkstyle "
	"writes what CI systems read. The stop of each container is predicted "
	"from the chain PID 1 runs, as `dbpod signals` predicts a running one's. "
	"A Helm template is judged once rendered (`helm template ... | dbpod lint "
	"-`); a database operator's custom resource is said not to be judged.",
	dbp_static_stop_children, NULL, NULL
};

/* what each input was, for the text and JSON views */
struct input {
	const char *name;		/* as findings name it */
	enum dbp_lint_kind kind;
	struct dbp_lintfile lf;
	struct dbp_image_facts *facts;	/* one per unit: the judged database, the stop */
	int ok;
	int unread;			/* could not be read at all: said on stderr, exit 3 */
};

struct view {
	struct input *in;
	size_t n;
};

static void text_facts(const struct dbp_text *t, void *arg)
{
	const struct view *v = arg;

	for (size_t i = 0; i < v->n; i++) {
		const struct input *in = &v->in[i];

		dbp_text_field(t, "File", "%s (%s)", in->name,
			       in->ok ? dbp_lint_kind_name(in->kind) : "not read");
		for (size_t k = 0; k < in->lf.units.n; k++) {
			const struct dbp_image *img = &in->lf.units.items[k].img;
			const struct dbp_image_facts *f = in->facts ? &in->facts[k] : NULL;
			enum dbp_db db = f ? f->db : img->db;

			dbp_text_field(t, "  judged", "%s: %s%s%s%s", img->name,
				       db ? dbp_db_name(db) : "no database recognised",
				       db ? " (" : "", db ? (f ? f->db_hint : img->db_hint) : "",
				       db ? ")" : "");
			if (f)
				dbp_text_stop_lines(t, "    ", f->sp, f->nsp);
		}
		for (size_t k = 0; k < in->lf.ncrs; k++)
			dbp_text_field(t, "  not judged", "%s %s: a database operator's custom "
				       "resource", in->lf.crs[k].kind, in->lf.crs[k].name);
		if (in->lf.template_docs)
			dbp_text_field(t, "  not judged", "%zu Helm template document%s",
				       in->lf.template_docs, in->lf.template_docs == 1 ? "" : "s");
	}
}

static struct json_object *json_facts(const struct view *v)
{
	struct json_object *o = json_object_new_object(), *files = json_object_new_array();

	for (size_t i = 0; i < v->n; i++) {
		const struct input *in = &v->in[i];
		struct json_object *f = json_object_new_object(), *units = json_object_new_array();

		json_object_object_add(f, "file", json_object_new_string(in->name));
		json_object_object_add(f, "kind", in->ok ?
				       json_object_new_string(dbp_lint_kind_name(in->kind)) : NULL);
		for (size_t k = 0; k < in->lf.units.n; k++) {
			const struct dbp_unit *u = &in->lf.units.items[k];
			struct json_object *j = json_object_new_object();

			const struct dbp_image_facts *fa = in->facts ? &in->facts[k] : NULL;
			enum dbp_db db = fa ? fa->db : u->img.db;

			json_object_object_add(j, "name", json_object_new_string(u->img.name));
			json_object_object_add(j, "line", json_object_new_int(u->at.line));
			json_object_object_add(j, "database", db ?
					       json_object_new_string(dbp_db_id(db)) : NULL);
			json_object_object_add(j, "database_hint", db ?
					       json_object_new_string(fa ? fa->db_hint : u->img.db_hint) :
					       NULL);
			if (fa) {
				char sn[24];

				json_object_object_add(j, "stop_signal", fa->stop_signal_known ?
					json_object_new_string(dbp_signal_name(fa->sp[0].signal, sn,
									       sizeof(sn))) : NULL);
				dbp_image_stop_json(j, fa);
			}
			json_object_array_add(units, j);
		}
		json_object_object_add(f, "judged", units);
		{
			/* what was read and not judged, and why */
			struct json_object *nj = json_object_new_array();

			for (size_t k = 0; k < in->lf.ncrs; k++) {
				const struct dbp_operator_cr *cr = &in->lf.crs[k];
				struct json_object *j = json_object_new_object();

				json_object_object_add(j, "why", json_object_new_string(
					"operator custom resource"));
				json_object_object_add(j, "kind", json_object_new_string(cr->kind));
				json_object_object_add(j, "api_version", json_object_new_string(cr->api));
				json_object_object_add(j, "name", json_object_new_string(cr->name));
				json_object_object_add(j, "line", json_object_new_int(cr->at.line));
				json_object_array_add(nj, j);
			}
			if (in->lf.template_docs) {
				struct json_object *j = json_object_new_object();

				json_object_object_add(j, "why", json_object_new_string("helm template"));
				json_object_object_add(j, "documents",
						       json_object_new_int64((int64_t)in->lf.template_docs));
				json_object_object_add(j, "line",
						       json_object_new_int(in->lf.template_at.line));
				json_object_array_add(nj, j);
			}
			json_object_object_add(f, "not_judged", nj);
		}
		json_object_array_add(files, f);
	}
	json_object_object_add(o, "files", files);
	return o;
}

static void view_free(void *arg)
{
	struct view *v = arg;

	for (size_t i = 0; i < v->n; i++) {
		for (size_t k = 0; v->in[i].facts && k < v->in[i].lf.units.n; k++)
			dbp_image_facts_free(&v->in[i].facts[k]);
		free(v->in[i].facts);
		dbp_lintfile_free(&v->in[i].lf);
	}
	free(v->in);
	free(v);
}

/* Read and judge one input into r. */
static void lint_one(struct input *in, const char *path, const struct dbp_lint_opts *o,
		     const struct opts *opts, struct dbp_report *r)
{
	int stdin_ = !strcmp(path, "-");
	char *text = NULL, *dir = NULL;
	const char *context = NULL;
	size_t len = 0, first = r->n;
	int rc;

	in->name = path;
	/* standard input is whatever the caller connected (a pipe from helm
	 * or kubectl); a named file must be a regular file (safeopen.h) */
	rc = stdin_ ? dbp_slurp_fd_max(dup(STDIN_FILENO), DBP_LINT_MAX_INPUT, &text, &len) :
		      dbp_slurp_max(path, DBP_LINT_MAX_INPUT, &text, &len);
	if (rc == -EFBIG || rc == 1) {
		/* judged in part, an input would be judged wrong */
		if (rc == 1)
			snprintf(in->lf.why, sizeof(in->lf.why), "the compressed data is cut short "
				 "or corrupt");
		else
			snprintf(in->lf.why, sizeof(in->lf.why), "more than %d MiB once decompressed "
				 "(dbpod's limit)", DBP_LINT_MAX_INPUT >> 20);
		free(text);
		dbp_rules_lint_unjudged(path, &in->lf, r);
		return;
	}
	if (rc < 0) {
		/* a missing input is said as every command says it; the other
		 * files are still judged, and the run exits 3 */
		dbp_warnx("cannot read '%s': %s", stdin_ ? "standard input" : path,
			  dbp_open_strerror(rc));
		in->unread = 1;
		return;
	}
	/* the build context of a Dockerfile: its directory (dirname may
	 * return a static "." rather than edit its argument) */
	if (!stdin_ && (dir = strdup(path)))
		context = dirname(dir);
	rc = dbp_lint_read(path, text, len, context, opts->kind, &in->lf, &in->kind);
	free(dir);
	free(text);
	if (rc < 0) {
		dbp_rules_lint_unjudged(path, &in->lf, r);
		return;
	}
	in->ok = 1;
	in->facts = calloc(in->lf.units.n ? in->lf.units.n : 1, sizeof(*in->facts));
	for (size_t k = 0; k < in->lf.units.n; k++)
		dbp_rules_lint(&in->lf.units.items[k], o, path, r, in->facts ? &in->facts[k] : NULL);
	dbp_rules_lint_file(&in->lf, path, r);
	dbp_ignores_apply(r, first, &in->lf.ignores, path, !opts->no_inline);
	/* messages quote commands: every renderer redacts them (redact.h) */
}

static int render(struct dbp_result *res, const struct view *v, int threshold,
		  const struct dbp_opts *g)
{
	const char **names = calloc(v->n + 1, sizeof(char *));
	int rc = 0;

	for (size_t i = 0; names && i < v->n; i++)
		names[i] = v->in[i].name;
	if (!names)
		return -ENOMEM;
	switch (g->ci_format) {
	case DBP_CI_SARIF:
		rc = dbp_render_sarif(stdout, &res->report);
		break;
	case DBP_CI_JUNIT:
		rc = dbp_render_junit(stdout, &res->report, names, v->n, (enum dbp_severity)threshold);
		break;
	case DBP_CI_CODEQUALITY:
		rc = dbp_render_codequality(stdout, &res->report);
		break;
	case DBP_CI_CHECKSTYLE:
		rc = dbp_render_checkstyle(stdout, &res->report, names, v->n);
		break;
	case DBP_CI_NONE:
	case DBP_CI_SVG:	/* refused by dbp_argp_parse: lint does not draw */
		dbp_emit(res, g);
		break;
	}
	free(names);
	return rc;
}

/* A configuration found on the way up that is not the user's or root's,
 * or that anyone may write, is passed over, with a word on stderr. */
static int config_trusted(const char *path, const struct stat *st)
{
	char why[128];

	if (dbp_lintconfig_trusted(st, geteuid(), why, sizeof(why)))
		return 1;
	dbp_warnx("not reading the configuration '%s': %s", path, why);
	return 0;
}

/* config (--config), or the nearest .dbpod.yaml, into cfg (left as it is
 * when there is none). -1 after saying why it cannot be read. */
static int read_config(struct dbp_lintconfig *cfg, const char *config)
{
	char found[PATH_MAX + 16], what[PATH_MAX + 64], why[300], *text = NULL;
	const char *p = config;
	struct stat st;
	mode_t type = 0;
	size_t len;
	int fd, rc;

	if (!p) {
		if (!dbp_lintconfig_find(".", found, sizeof(found)))
			return 0;
		p = found;
		if (lstat(p, &st) == 0 && !config_trusted(p, &st))
			return 0;
	}
	fd = dbp_open_regular(NULL, p, &type);
	if (fd < 0) {
		if (fd == -DBP_ENOTREG)
			dbp_warnx("cannot read the configuration: '%s' is %s, not a regular file",
				  p, dbp_file_describe(NULL, p, type, what, sizeof(what)));
		else
			dbp_warnx("cannot read the configuration '%s': %s", p, strerror(-fd));
		return -1;
	}
	/* the file opened is the one judged */
	if (!config && (fstat(fd, &st) < 0 || !config_trusted(p, &st))) {
		close(fd);
		return 0;
	}
	rc = dbp_slurp_fd_max(fd, DBP_LINTCONFIG_MAX, &text, &len);
	if (rc == -EFBIG) {
		dbp_warnx("the configuration '%s' holds more than %d MiB once decompressed "
			  "(dbpod's limit)", p, DBP_LINTCONFIG_MAX >> 20);
		return -1;
	}
	if (rc == 1) {
		free(text);
		rc = -EIO;
	}
	if (rc < 0) {
		dbp_warnx("cannot read the configuration '%s': %s", p, strerror(-rc));
		return -1;
	}
	rc = dbp_lintconfig_parse(text, len, cfg, why, sizeof(why));
	free(text);
	if (rc < 0) {
		dbp_warnx("the configuration '%s' is wrong: %s", p, why);
		return -1;
	}
	return 0;
}

int cmd_lint(int argc, char **argv, const struct dbp_opts *g)
{
	struct opts opts = { .g = *g, .threshold = -1, .profile = -1, .min_grace = -1 };
	struct dbp_lintconfig cfg;
	struct dbp_lint_opts o = { DBP_DB_NONE, 0, DBP_LINT_MIN_GRACE, 0, -1 };
	struct dbp_result res;
	struct view *v;
	int threshold, profile, rc = 0;
	static const char *const stdin_only[] = { "-" };

	opts.g.ci_formats_ok = 1;
	dbp_argp_parse(&argp, argc, argv, &opts, &opts.g);
	if (!opts.nfiles && isatty(STDIN_FILENO)) {
		warnx("no input: name a Dockerfile, Compose file or manifest, or pipe one into "
		      "`dbpod lint -`");
		return DBP_EXIT_UNKNOWN;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.threshold = cfg.profile = -1;
	cfg.min_grace = -1;
	if (read_config(&cfg, opts.config) < 0) {
		free(opts.files);
		return DBP_EXIT_UNKNOWN;
	}
	/* an id that no rule reports silences nothing: a typo, said at once
	 * rather than a finding that stays */
	{
		char bad[64];

		for (size_t i = 0; i < cfg.n_overrides; i++)
			if (dbp_lint_ids_unknown(cfg.overrides[i].id, bad, sizeof(bad))) {
				dbp_warnx("unknown finding id '%s' under severity: in the configuration "
					  "(the ids are listed in FINDINGS in dbpod-lint(1))", bad);
				dbp_lintconfig_free(&cfg);
				free(opts.files);
				return DBP_EXIT_UNKNOWN;
			}
		if ((cfg.ignore && dbp_lint_ids_unknown(cfg.ignore, bad, sizeof(bad))) ||
		    (opts.g.ignore && dbp_lint_ids_unknown(opts.g.ignore, bad, sizeof(bad)))) {
			dbp_warnx("unknown finding id '%s' in %s (the ids are listed in FINDINGS in "
				  "dbpod-lint(1))", bad, opts.g.ignore &&
				  dbp_lint_ids_unknown(opts.g.ignore, bad, sizeof(bad)) ? "--ignore" :
				  "the configuration's ignore:");
			dbp_lintconfig_free(&cfg);
			free(opts.files);
			return DBP_EXIT_UNKNOWN;
		}
	}
	threshold = opts.threshold >= 0 ? opts.threshold :
		    cfg.threshold >= 0 ? cfg.threshold : DBP_WARNING;
	profile = opts.profile >= 0 ? opts.profile : cfg.profile;
	if (profile == DBP_PROFILE_GENERIC)
		o.generic = 1;
	else if (profile > 0)
		o.profile = profile == DBP_PROFILE_POSTGRES ? DBP_DB_POSTGRES :
			    profile == DBP_PROFILE_MYSQL ? DBP_DB_MYSQL :
			    profile == DBP_PROFILE_MONGODB ? DBP_DB_MONGODB : DBP_DB_REDIS;
	o.min_grace = opts.min_grace >= 0 ? opts.min_grace : cfg.min_grace >= 0 ? cfg.min_grace :
		      DBP_LINT_MIN_GRACE;
	o.stop_signal = opts.g.stop_signal_given ? opts.g.stop_signal : 0;
	o.grace = opts.g.grace_given ? opts.g.grace : -1;
	if (!opts.nfiles) {
		opts.files = (const char **)stdin_only;
		opts.nfiles = 1;
	}

	dbp_result_init(&res, "lint");
	v = calloc(1, sizeof(*v));
	if (v)
		v->in = calloc(opts.nfiles, sizeof(*v->in));
	if (!v || !v->in) {
		free(v);
		dbp_result_free(&res);
		dbp_lintconfig_free(&cfg);
		if (opts.files != (const char **)stdin_only)
			free(opts.files);
		warnx("out of memory");
		return DBP_EXIT_UNKNOWN;
	}
	v->n = opts.nfiles;
	res.view = v;
	res.view_free = view_free;
	res.text_facts = text_facts;
	for (size_t i = 0; i < opts.nfiles; i++)
		lint_one(&v->in[i], opts.files[i], &o, &opts, &res.report);
	/* an input that cannot be read ends the run as a PID that is not
	 * there ends signals': each said on stderr, nothing rendered (a report
	 * without it would read as a verdict on all), exit 3 */
	for (size_t i = 0; i < opts.nfiles; i++)
		if (v->in[i].unread)
			rc = DBP_EXIT_UNKNOWN;
	if (rc == DBP_EXIT_UNKNOWN) {
		dbp_result_free(&res);
		dbp_lintconfig_free(&cfg);
		if (opts.files != (const char **)stdin_only)
			free(opts.files);
		return rc;
	}
	for (size_t i = 0; i < cfg.n_overrides; i++)
		dbp_report_override(&res.report, cfg.overrides[i].id, cfg.overrides[i].severity);
	if (cfg.ignore)
		dbp_report_ignore(&res.report, cfg.ignore);
	dbp_lintconfig_free(&cfg);
	res.facts = json_facts(v);

	if (opts.g.ci_format) {
		if (opts.g.ignore)
			dbp_report_ignore(&res.report, opts.g.ignore);
		dbp_report_sort(&res.report);
	}
	rc = render(&res, v, threshold, &opts.g);
	if (rc < 0)
		warnx("cannot write the report: %s", strerror(-rc));
	/* dbp_emit applied --ignore and sorted for text and JSON */
	rc = rc < 0 ? DBP_EXIT_UNKNOWN : dbp_report_exit_threshold(&res.report, (enum dbp_severity)threshold);
	dbp_result_free(&res);
	if (opts.files != (const char **)stdin_only)
		free(opts.files);
	return rc;
}
