/* libFuzzer: YAML through libyaml into the Compose and Kubernetes readers
 * (the first byte picks which, or detection), the inline ignores, the
 * lint rules, and .dbpod.yaml's reader. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lint/lintconfig.h"
#include "lint/lintread.h"
#include "lint/rules_lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dbp_lint_opts o = { DBP_DB_NONE, 0, DBP_LINT_MIN_GRACE, 0, -1 };
	static const enum dbp_lint_kind kinds[] = { DBP_LINT_AUTO, DBP_LINT_COMPOSE, DBP_LINT_K8S };
	struct dbp_lintfile lf;
	struct dbp_lintconfig c;
	enum dbp_lint_kind got;
	char why[256], *text;

	if (!size)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (dbp_lint_read("x.yaml", text, size - 1, NULL, kinds[data[0] % 3], &lf, &got) == 0) {
		struct dbp_report r;

		dbp_report_init(&r, "lint");
		for (size_t i = 0; i < lf.units.n; i++)
			dbp_rules_lint(&lf.units.items[i], &o, "x.yaml", &r, NULL);
		dbp_ignores_apply(&r, 0, &lf.ignores, "x.yaml", 1);
		dbp_report_free(&r);
		dbp_lintfile_free(&lf);
	}
	if (dbp_lintconfig_parse(text, size - 1, &c, why, sizeof(why)) == 0)
		dbp_lintconfig_free(&c);
	free(text);
	return 0;
}
