/*
 * A container's output from its runtime's log file (runtimelogread.h):
 * the file found from the runtime's state, read through the node's root,
 * and parsed by runtimelog.c.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "boltread.h"
#include "runtimelogread.h"
#include "runtimeread.h"
#include "safeopen.h"
#include "slurp.h"

/* the start of every message: what the server writes its log to */
#define PIPE "it logs to a pipe its container's runtime reads"

void dbp_runtime_output_release(struct dbp_runtime_output *out)
{
	free((char *)out->text);
	out->text = NULL;
}

#define GZ_BUDGET ((size_t)256 << 20)

static int is_gz(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && !strcmp(path + n - 3, ".gz");
}

/* One log file's text: opened below root, root's or dbpod's own, its
 * last 2 * max bytes read and the last max bytes of its text kept. 0 with
 * *text (malloc'd) and *cut; or a negative errno, why it was not read
 * then in why (a clause). */
static int read_log(const char *root, const char *path, enum dbp_runtime_log_format format,
		    const char *what, size_t max, char **text, int *cut, char *why, size_t size)
{
	struct dbp_runtime_log_text t;
	char *buf, *tail;
	struct stat st;
	int fd, rc;

	fd = dbp_open_regular(root, path, NULL);
	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_uid != 0 && st.st_uid != geteuid()) {
		close(fd);
		snprintf(why, size, "its log %.200s belongs to uid %u, not to root: not the "
			 "runtime's, and not read", path, (unsigned)st.st_uid);
		return -EPERM;
	}
	if (fd < 0) {
		snprintf(why, size, "its log %.200s (%s) could not be read: %s", path, what,
			 fd == -DBP_ENOTREG ? "not a regular file" : strerror(-fd));
		return fd;
	}
	/* the text is shorter than its lines: twice the text read. A file
	 * the runtime compressed when it rotated it (docker's compress=true)
	 * is decompressed as a stream, up to a budget: docker's max-size is
	 * megabytes, and a bomb stops there */
	rc = is_gz(path) ? dbp_slurp_tail_gz_fd(fd, 2 * max, GZ_BUDGET, &buf, &tail) :
			   dbp_slurp_tail_fd(fd, 2 * max, &buf, &tail);
	if (rc < 0) {
		snprintf(why, size, "its log %.200s could not be read: %s", path,
			 rc == -EFBIG ? "it decompresses to more than 256 MiB" : strerror(-rc));
		return rc;
	}
	rc = dbp_runtime_log_parse(format, tail, strlen(tail), max, &t);
	*cut = t.cut || tail != buf;
	free(buf);
	if (rc < 0)
		return rc;
	*text = (char *)t.text;
	return 0;
}

int dbp_runtime_output_file(const char *root, const char *path, const char *rotated,
			    enum dbp_runtime_log_format format, const char *what, size_t max,
			    struct dbp_runtime_output *out)
{
	char why[sizeof(out->missing) - sizeof(PIPE ", and ") + 1], *text, *old = NULL;
	size_t len;
	int rc, cut, oldcut = 0;

	snprintf(out->path, sizeof(out->path), "%s", path);
	snprintf(out->where, sizeof(out->where), "the runtime's log, %s", what);
	rc = read_log(root, path, format, what, max, &text, &cut, why, sizeof(why));
	if (rc < 0) {
		if (rc != -ENOMEM)
			snprintf(out->missing, sizeof(out->missing), PIPE ", and %s", why);
		return rc;
	}
	/* a file the runtime rotated away holds the lines before the
	 * current one's: read too where the current one was read whole and
	 * leaves room, so that a checkpoint or a save logged before the
	 * rotation still counts (one that cannot be read is simply not
	 * there) */
	len = strlen(text);
	if (rotated && !cut && len < max &&
	    read_log(root, rotated, format, what, max - len, &old, &oldcut, why, sizeof(why)) == 0 &&
	    *old) {
		size_t n = strlen(old);
		char *both = malloc(n + len + 1);

		if (!both) {
			free(old);
			free(text);
			return -ENOMEM;
		}
		memcpy(both, old, n);
		memcpy(both + n, text, len + 1);
		free(text);
		text = both;
		cut = oldcut;
		snprintf(out->rotated, sizeof(out->rotated), "%s", rotated);
		snprintf(out->where, sizeof(out->where), "the runtime's log, %s, and the file "
			 "rotated before it", what);
	}
	free(old);
	out->text = text;
	out->cut = cut;
	return 0;
}

