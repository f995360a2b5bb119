/*
 * Compose services into lint units.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "shscript.h"	/* dbp_split_words */

int dbp_compose_detect(struct dbp_yaml *y)
{
	yaml_node_t *root = dbp_yaml_root(y, 0);

	return y->n >= 1 && root && root->type == YAML_MAPPING_NODE &&
	       dbp_yaml_get(&y->docs[0], root, "services") &&
	       !dbp_yaml_get(&y->docs[0], root, "kind");
}

static int bad(struct dbp_lintfile *out, yaml_node_t *n, const char *svc, const char *key,
	       const char *want)
{
	struct dbp_pos p;

	dbp_yaml_pos(n, &p);
	snprintf(out->why, sizeof(out->why), "services.%s.%s: %s expected", svc, key, want);
	out->err_line = p.line;
	out->err_column = p.column;
	return -EINVAL;
}

/* entrypoint or command: a list, or a string split into words */
static int command(struct dbp_lintfile *out, yaml_document_t *d, yaml_node_t *svc,
		   const char *name, const char *key, char ***v, struct dbp_pos *at)
{
	yaml_node_t *n = dbp_yaml_get(d, svc, key);

	*v = NULL;
	if (!n || (n->type == YAML_SCALAR_NODE && !dbp_yaml_str(n)))
		return 0;
	dbp_yaml_pos(n, at);
	if (n->type == YAML_SEQUENCE_NODE)
		*v = dbp_yaml_strv(d, n);
	else if (n->type == YAML_SCALAR_NODE)
		*v = dbp_split_words(dbp_yaml_str(n));
	else
		return bad(out, n, name, key, "a string or a list of strings");
	if (!*v)
		return n->type == YAML_SCALAR_NODE ?
		       bad(out, n, name, key, "a string with balanced quotes") : -ENOMEM;
	return 0;
}

static int memory(struct dbp_lintfile *out, yaml_node_t *n, const char *svc, const char *key,
		  long long *v, struct dbp_unit *u)
{
	const char *s = dbp_yaml_str(n);

	if (!n || (n->type == YAML_SCALAR_NODE && !s))
		return 0;
	if (!s || dbp_parse_bytes(s, v) < 0)
		return bad(out, n, svc, key, "a size such as 512m or 2g");
	if (!u->memory_at.line)
		dbp_yaml_pos(n, &u->memory_at);
	return 0;
}

static void environment(yaml_document_t *d, yaml_node_t *env, struct dbp_unit *u)
{
	size_t n = env && env->type == YAML_MAPPING_NODE ?
		   (size_t)(env->data.mapping.pairs.top - env->data.mapping.pairs.start) :
		   dbp_yaml_len(env);

	for (size_t i = 0; i < n; i++) {
		const char *e, *val = NULL;
		size_t kl;
		yaml_node_t *kn;

		if (env->type == YAML_MAPPING_NODE) {
			yaml_node_pair_t *p = &env->data.mapping.pairs.start[i];

			kn = yaml_document_get_node(d, p->key);
			e = dbp_yaml_str(kn);
			val = dbp_yaml_str(yaml_document_get_node(d, p->value));
			kl = e ? strlen(e) : 0;
		} else {
			kn = dbp_yaml_item(d, env, i);
			e = dbp_yaml_str(kn);
			kl = e ? strcspn(e, "=") : 0;
			if (e && e[kl])
				val = e + kl + 1;
		}
		if (!e)
			continue;
		if (kl == 18 && !strncmp(e, "PG_OOM_ADJUST_FILE", 18)) {
			u->pg_oom_file = val && !strcmp(val, "/proc/self/oom_score_adj") ? 1 : -1;
			dbp_yaml_pos(kn, &u->env_at);
		} else if (kl == 19 && !strncmp(e, "PG_OOM_ADJUST_VALUE", 19)) {
			u->pg_oom_value = 1;
			dbp_yaml_pos(kn, &u->env_at);
		}
		/* the name only, for the database hint: never the value */
		if (!u->img.db) {
			char *kv = NULL;

			if (asprintf(&kv, "%.*s=", (int)kl, e) >= 0)
				dbp_image_db_from_env_entry(&u->img, kv);
			free(kv);
		}
	}
}

