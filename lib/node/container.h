/*
 * Who a process's container is, from the text of /proc/PID/cgroup: the
 * runtime, the container ID, the Kubernetes pod UID and QoS class, and the
 * memory cgroup the container's memory picture is read from (a parser:
 * text in, struct out; the node walk reads the file), and the model of
 * what the runtime's state says of a container (struct
 * dbp_container_meta, which containermeta.h fills) with the graces
 * assumed where it says none.
 *
 * Which line: on cgroup v1 every controller has a line "N:ctl[,ctl]:/path",
 * on v2 there is one line "0::/path", a hybrid host has both. The memory
 * controller's path is taken on v1 (that is the cgroup whose limit the OOM
 * killer enforces), the unified one when there is no v1 memory line.
 *
 * The container is the cgroup's last component (cAdvisor looks at
 * path.Base, Falco's matchers at the end of the path), in the spellings
 * the runtimes write:
 *
 *   kubelet, systemd driver   .../kubepods[-QOS]-pod<UID with _>.slice/
 *                             cri-containerd-<ID>.scope, crio-<ID>.scope,
 *                             docker-<ID>.scope (cri-dockerd)
 *   kubelet, cgroupfs driver  /kubepods[/QOS]/pod<UID>/<ID> (containerd or
 *                             cri-dockerd: the runtime is not in the path),
 *                             /kubepods[/QOS]/pod<UID>/crio-<ID>
 *   containerd given a systemd path with runc's fs driver
 *                             /<pod slice>:cri-containerd:<ID>
 *   docker                    /docker/<ID>, /system.slice/docker-<ID>.scope
 *   podman                    /machine.slice/libpod-<ID>.scope,
 *                             /libpod_parent/[<pod ID>/]libpod-<ID>
 *                             (cgroupfs manager), libpod-payload-<ID>
 *                             (--cgroups=split), and any of these followed
 *                             by the "/container" sub-cgroup crun makes
 *   nerdctl                   nerdctl-<ID>.scope (containerd)
 *
 * Where they come from (read at these commits):
 *   kubernetes/kubernetes afd5df58bd7d pkg/kubelet/cm/cgroup_manager_linux.go
 *     ToSystemd, escapeSystemdCgroupName: "-" in a pod UID becomes "_" in
 *     a systemd slice name; Guaranteed pods sit directly under kubepods
 *   containerd/containerd 301026e58c61 internal/cri/server/helpers.go
 *     getCgroupsPath: "<slice>:cri-containerd:<ID>" for a .slice parent,
 *     "<parent>/<ID>" otherwise
 *   containers/podman c6580b4a5219 libpod/container_internal_linux.go
 *     getOCICgroupPath (libpod-<ID>, libpod-payload-<ID>), libpod/container.go
 *     CgroupfsDefaultCgroupParent "/libpod_parent", libpod/oci_conmon_linux.go
 *     ("libpod-conmon" scopes)
 *   google/cadvisor 6a0c4f2539a8 lib/container/crio/factory.go (crio-conmon
 *     is not a container), container/podman/factory.go (the "container"
 *     base name)
 *   falcosecurity/plugins 0b3cbd8d84eb plugins/container/src/matchers/
 *     cri.cpp, podman.cpp, docker.cpp, and test/matchers.cpp
 *
 * A path seen from inside a cgroup namespace starts with "/.." for a
 * process outside it ("4:memory:/../../libpod_parent/libpod-<ID>"): the
 * container is found all the same, the pod and QoS levels cut off by the
 * ".." are not guessed (a pod directory right below ".." gives the pod UID
 * but no QoS class), and above_ns says how far the path climbs.
 *
 * Not a container: "/", "/user.slice/...", "/init.scope", a conmon scope
 * (libpod-conmon-<ID>.scope, crio-conmon-<ID>.scope), podman's
 * "/libpod_parent/conmon", and a cgroup that a process made below its
 * container's (systemd in a container: ".../docker-<ID>.scope/init.scope"):
 * the kubelet and the runtimes put the container's processes in the
 * container's own cgroup, and a guess from a path above it would name the
 * wrong cgroup for the memory picture.
 *
 * The pod UID is taken only in the two forms the kubelet makes: an RFC 4122
 * UUID from the API server (8-4-4-4-12 lowercase hex) or the 32 hex digits
 * of the MD5 it gives a static pod (pkg/kubelet/config/common.go); anything
 * else is left out, not passed on as a label.
 */
#ifndef DBPOD_CONTAINER_H
#define DBPOD_CONTAINER_H

#include <stddef.h>

