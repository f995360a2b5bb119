/* lib/node/bolt.c: lookups in real bbolt files (containerd 1.6's meta.db and
 * podman 4.3.1's bolt_state.db, captured: tests/fixtures/container/
 * runtimes/README) and in copies of them damaged on purpose. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "node/bolt.h"

#define CTR "aed6ad10d24c97edd294a02fff1e55dd63010817a04603746ef6e16abb20c252"
#define PODMAN "dd091b366062572f3feb71cd098646035d333e8740327cdb75b1cab312b2508a"
#define PAGE 4096

struct buf {
	unsigned char *p;
	size_t n;
};

static struct buf metadb, boltstate;

static int buf_read(void *ctx, uint64_t off, void *out, size_t len)
{
	const struct buf *b = ctx;

	if (off > b->n || len > b->n - off)
		return -EIO;
	memcpy(out, b->p + off, len);
	return 0;
}

static void load(const char *rel, struct buf *b)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/tests/fixtures/container/runtimes/%s", top ? top : ".", rel);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	b->p = malloc((size_t)n);
	assert_non_null(b->p);
	assert_int_equal(fread(b->p, 1, (size_t)n, f), (size_t)n);
	b->n = (size_t)n;
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	load("var/lib/dbpod-test-containerd/io.containerd.metadata.v1.bolt/meta.db", &metadb);
	load("var/lib/dbpod-test-podman/libpod/bolt_state.db", &boltstate);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(metadb.p);
	free(boltstate.p);
	return 0;
}

/* A copy to damage. */
static struct buf copy(const struct buf *b)
{
	struct buf c = { malloc(b->n), b->n };