/* docker: config.v2.json's LogPath where hostconfig.json's driver is
 * json-file. 1 the data root has the container, 0 not; -ENOMEM */
static int docker_log(const char *root, const char *data_root, const char *id, size_t max,
		      struct dbp_runtime_output *out)
{
	struct json_object *cfg, *host, *lc;
	const char *lp, *type = NULL;
	char path[512], rotated[520];
	struct stat st;
	int err, rc;

	snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", data_root, id);
	cfg = dbp_runtime_json_read(root, path, DBP_META_MAX_CONFIG, &err);
	if (!cfg)
		return 0;
	snprintf(path, sizeof(path), "%s/containers/%s/hostconfig.json", data_root, id);
	host = dbp_runtime_json_read(root, path, DBP_META_MAX_CONFIG, &err);
	if (host && json_object_object_get_ex(host, "LogConfig", &lc))
		type = dbp_json_str(lc, "Type");
	if (type && !strcmp(type, "none")) {
		snprintf(out->missing, sizeof(out->missing), PIPE ", and docker keeps no log "
			 "of it (the none driver)");
		rc = 1;
		goto out;
	}
	if (type && *type && strcmp(type, "json-file")) {
		snprintf(out->missing, sizeof(out->missing), PIPE ", and docker keeps that log "
			 "with its %.40s driver, which dbpod does not read (only json-file's "
			 "files; `docker logs` shows it)", type);
		rc = 1;
		goto out;
	}
	lp = dbp_json_str(cfg, "LogPath");
	if (lp && lp[0] == '/' && strlen(lp) < sizeof(out->path))
		snprintf(path, sizeof(path), "%s", lp);
	else
		snprintf(path, sizeof(path), "%s/containers/%s/%s-json.log", data_root, id, id);
	/* max-file's rotation renames the file to <file>.1, and compresses
	 * it to <file>.1.gz with compress=true */
	snprintf(rotated, sizeof(rotated), "%s.1", path);
	if (dbp_stat_in_root(root, rotated, 0, &st) == -ENOENT)
		snprintf(rotated, sizeof(rotated), "%s.1.gz", path);
	rc = dbp_runtime_output_file(root, path, rotated, DBP_RUNTIME_LOG_JSON_FILE,
				     "docker json-file", max, out);
	rc = rc == -ENOMEM ? rc : 1;
out:
	json_object_put(cfg);
	json_object_put(host);
	return rc;
}

