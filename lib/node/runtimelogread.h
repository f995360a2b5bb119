/*
 * Where a container's runtime keeps its output on the node, and that
 * output read back (runtimelog.h parses it) for the log of a server that
 * writes to a pipe the runtime reads:
 *
 *   docker     config.v2.json's "LogPath" in <data-root>/containers/<ID>/
 *              (default <ID>-json.log beside it), when hostconfig.json's
 *              LogConfig.Type is json-file (docker's default); another
 *              driver (local, journald, ...) keeps no file dbpod reads
 *   podman     its record in <graphroot>/libpod/bolt_state.db (ctr/<ID>,
 *              "config": "logPath", "logDriver"), default <graphroot>/
 *              <driver>-containers/<ID>/userdata/ctr.log, with the
 *              k8s-file driver (Debian 12's podman 4.3 default); journald
 *              keeps no file
 *   Kubernetes /var/log/pods/<namespace>_<pod>_<pod UID>/<container>/
 *              <restart>.log, the newest restart's, as the kubelet has
 *              containerd or CRI-O write it; the pod's directory found
 *              from its UID (the cgroup's) when its name is not known
 *   containerd outside a pod (`ctr run`): no file; the output goes
 *              where the client that started it sends it
 *
 * Every file is opened below the root prefix with dbp_open_regular (never
 * through a final symbolic link, never a FIFO or a device) and read only
 * when it belongs to root or to dbpod's own user: the runtimes' files are
 * root's, and a file someone else owns is not the runtime's record. The
 * last 2 * max bytes of the file are read, and the last max bytes of the
 * text in them kept.
 */
#ifndef DBPOD_RUNTIMELOGREAD_H
#define DBPOD_RUNTIMELOGREAD_H

#include <stddef.h>

#include "container.h"		/* struct dbp_container, dbp_container_meta */
#include "runtimeconf.h"	/* struct dbp_runtime_dirs */
#include "runtimelog.h"
#include "stopinput.h"		/* struct dbp_runtime_output */

/* The output of container c (its cgroup's reading, m its runtime's
 * state, runtime "docker", "podman", "containerd", "cri-o" or "") into
 * out: out->text (malloc'd; free with dbp_runtime_output_release) and
 * out->path, out->where, or out->missing saying why there is none.
 * Returns 0 (out says what was read), or -ENOMEM. */
int dbp_runtime_output_read(const char *root, const struct dbp_runtime_dirs *dirs,
			    const struct dbp_container *c, const struct dbp_container_meta *m,
			    const char *runtime, size_t max, struct dbp_runtime_output *out);

/* The file at root + path of the format, read as above (path as the node
 * names it, into out->path; what names the kind of log for out->where,
 * "docker json-file"). Where its text is shorter than max, the tail of
 * rotated (not NULL: the file the runtime rotated away before it) comes
 * first, up to max in all, and out->rotated names it. 0 with out->text,
 * a negative errno (out->missing then says it), or -ENOMEM. */
int dbp_runtime_output_file(const char *root, const char *path, const char *rotated,
			    enum dbp_runtime_log_format format, const char *what, size_t max,
			    struct dbp_runtime_output *out);

/* out->text freed; the rest kept for the message */
void dbp_runtime_output_release(struct dbp_runtime_output *out);

#endif
