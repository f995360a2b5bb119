#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report.h"

void dbp_report_init(struct dbp_report *r, const char *command)
{
	memset(r, 0, sizeof(*r));
	r->command = command;
}

void dbp_report_free(struct dbp_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->items[i].message);
		free(r->items[i].advice);
		free(r->items[i].file);
	}
	free(r->items);
	r->items = NULL;
	r->n = r->cap = 0;
}

struct dbp_finding *dbp_report_add(struct dbp_report *r, const char *id,
				   enum dbp_severity sev, pid_t pid,
				   const char *fmt, ...)
{
	struct dbp_finding *f;
	va_list ap;
	int rc;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct dbp_finding *ni = realloc(r->items, cap * sizeof(*ni));

		if (!ni) {
			r->nomem = 1;
			return NULL;
		}
		r->items = ni;
		r->cap = cap;
	}
	f = &r->items[r->n];
	memset(f, 0, sizeof(*f));
	snprintf(f->id, sizeof(f->id), "%s", id);
	f->severity = sev;
	f->pid = pid;
	va_start(ap, fmt);
	rc = vasprintf(&f->message, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		r->nomem = 1;
		return NULL;
	}
	r->n++;
	return f;
}

struct dbp_finding *dbp_report_copy(struct dbp_report *r, const struct dbp_finding *f)
{
	struct dbp_finding *x = dbp_report_add(r, f->id, f->severity, f->pid, "%s", f->message);

	if (!x)
		return NULL;
	if (f->advice)
		dbp_finding_advise(x, "%s", f->advice);
	if (f->file)
		dbp_finding_locate(x, f->file, f->line, f->column);
	x->database = f->database;
	return x;
}

size_t dbp_report_filter(struct dbp_report *dst, const struct dbp_report *src,
			 enum dbp_severity min)
{
	size_t n = 0;

	for (size_t i = 0; i < src->n; i++)
		if (src->items[i].severity >= min && dbp_report_copy(dst, &src->items[i]))
			n++;
	return n;
}

int dbp_report_has(const struct dbp_report *r, const char *id, pid_t pid)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->items[i].id, id) && r->items[i].pid == pid)
			return 1;
	return 0;
}

void dbp_finding_advise(struct dbp_finding *f, const char *fmt, ...)
{
	va_list ap;

	if (!f)
		return;
	free(f->advice);
	va_start(ap, fmt);
	if (vasprintf(&f->advice, fmt, ap) < 0)
		f->advice = NULL;
	va_end(ap);
}

void dbp_finding_locate(struct dbp_finding *f, const char *file, int line, int column)
{
	if (!f)
		return;
	free(f->file);
	f->file = file ? strdup(file) : NULL;
	f->line = line > 0 ? line : 0;
	f->column = column > 0 ? column : 0;
}

size_t dbp_report_override(struct dbp_report *r, const char *id, enum dbp_severity sev)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		if (!strcasecmp(r->items[i].id, id)) {
			r->items[i].severity = sev;
			n++;
		}
	return n;
}

int dbp_report_exit_threshold(const struct dbp_report *r, enum dbp_severity threshold)
{
	int worst = 0;

	if (r->nomem || dbp_report_count(r, DBP_UNKNOWN))
		return 3;
	if (threshold == DBP_OK)
		return 0;
	for (size_t i = 0; i < r->n; i++) {
		enum dbp_severity s = r->items[i].severity;
		int code;

		if (s < threshold || s == DBP_OK)
			continue;
		code = s == DBP_CRITICAL ? 2 : 1;	/* info at threshold info: 1 */
		if (code > worst)
			worst = code;
	}
	return worst;
}

int dbp_severity_parse(const char *s)
{
	static const enum dbp_severity all[] = { DBP_OK, DBP_INFO, DBP_UNKNOWN, DBP_WARNING, DBP_CRITICAL };

	for (size_t i = 0; s && i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcasecmp(s, dbp_severity_name(all[i])))
			return (int)all[i];
	return -EINVAL;
}

int dbp_ids_listed(const char *ids, const char *id)
{
	size_t len = strlen(id);

	for (const char *p = ids; p && *p;) {
		size_t n = strcspn(p, ",");

		if (n == len && !strncasecmp(p, id, n))
			return 1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

size_t dbp_report_ignore(struct dbp_report *r, const char *ids)
{
	size_t kept = 0, dropped = 0;

	for (size_t i = 0; i < r->n; i++) {
		if (dbp_ids_listed(ids, r->items[i].id)) {
			free(r->items[i].message);
			free(r->items[i].advice);
			free(r->items[i].file);
			dropped++;
			continue;
		}
		r->items[kept++] = r->items[i];
	}
	r->n = kept;
	return dropped;
}

void dbp_report_sort(struct dbp_report *r)
{
	/* worst first, stable: a counting sort over the five severities, in
	 * time linear in the findings (lint reports one file's containers,
	 * which may be thousands) */
	size_t start[DBP_CRITICAL + 2] = { 0 };
	struct dbp_finding *sorted;

	if (r->n < 2)
		return;
	sorted = malloc(r->n * sizeof(*sorted));
	if (!sorted) {
		/* the same order in place, in time quadratic in the findings */
		for (size_t i = 1; i < r->n; i++) {
			struct dbp_finding f = r->items[i];
			size_t j = i;

			while (j > 0 && r->items[j - 1].severity < f.severity) {
				r->items[j] = r->items[j - 1];
				j--;
			}
			r->items[j] = f;
		}
		return;
	}
	for (size_t i = 0; i < r->n; i++)
		start[DBP_CRITICAL - r->items[i].severity + 1]++;
	for (size_t s = 1; s <= DBP_CRITICAL + 1; s++)
		start[s] += start[s - 1];
	for (size_t i = 0; i < r->n; i++)
		sorted[start[DBP_CRITICAL - r->items[i].severity]++] = r->items[i];
	memcpy(r->items, sorted, r->n * sizeof(*sorted));
	free(sorted);
}

enum dbp_severity dbp_report_status(const struct dbp_report *r)
{
	enum dbp_severity worst = DBP_OK;

	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].severity > worst)
			worst = r->items[i].severity;
	if (worst == DBP_INFO)
		worst = DBP_OK;
	if (r->nomem && worst < DBP_UNKNOWN)
		worst = DBP_UNKNOWN;
	return worst;
}

int dbp_severity_exit(enum dbp_severity s)
{
	switch (s) {
	case DBP_WARNING: return 1;
	case DBP_CRITICAL: return 2;
	case DBP_UNKNOWN: return 3;
	case DBP_OK:
	case DBP_INFO: break;
	}
	return 0;
}

const char *dbp_severity_name(enum dbp_severity s)
{
	switch (s) {
	case DBP_OK: return "ok";
	case DBP_INFO: return "info";
	case DBP_UNKNOWN: return "unknown";
	case DBP_WARNING: return "warning";
	case DBP_CRITICAL: return "critical";
	}
	return "unknown";
}

size_t dbp_report_count(const struct dbp_report *r, enum dbp_severity s)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		n += r->items[i].severity == s;
	return n;
}
