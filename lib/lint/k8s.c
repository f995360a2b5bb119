/*
 * Kubernetes workloads into lint units.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "k8s.h"
#include "qos.h"

#define MAX_LIST_DEPTH 4

int dbp_k8s_detect(struct dbp_yaml *y)
{
	for (size_t i = 0; i < y->n; i++) {
		yaml_node_t *r = dbp_yaml_root(y, i);

		if (dbp_yaml_get(&y->docs[i], r, "kind") && dbp_yaml_get(&y->docs[i], r, "apiVersion"))
			return 1;
	}
	return 0;
}

static int bad(struct dbp_lintfile *out, yaml_node_t *n, const char *what, const char *want)
{
	struct dbp_pos p;

	dbp_yaml_pos(n, &p);
	snprintf(out->why, sizeof(out->why), "%s: %s expected", what, want);
	out->err_line = p.line;
	out->err_column = p.column;
	return -EINVAL;
}

/* `dbpod.io/ignore: "DBI601: reason"` covers the whole object */
static int annotations(struct dbp_lintfile *out, yaml_document_t *d, yaml_node_t *meta,
		       yaml_node_t *obj)
{
	yaml_node_t *a = dbp_yaml_path(d, meta, "annotations", "dbpod.io/ignore", NULL);
	const char *s = dbp_yaml_str(a);
	struct dbp_ignore ig;
	int rc;

	if (!s)
		return 0;
	rc = dbp_ignore_parse(s, strlen(s), 1, &ig);
	if (rc <= 0)
		return rc;
	ig.line = (int)a->start_mark.line + 1;
	ig.column = (int)a->start_mark.column + 1;
	dbp_yaml_span(obj, &ig.from, &ig.to);
	return dbp_ignores_add(&out->ignores, &ig);
}

struct pod {
	const char *kind, *name;
	yaml_node_t *spec;
	long long grace;
	struct dbp_pos grace_at, share_at;
	int share;
	int qos;
};

/* QoS as the kubelet computes it: BestEffort with no request or limit
 * anywhere; Guaranteed when every container limits CPU and memory and
 * requests (defaulting to the limits) equal them; Burstable else. */
static int pod_qos(yaml_document_t *d, yaml_node_t *containers)
{
	int any = 0, guaranteed = 1;

	for (size_t i = 0; i < dbp_yaml_len(containers); i++) {
		yaml_node_t *res = dbp_yaml_get(d, dbp_yaml_item(d, containers, i), "resources");
		static const char *const rs[] = { "cpu", "memory" };

		for (size_t k = 0; k < 2; k++) {
			const char *l = dbp_yaml_str(dbp_yaml_path(d, res, "limits", rs[k], NULL));
			const char *q = dbp_yaml_str(dbp_yaml_path(d, res, "requests", rs[k], NULL));
			long long lv, qv;

			any |= l || q;
			if (!l || dbp_parse_quantity(l, 1, &lv) < 0)
				guaranteed = 0;
			else if (q && (dbp_parse_quantity(q, 1, &qv) < 0 || qv != lv))
				guaranteed = 0;
		}
	}
	return !any ? DBP_QOS_BESTEFFORT : guaranteed ? DBP_QOS_GUARANTEED : DBP_QOS_BURSTABLE;
}

/* Where the key of n's member key is written (the line a finding about
 * the member names); the member's value where it cannot be told. */
static void key_pos(yaml_document_t *d, yaml_node_t *n, const char *key, struct dbp_pos *p)
{
	memset(p, 0, sizeof(*p));
	if (!n || n->type != YAML_MAPPING_NODE)
		return;
	for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < n->data.mapping.pairs.top; q++) {
		yaml_node_t *k = yaml_document_get_node(d, q->key);

		if (dbp_yaml_str(k) && !strcmp(dbp_yaml_str(k), key)) {
			dbp_yaml_pos(k, p);
			return;
		}
	}
}

/* A preStop that stops PostgreSQL fast: pg_ctl stop (fast by default
 * since 9.5) unless in smart mode, or SIGINT sent to the postmaster. */
static int is_fast_stop(char **v)
{
	size_t len = 1;
	char *all;
	int fast;

	for (char **w = v; w && *w; w++)
		len += strlen(*w) + 1;
	all = calloc(1, len);
	if (!all)
		return 0;
	len = 0;
	for (char **w = v; w && *w; w++) {
		size_t l = strlen(*w);

		memcpy(all + len, *w, l);
		all[len + l] = ' ';
		len += l + 1;
	}
	fast = (strstr(all, "pg_ctl") && strstr(all, " stop") && !strstr(all, "smart") &&
		!strstr(all, "-m s ") && !strstr(all, "-ms ")) ||
	       strstr(all, "kill -INT") || strstr(all, "kill -s INT") || strstr(all, "kill -2 ") ||
	       strstr(all, "kill -SIGINT");
	free(all);
	return fast;
}

