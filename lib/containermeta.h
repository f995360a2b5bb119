/*
 * A container's name and image, from the runtime's own state on the node,
 * for the labels of node mode. The cgroup gives the ID (container.h);
 * this turns an ID into what a person calls the container, where the
 * runtime keeps that in a file dbpod may read:
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
 *     says on these machines); /etc/containers/storage.conf can move them,
 *     and then the caller passes the paths.
 *   docker: <data-root>/containers/<ID>/config.v2.json, "Name" ("/NAME")
 *     and "Config"."Image" (moby daemon/container/container.go).
 *   The stop signal as well, where the runtime writes it (stop_signal
 *   below).
 *
 * containerd's names are not read: it keeps them in a bbolt database
 * (/var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db) that the
 * daemon holds under an exclusive flock for as long as it runs, so bbolt
 * itself would wait forever for a shared lock, and reading the B+tree
 * pages without the lock races the daemon's writes. Under Kubernetes the
 * name is not needed anyway: kube-state-metrics' kube_pod_container_info
 * carries container_id="containerd://ID" with the container, pod and
 * namespace names, and PromQL joins on it.
 *
 * A store that is missing, unreadable (no CAP_DAC_READ_SEARCH: the files
 * are root's, mode 0600), too large or not the JSON expected gives
 * "unknown", never an error: the labels are left out. Every file is
 * opened through the root prefix with dbp_open_regular and read up to a
 * cap; names and images are taken only as printable ASCII without
 * spaces, the characters the runtimes allow in them.
 */
#ifndef DBPOD_CONTAINERMETA_H
#define DBPOD_CONTAINERMETA_H

#include <stddef.h>

/* The largest containers.json or images.json read: a node with ten
 * thousand containers writes about 6 MB of the first, and images.json
 * grows about 1.6 KB an image (measured here: 171 KB for 107 images). */
#define DBP_META_MAX_STORE (32u << 20)
/* config.v2.json is a few KB; environment and mounts make it grow. */
#define DBP_META_MAX_CONFIG (4u << 20)

/* Where the runtimes keep their state, below the root prefix; NULL for
 * the default. */
struct dbp_meta_paths {
	const char *storage_graphroot;	/* /var/lib/containers/storage */
	const char *storage_runroot;	/* /run/containers/storage */
	const char *storage_driver;	/* overlay */
	const char *docker_root;	/* /var/lib/docker */
};

struct dbp_container_meta {
	char name[256];			/* "" unknown */
	char image[512];		/* as the container was created from: "" unknown */
	/* "containers-storage" (podman, CRI-O), "docker", or "" when no store
	 * had the ID */
	const char *source;
	/* the signal `podman stop` / `docker stop` sends it, 0 unknown:
	 * containers/storage's <graphroot>/<driver>-containers/ID/userdata/
	 * config.json, the OCI spec podman hands the runtime, carries it as
	 * the annotation org.opencontainers.image.stopSignal (a number; podman
	 * writes it for every container, 15 by default: seen with podman
	 * 4.3.1); docker's config.v2.json as "Config"."StopSignal" (a name;
	 * absent means SIGTERM, moby's default). CRI-O and containerd keep
	 * it elsewhere or not at all: 0. */
	int stop_signal;
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
 * read at the first lookup and kept until dbp_meta_close, docker's file
 * is read per container. root is the prefix (NULL: the real root); paths
 * may be NULL. Returns NULL only when out of memory. */
struct dbp_meta *dbp_meta_open(const char *root, const struct dbp_meta_paths *paths);

/* The name and image of the container with this ID (64 lowercase hex).
 * Returns 1 when a store has it (a field it does not say stays ""), 0
 * when unknown (m->err says why, when a store could not be read), or
 * -EINVAL for an ID that is not one. */
int dbp_meta_lookup(struct dbp_meta *s, const char *id, struct dbp_container_meta *m);

void dbp_meta_close(struct dbp_meta *s);

#endif