	assert_non_null(c.p);
	memcpy(c.p, b->p, b->n);
	return c;
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Rewrite the checksum of the meta page at page index i, as bbolt
 * would after changing a field. */
static void meta_resum(struct buf *b, size_t i)
{
	unsigned char *m = b->p + i * PAGE + 16;
	uint64_t h = 0xcbf29ce484222325ull;

	for (int k = 0; k < 56; k++) {
		h ^= m[k];
		h *= 0x100000001b3ull;
	}
	put64(m + 56, h);
}

static int get(const struct dbp_bolt *db, const char *const *path, size_t n, char **v)
{
	size_t len;
	int bucket, rc = dbp_bolt_get(db, path, n, v, &len, &bucket);

	if (rc == 0)
		assert_int_equal(strlen(*v) <= len, 1);
	return rc;
}

static void test_containerd_label_and_image(void **state)
{
	struct dbp_bolt db;
	const char *label[] = { "v1", "k8s.io", "containers", CTR, "labels",
				"io.containerd.image.config.stop-signal" };
	const char *image[] = { "v1", "k8s.io", "containers", CTR, "image" };
	const char *ctrs[] = { "v1", "k8s.io", "containers" };
	char *v;
	size_t len;
	int bucket;

	(void)state;
	assert_int_equal(dbp_bolt_open(&db, buf_read, &metadb), 0);
	assert_int_equal(db.page_size, PAGE);
	assert_true(db.txid > 0);
	assert_int_equal(get(&db, label, 6, &v), 0);
	assert_string_equal(v, "SIGQUIT");
	free(v);
	assert_int_equal(get(&db, image, 5, &v), 0);
	assert_string_equal(v, "docker.io/dbpod-test/pg:15");
	free(v);
	/* a bucket: its header (root page, sequence), and the flag */
	assert_int_equal(dbp_bolt_get(&db, ctrs, 3, &v, &len, &bucket), 0);
	assert_int_equal(bucket, 1);
	assert_int_equal(len >= 16, 1);
	free(v);
}

static void test_absent_keys_and_plain_values_on_the_path(void **state)
{
	struct dbp_bolt db;
	const char *absent_ns[] = { "v1", "nope", "containers" };
	const char *absent_ctr[] = { "v1", "k8s.io", "containers",
				     "0000000000000000000000000000000000000000000000000000000000000000" };
	const char *through_value[] = { "v1", "k8s.io", "containers", CTR, "image", "x" };
	const char *prefix[] = { "v1", "k8s.i" };
	char *v = (char *)"untouched";

	(void)state;
	assert_int_equal(dbp_bolt_open(&db, buf_read, &metadb), 0);
	assert_int_equal(get(&db, absent_ns, 3, &v), -ENOENT);
	assert_null(v);
	assert_int_equal(get(&db, absent_ctr, 4, &v), -ENOENT);
	assert_int_equal(get(&db, through_value, 6, &v), -ENOENT);
	assert_int_equal(get(&db, prefix, 2, &v), -ENOENT);
	assert_int_equal(get(&db, prefix, 0, &v), -EINVAL);
}

static void test_podman_state(void **state)
{
	struct dbp_bolt db;
	const char *cfg[] = { "ctr", PODMAN, "config" };
	char *v;

	(void)state;
	assert_int_equal(dbp_bolt_open(&db, buf_read, &boltstate), 0);
	/* an 11 KB value on its own overflow pages */
	assert_int_equal(get(&db, cfg, 3, &v), 0);
	assert_non_null(strstr(v, "\"stopTimeout\":7"));
	assert_non_null(strstr(v, "\"name\":\"pg-podman\""));
	free(v);
}

static void test_the_newest_valid_meta_is_taken(void **state)
{
	struct dbp_bolt db, older;
	struct buf b = copy(&metadb);
	const char *image[] = { "v1", "k8s.io", "containers", CTR, "image" };
	uint64_t t0 = get64(b.p + 16 + 48), t1 = get64(b.p + PAGE + 16 + 48);
	size_t newest = t1 > t0 ? 1 : 0;
	char *v;

	(void)state;
	assert_int_equal(dbp_bolt_open(&db, buf_read, &b), 0);
	assert_int_equal(db.txid, t0 > t1 ? t0 : t1);
	/* the newest torn (a commit cut off while writing its meta): the
	 * other one, a transaction older, is the database */
	b.p[newest * PAGE + 16 + 50] ^= 0xff;
	assert_int_equal(dbp_bolt_open(&older, buf_read, &b), 0);
	assert_int_equal(older.txid, t0 > t1 ? t1 : t0);
	assert_int_equal(get(&older, image, 5, &v), 0);
	free(v);
	/* both torn: no database */
	b.p[(1 - newest) * PAGE + 16 + 50] ^= 0xff;
	assert_int_equal(dbp_bolt_open(&older, buf_read, &b), -EINVAL);
	/* page 0 with a page size bbolt never uses, its checksum right:
	 * page 1 is looked for at the page sizes bbolt does use */
	memcpy(b.p, metadb.p, 2 * PAGE);
	b.p[16 + 8] = 0x10;
	b.p[16 + 9] = 0x00;	/* 16 bytes */
	meta_resum(&b, 0);
	assert_int_equal(dbp_bolt_open(&older, buf_read, &b), 0);
	assert_int_equal(older.txid, t1);
	free(b.p);
}

static void test_what_is_not_bbolt(void **state)
{
	struct dbp_bolt db;
	unsigned char zeros[2 * PAGE] = { 0 };
	struct buf z = { zeros, sizeof(zeros) }, shortb = { metadb.p, 40 };

	(void)state;
	assert_int_equal(dbp_bolt_open(&db, buf_read, &z), -EINVAL);
	assert_int_equal(dbp_bolt_open(&db, buf_read, &shortb), -EINVAL);
}

static void test_a_page_rewritten_or_pointing_astray(void **state)
{
	struct dbp_bolt db;
	struct buf b = copy(&metadb);
	const char *image[] = { "v1", "k8s.io", "containers", CTR, "image" };
	unsigned char *root;
	char *v;

	(void)state;
	assert_int_equal(dbp_bolt_open(&db, buf_read, &b), 0);
	root = b.p + db.root * PAGE;
	/* another page's id where the root should be: rewritten under the
	 * reader */
	put64(root, db.root + 1);
	assert_int_equal(get(&db, image, 5, &v), -EINVAL);
	put64(root, db.root);
	/* an overflow past the end of the tree */
	root[12] = root[13] = root[14] = root[15] = 0xff;
	assert_int_equal(get(&db, image, 5, &v), -EINVAL);
	memset(root + 12, 0, 4);
	/* a branch that leads to itself: the page budget ends it */
	root[8] = 0x01;
	root[9] = 0;
	root[10] = 1;
	root[11] = 0;
	memset(root + 16, 0, 16);
	root[16] = 16;			/* pos: the key right after the element */
	put64(root + 24, db.root);	/* pgid */
	assert_int_equal(get(&db, image, 5, &v), -E2BIG);
	/* a count of elements the page cannot hold */
	root[8] = 0x02;
	root[10] = 0xff;
	root[11] = 0xff;
	assert_int_equal(get(&db, image, 5, &v), -EINVAL);
	/* a page of no kind the tree has */
	root[8] = 0x10;
	root[10] = 0;
	root[11] = 0;
	assert_int_equal(get(&db, image, 5, &v), -EINVAL);
	free(b.p);
}

static void test_a_run_past_the_cap_is_not_read(void **state)
{
	struct dbp_bolt db;
	struct buf b = copy(&metadb);
	const char *image[] = { "v1", "k8s.io", "containers", CTR, "image" };
	uint64_t root;
	char *v;

	(void)state;
	/* both metas say the tree has a million pages, and the root page
	 * claims 5000 of them as its overflow: 20 MB, not fetched */
	for (size_t i = 0; i < 2; i++) {
		put64(b.p + i * PAGE + 16 + 40, 1000000);
		meta_resum(&b, i);
	}
	assert_int_equal(dbp_bolt_open(&db, buf_read, &b), 0);
	root = db.root;
	b.p[root * PAGE + 12] = 0x88;
	b.p[root * PAGE + 13] = 0x13;	/* 5000 */
	assert_int_equal(get(&db, image, 5, &v), -EFBIG);
	free(b.p);
}

/* Every byte of the tree's pages changed in turn (a deterministic walk,
 * not a fuzzer: fuzz/fuzz_bolt.c is): no lookup reads outside what it
 * fetched (ASan in the sanitizer build says so), and each ends in a
 * value or one of the errors the header names. */
static void test_damage_anywhere_is_an_error_not_a_crash(void **state)
{
	struct buf b = copy(&metadb);
	const char *label[] = { "v1", "k8s.io", "containers", CTR, "labels",
				"io.containerd.image.config.stop-signal" };
	uint32_t x = 12345;

	(void)state;
	for (size_t off = 2 * PAGE; off < b.n; off += 7) {
		struct dbp_bolt db;
		unsigned char was = b.p[off];
		char *v;
		int rc;

		x = x * 1103515245u + 12345u;
		b.p[off] ^= (unsigned char)(x >> 16 | 1);
		if (dbp_bolt_open(&db, buf_read, &b) == 0) {
			rc = get(&db, label, 6, &v);
			assert_true(rc == 0 || rc == -ENOENT || rc == -EINVAL || rc == -E2BIG ||
				    rc == -EFBIG || rc == -EIO);
			if (rc == 0)
				free(v);
		}
		b.p[off] = was;
	}
	free(b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_containerd_label_and_image),
		cmocka_unit_test(test_absent_keys_and_plain_values_on_the_path),
		cmocka_unit_test(test_podman_state),
		cmocka_unit_test(test_the_newest_valid_meta_is_taken),
		cmocka_unit_test(test_what_is_not_bbolt),
		cmocka_unit_test(test_a_page_rewritten_or_pointing_astray),
		cmocka_unit_test(test_a_run_past_the_cap_is_not_read),
		cmocka_unit_test(test_damage_anywhere_is_an_error_not_a_crash),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
