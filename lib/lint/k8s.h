/*
 * Kubernetes manifests into lint units, one per container: Pod,
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, Job and CronJob, in any
 * number of documents (kubectl, Helm and kustomize output) and in Lists.
 * The pod's grace period, shareProcessNamespace and QoS class (from every
 * container's requests and limits) go with each container; so do the
 * `dbpod.io/ignore` annotations of the object and its pod template.
 */
#ifndef DBPOD_K8S_H
#define DBPOD_K8S_H

#include "lintunit.h"
#include "yamldoc.h"

/* Is this YAML Kubernetes? (a document with apiVersion and kind) */
int dbp_k8s_detect(struct dbp_yaml *y);

/* Read it into out->units and out->ignores (annotations); returns 0, or
 * -EINVAL with out->why (a value of the wrong type), or -ENOMEM. */
int dbp_k8s_read(struct dbp_yaml *y, struct dbp_lintfile *out);

#endif
