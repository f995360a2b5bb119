/*
 * doctor's rules (rules_doctor.h): the merge of every check's findings.
 *
 * Two checks look at one container from two sides, and some causes show
 * on both: PID 1 dropping the stop signal is pid1check's DBP103 and
 * signals' DBS203; the psql a PostgreSQL PID 1 adopted is pid1check's
 * DBP105 and signals' DBS201. doctor says each cause once, with the
 * finding that explains it better.
 */
#include "config.h"

#include <string.h>

#include "rules_doctor.h"

/* Two findings of different checks about one cause: drop is left out
 * when keep is present for the same process. */
static const struct {
	const char *keep, *drop;
} same_cause[] = {
	{ "DBP103", "DBS203" },	/* PID 1 drops the stop signal */
	{ "DBS201", "DBP105" },	/* the adopted psql: DBS201 says why it dies */
};

int dbp_doctor_same_cause(const struct dbp_finding *f,
			  const struct dbp_report *const *checks, size_t n)
{
	for (size_t k = 0; k < sizeof(same_cause) / sizeof(same_cause[0]); k++) {
		if (strcmp(f->id, same_cause[k].drop))
			continue;
		for (size_t c = 0; c < n; c++)
			if (dbp_report_has(checks[c], same_cause[k].keep, f->pid))
				return 1;
	}
	return 0;
}

void dbp_rules_doctor(const struct dbp_report *const *checks, size_t n,
		      struct dbp_report *all)
{
	for (size_t c = 0; c < n; c++)
		for (size_t i = 0; i < checks[c]->n; i++)
			if (!dbp_doctor_same_cause(&checks[c]->items[i], checks, n))
				dbp_report_copy(all, &checks[c]->items[i]);
	dbp_report_sort(all);
}
