/*
 * Prometheus text exposition (version 0.0.4): metric families with HELP
 * and TYPE, samples with escaped label values. Checks add the numbers they
 * already know; doctor adds every check's to one collection, and each
 * family is printed once, its samples together, as the format requires.
 */
#ifndef DBPOD_METRICS_H
#define DBPOD_METRICS_H

#include <stddef.h>
#include <stdio.h>

struct dbp_sample {
	size_t family;		/* index into families */
	char *labels;		/* rendered: check="pid1check",id="DBP101" */
	double value;
};

struct dbp_family {
	char *name;
	const char *type;	/* "gauge", "counter" */
	const char *help;
};

struct dbp_metrics {
	struct dbp_family *families;
	size_t nfamilies;
	struct dbp_sample *samples;
	size_t nsamples;
};

void dbp_metrics_init(struct dbp_metrics *m);
void dbp_metrics_free(struct dbp_metrics *m);

/* Add a sample of family name (created on first use with type and help;
 * both must be string literals). The labels come as name, value pairs
 * ending with NULL; values are escaped. A series (family and labels) is
 * stored once: a second sample of it is dropped and the first value kept.
 * Returns 0 or -ENOMEM. */
int dbp_metric(struct dbp_metrics *m, const char *name, const char *type,
	       const char *help, double value, ...) __attribute__((sentinel));

/* Append every sample of src to dst, with its family (each series once,
 * as dbp_metric). */
int dbp_metrics_merge(struct dbp_metrics *dst, const struct dbp_metrics *src);

/* The same, each sample with labels (rendered, as dbp_metrics_labels
 * makes them) before its own: node mode's container identity on every
 * series of that container. */
int dbp_metrics_merge_labeled(struct dbp_metrics *dst, const struct dbp_metrics *src,
			      const char *labels);

/* Render label pairs (name, value, ..., NULL), values escaped, pairs with
 * an empty or NULL value left out, into a malloc'd string; NULL without
 * memory. */
char *dbp_metrics_labels(const char *const *kv);

int dbp_metrics_render(FILE *out, const struct dbp_metrics *m);

struct dbp_report;
/* The samples every check's report gives: dbpod_check_status{check} (its
 * exit status) and dbpod_finding{check,id,severity,pid} 1 per finding. */
int dbp_report_metrics(const struct dbp_report *r, struct dbp_metrics *m);

struct dbp_cgroup_mem;
/* The numbers of a container's cgroup memory picture (oomscore's): OOM
 * kills, limit, working set and its share of the limit, oom.group; what
 * was not read, or has no limit, is left out (and what finds no memory).
 * Nothing without a memory controller (cg NULL or version 0). */
void dbp_cgroup_metrics(const struct dbp_cgroup_mem *cg, struct dbp_metrics *m);

#endif
