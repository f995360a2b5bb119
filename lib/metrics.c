#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "metrics.h"
#include "report.h"

void dbp_metrics_init(struct dbp_metrics *m)
{
	memset(m, 0, sizeof(*m));
}

void dbp_metrics_free(struct dbp_metrics *m)
{
	for (size_t i = 0; i < m->nfamilies; i++)
		free(m->families[i].name);
	for (size_t i = 0; i < m->nsamples; i++)
		free(m->samples[i].labels);
	free(m->families);
	free(m->samples);
	dbp_metrics_init(m);
}

/* Label values escape backslash, double quote and newline. */
static void escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n') {
			fputs("\\n", f);
			continue;
		}
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* The index of family name, created when new; -ENOMEM. */
static long family(struct dbp_metrics *m, const char *name, const char *type,
		   const char *help)
{
	size_t fi;
	struct dbp_family *nf;

	for (fi = 0; fi < m->nfamilies; fi++)
		if (!strcmp(m->families[fi].name, name))
			return (long)fi;
	nf = realloc(m->families, (fi + 1) * sizeof(*nf));
	if (!nf)
		return -ENOMEM;
	m->families = nf;
	nf[fi].name = strdup(name);
	if (!nf[fi].name)
		return -ENOMEM;
	nf[fi].type = type;
	nf[fi].help = help;
	m->nfamilies++;
	return (long)fi;
}

/* Takes labels (malloc'd) in every case. A sample whose family and
 * labels are already there is dropped: the same series twice makes a
 * Prometheus scrape fail ("duplicate sample for timestamp"), and doctor
 * adds one finding per stop signal judged (DBP103 for SIGTERM and for
 * SIGINT name the same PID 1). The first value stays. */
static int add_sample(struct dbp_metrics *m, size_t fi, char *labels, double value)
{
	struct dbp_sample *ns;

	for (size_t i = 0; i < m->nsamples; i++)
		if (m->samples[i].family == fi && !strcmp(m->samples[i].labels, labels)) {
			free(labels);
			return 0;
		}
	ns = realloc(m->samples, (m->nsamples + 1) * sizeof(*ns));
	if (!ns) {
		free(labels);
		return -ENOMEM;
	}
	m->samples = ns;
	ns[m->nsamples].family = fi;
	ns[m->nsamples].labels = labels;
	ns[m->nsamples].value = value;
	m->nsamples++;
	return 0;
}

int dbp_metrics_merge(struct dbp_metrics *dst, const struct dbp_metrics *src)
{
	for (size_t i = 0; i < src->nsamples; i++) {
		const struct dbp_sample *s = &src->samples[i];
		const struct dbp_family *f = &src->families[s->family];
		long fi = family(dst, f->name, f->type, f->help);
		char *labels = strdup(s->labels);

		if (fi < 0 || !labels || add_sample(dst, (size_t)fi, labels, s->value) < 0)
			return -ENOMEM;
	}
	return 0;
}

int dbp_metrics_merge_labeled(struct dbp_metrics *dst, const struct dbp_metrics *src,
			      const char *labels)
{
	for (size_t i = 0; i < src->nsamples; i++) {
		const struct dbp_sample *s = &src->samples[i];
		const struct dbp_family *f = &src->families[s->family];
		long fi = family(dst, f->name, f->type, f->help);
		char *all = NULL;

		if (fi < 0)
			return -ENOMEM;
		/* the given labels first: they say whose series it is */
		if (asprintf(&all, "%s%s%s", labels, *labels && *s->labels ? "," : "", s->labels) < 0)
			return -ENOMEM;
		if (add_sample(dst, (size_t)fi, all, s->value) < 0)
			return -ENOMEM;
	}
	return 0;
}

char *dbp_metrics_labels(const char *const *kv)
{
	char *labels = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&labels, &len);
	int first = 1;

	if (!f)
		return NULL;
	for (; kv[0]; kv += 2) {
		if (!kv[1] || !*kv[1])
			continue;	/* Prometheus drops an empty label: so does dbpod */
		fprintf(f, "%s%s=\"", first ? "" : ",", kv[0]);
		escape(f, kv[1]);
		fputc('"', f);
		first = 0;
	}
	if (fclose(f)) {
		free(labels);
		return NULL;
	}
	return labels;
}

