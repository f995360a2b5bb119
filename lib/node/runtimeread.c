/*
 * Where the runtimes keep their state, from their daemons' command lines
 * and configuration files (see runtimeread.h).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "procstatus.h"
#include "runtimeconf.h"
#include "runtimeread.h"
#include "safeopen.h"
#include "slurp.h"

#define DOCKER_CONFIG "/etc/docker/daemon.json"
#define CONTAINERD_CONFIG "/etc/containerd/config.toml"

int dbp_runtime_file_read(const char *root, const char *path, size_t max, char **buf,
			  size_t *len)
{
	int fd = dbp_open_regular(root, path, NULL);
	int rc;

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return fd == -DBP_ENOTREG ? -EINVAL : fd;
	/* dbp_slurp_fd_max closes fd; a gzip stream cut short is no
	 * configuration */
	rc = dbp_slurp_fd_max(fd, max, buf, len);
	if (rc > 0) {
		free(*buf);
		*buf = NULL;
		*len = 0;
		rc = -EINVAL;
	}
	return rc;
}

struct json_object *dbp_runtime_json_read(const char *root, const char *path, size_t max,
					  int *err)
{
	struct json_object *o;
	char *buf;
	size_t len;

	*err = dbp_runtime_file_read(root, path, max, &buf, &len);
	if (*err < 0)
		return NULL;
	o = dbp_json_parse_strict(buf, len);
	free(buf);
	if (!o)
		*err = -EINVAL;
	return o;
}

static void note_error(struct dbp_runtime_dirs *d, int err, const char *path)
{
	if (!err || d->err)
		return;
	d->err = err;
	snprintf(d->err_file, sizeof(d->err_file), "%s", path);
}

/* A daemon's path as the daemon resolves it: a relative one against its
 * working directory. 0, or -ENOENT when the working directory cannot be
 * read (the daemon exited, or no ptrace access; pid 0: no daemon). */
static int resolve(pid_t pid, const char *path, char *out, size_t size)
{
	char link[64], cwd[PATH_MAX];
	ssize_t n;

	if (path[0] == '/') {
		snprintf(out, size, "%s", path);
		return strlen(path) < size ? 0 : -ENAMETOOLONG;
	}
	if (pid <= 0)
		return -ENOENT;
	snprintf(link, sizeof(link), "/proc/%d/cwd", (int)pid);
	n = readlink(link, cwd, sizeof(cwd) - 1);
	if (n <= 0 || cwd[0] != '/')
		return -ENOENT;
	cwd[n] = '\0';
	if ((size_t)snprintf(out, size, "%s/%s", strcmp(cwd, "/") ? cwd : "", path) >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* The argv of a table entry is the daemon's if its name is name: comm,
 * or argv[0]'s base name (comm is cut at 15 bytes, and a process may
 * rename its comm). And it runs as root, or as dbpod's own user: a
 * daemon's flags name the state whose paths dbpod opens (a container's
 * log file among them), and anyone can start a process named dockerd
 * with a --data-root of their own. */
static int is_daemon(const struct dbp_proc *p, const char *name)
{
	const char *base;

	struct dbp_proc st;
	uid_t uid = p->uid;

	if (p->kthread || p->state == 'Z' || !p->argv || !p->argv[0])
		return 0;
	base = strrchr(p->argv[0], '/');
	base = base ? base + 1 : p->argv[0];
	if (strcmp(p->comm, name) || strcmp(base, name))
		return 0;
	/* node mode's table has no status: the daemon's read now */
	if (!(p->have & DBP_HAVE_STATUS)) {
		memset(&st, 0, sizeof(st));
		if (dbp_status_read(NULL, p->pid, &st) < 0)
			return 0;
		uid = st.uid;
	}
	return uid == 0 || uid == geteuid();
}

/* dockerd's --config-file (given) or the default file, for its
 * data-root; else the default data root. pid 0: no dockerd seen. */
