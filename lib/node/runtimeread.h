/*
 * Where the container runtimes keep their state on this node, read as
 * their daemons were configured: the dockerd and containerd processes of
 * the node's process table (their command lines, and the configuration
 * files those name or the defaults), and containers/storage's
 * storage.conf (runtimeconf.h parses them). containermeta.h then reads
 * the containers' state there.
 *
 * Files are read below the root prefix (a DaemonSet mounts the host at
 * /host: --root /host); a daemon's relative path is resolved against its
 * working directory (/proc/PID/cwd, as the daemon itself resolves it).
 * Only the daemons in the table given are seen: node mode passes its own
 * PID namespace's processes, the host's when it runs with hostPID.
 */
#ifndef DBPOD_RUNTIMEREAD_H
#define DBPOD_RUNTIMEREAD_H

#include <stddef.h>

#include "proctable.h"
#include "runtimeconf.h"

struct json_object;

/* The largest daemon configuration file read (daemon.json, config.toml,
 * storage.conf are a few KB). */
#define DBP_RUNTIME_CONF_MAX (1u << 20)

/* The largest containers.json or images.json read: a node with ten
 * thousand containers writes about 6 MB of the first, and images.json
 * grows about 1.6 KB an image (measured here: 171 KB for 107 images). */
#define DBP_META_MAX_STORE (32u << 20)
/* config.v2.json is a few KB; environment and mounts make it grow. */
#define DBP_META_MAX_CONFIG (4u << 20)

/* The regular file root + path, whole, up to max bytes, into *buf
 * (malloc'd, NUL-terminated; *len bytes). Returns 0; -ENOENT; -EFBIG past
 * max; -EINVAL when it is not a regular file (dbp_open_regular); the
 * errno of open or read. */
int dbp_runtime_file_read(const char *root, const char *path, size_t max, char **buf,
			  size_t *len);

/* The same file as one strict JSON value (runtimeconf.h's
 * dbp_json_parse_strict). NULL with *err: dbp_runtime_file_read's errors,
 * -EINVAL for what is not JSON. */
struct json_object *dbp_runtime_json_read(const char *root, const char *path, size_t max,
					  int *err);

/* d from the daemons in procs and their configuration files, each daemon
 * once: a dockerd's data root (--data-root, -g, --graph; else its
 * --config-file's or /etc/docker/daemon.json's "data-root"; else
 * /var/lib/docker), a containerd's state and root (--state, --root; else
 * its --config's or /etc/containerd/config.toml's; else /run/containerd
 * and /var/lib/containerd). Without a daemon in procs the configuration
 * files and defaults stand in (the daemon may run where dbpod does not
 * see it). containers/storage's from /etc/containers/storage.conf, else
 * /usr/share/containers/storage.conf, else the defaults. A configuration
 * file that exists but cannot be read or parsed is recorded in d->err.
 * procs may be NULL. Returns 0. */
int dbp_runtime_dirs_read(const char *root, const struct dbp_table *procs,
			  struct dbp_runtime_dirs *d);

#endif
