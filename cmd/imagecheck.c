/*
 * dbpod imagecheck: judge docker/podman inspect output or an OCI image
 * config without running anything -- a gate for CI.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbpod.h"
#include "redact.h"
#include "rules_check.h"
#include "lint/rules_image.h"
#include "slurp.h"
#include "sigset.h"

#define INPUT_MAX_BYTES (16 << 20)	/* inspect output of hundreds of images fits */

/* what the parser fills: the shared options, then the input */
struct opts {
	struct dbp_opts g;
	const char *file;		/* FILE or - */
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct opts *o = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		dbp_argp_share(state, &o->g);
		break;
	case ARGP_KEY_ARG:
		if (o->file)
			argp_error(state, "one input at a time: '%s' and '%s'", o->file, arg);
		o->file = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	NULL, parse, "[FILE|-]",
	"Judge the JSON of `docker image inspect`, `docker inspect` (a "
	"container), `podman inspect`, or an OCI image config (`skopeo inspect "
	"--config`), one object or an array of them, without running anything: "
	"what will be PID 1, shell form, an entrypoint script, an init, the stop "
	"signal, su/sudo, and what a stop will do, predicted from the chain PID 1 "
	"runs as `dbpod signals` predicts a running container's. Reads standard "
	"input when FILE is - or absent.",
	dbp_static_stop_children, NULL, NULL
};

struct view {
	struct dbp_images imgs;
	struct dbp_image_facts *facts;
};

static const char *source_name(enum dbp_image_source s)
{
	switch (s) {
	case DBP_SRC_CONTAINER: return "container";
	case DBP_SRC_OCI: return "OCI image config";
	case DBP_SRC_IMAGE: break;
	}
	return "image";
}

/* The words joined by spaces and redacted, in linear time: a Cmd of
 * megabytes must not take minutes. */
static char *join(char **v, size_t n)
{
	size_t len = 1, at = 0;
	char *s;

	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(v[i]);

		if (i)
			s[at++] = ' ';
		memcpy(s + at, v[i], l);
		at += l;
	}
	s[at] = '\0';
	dbp_redact(s);
	return s;
}

static void text_facts(const struct dbp_text *t, void *arg)
{
	const struct view *v = arg;
	char sn[24];

	for (size_t i = 0; i < v->imgs.n; i++) {
		const struct dbp_image *img = &v->imgs.items[i];
		const struct dbp_image_facts *f = &v->facts[i];
		char *cmd = f->argv ? join(f->argv, f->argc) : NULL;

		if (i)
			fputc('\n', t->out);
		dbp_text_field(t, "Image", "%s (%s)", img->name, source_name(img->source));
		dbp_text_field(t, "Database", "%s%s%s%s", f->db ? dbp_db_name(f->db) : "none recognised",
			       f->db ? " (" : "", f->db ? f->db_hint : "", f->db ? ")" : "");
		dbp_text_field(t, "Command", "%s", cmd && *cmd ? cmd : "(none)");
		dbp_text_field(t, "PID 1", "%s%s", f->pid1 ? f->pid1 : "unknown",
			       f->shell_form ? " (shell form)" : f->script ? " (a script)" :
			       f->init ? " (an init)" : "");
		dbp_text_field(t, "Init", "%s", f->init ? "yes" :
			       img->init == 0 ? "no (HostConfig.Init is false)" :
			       "none in the image (--init at run time adds one)");
		dbp_text_field(t, "Stop signal", "%s", f->stop_signal > 0 ?
			       dbp_signal_name(f->stop_signal, sn, sizeof(sn)) :
			       img->stop_signal);
		dbp_text_field(t, "Grace", "%d s (%s)", f->grace, f->grace_from);
		dbp_text_stop_lines(t, "  ", f->sp, f->nsp);
		free(cmd);
	}
}

/* A redacted copy as a JSON array; the image's own words stay intact. */
static struct json_object *strv_json(char **v)
{
	struct json_object *a;
	size_t n = 0;
	char **copy;

	if (!v)
		return NULL;
	while (v[n])
		n++;
	copy = calloc(n + 1, sizeof(char *));
	a = json_object_new_array();
	for (size_t i = 0; copy && i < n; i++)
		copy[i] = strdup(v[i]);
	dbp_redact_argv(copy);
	for (size_t i = 0; i < n; i++) {
		json_object_array_add(a, json_object_new_string(copy && copy[i] ? copy[i] : "***"));
		if (copy)
			free(copy[i]);
	}
	free(copy);
	return a;
}

static struct json_object *json_facts(const struct view *v)
{
	struct json_object *o = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	char sn[24];

