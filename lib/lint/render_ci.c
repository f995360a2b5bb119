/*
 * CI formats. SARIF and Code Quality are built with json-c; the XML ones
 * are written by hand, every text through dbp_xml_escape.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "redact.h"
#include "render.h"
#include "render_ci.h"
#include "finding_docs.h"
#include "rules_lint.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

/* the length of a valid UTF-8 sequence at s, or 0 */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0 && s[0] >= 0xc2)
		n = 2;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3;
	else if ((s[0] & 0xf8) == 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0)))
		return 0;	/* overlong, or a surrogate */
	if (n == 3 && s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe)
		return 0;	/* U+FFFE, U+FFFF are not XML characters */
	if (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90)))
		return 0;
	return n;
}

void dbp_xml_escape(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (p && *p) {
		size_t n = utf8_len(p);

		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		case '\n': fputs("&#10;", out); break;
		case '\t': fputs("&#9;", out); break;
		default:
			if (!n || *p < 0x20) {
				fputc('?', out);
				n = 1;
				break;
			}
			/* DEL and the C1 controls (U+0080..U+009F: CSI is
			 * U+009B) are XML characters, but act on a terminal
			 * that shows the report: written as references */
			if (*p == 0x7f || (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)) {
				fprintf(out, "&#%u;", n == 1 ? 0x7fu : (unsigned)p[1]);
				break;
			}
			fwrite(p, 1, n, out);
		}
		p += n ? n : 1;
	}
}

static const char *file_of(const struct dbp_finding *f)
{
	return f->file ? f->file : "-";
}

/* "message Fix: advice", redacted: messages quote commands, and the
 * XML formats have no other place where secrets are taken out (the JSON
 * ones are redacted whole by dbp_json_print) */
static char *full_text(const struct dbp_finding *f)
{
	char *s;

	if (asprintf(&s, "%s%s%s", f->message, f->advice ? " Fix: " : "",
		     f->advice ? f->advice : "") < 0)
		return NULL;
	dbp_redact(s);
	return s;
}

