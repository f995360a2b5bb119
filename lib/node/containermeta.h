/*
 * A container's name and image, from the runtime's own state on the node,
 * for the labels of node mode, and the stop signal and grace period its
 * runtime stops it with, for the verdict. The cgroup gives the ID
 * (container.h); this turns an ID into what a person calls the container
 * and how it will be stopped, where the runtime keeps that in a file
 * dbpod may read:
 *
 *   containers/storage (podman, and CRI-O, which uses the same library):
 *     <graphroot>/<driver>-containers/containers.json and
 *     volatile-containers.json (`--rm` containers in newer versions), and
 *     <runroot>/<driver>-containers/volatile-containers.json (a
 *     transient store): one array of {"id", "names", "image",
 *     "metadata"}, metadata a JSON string holding "image-name" and
 *     "name" (podman libpod/storage.go RuntimeContainerMetadata; the
 *     paths from containers/storage store.go and containers.go).
 *     <graphroot>/<driver>-images/images.json names the image when the
 *     container's metadata does not.
 *     Defaults are podman's as root: graphroot /var/lib/containers/storage,
 *     runroot /run/containers/storage, driver overlay (what `podman info`
 *     says on these machines); /etc/containers/storage.conf can move them.
 *   docker: <data-root>/containers/<ID>/config.v2.json, "Name" ("/NAME"),
 *     "Config"."Image", "Config"."StopSignal" and "Config"."StopTimeout"
 *     (moby daemon/container/container.go: StopSignal(), StopTimeout(),
 *     whose defaults are SIGTERM and 10 s).
 *   podman's own state: <graphroot>/libpod/bolt_state.db, a bbolt file
 *     (bolt.h) whose bucket ctr/<ID> holds "config", the container's
 *     configuration as JSON with "stopTimeout" (podman libpod/
 *     boltdb_state_internal.go, container_config.go; podman 4.3.1 writes
 *     10 unless --stop-timeout says otherwise).
 *   containerd: a running container's task bundle,
 *     <state>/io.containerd.runtime.v2.task/<namespace>/<ID>/config.json
 *     (io.containerd.runtime.v1.linux for the old shim): the OCI spec, whose
 *     annotations the CRI plugin fills (io.kubernetes.cri.container-name,
 *     image-name, sandbox-name, sandbox-namespace; containerd
 *     pkg/cri/annotations) and `ctr run --annotation` too. The stop signal
 *     is not in the spec: containerd keeps it in its metadata database,
 *     <root>/io.containerd.metadata.v1.bolt/meta.db (bbolt), bucket
 *     v1/<namespace>/containers/<ID>, as the label
 *     io.containerd.image.config.stop-signal that `ctr run` and nerdctl
 *     copy from the image (containerd signals.go, WithImageStopSignal;
 *     `ctr task kill` sends it) and, for the CRI plugin, in the extension
 *     io.cri-containerd.container.metadata, a protobuf Any holding JSON
 *     whose Metadata.StopSignal is what StopContainer sends and whose
 *     Metadata.Config.annotations carry the kubelet's
 *     io.kubernetes.pod.terminationGracePeriod (containerd
 *     pkg/cri/store/container/metadata.go, server/container_stop.go).
 *     That file is read without the daemon's lock, which is sound for a
 *     bbolt file when the transaction did not change while it was read
 *     (bolt.h): read again when it did, and unknown after three tries.
 *     The "moby" namespace is docker's: its containers are docker's.
 *
 * Where each runtime keeps its state is what its daemon was configured
 * with (runtimeread.h reads that); the defaults are the runtimes' own.
 *
 * A store that is missing, unreadable (no CAP_DAC_READ_SEARCH: the files
 * are root's, mode 0600), too large or not the format expected gives
 * "unknown", never an error: the labels are left out, and err says why.
 * Every file is opened through the root prefix with dbp_open_regular and
 * read up to a cap; names and images are taken only as printable ASCII
 * without spaces, the characters the runtimes allow in them.
 */
#ifndef DBPOD_CONTAINERMETA_H
#define DBPOD_CONTAINERMETA_H

#include <stddef.h>

#include "container.h"	/* struct dbp_container_meta */
#include "runtimeconf.h"	/* struct dbp_runtime_dirs */
#include "runtimeread.h"	/* DBP_META_MAX_* */

struct dbp_meta;
struct dbp_container;

/* Read /proc/PID/cgroup and say whose container pid is in
 * (container.h's dbp_container_parse). 0, or a negative errno when the
 * file cannot be read (the process is gone: -ENOENT or -ESRCH). */
int dbp_container_read(int pid, struct dbp_container *c);

/* A reader for one pass over the node: the containers/storage lists are
 * read at the first lookup and kept until dbp_meta_close, the other files
 * are read per container. root is the prefix (NULL: the real root); dirs
 * NULL: the defaults. Returns NULL only when out of memory. */
struct dbp_meta *dbp_meta_open(const char *root, const struct dbp_runtime_dirs *dirs);

/* The name, image, stop signal and grace of the container with this ID
 * (64 lowercase hex), from the first store that has it: containers/
 * storage, docker's data roots, containerd's states, in that order.
 * Returns 1 when a store has it (a field it does not say stays "", 0 or
 * -1), 0 when unknown (m->err says why, when a store could not be read),
 * or -EINVAL for an ID that is not one. */
int dbp_meta_lookup(struct dbp_meta *s, const char *id, struct dbp_container_meta *m);

void dbp_meta_close(struct dbp_meta *s);

#endif
