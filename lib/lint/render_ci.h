/*
 * The formats CI systems read, for dbpod lint: SARIF 2.1.0 (GitHub code
 * scanning), JUnit XML (Jenkins, GitLab, Azure), GitLab Code Quality JSON
 * and Checkstyle XML. Each carries every finding of the report with its
 * file, line and column; files lists every input judged (those without a
 * finding too, as a passing test or an empty <file>). Each returns 0 or
 * -EIO when the stream failed.
 */
#ifndef DBPOD_RENDER_CI_H
#define DBPOD_RENDER_CI_H

#include <stdio.h>

#include "report.h"

/* threshold: the findings at or above it fail (JUnit failures, SARIF
 * levels stay the severities'). */
int dbp_render_sarif(FILE *out, const struct dbp_report *r);
int dbp_render_junit(FILE *out, const struct dbp_report *r, const char *const *files,
		     size_t nfiles, enum dbp_severity threshold);
int dbp_render_codequality(FILE *out, const struct dbp_report *r);
int dbp_render_checkstyle(FILE *out, const struct dbp_report *r, const char *const *files,
			  size_t nfiles);

/* s with &<>"' escaped and what XML 1.0 cannot hold (control characters,
 * invalid UTF-8) replaced by '?', written to out. */
void dbp_xml_escape(FILE *out, const char *s);

#endif
