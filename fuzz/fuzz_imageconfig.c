/* libFuzzer: inspect JSON into images, and the rules over them. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lint/imageconfig.h"
#include "lint/rules_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct dbp_images imgs;
	char why[256];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (dbp_images_parse(text, size, &imgs, why, sizeof(why)) == 0) {
		for (size_t i = 0; i < imgs.n; i++) {
			struct dbp_report r;
			struct dbp_image_facts f;

			dbp_report_init(&r, "imagecheck");
			dbp_rules_image(&imgs.items[i], NULL, &r, &f);
			dbp_image_facts_free(&f);
			dbp_report_free(&r);
		}
		dbp_images_free(&imgs);
	}
	free(text);
	return 0;
}
