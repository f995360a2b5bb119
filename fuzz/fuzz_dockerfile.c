/* libFuzzer: a Dockerfile through the parser, the stage evaluation and
 * the lint rules. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lint/dockerunit.h"
#include "lint/rules_lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dbp_lint_opts o = { DBP_DB_NONE, 0, DBP_LINT_MIN_GRACE, 0, -1 };
	struct dbp_lintfile lf;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* no build context: the fuzzer must not read files */
	if (dbp_dockerfile_read(text, size, NULL, &lf) == 0) {
		struct dbp_report r;

		dbp_report_init(&r, "lint");
		for (size_t i = 0; i < lf.units.n; i++)
			dbp_rules_lint(&lf.units.items[i], &o, "Dockerfile", &r, NULL);
		dbp_ignores_apply(&r, 0, &lf.ignores, "Dockerfile", 1);
		dbp_report_free(&r);
		dbp_lintfile_free(&lf);
	}
	free(text);
	return 0;
}