/* The container ID: 64 lowercase hex digits. */
#define DBP_CONTAINER_ID_LEN 64
/* A pod UID with dashes: 36 characters. */
#define DBP_POD_UID_MAX 36
/* The kernel writes a cgroup path of at most PATH_MAX bytes. */
#define DBP_CGROUP_PATH_MAX 4096

/* The QoS class the kubelet filed the pod under. The values are those of
 * enum dbp_qos (qos.h), which reads the class back from
 * oom_score_adj, so a caller can set the two side by side. */
enum dbp_pod_qos {
	DBP_POD_QOS_NONE = 0,		/* not a Kubernetes pod, or not said */
	DBP_POD_QOS_GUARANTEED,		/* kubepods/pod<UID>, kubepods-pod<UID>.slice */
	DBP_POD_QOS_BURSTABLE,
	DBP_POD_QOS_BESTEFFORT,
};

struct dbp_container {
	/* "containerd", "cri-o", "docker", "podman", or "" when the path
	 * does not say (a bare ID under kubepods: containerd or cri-dockerd) */
	const char *runtime;
	char id[DBP_CONTAINER_ID_LEN + 1];	/* "" when not a container */
	char pod_uid[DBP_POD_UID_MAX + 1];	/* with dashes; "" outside a pod */
	enum dbp_pod_qos qos;
	/* 1: the v1 memory controller's path, 2: the unified path, 0: the
	 * file has neither (v1 without a memory controller) */
	int version;
	/* the memory cgroup as the file names it, relative to the hierarchy's
	 * root as the reader's cgroup namespace sees it; "" for version 0 */
	char cgroup[DBP_CGROUP_PATH_MAX];
	/* how many "/.." cgroup starts with: a process outside the reader's
	 * cgroup namespace is named relative to the namespace's root (a
	 * non-privileged container on a cgroup v2 node gets a namespace of its
	 * own from containerd and CRI-O, hostPID or not). The path is then
	 * below that root, not below the hierarchy's mount. */
	int above_ns;
	/* the container's own cgroup: cgroup without a sub-cgroup the runtime
	 * made inside it (podman/crun's "/container"), where the limit is set;
	 * "" when not a container */
	char ctr_cgroup[DBP_CGROUP_PATH_MAX];
};

/* The text of /proc/PID/cgroup (len bytes; NUL bytes and a missing final
 * newline are taken as they come) into c. Returns 0, also when the process
 * is in no container (c->id ""); -EINVAL when no line has the
 * "ID:CONTROLLERS:/PATH" form; -ENAMETOOLONG when the chosen path does not
 * fit (the kernel never writes one that long). */
int dbp_container_parse(const char *text, size_t len, struct dbp_container *c);

/* The container in one cgroup path (not NUL-terminated, len bytes):
 * fills runtime, id, pod_uid, qos and ctr_cgroup, leaves version and cgroup
 * alone. Returns 1 for a container, 0 for none. */
int dbp_container_from_path(const char *path, size_t len, struct dbp_container *c);

/* 1 when the cgroup path (NUL-terminated) is a Kubernetes pod's, so the
 * node runs a kubelet; 0 when it does not say (a path seen from inside a
 * cgroup namespace is "/"). */
int dbp_container_path_in_pod(const char *path);

/* "guaranteed", "burstable", "besteffort", or "" for DBP_POD_QOS_NONE:
 * the spelling of the kubepods slices, lowercase like Prometheus labels. */
const char *dbp_pod_qos_name(enum dbp_pod_qos qos);

/* What dbpod assumes when the runtime records no grace period: what its
 * own stop waits before SIGKILL. */
#define DBP_GRACE_DOCKER 10		/* docker stop, moby defaultStopTimeout */
#define DBP_GRACE_PODMAN 10		/* podman stop, containers.conf stop_timeout */
#define DBP_GRACE_KUBERNETES 30		/* terminationGracePeriodSeconds */
#define DBP_GRACE_NERDCTL 10		/* nerdctl stop -t; `ctr task kill` never SIGKILLs */

/* What the runtime's state says of a container (containermeta.h and
 * containerdmeta.h read it): its name, image, stop signal and grace. */
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

/* For the stores' readers (containermeta.c, containerdmeta.c): v into
 * out when it is a name or image as the runtimes allow them (printable ASCII, no space,
 * whole); 1 taken, 0 not (out unchanged). */
int dbp_meta_take(const char *v, char *out, size_t size);
/* The first error of a lookup, with its file, into m. */
void dbp_meta_note_error(struct dbp_container_meta *m, int err, const char *path);

#endif