/* a relative path as a URI reference: unreserved bytes and '/' stay */
static char *uri_of(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char *u = malloc(strlen(path) * 3 + 1), *o = u;

	for (const unsigned char *p = (const unsigned char *)path; u && *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	if (u)
		*o = '\0';
	return u;
}

static const char *sarif_level(enum dbp_severity s)
{
	switch (s) {
	case DBP_CRITICAL:
	case DBP_UNKNOWN: return "error";
	case DBP_WARNING: return "warning";
	case DBP_INFO:
	case DBP_OK: break;
	}
	return "note";
}

/* The man page's entry for id, or NULL. */
static const struct dbp_finding_doc *doc_of(const char *id)
{
	for (const struct dbp_finding_doc *d = dbp_finding_docs; d->id; d++)
		if (!strcmp(d->id, id))
			return d;
	return NULL;
}

/* A SARIF rule's fullDescription and help from the man page entry: the
 * description is the entry up to its "Fix:", the help the whole entry,
 * so that an annotation explains itself without the page at hand. */
static void sarif_rule_docs(struct json_object *rule, const char *id)
{
	const struct dbp_finding_doc *d = doc_of(id);
	const char *fix;
	struct json_object *o;

	if (!d)
		return;
	fix = strstr(d->text, " Fix: ");
	o = json_object_new_object();
	json_object_object_add(o, "text", fix ? json_object_new_string_len(d->text,
				(int)(fix - d->text)) : json_object_new_string(d->text));
	json_object_object_add(rule, "fullDescription", o);
	o = json_object_new_object();
	json_object_object_add(o, "text", json_object_new_string(d->text));
	json_object_object_add(rule, "help", o);
	o = json_object_new_object();
	json_object_object_add(o, "severity", json_object_new_string(d->severity));
	json_object_object_add(rule, "properties", o);
}

int dbp_render_sarif(FILE *out, const struct dbp_report *r)
{
	struct json_object *root = json_object_new_object();
	struct json_object *run = json_object_new_object();
	struct json_object *driver = json_object_new_object();
	struct json_object *tool = json_object_new_object();
	struct json_object *rules = json_object_new_array();
	struct json_object *results = json_object_new_array();
	struct json_object *runs = json_object_new_array();
	const char **ids = calloc(r->n + 1, sizeof(char *));
	size_t nids = 0;
	int rc;

	json_object_object_add(root, "$schema", json_object_new_string(SARIF_SCHEMA));
	json_object_object_add(root, "version", json_object_new_string("2.1.0"));
	json_object_object_add(driver, "name", json_object_new_string("dbpod"));
	json_object_object_add(driver, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(driver, "informationUri",
			       json_object_new_string("https://github.com/dbpod/dbpod"));
	for (size_t i = 0; i < r->n; i++) {
		const struct dbp_finding *f = &r->items[i];
		struct json_object *res = json_object_new_object();
		struct json_object *msg = json_object_new_object();
		struct json_object *props = json_object_new_object();
		size_t k;
		char *text = full_text(f), *uri;

		for (k = 0; k < nids && strcmp(ids[k], f->id); k++)
			;
		if (k == nids && ids) {
			struct json_object *rule = json_object_new_object();
			struct json_object *sd = json_object_new_object();

			ids[nids++] = f->id;
			json_object_object_add(rule, "id", json_object_new_string(f->id));
			json_object_object_add(sd, "text", json_object_new_string(dbp_lint_title(f->id)));
			json_object_object_add(rule, "shortDescription", sd);
			sarif_rule_docs(rule, f->id);
			json_object_array_add(rules, rule);
		}
		json_object_object_add(res, "ruleId", json_object_new_string(f->id));
		json_object_object_add(res, "ruleIndex", json_object_new_int((int)k));
		json_object_object_add(res, "level", json_object_new_string(sarif_level(f->severity)));
		json_object_object_add(msg, "text", json_object_new_string(text ? text : f->message));
		json_object_object_add(res, "message", msg);
		uri = uri_of(file_of(f));
		if (uri) {
			struct json_object *locs = json_object_new_array();
			struct json_object *loc = json_object_new_object();
			struct json_object *phys = json_object_new_object();
			struct json_object *art = json_object_new_object();

			json_object_object_add(art, "uri", json_object_new_string(uri));
			json_object_object_add(phys, "artifactLocation", art);
			if (f->line > 0) {
				struct json_object *reg = json_object_new_object();

				json_object_object_add(reg, "startLine", json_object_new_int(f->line));
				if (f->column > 0)
					json_object_object_add(reg, "startColumn",
							       json_object_new_int(f->column));
				json_object_object_add(phys, "region", reg);
			}
			json_object_object_add(loc, "physicalLocation", phys);
			json_object_array_add(locs, loc);
			json_object_object_add(res, "locations", locs);
		}
		json_object_object_add(props, "severity",
				       json_object_new_string(dbp_severity_name(f->severity)));
		if (f->database)
			json_object_object_add(props, "database", json_object_new_string(f->database));
		json_object_object_add(res, "properties", props);
		json_object_array_add(results, res);
		free(text);
		free(uri);
	}
	free(ids);
	json_object_object_add(driver, "rules", rules);
	json_object_object_add(tool, "driver", driver);
	json_object_object_add(run, "tool", tool);
	json_object_object_add(run, "results", results);
	json_object_array_add(runs, run);
	json_object_object_add(root, "runs", runs);
	rc = dbp_json_print(out, root, 1);
	json_object_put(root);
	return rc;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (h ^ 0xff) * 1099511628211ULL;	/* a separator between fields */
}

static const char *cq_severity(enum dbp_severity s)
{
	switch (s) {
	case DBP_CRITICAL: return "critical";
	case DBP_WARNING: return "major";
	case DBP_UNKNOWN: return "blocker";
	case DBP_INFO:
	case DBP_OK: break;
	}
	return "info";
}

int dbp_render_codequality(FILE *out, const struct dbp_report *r)
{
	struct json_object *arr = json_object_new_array();
	int rc;

	for (size_t i = 0; i < r->n; i++) {
		const struct dbp_finding *f = &r->items[i];
		struct json_object *o = json_object_new_object();
		struct json_object *loc = json_object_new_object();
		struct json_object *lines = json_object_new_object();
		char fp[17], ln[16], *text = full_text(f);
		uint64_t h = 14695981039346656037ULL;

		/* stable across runs: what and where, not the wording */
		snprintf(ln, sizeof(ln), "%d", f->line);
		h = fnv1a(fnv1a(fnv1a(h, f->id), file_of(f)), ln);
		snprintf(fp, sizeof(fp), "%016llx", (unsigned long long)h);
		json_object_object_add(o, "description", json_object_new_string(text ? text : f->message));
		json_object_object_add(o, "check_name", json_object_new_string(f->id));
		json_object_object_add(o, "fingerprint", json_object_new_string(fp));
		json_object_object_add(o, "severity", json_object_new_string(cq_severity(f->severity)));
		json_object_object_add(loc, "path", json_object_new_string(file_of(f)));
		json_object_object_add(lines, "begin", json_object_new_int(f->line > 0 ? f->line : 1));
		json_object_object_add(loc, "lines", lines);
		json_object_object_add(o, "location", loc);
		json_object_array_add(arr, o);
		free(text);
	}
	rc = dbp_json_print(out, arr, 1);
	json_object_put(arr);
	return rc;
}

static int same_file(const struct dbp_finding *f, const char *file)
{
	return !strcmp(file_of(f), file);
}

int dbp_render_junit(FILE *out, const struct dbp_report *r, const char *const *files,
		     size_t nfiles, enum dbp_severity threshold)
{
	size_t fails = 0, errors = 0, tests = 0;

	for (size_t k = 0; k < nfiles; k++) {
		size_t n = 0;

		for (size_t i = 0; i < r->n; i++)
			n += same_file(&r->items[i], files[k]);
		tests += n ? n : 1;
	}
	for (size_t i = 0; i < r->n; i++) {
		errors += r->items[i].severity == DBP_UNKNOWN;
		fails += r->items[i].severity != DBP_UNKNOWN && threshold != DBP_OK &&
			 r->items[i].severity >= threshold;
	}
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"dbpod lint\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
		tests, fails, errors);
	for (size_t k = 0; k < nfiles; k++) {
		size_t n = 0, nf = 0, ne = 0;

		for (size_t i = 0; i < r->n; i++)
			if (same_file(&r->items[i], files[k])) {
				n++;
				ne += r->items[i].severity == DBP_UNKNOWN;
				nf += r->items[i].severity != DBP_UNKNOWN && threshold != DBP_OK &&
				      r->items[i].severity >= threshold;
			}
		fputs("  <testsuite name=\"", out);
		dbp_xml_escape(out, files[k]);
		fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n", n ? n : 1, nf, ne);
		if (!n) {
			fputs("    <testcase classname=\"dbpod.lint\" name=\"", out);
			dbp_xml_escape(out, files[k]);
			fputs(": no findings\"/>\n", out);
		}
		for (size_t i = 0; i < r->n; i++) {
			const struct dbp_finding *f = &r->items[i];
			char *text;

			if (!same_file(f, files[k]))
				continue;
			text = full_text(f);
			fprintf(out, "    <testcase classname=\"dbpod.lint\" name=\"%s ", f->id);
			dbp_xml_escape(out, files[k]);
			fprintf(out, ":%d:%d ", f->line, f->column);
			dbp_xml_escape(out, dbp_lint_title(f->id));
			fputs("\">\n", out);
			if (f->severity == DBP_UNKNOWN || (threshold != DBP_OK && f->severity >= threshold)) {
				fprintf(out, "      <%s type=\"%s\" message=\"",
					f->severity == DBP_UNKNOWN ? "error" : "failure",
					dbp_severity_name(f->severity));
				{
					char *m = strdup(f->message);

					dbp_redact(m);
					dbp_xml_escape(out, m ? m : "(out of memory)");
					free(m);
				}
				fputs("\">", out);
				dbp_xml_escape(out, text ? text : "(out of memory)");
				fprintf(out, "</%s>\n", f->severity == DBP_UNKNOWN ? "error" : "failure");
			} else {
				fputs("      <system-out>", out);
				dbp_xml_escape(out, text ? text : "(out of memory)");
				fputs("</system-out>\n", out);
			}
			fputs("    </testcase>\n", out);
			free(text);
		}
		fputs("  </testsuite>\n", out);
	}
	fputs("</testsuites>\n", out);
	return ferror(out) ? -EIO : 0;
}

static const char *cs_severity(enum dbp_severity s)
{
	switch (s) {
	case DBP_CRITICAL:
	case DBP_UNKNOWN: return "error";
	case DBP_WARNING: return "warning";
	case DBP_INFO:
	case DBP_OK: break;
	}
	return "info";
}

int dbp_render_checkstyle(FILE *out, const struct dbp_report *r, const char *const *files,
			  size_t nfiles)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n", out);
	for (size_t k = 0; k < nfiles; k++) {
		fputs("  <file name=\"", out);
		dbp_xml_escape(out, files[k]);
		fputs("\">\n", out);
		for (size_t i = 0; i < r->n; i++) {
			const struct dbp_finding *f = &r->items[i];
			char *text;

			if (!same_file(f, files[k]))
				continue;
			text = full_text(f);
			fprintf(out, "    <error line=\"%d\" column=\"%d\" severity=\"%s\" message=\"",
				f->line, f->column, cs_severity(f->severity));
			dbp_xml_escape(out, text ? text : "(out of memory)");
			fprintf(out, "\" source=\"dbpod.%s\"/>\n", f->id);
			free(text);
		}
		fputs("  </file>\n", out);
	}
	fputs("</checkstyle>\n", out);
	return ferror(out) ? -EIO : 0;
}