static int service(struct dbp_lintfile *out, yaml_document_t *d, const char *name,
		   yaml_node_t *key, yaml_node_t *svc)
{
	struct dbp_unit *u;
	struct dbp_pos at;
	yaml_node_t *n;
	const char *image;
	int rc;

	dbp_yaml_pos(key, &at);		/* the service's name */
	if ((rc = dbp_lintfile_add_unit(out, DBP_UNIT_COMPOSE, &at, &u)) < 0)
		return rc;
	if (asprintf(&u->img.name, "service %s", name) < 0) {
		u->img.name = NULL;
		return -ENOMEM;
	}
	u->at = at;
	u->img.source = DBP_SRC_CONTAINER;
	u->img.stop_signal_from_image = 1;
	u->img.init_hint = " (no `init: true` in the service)";
	u->grace_default = 10;
	if ((rc = command(out, d, svc, name, "entrypoint", &u->img.entrypoint, &u->entrypoint_at)) < 0 ||
	    (rc = command(out, d, svc, name, "command", &u->img.cmd, &u->cmd_at)) < 0)
		return rc;
	u->img.command_unknown = !u->img.entrypoint && !u->img.cmd;
	u->img.args_to_image = !u->img.entrypoint && u->img.cmd;
	n = dbp_yaml_get(d, svc, "init");
	u->img.init = dbp_yaml_bool(n) == 1;
	if (n && dbp_yaml_bool(n) < 0 && dbp_yaml_str(n))
		return bad(out, n, name, "init", "true or false");
	n = dbp_yaml_get(d, svc, "stop_signal");
	if (dbp_yaml_str(n)) {
		u->img.stop_signal = strdup(dbp_yaml_str(n));
		dbp_yaml_pos(n, &u->stop_signal_at);
	}
	n = dbp_yaml_get(d, svc, "stop_grace_period");
	if (dbp_yaml_str(n)) {
		dbp_yaml_pos(n, &u->grace_at);
		if (dbp_parse_duration(dbp_yaml_str(n), &u->grace) < 0)
			return bad(out, n, name, "stop_grace_period", "a duration such as 1m30s");
	}
	if ((rc = memory(out, dbp_yaml_get(d, svc, "mem_limit"), name, "mem_limit",
			 &u->mem_limit, u)) < 0 ||
	    (rc = memory(out, dbp_yaml_path(d, svc, "deploy", "resources", "limits", "memory", NULL),
			 name, "deploy.resources.limits.memory", &u->mem_limit, u)) < 0 ||
	    (rc = memory(out, dbp_yaml_get(d, svc, "mem_reservation"), name, "mem_reservation",
			 &u->mem_request, u)) < 0 ||
	    (rc = memory(out, dbp_yaml_path(d, svc, "deploy", "resources", "reservations", "memory",
					    NULL), name, "deploy.resources.reservations.memory",
			 &u->mem_request, u)) < 0)
		return rc;
	n = dbp_yaml_get(d, svc, "pid");
	if (dbp_yaml_str(n)) {
		const char *pid = dbp_yaml_str(n);

		dbp_yaml_pos(n, &u->pid_at);
		u->share_pid = !strcmp(pid, "host") ? 3 :
			       !strncmp(pid, "service:", 8) || !strncmp(pid, "container:", 10) ? 2 : 0;
	}
	if (!dbp_image_db_from_words(&u->img, u->img.entrypoint, "entrypoint"))
		dbp_image_db_from_words(&u->img, u->img.cmd, "command");
	environment(d, dbp_yaml_get(d, svc, "environment"), u);
	image = dbp_yaml_str(dbp_yaml_get(d, svc, "image"));
	if (image && !(u->img.image_ref = strdup(image)))
		return -ENOMEM;
	if (!u->img.db && !dbp_unit_runs_shell_string(u))
		dbp_image_db_from_ref(&u->img, image);
	return 0;
}

int dbp_compose_read(struct dbp_yaml *y, struct dbp_lintfile *out)
{
	yaml_document_t *d = &y->docs[0];
	yaml_node_t *svcs = dbp_yaml_get(d, dbp_yaml_root(y, 0), "services");

	if (!svcs || svcs->type != YAML_MAPPING_NODE) {
		snprintf(out->why, sizeof(out->why), "services: a mapping of services expected");
		return -EINVAL;
	}
	for (yaml_node_pair_t *p = svcs->data.mapping.pairs.start;
	     p < svcs->data.mapping.pairs.top; p++) {
		const char *name = dbp_yaml_str(yaml_document_get_node(d, p->key));
		yaml_node_t *svc = yaml_document_get_node(d, p->value);
		int rc;

		if (!name || !svc || svc->type != YAML_MAPPING_NODE) {
			struct dbp_pos at;

			dbp_yaml_pos(svc, &at);
			snprintf(out->why, sizeof(out->why), "services.%s: a mapping expected",
				 name ? name : "?");
			out->err_line = at.line;
			out->err_column = at.column;
			return -EINVAL;
		}
		if ((rc = service(out, d, name, yaml_document_get_node(d, p->key), svc)) < 0)
			return rc;
	}
	return 0;
}
