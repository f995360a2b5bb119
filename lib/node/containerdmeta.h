/*
 * containerd's state of one container (containermeta.h says which files
 * and why): its task bundle's OCI spec and its record in meta.db.
 */
#ifndef DBPOD_CONTAINERDMETA_H
#define DBPOD_CONTAINERDMETA_H

#include <stddef.h>

#include "container.h"	/* struct dbp_container_meta */
#include "runtimeconf.h"	/* struct dbp_runtime_dir */

/* The CRI plugin's record of a container: the value of the extension
 * io.cri-containerd.container.metadata, a protobuf Any (field 1 the type
 * URL, field 2 the value) whose value is the JSON
 * {"Version":"v1","Metadata":{"Name", "Config": the CRI ContainerConfig
 * (metadata.name, labels, annotations), "StopSignal", ...}}. */
struct dbp_cri_record {
	char name[256];			/* Config.metadata.name */
	char pod_name[256];		/* Config.labels io.kubernetes.pod.name */
	char pod_namespace[256];	/* Config.labels io.kubernetes.pod.namespace */
	char stop_signal[32];		/* Metadata.StopSignal; "" when the image set none */
	/* Config.annotations io.kubernetes.pod.terminationGracePeriod, the
	 * kubelet's; -1 absent */
	int grace;
};

/* Parse the record (len bytes). Returns 0; -EINVAL for what is not a
 * protobuf Any holding such JSON of version v1. */
int dbp_cri_record_parse(const char *any, size_t len, struct dbp_cri_record *r);

/* The container id in containerd state dir d below root: its bundle in
 * any namespace of the v2 task runtime (or the v1 one), then meta.db in
 * d->root. Fills m's name, image, runtime, pod, namespace, stop signal
 * and grace where they are found, and m->stop_unknown where the stop
 * signal is not. Returns 1 when a bundle has the id, 0 when none does. */
int dbp_containerd_lookup(const char *root, const struct dbp_runtime_dir *d, const char *id,
			  struct dbp_container_meta *m);

#endif
