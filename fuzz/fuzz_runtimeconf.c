/* libFuzzer: what lib/node/runtimeconf.c and containerdmeta.c parse from the
 * node -- a daemon's command line (NUL-separated, as /proc/PID/cmdline),
 * docker's daemon.json, a TOML configuration (containerd's config.toml,
 * containers-storage.conf), and the CRI plugin's record from containerd's
 * meta.db. The first byte picks the parser, the rest is its input. The
 * seeds (fuzz/corpus/runtimeconf) are the configuration files of
 * tests/fixtures/container/runtimes and command lines seen here. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "node/containerdmeta.h"
#include "node/runtimeconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void args(const char *text, size_t len)
{
	char *argv[64];
	size_t n = 0;
	struct dbp_daemon_args a;

	for (size_t i = 0; i < len && n < 63;) {
		argv[n++] = (char *)text + i;
		i += strnlen(text + i, len - i) + 1;
	}
	argv[n] = NULL;
	dbp_dockerd_args_parse(argv, &a);
	dbp_containerd_args_parse(argv, &a);
	if (strnlen(a.data_root, sizeof(a.data_root)) == sizeof(a.data_root) ||
	    strnlen(a.config, sizeof(a.config)) == sizeof(a.config))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes with a NUL after it, as the readers
	 * hand text over */
	char *text;
	size_t len;
	char out[256];

	if (!size)
		return 0;
	len = size - 1;
	text = malloc(len + 1);
	if (!text)
		return 0;
	memcpy(text, data + 1, len);
	text[len] = '\0';
	switch (data[0] % 4) {
	case 0:
		args(text, len);
		break;
	case 1:
		dbp_docker_config_data_root(text, len, out, sizeof(out));
		break;
	case 2:
		dbp_toml_string(text, len, "", "root", out, sizeof(out));
		dbp_toml_string(text, len, "storage", "graphroot", out, sizeof(out));
		dbp_toml_string(text, len, "plugins.\"io.containerd.grpc.v1.cri\"", "sandbox_image",
				out, sizeof(out));
		break;
	case 3: {
		struct dbp_cri_record r;

		dbp_cri_record_parse(text, len, &r);
		break;
	}
	}
	free(text);
	return 0;
}