static void docker_from_config(const char *root, struct dbp_runtime_dirs *d, pid_t pid,
			       const char *config, int given)
{
	char file[DBP_RUNTIME_PATH_MAX], data_root[DBP_RUNTIME_PATH_MAX], from[256];
	char *buf = NULL;
	size_t len;
	int rc = 0;

	if (resolve(pid, config, file, sizeof(file)) < 0) {
		note_error(d, -ENOENT, config);
		rc = -ENOENT;
	}
	if (rc == 0)
		rc = dbp_runtime_file_read(root, file, DBP_RUNTIME_CONF_MAX, &buf, &len);
	if (rc == 0) {
		rc = dbp_docker_config_data_root(buf, len, data_root, sizeof(data_root));
		if (rc == 0) {
			if (pid)
				snprintf(from, sizeof(from), "%.100s data-root (dockerd PID %d)",
					 file, (int)pid);
			else
				snprintf(from, sizeof(from), "%.100s data-root (no dockerd seen)", file);
			dbp_runtime_dirs_add_docker(d, data_root, from);
			free(buf);
			return;
		}
		if (rc != -ENOENT)
			note_error(d, rc, file);
		free(buf);
	} else if (rc != -ENOENT) {
		note_error(d, rc, file);
	} else if (given) {
		/* dockerd refuses to start without a --config-file it was given */
		note_error(d, rc, file);
	}
	if (pid)
		snprintf(from, sizeof(from), "default (dockerd PID %d)", (int)pid);
	else
		snprintf(from, sizeof(from), "default (no dockerd seen)");
	dbp_runtime_dirs_add_docker(d, "/var/lib/docker", from);
}

static void dockerd(const char *root, struct dbp_runtime_dirs *d, const struct dbp_proc *p)
{
	struct dbp_daemon_args a;
	char path[DBP_RUNTIME_PATH_MAX], from[256];

	if (dbp_dockerd_args_parse(p->argv, &a) < 0)
		note_error(d, -ENAMETOOLONG, "dockerd's command line");
	if (a.data_root[0]) {
		if (resolve(p->pid, a.data_root, path, sizeof(path)) == 0) {
			snprintf(from, sizeof(from), "dockerd --data-root (PID %d)", (int)p->pid);
			dbp_runtime_dirs_add_docker(d, path, from);
			return;
		}
		note_error(d, -ENOENT, a.data_root);
	}
	docker_from_config(root, d, p->pid, a.config[0] ? a.config : DOCKER_CONFIG, !!a.config[0]);
}

/* One of containerd's directories into out: its option arg (resolved as
 * the daemon does), else the configuration file's value conf, else the
 * default def. Returns where it came from: option, file or "default". */
static const char *containerd_dir(pid_t pid, const char *arg, const char *conf, const char *def,
				  const char *option, const char *file, char *out, size_t size)
{
	if (arg[0] && resolve(pid, arg, out, size) == 0)
		return option;
	if (conf[0] == '/' && strlen(conf) < size) {
		memcpy(out, conf, strlen(conf) + 1);
		return file;
	}
	snprintf(out, size, "%s", def);
	return "default";
}

/* One containerd: its command line, else its configuration file, else
 * the defaults, for state and root each. */
