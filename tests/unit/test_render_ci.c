/* lib/lint/render_ci.c: the CI formats, written to memory and read back. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "lint/finding_docs.h"
#include "lint/render_ci.h"
#include "lint/rules_lint.h"

struct mem {
	char *buf;
	size_t len;
	FILE *f;
};

static void mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
}

static const char *mem_close(struct mem *m)
{
	fclose(m->f);
	return m->buf;
}

static void sample(struct dbp_report *r)
{
	struct dbp_finding *f;

	dbp_report_init(r, "lint");
	f = dbp_report_add(r, "DBI601", DBP_CRITICAL, 0, "shell <form> & \"quotes\" \x01 bad \xff utf-8 caf\xc3\xa9");
	dbp_finding_advise(f, "use exec");
	dbp_finding_locate(f, "deploy/my app.yaml", 12, 5);
	f->database = "postgresql";
	f = dbp_report_add(r, "DBK702", DBP_INFO, 0, "info");
	dbp_finding_locate(f, "Dockerfile", 0, 0);
}

static void test_xml_escape_keeps_xml_well_formed(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m);
	dbp_xml_escape(m.f, "a<b>&\"'\x01\n\xff\xc3\xa9\xed\xa0\x80z");
	assert_string_equal(mem_close(&m), "a&lt;b&gt;&amp;&quot;&apos;?&#10;?\xc3\xa9???z");
	free(m.buf);
	/* DEL, CSI (U+009B) as references; U+00A0 as it is */
	mem_open(&m);
	dbp_xml_escape(m.f, "a\x7f\xc2\x9b[2J\xc2\xa0");
	assert_string_equal(mem_close(&m), "a&#127;&#155;[2J\xc2\xa0");
	free(m.buf);
}

static void test_sarif_shape(void **state)
{
	struct dbp_report r;
	struct mem m;
	struct json_object *o, *res, *loc;

	(void)state;
	sample(&r);
	mem_open(&m);
	assert_int_equal(dbp_render_sarif(m.f, &r), 0);
	o = json_tokener_parse(mem_close(&m));
	assert_non_null(o);
	assert_string_equal(json_object_get_string(json_object_object_get(o, "version")), "2.1.0");
	res = json_object_object_get(json_object_array_get_idx(json_object_object_get(o, "runs"), 0), "results");
	assert_int_equal(json_object_array_length(res), 2);
	loc = json_object_object_get(json_object_array_get_idx(json_object_object_get(
		json_object_array_get_idx(res, 0), "locations"), 0), "physicalLocation");
	assert_string_equal(json_object_get_string(json_object_object_get(
		json_object_object_get(loc, "artifactLocation"), "uri")), "deploy/my%20app.yaml");
	assert_int_equal(json_object_get_int(json_object_object_get(
		json_object_object_get(loc, "region"), "startColumn")), 5);
	/* line 0: no region at all (startLine must be 1 or more) */
	loc = json_object_object_get(json_object_array_get_idx(json_object_object_get(
		json_object_array_get_idx(res, 1), "locations"), 0), "physicalLocation");
	assert_null(json_object_object_get(loc, "region"));
	assert_string_equal(json_object_get_string(json_object_object_get(
		json_object_array_get_idx(res, 1), "level")), "note");
	json_object_put(o);
	free(m.buf);
	dbp_report_free(&r);

	/* no finding: still a results array */
	dbp_report_init(&r, "lint");
	mem_open(&m);
	assert_int_equal(dbp_render_sarif(m.f, &r), 0);
	o = json_tokener_parse(mem_close(&m));
	res = json_object_object_get(json_object_array_get_idx(json_object_object_get(o, "runs"), 0), "results");
	assert_true(json_object_is_type(res, json_type_array));
	assert_int_equal(json_object_array_length(res), 0);
	json_object_put(o);
	free(m.buf);
}

static void test_junit_and_checkstyle_per_file(void **state)
{
	static const char *const files[] = { "deploy/my app.yaml", "Dockerfile", "clean.yaml" };
	struct dbp_report r;
	struct mem m;
	const char *s;

	(void)state;
	sample(&r);
	mem_open(&m);
	assert_int_equal(dbp_render_junit(m.f, &r, files, 3, DBP_WARNING), 0);
	s = mem_close(&m);
	assert_non_null(strstr(s, "<testsuites name=\"dbpod lint\" tests=\"3\" failures=\"1\" errors=\"0\">"));
	assert_non_null(strstr(s, "<failure type=\"critical\""));
	assert_non_null(strstr(s, "<system-out>info</system-out>"));	/* below the threshold */
	assert_non_null(strstr(s, "clean.yaml: no findings"));
	assert_null(strstr(s, "\xff"));
	free(m.buf);
	mem_open(&m);
	assert_int_equal(dbp_render_checkstyle(m.f, &r, files, 3), 0);
	s = mem_close(&m);
	assert_non_null(strstr(s, "<error line=\"12\" column=\"5\" severity=\"error\""));
	assert_non_null(strstr(s, "source=\"dbpod.DBI601\""));
	assert_non_null(strstr(s, "<file name=\"clean.yaml\">\n  </file>"));
	free(m.buf);
	dbp_report_free(&r);
}

static void test_codequality_fields(void **state)
{
	struct dbp_report r;
	struct mem m;
	struct json_object *o, *e;

	(void)state;
	sample(&r);
	mem_open(&m);
	assert_int_equal(dbp_render_codequality(m.f, &r), 0);
	o = json_tokener_parse(mem_close(&m));
	assert_int_equal(json_object_array_length(o), 2);
	e = json_object_array_get_idx(o, 0);
	assert_string_equal(json_object_get_string(json_object_object_get(e, "check_name")), "DBI601");
	assert_string_equal(json_object_get_string(json_object_object_get(e, "severity")), "critical");
	assert_int_equal(strlen(json_object_get_string(json_object_object_get(e, "fingerprint"))), 16);
	e = json_object_array_get_idx(o, 1);
	/* GitLab needs a line: 1 when the finding has none */
	assert_int_equal(json_object_get_int(json_object_object_get(json_object_object_get(
		json_object_object_get(e, "location"), "lines"), "begin")), 1);
	json_object_put(o);
	free(m.buf);
	dbp_report_free(&r);
}

/* The SARIF rules' texts come from dbpod-lint(1)'s FINDINGS: every lint
 * finding has its entry there (the man page's words, troff made plain),
 * and every entry is a finding lint reports */
static void test_finding_docs_cover_lint(void **state)
{
	static const char *const ids[] = {
		"DBI600", "DBI601", "DBI609", "DBI617", "DBI690", "DBK701", "DBK708", "DBO309",
	};
	size_t n = 0;

	(void)state;
	for (const struct dbp_finding_doc *d = dbp_finding_docs; d->id; d++, n++) {
		assert_string_not_equal(dbp_lint_title(d->id), "dbpod finding");
		assert_true(strlen(d->text) > 20);
		/* no troff left in the text */
		assert_null(strstr(d->text, "\\f"));
		assert_null(strstr(d->text, "\\-"));
		assert_null(strstr(d->text, "\\("));
		assert_null(strstr(d->text, "\n."));
	}
	assert_true(n >= 30);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const struct dbp_finding_doc *d = dbp_finding_docs;

		while (d->id && strcmp(d->id, ids[i]))
			d++;
		assert_non_null(d->id);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml_escape_keeps_xml_well_formed),
		cmocka_unit_test(test_sarif_shape),
		cmocka_unit_test(test_junit_and_checkstyle_per_file),
		cmocka_unit_test(test_codequality_fields),
		cmocka_unit_test(test_finding_docs_cover_lint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