int dbp_metric(struct dbp_metrics *m, const char *name, const char *type,
	       const char *help, double value, ...)
{
	long fi = family(m, name, type, help);
	char *labels = NULL;
	size_t len = 0;
	FILE *f;
	va_list ap;
	const char *k;

	if (fi < 0)
		return (int)fi;
	f = open_memstream(&labels, &len);
	if (!f)
		return -ENOMEM;
	va_start(ap, value);
	for (int first = 1; (k = va_arg(ap, const char *)); first = 0) {
		const char *v = va_arg(ap, const char *);

		fprintf(f, "%s%s=\"", first ? "" : ",", k);
		escape(f, v ? v : "");
		fputc('"', f);
	}
	va_end(ap);
	if (fclose(f))
		return -ENOMEM;
	return add_sample(m, (size_t)fi, labels, value);
}

int dbp_metrics_render(FILE *out, const struct dbp_metrics *m)
{
	for (size_t fi = 0; fi < m->nfamilies; fi++) {
		const struct dbp_family *fam = &m->families[fi];

		fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", fam->name, fam->help,
			fam->name, fam->type);
		for (size_t i = 0; i < m->nsamples; i++) {
			const struct dbp_sample *s = &m->samples[i];

			if (s->family != fi)
				continue;
			fprintf(out, "%s%s%s%s ", fam->name, *s->labels ? "{" : "", s->labels,
				*s->labels ? "}" : "");
			if (s->value > -1e15 && s->value < 1e15 &&
			    (double)(long long)s->value == s->value)
				fprintf(out, "%lld\n", (long long)s->value);
			else
				/* 15 significant digits, as many as a double
				 * holds for sure: a sum of tenths (59.999999999999993)
				 * is said as JSON says it, 60 */
				fprintf(out, "%.15g\n", s->value);
		}
	}
	return ferror(out) ? -EIO : 0;
}

int dbp_report_metrics(const struct dbp_report *r, struct dbp_metrics *m)
{
	int rc = dbp_metric(m, "dbpod_check_status", "gauge",
			    "Status of a dbpod check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
			    dbp_severity_exit(dbp_report_status(r)), "check", r->command, NULL);

	/* the series of a finding is its check, id and severity: a PID
	 * changes with every restart of the process, and a label that does
	 * makes a new series each time (the same finding about two PIDs is
	 * one series, deduplicated by dbp_metric). The PIDs go to an info
	 * metric of their own, which no alert needs to select on. */
	for (size_t i = 0; rc == 0 && i < r->n; i++)
		rc = dbp_metric(m, "dbpod_finding", "gauge",
				"A finding of a dbpod check, 1 while it holds.", 1,
				"check", r->command, "id", r->items[i].id,
				"severity", dbp_severity_name(r->items[i].severity), NULL);
	for (size_t i = 0; rc == 0 && i < r->n; i++) {
		char pid[16];

		if (r->items[i].pid <= 0)
			continue;
		snprintf(pid, sizeof(pid), "%d", (int)r->items[i].pid);
		rc = dbp_metric(m, "dbpod_finding_process_info", "gauge",
				"The process a finding of a dbpod check is about (PID in this "
				"PID namespace), 1 while it holds.", 1,
				"check", r->command, "id", r->items[i].id, "pid", pid, NULL);
	}
	return rc;
}

void dbp_cgroup_metrics(const struct dbp_cgroup_mem *cg, struct dbp_metrics *m)
{
	if (!cg || !cg->version)
		return;
	if (cg->have & DBP_CG_OOM_KILL)
		dbp_metric(m, "dbpod_cgroup_oom_kills_total", "counter",
			   "Processes the OOM killer took in this container's memory cgroup.",
			   (double)cg->oom_kill, NULL);
	if ((cg->have & DBP_CG_LIMIT) && cg->limit != DBP_CG_UNLIMITED)
		dbp_metric(m, "dbpod_cgroup_memory_limit_bytes", "gauge",
			   "The memory limit of this container's cgroup (the lowest of its ancestors).",
			   (double)cg->limit, NULL);
	if (cg->have & DBP_CG_USAGE) {
		uint64_t ws = dbp_cgroup_working_set(cg);

		dbp_metric(m, "dbpod_cgroup_working_set_bytes", "gauge",
			   "Usage minus inactive file cache, as the kubelet counts it.",
			   (double)ws, NULL);
		if ((cg->have & DBP_CG_LIMIT) && cg->limit != DBP_CG_UNLIMITED && cg->limit)
			dbp_metric(m, "dbpod_cgroup_working_set_ratio", "gauge",
				   "The working set as a share of the memory limit (0..1).",
				   (double)ws / (double)cg->limit, NULL);
	}
	if (cg->have & DBP_CG_OOM_GROUP)
		dbp_metric(m, "dbpod_cgroup_oom_group", "gauge",
			   "memory.oom.group: 1 when one OOM kill takes the whole container.",
			   cg->oom_group, NULL);
}
