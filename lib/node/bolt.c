/*
 * A read-only lookup in a bbolt file (see bolt.h for the format and why a
 * read without the daemon's lock is sound when the txid holds).
 *
 * Every offset, count and size in a page is the file's word, and the file
 * may be torn, rewritten under the reader, or hostile: each is checked
 * against the bytes actually fetched before anything is read through it,
 * in 64-bit arithmetic, and the number of pages fetched is bounded.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bolt.h"

#define MAGIC 0xED0CDAEDu
#define BOLT_VERSION 2
#define PAGE_HEADER 16
#define ELEMENT 16		/* a branch and a leaf element are both 16 bytes */
#define META_SIZE 64		/* the meta struct, checksum included */
#define BUCKET_HEADER 16	/* root page, sequence */

#define FLAG_BRANCH 0x01
#define FLAG_LEAF 0x02
#define LEAF_BUCKET 0x01

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* FNV-1a 64, what bbolt's meta.sum64 uses */
static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

struct meta {
	uint32_t page_size;
	uint64_t root, high, txid;
};

/* The meta page at offset off. 1 valid, 0 not a valid meta, or the read
 * function's error. */
static int meta_read(dbp_bolt_read_fn read, void *ctx, uint64_t off, struct meta *m)
{
	uint8_t b[PAGE_HEADER + META_SIZE];
	const uint8_t *mp = b + PAGE_HEADER;
	uint64_t sum;
	int rc = read(ctx, off, b, sizeof(b));

	if (rc < 0)
		return rc == -EIO ? 0 : rc;
	if (le32(mp) != MAGIC || le32(mp + 4) != BOLT_VERSION)
		return 0;
	/* bbolt takes a zero checksum as "not written" (files of its first
	 * versions) */
	sum = le64(mp + 56);
	if (sum && sum != fnv1a64(mp, 56))
		return 0;
	m->page_size = le32(mp + 8);
	m->root = le64(mp + 16);
	m->high = le64(mp + 40);
	m->txid = le64(mp + 48);
	/* a page size bbolt can have written (the OS page size: 4 KiB to
	 * 64 KiB), a root bucket on a data page below the high water mark */
	if (m->page_size < 1024 || m->page_size > 65536 || (m->page_size & (m->page_size - 1)))
		return 0;
	if (m->root < 2 || m->root >= m->high || m->high > UINT64_MAX / m->page_size)
		return 0;
	return 1;
}

/* The newest valid meta: page 0 at offset 0 says the page size and so
 * where page 1 is; when page 0 is not valid, page 1 is looked for at the
 * page sizes bbolt uses. */
static int meta_newest(dbp_bolt_read_fn read, void *ctx, struct meta *out)
{
	static const uint32_t sizes[] = { 4096, 8192, 16384, 65536 };
	struct meta m0, m1;
	int v0, v1 = 0;

	v0 = meta_read(read, ctx, 0, &m0);
	if (v0 < 0)
		return v0;
	if (v0) {
		v1 = meta_read(read, ctx, m0.page_size, &m1);
	} else {
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && !v1; i++) {
			v1 = meta_read(read, ctx, sizes[i], &m1);
			if (v1 > 0 && m1.page_size != sizes[i])
				v1 = 0;
		}
	}
	if (v1 < 0)
		return v1;
	if (!v0 && !v1)
		return -EINVAL;
	*out = !v1 || (v0 && m0.txid >= m1.txid) ? m0 : m1;
	return 0;
}

int dbp_bolt_open(struct dbp_bolt *db, dbp_bolt_read_fn read, void *ctx)
{
	struct meta m;
	int rc;

	memset(db, 0, sizeof(*db));
	rc = meta_newest(read, ctx, &m);
	if (rc < 0)
		return rc;
	db->read = read;
	db->ctx = ctx;
	db->page_size = m.page_size;
	db->root = m.root;
	db->high = m.high;
	db->txid = m.txid;
	return 0;
}

int dbp_bolt_txid(const struct dbp_bolt *db, uint64_t *txid)
{
	struct meta m;
	int rc = meta_newest(db->read, db->ctx, &m);

	if (rc == 0)
		*txid = m.txid;
	return rc;
}

/* One lookup: the pages it fetched, freed together at the end (a value
 * found points into one of them, an inline bucket's page too). */
struct walk {
	const struct dbp_bolt *db;
	uint8_t *bufs[DBP_BOLT_MAX_PAGES];
	size_t n;
};

/* A page or an inline bucket's page: its bytes, flags and element count,
 * the count already checked against the size. */
struct node {
	const uint8_t *p;
	size_t size;
	uint16_t flags;
	uint16_t count;
};

static int node_init(struct node *nd, const uint8_t *p, size_t size)
{
	if (size < PAGE_HEADER)
		return -EINVAL;
	nd->p = p;
	nd->size = size;
	nd->flags = le16(p + 8);
	nd->count = le16(p + 10);
	if (nd->flags != FLAG_BRANCH && nd->flags != FLAG_LEAF)
		return -EINVAL;
	if ((uint64_t)PAGE_HEADER + (uint64_t)nd->count * ELEMENT > size)
		return -EINVAL;
	return 0;
}

