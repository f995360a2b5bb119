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

#include "runtimeconf.h"	/* struct dbp_runtime_dirs */

/* The largest containers.json or images.json read: a node with ten
 * thousand containers writes about 6 MB of the first, and images.json
 * grows about 1.6 KB an image (measured here: 171 KB for 107 images). */
#define DBP_META_MAX_STORE (32u << 20)
/* config.v2.json is a few KB; environment and mounts make it grow. */
#define DBP_META_MAX_CONFIG (4u << 20)

/* What dbpod assumes when the runtime records no grace period: what its
 * own stop waits before SIGKILL. */
#define DBP_GRACE_DOCKER 10		/* docker stop, moby defaultStopTimeout */
#define DBP_GRACE_PODMAN 10		/* podman stop, containers.conf stop_timeout */
#define DBP_GRACE_KUBERNETES 30		/* terminationGracePeriodSeconds */
#define DBP_GRACE_NERDCTL 10		/* nerdctl stop -t; `ctr task kill` never SIGKILLs */

struct dbp_container_meta {
	char name[256];			/* "" unknown */
	char image[512];		/* as the container was created from: "" unknown */
	/* the store that had the ID: "containers-storage" (podman, CRI-O),
	 * "docker", "containerd", or "" */
	const char *source;
	/* who runs it, where the state says so: "docker" (its data root, or
	 * containerd's "moby" namespace), "containerd" (a task bundle in
	 * another namespace); "" when the state does not say (containers/
	 * storage: the cgroup path tells podman from CRI-O) */
	const char *runtime;
	char pod_name[256];		/* CRI annotation io.kubernetes.cri.sandbox-name */
	char pod_namespace[256];	/* io.kubernetes.cri.sandbox-namespace */
	char ctr_namespace[80];		/* containerd's namespace ("k8s.io", "moby") */
	/* the signal the runtime stops it with, 0 unknown:
	 * containers/storage's <graphroot>/<driver>-containers/ID/userdata/
	 * config.json, the OCI spec podman hands the runtime, carries it as
	 * the annotation org.opencontainers.image.stopSignal (a number; podman
	 * writes it for every container, 15 by default: seen with podman
	 * 4.3.1); docker's config.v2.json as "Config"."StopSignal" (a name;
	 * absent means SIGTERM, moby's default); containerd's meta.db as
	 * above. CRI-O keeps it elsewhere: 0. */
	int stop_signal;
	const char *stop_source;	/* where it was read, e.g. "config.v2.json Config.StopSignal" */
	/* when stop_signal is 0 but a runtime's state had the container: why
	 * the signal is unknown, for the output */
	char stop_unknown[640];
	/* the seconds the runtime waits after the stop signal before SIGKILL,
	 * where it records them; -1 not recorded */
	int grace;
	const char *grace_source;	/* e.g. "config.v2.json Config.StopTimeout" */
	int grace_kubelet;		/* the kubelet's terminationGracePeriodSeconds, not the runtime's */
	/* why it may be unknown: the negative errno of the first store that
	 * exists but could not be read (-EACCES, -EFBIG, -EINVAL for JSON
	 * that is not the runtime's), 0 when every store was read or absent;
	 * err_file names the file */
	int err;
	char err_file[512];
};

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

/* For the stores' readers (containerdmeta.c): v into out when it is a
 * name or image as the runtimes allow them (printable ASCII, no space,
 * whole); 1 taken, 0 not (out unchanged). */
int dbp_meta_take(const char *v, char *out, size_t size);
/* The first error of a lookup, with its file, into m. */
void dbp_meta_note_error(struct dbp_container_meta *m, int err, const char *path);

#endif