/* Does the hook's command run pg_ctl without switching to another user
 * first (gosu, su-exec, su -c, runuser, setpriv, chpst, sudo)? */
static int pg_ctl_unswitched(char **v)
{
	static const char *const switchers[] = {
		"gosu", "su-exec", "su", "runuser", "setpriv", "chpst", "s6-setuidgid", "sudo",
	};

	for (char **w = v; w && *w; w++) {
		char *copy = strdup(*w), *save = NULL;
		int hit = 0;

		for (char *t = copy ? strtok_r(copy, " \t;&|()'\"", &save) : NULL; t;
		     t = strtok_r(NULL, " \t;&|()'\"", &save)) {
			const char *b = strrchr(t, '/') ? strrchr(t, '/') + 1 : t;

			for (size_t k = 0; k < sizeof(switchers) / sizeof(switchers[0]); k++)
				if (!strcmp(b, switchers[k]))
					hit = -1;
			if (!hit && !strcmp(b, "pg_ctl"))
				hit = 1;
			if (hit)
				break;
		}
		free(copy);
		if (hit)
			return hit > 0;
	}
	return 0;
}

/* The user a container runs as, when it can be told: 0 root, 1 another
 * user, -1 not known (the image's USER). runAsUser and runAsNonRoot of
 * the container, else of the pod. */
static int runs_as_root(yaml_document_t *d, const struct pod *pod, yaml_node_t *c)
{
	yaml_node_t *scs[2] = { dbp_yaml_get(d, c, "securityContext"),
				dbp_yaml_get(d, pod->spec, "securityContext") };

	for (size_t i = 0; i < 2; i++) {
		const char *uid = dbp_yaml_str(dbp_yaml_get(d, scs[i], "runAsUser"));

		if (uid)
			return !strcmp(uid, "0") ? 0 : 1;
		if (dbp_yaml_bool(dbp_yaml_get(d, scs[i], "runAsNonRoot")) == 1)
			return 1;
	}
	return -1;
}

/* The official postgres image (postgres:16, library/postgres,
 * docker.io/library/postgres), which has no USER: root. */
static int official_postgres(const char *ref)
{
	size_t n;

	if (!ref)
		return 0;
	if (!strncmp(ref, "docker.io/", 10))
		ref += 10;
	if (!strncmp(ref, "library/", 8))
		ref += 8;
	n = strcspn(ref, ":@");
	return n == 8 && !strncmp(ref, "postgres", 8);
}