/* Page pgid and its overflow, fetched whole. */
static int page_fetch(struct walk *w, uint64_t pgid, struct node *nd)
{
	const struct dbp_bolt *db = w->db;
	uint8_t h[PAGE_HEADER];
	uint64_t run, off;
	uint32_t overflow;
	uint8_t *buf;
	int rc;

	if (w->n >= DBP_BOLT_MAX_PAGES)
		return -E2BIG;
	/* pages 0 and 1 are the metas; nothing of the tree is at or past
	 * the high water mark */
	if (pgid < 2 || pgid >= db->high)
		return -EINVAL;
	off = pgid * db->page_size;
	rc = db->read(db->ctx, off, h, sizeof(h));
	if (rc < 0)
		return rc;
	overflow = le32(h + 12);
	/* a page says its own id: another one here was rewritten under us,
	 * or the pointer to it is corrupt */
	if (le64(h) != pgid || overflow >= db->high - pgid)
		return -EINVAL;
	run = ((uint64_t)overflow + 1) * db->page_size;
	if (run > DBP_BOLT_MAX_RUN)
		return -EFBIG;
	buf = malloc((size_t)run);
	if (!buf)
		return -ENOMEM;
	w->bufs[w->n++] = buf;
	rc = db->read(db->ctx, off, buf, (size_t)run);
	if (rc < 0)
		return rc;
	return node_init(nd, buf, (size_t)run);
}

static int key_cmp(const uint8_t *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : an < bn ? -1 : an > bn;
}

/* The key of element i of a branch node, and the page it leads to. */
static int branch_elem(const struct node *nd, size_t i, const uint8_t **key, size_t *klen,
		       uint64_t *child)
{
	size_t at = PAGE_HEADER + i * ELEMENT;
	uint64_t start = (uint64_t)at + le32(nd->p + at);

	*klen = le32(nd->p + at + 4);
	if (start + *klen > nd->size)
		return -EINVAL;
	*key = nd->p + start;
	*child = le64(nd->p + at + 8);
	return 0;
}

/* The flags, key and value of element i of a leaf node. */
static int leaf_elem(const struct node *nd, size_t i, uint32_t *flags, const uint8_t **key,
		     size_t *klen, const uint8_t **val, size_t *vlen)
{
	size_t at = PAGE_HEADER + i * ELEMENT;
	uint64_t start = (uint64_t)at + le32(nd->p + at + 4);

	*flags = le32(nd->p + at);
	*klen = le32(nd->p + at + 8);
	*vlen = le32(nd->p + at + 12);
	if (start + *klen + *vlen > nd->size)
		return -EINVAL;
	*key = nd->p + start;
	*val = *key + *klen;
	return 0;
}

/* key in the bucket whose root is nd: down the branches (the last
 * element whose key is not past key, as bbolt's cursor seeks), then the
 * leaf's exact match. */
static int bucket_find(struct walk *w, struct node nd, const char *key, uint32_t *flags,
		       const uint8_t **val, size_t *vlen)
{
	size_t klen = strlen(key);
	int rc;

	while (nd.flags == FLAG_BRANCH) {
		const uint8_t *k;
		size_t kn;
		uint64_t child = 0, c;

		if (!nd.count)
			return -EINVAL;
		for (size_t i = 0; i < nd.count; i++) {
			rc = branch_elem(&nd, i, &k, &kn, &c);
			if (rc < 0)
				return rc;
			if (i > 0 && key_cmp(k, kn, key, klen) > 0)
				break;
			child = c;
		}
		rc = page_fetch(w, child, &nd);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < nd.count; i++) {
		const uint8_t *k;
		size_t kn;

		rc = leaf_elem(&nd, i, flags, &k, &kn, val, vlen);
		if (rc < 0)
			return rc;
		if (!key_cmp(k, kn, key, klen))
			return 0;
	}
	return -ENOENT;
}

/* The root node of the bucket whose header is val. */
static int bucket_open(struct walk *w, const uint8_t *val, size_t vlen, struct node *nd)
{
	uint64_t root;

	if (vlen < BUCKET_HEADER)
		return -EINVAL;
	root = le64(val);
	if (root)
		return page_fetch(w, root, nd);
	/* inline: a leaf page right after the header, in the value */
	if (node_init(nd, val + BUCKET_HEADER, vlen - BUCKET_HEADER) < 0 || nd->flags != FLAG_LEAF)
		return -EINVAL;
	return 0;
}

int dbp_bolt_get(const struct dbp_bolt *db, const char *const *path, size_t n,
		 char **val, size_t *len, int *bucket)
{
	struct walk w = { .db = db, .n = 0 };
	struct node nd;
	const uint8_t *v = NULL;
	size_t vlen = 0;
	uint32_t flags = 0;
	int rc;

	*val = NULL;
	*len = 0;
	*bucket = 0;
	if (!n)
		return -EINVAL;
	rc = page_fetch(&w, db->root, &nd);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = bucket_find(&w, nd, path[i], &flags, &v, &vlen);
		if (rc == 0 && i + 1 < n) {
			if (!(flags & LEAF_BUCKET))
				rc = -ENOENT;
			else
				rc = bucket_open(&w, v, vlen, &nd);
		}
	}
	if (rc == 0) {
		*val = malloc(vlen + 1);
		if (!*val) {
			rc = -ENOMEM;
		} else {
			memcpy(*val, v, vlen);
			(*val)[vlen] = '\0';
			*len = vlen;
			*bucket = !!(flags & LEAF_BUCKET);
		}
	}
	for (size_t i = 0; i < w.n; i++)
		free(w.bufs[i]);
	return rc;
}