/* podman: its record's logDriver and logPath in bolt_state.db */
static int podman_log(const char *root, const struct dbp_runtime_dirs *d, const char *id,
		      size_t max, struct dbp_runtime_output *out)
{
	struct dbp_bolt_query q = { .path = { "ctr", id, "config" }, .n = 3 };
	struct json_object *o = NULL;
	const char *driver = NULL, *lp = NULL;
	char db[DBP_RUNTIME_PATH_MAX + 32], path[512];
	int rc;

	snprintf(db, sizeof(db), "%s/libpod/bolt_state.db", d->graphroot);
	if (dbp_bolt_file_query(root, db, &q, 1) == 0 && q.rc == 0 && !q.bucket &&
	    (o = dbp_json_parse_strict(q.val, q.len))) {
		driver = dbp_json_str(o, "logDriver");
		lp = dbp_json_str(o, "logPath");
	}
	if (driver && *driver && strcmp(driver, "k8s-file")) {
		snprintf(out->missing, sizeof(out->missing), PIPE ", and podman keeps that log "
			 "with its %.40s driver, which dbpod does not read (only k8s-file's files; "
			 "`podman logs` shows it)", driver);
		rc = 0;
	} else {
		if (lp && lp[0] == '/' && strlen(lp) < sizeof(out->path))
			snprintf(path, sizeof(path), "%s", lp);
		else
			snprintf(path, sizeof(path), "%s/%s-containers/%s/userdata/ctr.log",
				 d->graphroot, d->driver, id);
		/* podman's log_size_max truncates the file: nothing rotated */
		rc = dbp_runtime_output_file(root, path, NULL, DBP_RUNTIME_LOG_CRI,
					     "podman k8s-file", max, out);
	}
	json_object_put(o);
	dbp_bolt_query_free(&q, 1);
	return rc == -ENOMEM ? rc : 0;
}

#define PODS "/var/log/pods"

/* a name that may be one component of a path: no '/', not "." or ".."
 * (an annotation anyone who runs `ctr run` sets) */