static int container(struct dbp_lintfile *out, yaml_document_t *d, const struct pod *pod,
		     yaml_node_t *c)
{
	struct dbp_unit *u;
	const char *cname = dbp_yaml_str(dbp_yaml_get(d, c, "name"));
	yaml_node_t *n, *env, *res;
	struct dbp_pos at;
	long long v;
	int rc;

	dbp_yaml_pos(c, &at);
	if ((rc = dbp_lintfile_add_unit(out, DBP_UNIT_K8S, &at, &u)) < 0)
		return rc;
	if (asprintf(&u->img.name, "%s %s, container %s", pod->kind, pod->name,
		     cname ? cname : "?") < 0) {
		u->img.name = NULL;
		return -ENOMEM;
	}
	u->at = at;
	u->img.source = DBP_SRC_CONTAINER;
	u->img.stop_signal_from_image = 1;
	u->grace_default = 30;
	u->grace = pod->grace;
	u->grace_at = pod->grace_at.line ? pod->grace_at : u->at;
	u->qos = pod->qos;
	u->share_pid = pod->share;
	u->pid_at = pod->share_at;
	if (pod->share) {
		u->img.init = 1;
		u->img.init_name = "pause";
	} else {
		u->img.init = 0;
		u->img.init_hint = " (Kubernetes has no --init, and shareProcessNamespace is not set)";
	}
	n = dbp_yaml_get(d, c, "command");
	if (n && dbp_yaml_str(n) == NULL && n->type != YAML_SCALAR_NODE &&
	    !(u->img.entrypoint = dbp_yaml_strv(d, n)))
		return bad(out, n, "command", "a list of strings");
	dbp_yaml_pos(n, &u->entrypoint_at);
	n = dbp_yaml_get(d, c, "args");
	if (n && dbp_yaml_str(n) == NULL && n->type != YAML_SCALAR_NODE &&
	    !(u->img.cmd = dbp_yaml_strv(d, n)))
		return bad(out, n, "args", "a list of strings");
	dbp_yaml_pos(n, &u->cmd_at);
	u->img.command_unknown = !u->img.entrypoint && !u->img.cmd;
	u->img.args_to_image = !u->img.entrypoint && u->img.cmd;

	n = dbp_yaml_path(d, c, "lifecycle", "preStop", NULL);
	if (n) {
		dbp_yaml_pos(n, &u->prestop_at);
		u->prestop = 1;
		if (dbp_yaml_path(d, n, "exec", "command", NULL)) {
			char **w = dbp_yaml_strv(d, dbp_yaml_path(d, n, "exec", "command", NULL));

			u->prestop = 1 + is_fast_stop(w);
			if (pg_ctl_unswitched(w)) {
				int root = runs_as_root(d, pod, c);
				const char *image = dbp_yaml_str(dbp_yaml_get(d, c, "image"));

				u->prestop_root = root == 0 ? 1 :
						  root < 0 && official_postgres(image) ? 2 : 0;
			}
			for (char **p = w; p && *p; p++)
				free(*p);
			free(w);
		}
	}
	n = dbp_yaml_get(d, c, "livenessProbe");
	if (n) {
		static const struct { const char *key; long long dflt; } f[] = {
			{ "initialDelaySeconds", 0 }, { "failureThreshold", 3 }, { "periodSeconds", 10 },
		};
		long long v3[3];

		u->liveness = 1;
		key_pos(d, c, "livenessProbe", &u->liveness_at);
		if (!u->liveness_at.line)
			dbp_yaml_pos(n, &u->liveness_at);	/* through a merge key */
		for (size_t k = 0; k < 3; k++) {
			yaml_node_t *fn = dbp_yaml_get(d, n, f[k].key);

			v3[k] = f[k].dflt;
			if (fn && dbp_parse_integer(dbp_yaml_str(fn), 0, 86400 * 7, &v3[k]) < 0)
				return bad(out, fn, f[k].key, "a whole number of seconds");
		}
		u->liveness_window = v3[0] + v3[1] * v3[2];
	}
	u->startup = dbp_yaml_get(d, c, "startupProbe") != NULL;
	for (size_t k = 0; k < 2; k++) {
		static const char *const probe[] = { "livenessProbe", "startupProbe" };
		yaml_node_t *g = dbp_yaml_path(d, c, probe[k], "terminationGracePeriodSeconds", NULL);
		long long secs;

		if (!g)
			continue;
		if (dbp_parse_integer(dbp_yaml_str(g), 0, LLONG_MAX, &secs) < 0)
			return bad(out, g, "terminationGracePeriodSeconds", "a whole number of seconds");
		if (u->probe_grace == DBP_UNSET || secs < u->probe_grace) {
			u->probe_grace = secs;
			u->probe_grace_of = probe[k];
			dbp_yaml_pos(g, &u->probe_grace_at);
		}
	}
	n = dbp_yaml_path(d, c, "lifecycle", "stopSignal", NULL);
	if (dbp_yaml_str(n)) {
		u->img.stop_signal = strdup(dbp_yaml_str(n));
		dbp_yaml_pos(n, &u->stop_signal_at);
	}
	res = dbp_yaml_get(d, c, "resources");
	n = dbp_yaml_path(d, res, "limits", "memory", NULL);
	if (n) {
		dbp_yaml_pos(n, &u->memory_at);
		if (dbp_parse_quantity(dbp_yaml_str(n), 0, &v) < 0)
			return bad(out, n, "resources.limits.memory", "a quantity such as 2Gi");
		u->mem_limit = v;
	}
	n = dbp_yaml_path(d, res, "requests", "memory", NULL);
	if (n) {
		if (!u->memory_at.line)
			dbp_yaml_pos(n, &u->memory_at);
		if (dbp_parse_quantity(dbp_yaml_str(n), 0, &v) < 0)
			return bad(out, n, "resources.requests.memory", "a quantity such as 2Gi");
		u->mem_request = v;
	}
	if (!u->memory_at.line)
		u->memory_at = u->at;
	env = dbp_yaml_get(d, c, "env");
	for (size_t i = 0; i < dbp_yaml_len(env); i++) {
		yaml_node_t *e = dbp_yaml_item(d, env, i), *nn = dbp_yaml_get(d, e, "name");
		const char *name = dbp_yaml_str(nn);
		const char *val = dbp_yaml_str(dbp_yaml_get(d, e, "value"));
		char *kv;

		if (!name)
			continue;
		if (!strcmp(name, "PG_OOM_ADJUST_FILE")) {
			u->pg_oom_file = val && !strcmp(val, "/proc/self/oom_score_adj") ? 1 : -1;
			dbp_yaml_pos(nn, &u->env_at);
		} else if (!strcmp(name, "PG_OOM_ADJUST_VALUE")) {
			u->pg_oom_value = 1;
			dbp_yaml_pos(nn, &u->env_at);
		}
		/* the name only: the value may be a password */
		if (!u->img.db && asprintf(&kv, "%s=", name) >= 0) {
			dbp_image_db_from_env_entry(&u->img, kv);
			free(kv);
		}
	}
	if (!u->env_at.line)
		u->env_at = u->at;
	if (dbp_yaml_str(dbp_yaml_get(d, c, "image")) &&
	    !(u->img.image_ref = strdup(dbp_yaml_str(dbp_yaml_get(d, c, "image")))))
		return -ENOMEM;
	if (!dbp_image_db_from_words(&u->img, u->img.entrypoint, "command") &&
	    !dbp_image_db_from_words(&u->img, u->img.cmd, "args") && !u->img.db &&
	    !dbp_unit_runs_shell_string(u))
		dbp_image_db_from_ref(&u->img, u->img.image_ref);
	return 0;
}