static void containerd(const char *root, struct dbp_runtime_dirs *d, pid_t pid,
		       const struct dbp_daemon_args *a)
{
	char file[DBP_RUNTIME_PATH_MAX], state[DBP_RUNTIME_PATH_MAX], croot[DBP_RUNTIME_PATH_MAX];
	char cstate[DBP_RUNTIME_PATH_MAX], cr[DBP_RUNTIME_PATH_MAX], from[256];
	const char *state_from, *root_from;
	const char *config = a->config[0] ? a->config : CONTAINERD_CONFIG;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	cstate[0] = cr[0] = '\0';
	rc = resolve(pid, config, file, sizeof(file));
	if (rc == 0)
		rc = dbp_runtime_file_read(root, file, DBP_RUNTIME_CONF_MAX, &buf, &len);
	if (rc == 0) {
		int r1 = dbp_toml_string(buf, len, "", "state", cstate, sizeof(cstate));
		int r2 = dbp_toml_string(buf, len, "", "root", cr, sizeof(cr));

		if (r1 < 0 && r1 != -ENOENT)
			note_error(d, r1, file);
		if (r2 < 0 && r2 != -ENOENT)
			note_error(d, r2, file);
		free(buf);
	} else if (rc != -ENOENT || a->config[0]) {
		/* containerd itself starts without the default file, not
		 * without one it was given */
		note_error(d, rc, a->config[0] ? a->config : file);
	}
	state_from = containerd_dir(pid, a->state, cstate, "/run/containerd", "--state", file,
				    state, sizeof(state));
	root_from = containerd_dir(pid, a->root, cr, "/var/lib/containerd", "--root", file,
				   croot, sizeof(croot));
	if (pid)
		snprintf(from, sizeof(from), "containerd PID %d: state from %.60s, root from %.60s",
			 (int)pid, state_from, root_from);
	else
		snprintf(from, sizeof(from), "no containerd seen: state from %.60s, root from %.60s",
			 state_from, root_from);
	dbp_runtime_dirs_add_containerd(d, state, croot, from);
}

/* containers/storage: the [storage] table of the first storage.conf */
static void storage(const char *root, struct dbp_runtime_dirs *d)
{
	static const char *const confs[] = {
		"/etc/containers/storage.conf", "/usr/share/containers/storage.conf",
	};

	for (size_t i = 0; i < sizeof(confs) / sizeof(confs[0]); i++) {
		char *buf, v[DBP_RUNTIME_PATH_MAX];
		size_t len;
		int rc = dbp_runtime_file_read(root, confs[i], DBP_RUNTIME_CONF_MAX, &buf, &len);

		if (rc == -ENOENT)
			continue;
		if (rc < 0) {
			note_error(d, rc, confs[i]);
			return;
		}
		if (dbp_toml_string(buf, len, "storage", "graphroot", v, sizeof(v)) == 0 && v[0] == '/')
			snprintf(d->graphroot, sizeof(d->graphroot), "%s", v);
		if (dbp_toml_string(buf, len, "storage", "runroot", v, sizeof(v)) == 0 && v[0] == '/')
			snprintf(d->runroot, sizeof(d->runroot), "%s", v);
		if (dbp_toml_string(buf, len, "storage", "driver", v, sizeof(v)) == 0 && v[0] &&
		    !strchr(v, '/') && strlen(v) < sizeof(d->driver))
			snprintf(d->driver, sizeof(d->driver), "%s", v);
		snprintf(d->storage_from, sizeof(d->storage_from), "%s", confs[i]);
		free(buf);
		return;
	}
}

int dbp_runtime_dirs_read(const char *root, const struct dbp_table *procs,
			  struct dbp_runtime_dirs *d)
{
	int saw_dockerd = 0, saw_containerd = 0;

	dbp_runtime_dirs_default(d);
	/* the defaults stand in only where no daemon is seen */
	d->ndocker = d->ncontainerd = 0;
	storage(root, d);
	for (size_t i = 0; procs && i < procs->n; i++) {
		const struct dbp_proc *p = &procs->procs[i];

		if (is_daemon(p, "dockerd")) {
			saw_dockerd = 1;
			dockerd(root, d, p);
		} else if (is_daemon(p, "containerd")) {
			struct dbp_daemon_args a;

			saw_containerd = 1;
			if (dbp_containerd_args_parse(p->argv, &a) < 0)
				note_error(d, -ENAMETOOLONG, "containerd's command line");
			containerd(root, d, p->pid, &a);
		}
	}
	if (!saw_dockerd)
		docker_from_config(root, d, 0, DOCKER_CONFIG, 0);
	if (!saw_containerd) {
		struct dbp_daemon_args none;

		memset(&none, 0, sizeof(none));
		containerd(root, d, 0, &none);
	}
	return 0;
}
