/*
 * How the container runtimes' daemons were configured, from their command
 * lines and configuration files: parsers, text in, values out, nothing
 * opened (runtimeread.h finds the daemons and reads the files).
 *
 *   dockerd     --data-root DIR (also --data-root=DIR; the old -g DIR and
 *               --graph DIR, which docker 20.10 still takes) and
 *               --config-file FILE (default /etc/docker/daemon.json), whose
 *               "data-root" (old: "graph") says the same; spf13/pflag
 *               syntax: long options with "--" only (moby cmd/dockerd
 *               config.go installConfigFlags, daemon/config/config.go)
 *   containerd  --root DIR, --state DIR, --config/-c FILE (default
 *               /etc/containerd/config.toml), whose top-level root = ...
 *               and state = ... say the same; urfave/cli on Go's flag
 *               package, so "-root" works as "--root" does (containerd
 *               cmd/containerd/command/main.go, services/server/config)
 *   containers/storage (podman, CRI-O)
 *               /etc/containers/storage.conf [storage] graphroot, runroot,
 *               driver (containers/storage docs/containers-storage.conf.5)
 *
 * A command line overrides the configuration file, which overrides the
 * default: the daemons apply them in that order.
 */
#ifndef DBPOD_RUNTIMECONF_H
#define DBPOD_RUNTIMECONF_H

#include <stddef.h>

struct json_object;

/* What a daemon's command line says; "" where it says nothing. */
struct dbp_daemon_args {
	char data_root[256];	/* dockerd --data-root / -g / --graph */
	char config[256];	/* dockerd --config-file, containerd --config / -c */
	char root[256];		/* containerd --root */
	char state[256];	/* containerd --state */
};

/* dockerd's argv (NULL-terminated) into a. Returns 0; -ENAMETOOLONG when
 * a value does not fit (it is then left ""). */
int dbp_dockerd_args_parse(char *const *argv, struct dbp_daemon_args *a);

/* containerd's argv into a, the same way. */
int dbp_containerd_args_parse(char *const *argv, struct dbp_daemon_args *a);

/* One strict JSON value (jsonstrict.h) of text, and nothing after it but
 * whitespace, as json-c's tree; NULL when text is anything else. */
struct json_object *dbp_json_parse_strict(const char *text, size_t len);

/* The string member key of JSON object o, or NULL (o NULL, not an
 * object, no such member, not a string). */
const char *dbp_json_str(struct json_object *o, const char *key);

/* daemon.json's "data-root" (else its old name "graph") into out.
 * Returns 0; -ENOENT when it names none; -EINVAL when text is not a JSON
 * object or the value not a non-empty absolute path; -ENAMETOOLONG. */
int dbp_docker_config_data_root(const char *text, size_t len, char *out, size_t size);

/* The string value of key in TOML table table ("" for the keys before the
 * first table header) into out: a basic "..." or literal '...' string on
 * one line. What it skips it still reads right: comments, multi-line
 * strings and arrays, other tables (the text of a table header is
 * compared as written, spaces trimmed). Returns 0; -ENOENT when the key
 * is not there; -EINVAL when its value is not such a string or has a
 * control character; -ENAMETOOLONG. */
int dbp_toml_string(const char *text, size_t len, const char *table, const char *key,
		    char *out, size_t size);

/* The longest path of a runtime's directory taken. */
#define DBP_RUNTIME_PATH_MAX 256
/* Daemons of one kind on one node: a node runs one, a test or a migration
 * a second. */
#define DBP_RUNTIME_DIRS_MAX 4

/* One daemon's state, and how dbpod knows where it is. */
struct dbp_runtime_dir {
	char path[DBP_RUNTIME_PATH_MAX];	/* docker: the data root; containerd: --state */
	char root[DBP_RUNTIME_PATH_MAX];	/* containerd: --root (meta.db); docker: "" */
	/* "dockerd --data-root (PID 812)", "/etc/docker/daemon.json
	 * data-root", "containerd --config /etc/containerd/config.toml
	 * (PID 77)", "default" */
	char from[256];
};

/* Where the runtimes keep their state, below the root prefix. */
struct dbp_runtime_dirs {
	/* containers/storage: podman, CRI-O */
	char graphroot[DBP_RUNTIME_PATH_MAX];	/* /var/lib/containers/storage */
	char runroot[DBP_RUNTIME_PATH_MAX];	/* /run/containers/storage */
	char driver[64];			/* overlay */
	char storage_from[160];
	struct dbp_runtime_dir docker[DBP_RUNTIME_DIRS_MAX];
	size_t ndocker;
	struct dbp_runtime_dir containerd[DBP_RUNTIME_DIRS_MAX];
	size_t ncontainerd;
	/* a daemon's configuration that exists but could not be read or
	 * parsed (its defaults were taken): the negative errno and the file */
	int err;
	char err_file[512];
};

/* The runtimes' defaults: containers/storage's as root, docker's
 * /var/lib/docker, containerd's /run/containerd and /var/lib/containerd. */
void dbp_runtime_dirs_default(struct dbp_runtime_dirs *d);

/* Add a docker data root or a containerd state and root directory to d,
 * unless d has it already or is full. Returns 1 added, 0 not. */
int dbp_runtime_dirs_add_docker(struct dbp_runtime_dirs *d, const char *data_root,
				const char *from);
int dbp_runtime_dirs_add_containerd(struct dbp_runtime_dirs *d, const char *state,
				    const char *root, const char *from);

#endif