/* The custom resources of database operators that make a database's
 * pods: kind in an API group (the part of apiVersion before the /). */
static const struct {
	const char *group, *kind;
	enum dbp_db db;
	const char *made;	/* what to get to see its pods: NAME is the CR's */
} operator_crs[] = {
	{ "postgresql.cnpg.io", "Cluster", DBP_DB_POSTGRES, "pod -l cnpg.io/cluster=NAME" },
	{ "acid.zalan.do", "postgresql", DBP_DB_POSTGRES, "statefulset NAME" },
	{ "postgres-operator.crunchydata.com", "PostgresCluster", DBP_DB_POSTGRES,
	  "statefulset -l postgres-operator.crunchydata.com/cluster=NAME" },
	{ "pgv2.percona.com", "PerconaPGCluster", DBP_DB_POSTGRES, NULL },
	{ "stackgres.io", "SGCluster", DBP_DB_POSTGRES, NULL },
	{ "kubedb.com", "Postgres", DBP_DB_POSTGRES, NULL },
	{ "pxc.percona.com", "PerconaXtraDBCluster", DBP_DB_MYSQL, NULL },
	{ "ps.percona.com", "PerconaServerMySQL", DBP_DB_MYSQL, NULL },
	{ "mysql.oracle.com", "InnoDBCluster", DBP_DB_MYSQL, NULL },
	{ "moco.cybozu.com", "MySQLCluster", DBP_DB_MYSQL, NULL },
	{ "k8s.mariadb.com", "MariaDB", DBP_DB_MYSQL, NULL },
	{ "kubedb.com", "MySQL", DBP_DB_MYSQL, NULL },
	{ "kubedb.com", "MariaDB", DBP_DB_MYSQL, NULL },
	{ "psmdb.percona.com", "PerconaServerMongoDB", DBP_DB_MONGODB, NULL },
	{ "mongodbcommunity.mongodb.com", "MongoDBCommunity", DBP_DB_MONGODB, NULL },
	{ "mongodb.com", "MongoDB", DBP_DB_MONGODB, NULL },
	{ "kubedb.com", "MongoDB", DBP_DB_MONGODB, NULL },
	{ "redis.redis.opstreelabs.in", "Redis", DBP_DB_REDIS, NULL },
	{ "redis.redis.opstreelabs.in", "RedisCluster", DBP_DB_REDIS, NULL },
	{ "redis.redis.opstreelabs.in", "RedisReplication", DBP_DB_REDIS, NULL },
	{ "databases.spotahome.com", "RedisFailover", DBP_DB_REDIS, NULL },
	{ "kubedb.com", "Redis", DBP_DB_REDIS, NULL },
};