	for (size_t i = 0; 1 && i < v->imgs.n; i++) {
		const struct dbp_image *img = &v->imgs.items[i];
		const struct dbp_image_facts *f = &v->facts[i];
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "name", json_object_new_string(img->name));
		json_object_object_add(j, "source", json_object_new_string(
			img->source == DBP_SRC_CONTAINER ? "container" :
			img->source == DBP_SRC_OCI ? "oci" : "image"));
		json_object_object_add(j, "database", f->db ?
				       json_object_new_string(dbp_db_id(f->db)) : NULL);
		json_object_object_add(j, "database_hint", f->db ?
				       json_object_new_string(f->db_hint) : NULL);
		json_object_object_add(j, "entrypoint", strv_json(img->entrypoint));
		json_object_object_add(j, "cmd", strv_json(img->cmd));
		json_object_object_add(j, "pid1", f->pid1 ? json_object_new_string(f->pid1) : NULL);
		json_object_object_add(j, "shell_form", json_object_new_boolean(f->shell_form));
		json_object_object_add(j, "script", json_object_new_boolean(f->script));
		json_object_object_add(j, "init", json_object_new_boolean(f->init));
		json_object_object_add(j, "host_config_init", img->init < 0 ? NULL :
				       json_object_new_boolean(img->init));
		json_object_object_add(j, "stop_signal", f->stop_signal > 0 ?
			json_object_new_string(dbp_signal_name(f->stop_signal, sn, sizeof(sn))) :
			json_object_new_string(img->stop_signal ? img->stop_signal : ""));
		json_object_object_add(j, "user", img->user ? json_object_new_string(img->user) : NULL);
		dbp_image_stop_json(j, f);
		json_object_array_add(arr, j);
	}
	json_object_object_add(o, "images", arr);
	return o;
}

static void view_free(void *arg)
{
	struct view *v = arg;

	for (size_t i = 0; v->facts && i < v->imgs.n; i++)
		dbp_image_facts_free(&v->facts[i]);
	free(v->facts);
	dbp_images_free(&v->imgs);
	free(v);
}

/* Judge the inspect JSON in text (named name in messages) into res as
 * opts say. Returns 0, or -ENOMEM when nothing could be judged for want of
 * memory. */
static int judge(struct dbp_result *res, const char *text, size_t len, const char *name,
		 const struct opts *opts)
{
	const char *file = opts->file;
	const struct dbp_opts *g = &opts->g;
	struct view *v = calloc(1, sizeof(*v));
	char why[256] = "";
	int rc;

	if (!v)
		return -ENOMEM;
	res->view = v;
	res->view_free = view_free;
	rc = dbp_images_parse(text, len, &v->imgs, why, sizeof(why));
	if (rc == 0) {
		v->facts = calloc(v->imgs.n, sizeof(*v->facts));
		if (!v->facts) {
			snprintf(why, sizeof(why), "out of memory");
			rc = -ENOMEM;
		}
	}
	if (rc < 0) {
		dbp_rules_image_unjudged(name, file && strcmp(file, "-") ? file : NULL,
					 why, &res->report);
		res->facts = json_facts(v);
		return 0;
	}
	for (size_t i = 0; i < v->imgs.n; i++) {
		struct dbp_image_opts o = { g->stop_signal_given ? g->stop_signal : 0,
					    g->grace_given ? g->grace : -1, "--grace", 0 };

		dbp_rules_image(&v->imgs.items[i], &o, &res->report, &v->facts[i]);
	}
	res->facts = json_facts(v);
	res->text_facts = text_facts;
	return 0;
}

int cmd_imagecheck(int argc, char **argv, const struct dbp_opts *o)
{
	struct opts opts = { .g = *o };
	struct dbp_result res;
	const char *name, *file;
	size_t len;
	char *text;
	int fd, rc;

	dbp_argp_parse(&argp, argc, argv, &opts, &opts.g);
	file = opts.file;
	name = file && strcmp(file, "-") ? file : "standard input";
	if (!file && isatty(STDIN_FILENO)) {
		warnx("no input: give a FILE, or pipe `docker image inspect IMAGE` into "
		      "`dbpod imagecheck -`");
		return DBP_EXIT_UNKNOWN;
	}
	/* a named input may be a pipe (`<(docker inspect ...)`): opened as
	 * it is, read to its end with a bound */
	fd = file && strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC) :
	     dup(STDIN_FILENO);
	if (fd < 0) {
		dbp_warnx("cannot open '%s': %s", file ? file : "standard input",
			  strerror(errno));
		return DBP_EXIT_UNKNOWN;
	}
	rc = dbp_slurp_fd_max(fd, INPUT_MAX_BYTES, &text, &len);
	if (rc < 0) {
		dbp_warnx("cannot read %s: %s", name, strerror(-rc));
		return DBP_EXIT_UNKNOWN;
	}
	dbp_result_init(&res, "imagecheck");
	rc = judge(&res, text, len, name, &opts);
	free(text);
	dbp_rules_check_failed(&res.report, rc);
	rc = dbp_emit(&res, &opts.g);
	dbp_result_free(&res);
	return rc;
}
