/*
 * A read-only lookup in a bbolt database file, the key/value store that
 * containerd keeps its metadata in (<root>/io.containerd.metadata.v1.bolt/
 * meta.db: a container's labels, its image name, the CRI plugin's record
 * of it) and podman 4 its container configurations (<graphroot>/libpod/
 * bolt_state.db). A parser: the bytes come from a caller's read function
 * (a file, a fuzzer's buffer), nothing is opened here.
 *
 * The file format (etcd-io/bbolt v1.3.6, the version containerd 1.6 and
 * podman 4.3 build with: page.go, db.go, bucket.go), all integers in the
 * writer's byte order, little-endian on every machine dbpod is built for:
 *
 *   page header  id u64, flags u16 (branch 0x01, leaf 0x02, meta 0x04,
 *                freelist 0x10), count u16, overflow u32: 16 bytes; a
 *                page is (1 + overflow) pages long
 *   meta         pages 0 and 1, after the header: magic u32 0xED0CDAED,
 *                version u32 2, page size u32, flags u32, root bucket
 *                (root page u64, sequence u64), freelist u64, page high
 *                water mark u64, txid u64, checksum u64 (FNV-1a 64 of the
 *                56 bytes before it). A commit writes the data pages,
 *                then the meta page txid % 2: the valid meta with the
 *                higher txid is the database.
 *   branch page  count elements (pos u32, ksize u32, page u64), keys
 *                sorted; an element's key at the element's offset + pos
 *   leaf page    count elements (flags u32, pos u32, ksize u32, vsize
 *                u32), key then value at the element's offset + pos;
 *                flags 0x01: the value is a bucket
 *   bucket value root page u64, sequence u64; root 0: an inline bucket,
 *                whose one leaf page follows in the value itself
 *
 * Reading without the daemon's lock: bbolt writes copy-on-write and frees
 * a page only for a later transaction, so the pages reachable from one
 * txid's meta stay as they are until two commits later. A lookup whose
 * txid is still the newest when it is done (dbp_bolt_txid before and
 * after) read one consistent state; the caller checks that and retries.
 * Whatever the bytes, nothing here reads outside a page it fetched, and
 * a lookup reads at most DBP_BOLT_MAX_PAGES pages.
 */
#ifndef DBPOD_BOLT_H
#define DBPOD_BOLT_H

#include <stddef.h>
#include <stdint.h>

/* Pages one lookup may fetch: a path of eight buckets in a database of a
 * million keys is about forty. */
#define DBP_BOLT_MAX_PAGES 256
/* The longest page run (a page and its overflow) fetched: a container's
 * CRI record is a few KB; 16 MiB is far past any value a runtime writes. */
#define DBP_BOLT_MAX_RUN (16u << 20)

/* Fill buf with len bytes of the file from offset off. Returns 0, or a
 * negative errno (-EIO for a file that ends before). */
typedef int (*dbp_bolt_read_fn)(void *ctx, uint64_t off, void *buf, size_t len);

struct dbp_bolt {
	dbp_bolt_read_fn read;
	void *ctx;
	uint32_t page_size;
	uint64_t root;		/* the root bucket's page */
	uint64_t high;		/* the page high water mark: no tree page at or past it */
	uint64_t txid;
};

/* Read the two meta pages and take the newest valid one. Returns 0;
 * -EINVAL when neither is a bbolt meta page of version 2 with a good
 * checksum (not a bbolt file, another byte order, torn at creation); the
 * read function's error. */
int dbp_bolt_open(struct dbp_bolt *db, dbp_bolt_read_fn read, void *ctx);

/* The txid of the newest valid meta now, into *txid: 0 or what
 * dbp_bolt_open returns. */
int dbp_bolt_txid(const struct dbp_bolt *db, uint64_t *txid);

/* The value at a path of n keys: buckets path[0] .. path[n-2] nested in
 * the root bucket, and the key path[n-1] in the last. *val (malloc'd,
 * NUL-terminated beyond *len) and *len; *bucket 1 when that key is a
 * bucket (the value is then its header), 0 for a plain value.
 * Returns 0; -ENOENT when a key is absent or a bucket on the path is a
 * plain value; -EINVAL for a page that is not what the tree says
 * (corrupt, or rewritten while read); -E2BIG past DBP_BOLT_MAX_PAGES;
 * -ENOMEM; the read function's error. */
int dbp_bolt_get(const struct dbp_bolt *db, const char *const *path, size_t n,
		 char **val, size_t *len, int *bucket);

#endif