static int operator_cr(struct dbp_lintfile *out, yaml_document_t *d, yaml_node_t *o,
		       const char *kind)
{
	const char *api = dbp_yaml_str(dbp_yaml_get(d, o, "apiVersion"));
	const char *name = dbp_yaml_str(dbp_yaml_path(d, o, "metadata", "name", NULL));
	struct dbp_operator_cr *cr;
	size_t gl;

	if (!api || !strchr(api, '/'))
		return 0;
	gl = (size_t)(strchr(api, '/') - api);
	for (size_t k = 0; k < sizeof(operator_crs) / sizeof(operator_crs[0]); k++) {
		if (gl != strlen(operator_crs[k].group) || strncmp(api, operator_crs[k].group, gl) ||
		    strcmp(kind, operator_crs[k].kind))
			continue;
		if (dbp_grow((void **)&out->crs, &out->capcrs, out->ncrs + 1, sizeof(*out->crs)) < 0)
			return -ENOMEM;
		cr = &out->crs[out->ncrs++];
		memset(cr, 0, sizeof(*cr));
		snprintf(cr->kind, sizeof(cr->kind), "%s", kind);
		snprintf(cr->api, sizeof(cr->api), "%s", api);
		snprintf(cr->name, sizeof(cr->name), "%s", name ? name : "(no name)");
		cr->db = (int)operator_crs[k].db;
		snprintf(cr->made, sizeof(cr->made), "%s", operator_crs[k].made ?
			 operator_crs[k].made : "statefulset,pod -l ...");
		key_pos(d, o, "kind", &cr->at);
		return 0;
	}
	return 0;
}

static int object(struct dbp_lintfile *out, yaml_document_t *d, yaml_node_t *o, int depth)
{
	const char *kind = dbp_yaml_str(dbp_yaml_get(d, o, "kind"));
	yaml_node_t *spec = dbp_yaml_get(d, o, "spec"), *tmpl = NULL, *cs, *n;
	struct pod pod = { kind, NULL, NULL, DBP_UNSET, { 0, 0 }, { 0, 0 }, 0, 0 };
	int rc;

	if (!kind)
		return 0;
	if (!strcmp(kind, "List") && depth < MAX_LIST_DEPTH) {
		yaml_node_t *items = dbp_yaml_get(d, o, "items");

		for (size_t i = 0; i < dbp_yaml_len(items); i++)
			if ((rc = object(out, d, dbp_yaml_item(d, items, i), depth + 1)) < 0)
				return rc;
		return 0;
	}
	if (!strcmp(kind, "Pod"))
		pod.spec = spec;
	else if (!strcmp(kind, "Deployment") || !strcmp(kind, "StatefulSet") ||
		 !strcmp(kind, "DaemonSet") || !strcmp(kind, "ReplicaSet") || !strcmp(kind, "Job"))
		tmpl = dbp_yaml_get(d, spec, "template");
	else if (!strcmp(kind, "CronJob"))
		tmpl = dbp_yaml_path(d, spec, "jobTemplate", "spec", "template", NULL);
	else
		return operator_cr(out, d, o, kind);
	if (tmpl)
		pod.spec = dbp_yaml_get(d, tmpl, "spec");
	pod.name = dbp_yaml_str(dbp_yaml_path(d, o, "metadata", "name", NULL));
	if (!pod.name)
		pod.name = "(no name)";
	if ((rc = annotations(out, d, dbp_yaml_get(d, o, "metadata"), o)) < 0 ||
	    (tmpl && (rc = annotations(out, d, dbp_yaml_get(d, tmpl, "metadata"), o)) < 0))
		return rc;
	n = dbp_yaml_get(d, pod.spec, "terminationGracePeriodSeconds");
	if (n) {
		const char *s = dbp_yaml_str(n);

		dbp_yaml_pos(n, &pod.grace_at);
		if (dbp_parse_integer(s, 0, LLONG_MAX, &pod.grace) < 0)
			return bad(out, n, "terminationGracePeriodSeconds", "a whole number of seconds");
	}
	n = dbp_yaml_get(d, pod.spec, "shareProcessNamespace");
	if (n && dbp_yaml_bool(n) == 1) {
		pod.share = 1;
		dbp_yaml_pos(n, &pod.share_at);
	}
	cs = dbp_yaml_get(d, pod.spec, "containers");
	if (cs && cs->type != YAML_SEQUENCE_NODE)
		return bad(out, cs, "containers", "a list of containers");
	pod.qos = pod_qos(d, cs);
	for (size_t i = 0; i < dbp_yaml_len(cs); i++)
		if ((rc = container(out, d, &pod, dbp_yaml_item(d, cs, i))) < 0)
			return rc;
	return 0;
}

int dbp_k8s_read(struct dbp_yaml *y, struct dbp_lintfile *out)
{
	for (size_t i = 0; i < y->n; i++) {
		int rc = object(out, &y->docs[i], dbp_yaml_root(y, i), 0);

		if (rc < 0)
			return rc;
	}
	return 0;
}
