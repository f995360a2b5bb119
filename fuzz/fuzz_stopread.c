/* libFuzzer: a shell script's text (its traps, what runs the service,
 * and the chain an image that copies it would run) and a supervisord.conf,
 * as anyone who builds the image may have written them. The first byte
 * picks the parser. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lint/imagechain.h"
#include "shscript.h"
#include "stopread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, inc[64];
	struct dbp_supervisor sup;

	if (!size)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if ((data[0] & 3) == 3) {
		/* the text as the entrypoint an image copies, and as sh -c */
		struct dbp_image_files files = { 0 };
		char *argv[] = { (char *)"/entrypoint.sh", (char *)"postgres", NULL };
		char *shc[] = { (char *)"bash", (char *)"-c", text, NULL };
		struct dbp_chain_in in = { argv, NULL, &files, 0, 0 };
		struct dbp_chain c;

		if (dbp_image_files_add(&files, "/entrypoint.sh", text, "fuzz") == 0 &&
		    dbp_image_files_add(&files, "/etc/supervisord.conf", text, "fuzz") == 0) {
			dbp_chain_build(&in, &c);
			dbp_chain_free(&c);
			in.argv = shc;
			dbp_chain_build(&in, &c);
			dbp_chain_free(&c);
		}
		dbp_image_files_free(&files);
	} else if (data[0] & 1) {
		struct dbp_sh_script sh;

		(void)dbp_shell_traps(text);
		if (dbp_sh_parse(text, &sh) == 0)
			dbp_sh_free(&sh);
	} else {
		memset(&sup, 0, sizeof(sup));
		(void)dbp_supervisor_parse(text, "postgres", &sup, inc, sizeof(inc));
	}
	free(text);
	return 0;
}
