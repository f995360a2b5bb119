/*
 * doctor's rules: one report from the reports of every live check, with
 * the second of two findings that name one cause dropped.
 *
 * doctor has no finding ids of its own: it keeps the checks' (documented
 * in dbpod-doctor(1), SAME CAUSE).
 */
#ifndef DBPOD_RULES_DOCTOR_H
#define DBPOD_RULES_DOCTOR_H

#include <stddef.h>

#include "report.h"

/* Copy the findings of the n reports into all, in their order, and sort
 * all most severe first. A finding that another check's names the same
 * cause for the same process is left out (DBS203 beside DBP103, DBP105
 * beside DBS201). */
void dbp_rules_doctor(const struct dbp_report *const *checks, size_t n,
		      struct dbp_report *all);

/* Is f the duplicate of a finding that one of the n reports holds? */
int dbp_doctor_same_cause(const struct dbp_finding *f,
			  const struct dbp_report *const *checks, size_t n);

#endif