static int component_ok(const char *s)
{
	return s[0] && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

/* The kubelet's directory of the pod: <namespace>_<name>_<uid>, or the one
 * entry of /var/log/pods ending in _<uid> */
static int pod_dir(const char *root, const struct dbp_container *c,
		   const struct dbp_container_meta *m, char *out, size_t size)
{
	char want[DBP_POD_UID_MAX + 2];
	struct dirent *e;
	DIR *dp;
	int fd, found = 0;

	if (component_ok(m->pod_namespace) && component_ok(m->pod_name) && c->pod_uid[0]) {
		int n = snprintf(out, size, PODS "/%s_%s_%s", m->pod_namespace, m->pod_name,
				 c->pod_uid);

		return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
	}
	if (!c->pod_uid[0])
		return -ENOENT;
	fd = dbp_open_in_root(root, PODS, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || !(dp = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return -ENOENT;
	}
	snprintf(want, sizeof(want), "_%s", c->pod_uid);
	while ((e = readdir(dp))) {
		size_t n = strlen(e->d_name), w = strlen(want);

		if (n > w && !strcmp(e->d_name + n - w, want) && !found++)
			snprintf(out, size, PODS "/%s", e->d_name);
	}
	closedir(dp);
	return found == 1 ? 0 : -ENOENT;
}

/* The newest restart's file, <N>.log with the largest N, of dir, into
 * out; and the newest file the kubelet rotated away from it, <N>.log.
 * <YYYYMMDD-HHMMSS> (the older ones it gzips, .gz; not read), into
 * rotated, "" when there is none */
static int newest_restart(const char *root, const char *dir, char *out, size_t size,
			  char *rotated, size_t rsize)
{
	char stamp[16] = "";
	struct dirent *e;
	long best = -1, rbest = -1;
	DIR *dp;
	int fd = dbp_open_in_root(root, dir, O_RDONLY | O_DIRECTORY), n;

	if (fd < 0)
		return fd;
	if (!(dp = fdopendir(fd))) {
		close(fd);
		return -errno;
	}
	while ((e = readdir(dp))) {
		char *end;
		long k = strtol(e->d_name, &end, 10);

		if (end == e->d_name || e->d_name[0] == '-' || strncmp(end, ".log", 4))
			continue;
		if (!end[4] && k > best)
			best = k;
		/* the time stamp sorts as text */
		if (end[4] == '.' && strlen(end + 5) == 15 && strspn(end + 5, "0123456789") == 8 &&
		    end[13] == '-' && strspn(end + 14, "0123456789") == 6 &&
		    (k > rbest || (k == rbest && strcmp(end + 5, stamp) > 0))) {
			rbest = k;
			snprintf(stamp, sizeof(stamp), "%s", end + 5);
		}
	}
	closedir(dp);
	if (best < 0)
		return -ENOENT;
	n = snprintf(out, size, "%s/%ld.log", dir, best);
	rotated[0] = '\0';
	if (rbest == best && snprintf(rotated, rsize, "%s.%s", out, stamp) >= (int)rsize)
		rotated[0] = '\0';
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int kubelet_log(const char *root, const struct dbp_container *c,
		       const struct dbp_container_meta *m, size_t max,
		       struct dbp_runtime_output *out)
{
	char dir[400], ctrdir[512], path[600], rotated[620];
	int rc;

	if (pod_dir(root, c, m, dir, sizeof(dir)) < 0 || !component_ok(m->name)) {
		snprintf(out->missing, sizeof(out->missing), PIPE ", and the kubelet's log of it "
			 "was not found: %s", c->pod_uid[0] ? "no directory of its pod (UID "
			 "from its cgroup) in " PODS " names it, or its container's name is not "
			 "known" : "its pod's UID is not known");
		return 0;
	}
	snprintf(ctrdir, sizeof(ctrdir), "%.390s/%.100s", dir, m->name);
	rc = newest_restart(root, ctrdir, path, sizeof(path), rotated, sizeof(rotated));
	if (rc < 0) {
		snprintf(out->missing, sizeof(out->missing), PIPE ", and the kubelet's log of it "
			 "was not found: %.300s/%.100s/<restart>.log: %s", dir, m->name,
			 strerror(-rc));
		return 0;
	}
	rc = dbp_runtime_output_file(root, path, rotated[0] ? rotated : NULL, DBP_RUNTIME_LOG_CRI,
				     "the kubelet's CRI log", max, out);
	return rc == -ENOMEM ? rc : 0;
}

int dbp_runtime_output_read(const char *root, const struct dbp_runtime_dirs *dirs,
			    const struct dbp_container *c, const struct dbp_container_meta *m,
			    const char *runtime, size_t max, struct dbp_runtime_output *out)
{
	const char *id = c->id;
	size_t n = strlen(id);
	int pod = c->pod_uid[0] || m->pod_name[0];

	memset(out, 0, sizeof(*out));
	/* the ID goes into paths: nothing but hex gets there */
	if (n != DBP_CONTAINER_ID_LEN || strspn(id, "0123456789abcdef") != n) {
		snprintf(out->missing, sizeof(out->missing), PIPE ", and no container runtime "
			 "dbpod knows started it");
		return 0;
	}
	if (!runtime)
		runtime = "";
	if (pod && (!strcmp(runtime, "containerd") || !strcmp(runtime, "cri-o") ||
		    !strcmp(m->source, "containerd") || !*runtime))
		return kubelet_log(root, c, m, max, out);
	if (!strcmp(runtime, "docker") || !strcmp(m->source, "docker")) {
		for (size_t i = 0; i < dirs->ndocker; i++) {
			int rc = docker_log(root, dirs->docker[i].path, id, max, out);

			if (rc)
				return rc < 0 ? rc : 0;
		}
		snprintf(out->missing, sizeof(out->missing), PIPE ", and none of docker's data "
			 "roots dbpod knows has the container's config.v2.json, which names its log");
		return 0;
	}
	if (!strcmp(runtime, "podman"))
		return podman_log(root, dirs, id, max, out);
	if (!strcmp(runtime, "containerd"))
		snprintf(out->missing, sizeof(out->missing), PIPE ", containerd, which keeps "
			 "no log file of a container it runs outside a pod (`ctr run`): its output "
			 "goes where the client that started it sends it");
	else if (!strcmp(runtime, "cri-o"))
		snprintf(out->missing, sizeof(out->missing), PIPE ", CRI-O, which keeps it where "
			 "the kubelet asks, and the container is in no pod dbpod can see");
	else
		snprintf(out->missing, sizeof(out->missing), PIPE ", and which runtime that is, "
			 "and so where it keeps the log, is not known");
	return 0;
}
