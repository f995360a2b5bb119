/* libFuzzer: a bbolt file as lib/node/bolt.c reads it -- containerd's meta.db,
 * podman's bolt_state.db, which their daemons write and anyone with root
 * on the node may replace. The input is the whole file; the lookups are
 * the ones dbpod makes (a container's stop-signal label, image and CRI
 * record; podman's ctr/<ID>/config) and one whose keys come from the
 * input's first bytes, so that a mutated tree is walked where it leads.
 * The seeds (fuzz/corpus/bolt) are the captured files of
 * tests/fixtures/container/runtimes, cut at their page high water mark. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "node/bolt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CTR "aed6ad10d24c97edd294a02fff1e55dd63010817a04603746ef6e16abb20c252"
#define PODMAN "dd091b366062572f3feb71cd098646035d333e8740327cdb75b1cab312b2508a"

struct buf {
	const uint8_t *p;
	size_t n;
};

static int buf_read(void *ctx, uint64_t off, void *out, size_t len)
{
	const struct buf *b = ctx;

	if (off > b->n || len > b->n - off)
		return -EIO;
	memcpy(out, b->p + off, len);
	return 0;
}

static void get(const struct dbp_bolt *db, const char *const *path, size_t n)
{
	char *v;
	size_t len;
	int bucket;

	if (dbp_bolt_get(db, path, n, &v, &len, &bucket) == 0) {
		/* what the callers do with a value: a string to its end */
		if (strlen(v) > len)
			abort();
		free(v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const label[] = { "v1", "k8s.io", "containers", CTR, "labels",
					     "io.containerd.image.config.stop-signal" };
	static const char *const image[] = { "v1", "k8s.io", "containers", CTR, "image" };
	static const char *const cri[] = { "v1", "k8s.io", "containers", CTR, "extensions",
					   "io.cri-containerd.container.metadata" };
	static const char *const podman[] = { "ctr", PODMAN, "config" };
	/* a copy of exactly size bytes, so ASan sees a read past the end */
	uint8_t *copy = malloc(size ? size : 1);
	struct buf b = { copy, size };
	struct dbp_bolt db;
	uint64_t txid;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (dbp_bolt_open(&db, buf_read, &b) == 0) {
		char k0[3] = { 0 }, k1[3] = { 0 };
		const char *mine[] = { k0, k1 };

		get(&db, label, 6);
		get(&db, image, 5);
		get(&db, cri, 6);
		get(&db, podman, 3);
		if (size >= 4) {
			memcpy(k0, data, 2);
			memcpy(k1, data + 2, 2);
			get(&db, mine, 2);
		}
		dbp_bolt_txid(&db, &txid);
	}
	free(copy);
	return 0;
}
