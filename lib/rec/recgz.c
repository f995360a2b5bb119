/* A recording compressed in members with an index (recgz.h). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "recgz.h"

#define EPOCH_MAX 1e13
#define PAYLOAD_FIXED 148		/* a data member's payload before its heads */
#define SAMPLE_BYTES 24
#define IX_FIXED 32			/* the index payload before its entries */
#define IX_MAGIC "dbpodix1"
#define IX_TRAILER 10			/* an empty deflate block, CRC-32 0, ISIZE 0 */

static const unsigned char empty_tail[IX_TRAILER] = { 0x03, 0x00 };

/* ---- little-endian fields ---- */

static void put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static void putd(unsigned char *p, double d)
{
	uint64_t v;

	memcpy(&v, &d, sizeof(v));
	put64(p, v);
}

static uint32_t get16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static double getd(const unsigned char *p)
{
	uint64_t v = get64(p);
	double d;

	memcpy(&d, &v, sizeof(d));
	return d;
}

/* a time as a recording holds one: 0 (none), or an epoch in range */
static int time_ok(double t)
{
	return t >= 0 && t <= EPOCH_MAX;
}

/* ---- the heads of sample lines (shared with recread.c) ---- */

/* A number as strtod reads it, without strtod for the plain ones a head
 * and a PID list hold (digits, and a time's three decimals): below 10^15,
 * over a power of ten up to 10^22, both exact doubles, the quotient is
 * rounded once, as strtod rounds the decimal -- the same double. The rest
 * (a sign, an exponent, hex, more digits) goes to strtod. */
static double num_fast(const char *s, char **end)
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
				      1e11, 1e12, 1e13, 1e14, 1e15 };
	const char *p = s;
	uint64_t m = 0;
	int digits = 0, frac = 0;

	for (; *p >= '0' && *p <= '9' && digits < 15; p++, digits++)
		m = m * 10 + (uint64_t)(*p - '0');
	if (*p == '.' && digits)
		for (p++; *p >= '0' && *p <= '9' && digits < 15; p++, digits++, frac++)
			m = m * 10 + (uint64_t)(*p - '0');
	if (!digits || (*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' ||
	    *p == 'x' || *p == 'X' || *p == 'p' || *p == 'P')
		return strtod(s, end);
	*end = (char *)p;
	return (double)m / p10[frac];
}

static const char *head_num(const char *s, const char *key, double *v)
{
	size_t kl = strlen(key);
	char *end;

	if (s[0] != ',' || s[1] != '"' || strncmp(s + 2, key, kl) || s[2 + kl] != '"' ||
	    s[3 + kl] != ':')
		return NULL;
	s += 4 + kl;
	if (*s != '-' && (*s < '0' || *s > '9'))
		return NULL;
	*v = num_fast(s, &end);
	return end;
}

int dbp_rec_head_parse(const char *s, char *kind, size_t ksize, struct dbp_rec_sample *si,
		       const char **rest)
{
	const char *q;
	double v;
	size_t n;

	memset(si, 0, sizeof(*si));
	si->last_pid = -1;
	si->born = si->threads = -1;
	*rest = NULL;
	if (strncmp(s, "{\"k\":\"", 6))
		return 0;
	s += 6;
	n = strcspn(s, "\"\\");
	if (s[n] != '"' || n >= ksize)
		return 0;
	memcpy(kind, s, n);
	kind[n] = '\0';
	s += n + 1;
	if (strcmp(kind, "key") && strcmp(kind, "delta"))
		return 2;
	if (!(q = head_num(s, "t", &v)) || !(v >= 0 && v <= EPOCH_MAX))
		return 0;
	si->t = v;
	s = q;
	if ((q = head_num(s, "seq", &v)))
		s = q;
	if ((q = head_num(s, "last_pid", &v)) && v >= 0 && v <= 1 << 22) {
		si->last_pid = (long long)v;
		s = q;
	}
	if ((q = head_num(s, "born", &v)) && v >= 0 && v <= 1 << 22) {
		si->born = (long)v;
		s = q;
	}
	if ((q = head_num(s, "threads", &v)) && v >= 0 && v <= 1 << 22) {
		si->threads = (long)v;
		s = q;
	}
	*rest = s;
	return 1;
}

/* t as the recorder writes it, with three decimals, when that reads back
 * as t (it does for what a recorder wrote): snprintf's %.17g costs more
 * than the replay of the sample it writes. Returns 0, or -ERANGE when t
 * has no such form (then the caller writes %.17g). */
static int time_ms(double t, char *buf, size_t size)
{
	double ms = t * 1000;
	unsigned long long v;
	char tmp[32], *p = tmp + sizeof(tmp);

	if (!(ms >= 0 && ms < 1e16) || ms != (double)(unsigned long long)ms || size < 24)
		return -ERANGE;
	v = (unsigned long long)ms;
	*--p = '\0';
	for (int i = 0; i < 3; i++, v /= 10)
		*--p = (char)('0' + v % 10);
	*--p = '.';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	if (strtod(p, NULL) != t)
		return -ERANGE;
	memcpy(buf, p, (size_t)(tmp + sizeof(tmp) - p));
	return 0;
}

int dbp_rec_head_format(const struct dbp_rec_sample *si, char *buf, size_t size)
{
	char lp[32] = "", b[32] = "", th[32] = "", t[32];
	int n;

	/* %.17g: strtod reads back the very double */
	if (time_ms(si->t, t, sizeof(t)) < 0)
		snprintf(t, sizeof(t), "%.17g", si->t);
	if (si->last_pid >= 0)
		snprintf(lp, sizeof(lp), ",\"last_pid\":%lld", si->last_pid);
	if (si->born >= 0)
		snprintf(b, sizeof(b), ",\"born\":%ld", si->born);
	if (si->threads >= 0)
		snprintf(th, sizeof(th), ",\"threads\":%ld", si->threads);
	n = snprintf(buf, size, "{\"k\":\"delta\",\"t\":%s%s%s%s,\"new\":[],\"gone\":[],"
		     "\"changed\":[]}", t, lp, b, th);
	return n < 0 || (size_t)n >= size ? -ENOBUFS : 0;
}

/* strtol(s, end, 10), without strtol for up to 9 digits (a PID) */
static long pid_num(const char *s, char **end)
{
	const char *p = s;
	long v = 0;

	for (; *p >= '0' && *p <= '9' && p - s < 9; p++)
		v = v * 10 + (*p - '0');
	if (p == s || (*p >= '0' && *p <= '9'))
		return strtol(s, end, 10);
	if (end)
		*end = (char *)p;
	return v;
}

int dbp_rec_line_pids(const char *line, int (*fn)(void *arg, pid_t pid), void *arg)
{
	const char *s, *g;
	int rc;

	for (s = strstr(line, "\"pid\":"); s; s = strstr(s + 6, "\"pid\":"))
		if ((rc = fn(arg, (pid_t)pid_num(s + 6, NULL))))
			return rc;
	g = strstr(line, "\"gone\":[");
	for (s = g ? g + 8 : NULL; s && *s == '['; ) {
		char *end;

		if ((rc = fn(arg, (pid_t)pid_num(s + 1, &end))))
			return rc;
		s = strchr(end, ']');
		if (!s || s[1] != ',')
			break;
		s += 2;
	}
	return 0;
}

/* ---- the PID filter ---- */

static void bloom_bits(pid_t pid, unsigned *a, unsigned *b)
{
	uint32_t x = (uint32_t)pid;

	*a = (x * 2654435761u) >> 22;		/* 10 bits: 1024 = 8 * DBP_RECGZ_BLOOM */
	*b = ((x ^ 0x5bd1e995u) * 0x85ebca6bu) >> 22;
}

static int bloom_add(void *arg, pid_t pid)
{
	unsigned char *bloom = arg;
	unsigned a, b;

	bloom_bits(pid, &a, &b);
	bloom[a >> 3] |= (unsigned char)(1u << (a & 7));
	bloom[b >> 3] |= (unsigned char)(1u << (b & 7));
	return 0;
}

int dbp_recgz_bloom_has(const unsigned char *bloom, pid_t pid)
{
	unsigned a, b;

	bloom_bits(pid, &a, &b);
	return (bloom[a >> 3] >> (a & 7) & 1) && (bloom[b >> 3] >> (b & 7) & 1);
}

/* ---- the writer ---- */

struct gzw {
	int fd, level;
	char *mem;			/* the member's lines */
	size_t n, cap;
	struct dbp_recgz_member m;
	unsigned char *out;		/* its compressed form */
	size_t outcap;
	off_t off;			/* bytes written */
	struct dbp_recgz_entry *e;	/* key members */
	size_t ne, cape;
	double first_t, last_t;
	int ended, torn;
};

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int member_flush(struct gzw *w)
{
	size_t heads = w->m.flags & DBP_RECGZ_DELTAS ? w->m.nsamples : 0;
	size_t plen = PAYLOAD_FIXED + SAMPLE_BYTES * heads, hlen = DBP_RECGZ_HEAD_FIXED + plen;
	z_stream z;
	size_t bound, clen, total;
	unsigned char *p;
	uint32_t crc;
	int rc;

	if (!w->n)
		return 0;
	memset(&z, 0, sizeof(z));
	/* raw deflate: the header is ours, for its extra field holds the
	 * member's size, known only once compressed */
	if (deflateInit2(&z, w->level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	bound = deflateBound(&z, (uLong)w->n);
	if (hlen + bound + 8 > w->outcap) {
		unsigned char *o = realloc(w->out, hlen + bound + 8);

		if (!o) {
			deflateEnd(&z);
			return -ENOMEM;
		}
		w->out = o;
		w->outcap = hlen + bound + 8;
	}
	z.next_in = (unsigned char *)w->mem;
	z.avail_in = (uInt)w->n;
	z.next_out = w->out + hlen;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	clen = bound - z.avail_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END)
		return -EIO;
	total = hlen + clen + 8;
	if (total > UINT32_MAX || w->n > UINT32_MAX)
		return -E2BIG;
	p = w->out;
	memset(p, 0, hlen);
	p[0] = 0x1f, p[1] = 0x8b, p[2] = 8, p[3] = 4;	/* deflate, FEXTRA */
	p[9] = 255;					/* OS unknown */
	put16(p + 10, (uint32_t)(plen + 4));
	p[12] = 'd', p[13] = 'p';
	put16(p + 14, (uint32_t)plen);
	p += 16;
	p[0] = 1;
	p[1] = (unsigned char)w->m.flags;
	put16(p + 2, (uint32_t)heads);
	put32(p + 4, (uint32_t)total);
	put32(p + 8, (uint32_t)w->n);
	putd(p + 12, w->m.t);
	memcpy(p + 20, w->m.bloom, DBP_RECGZ_BLOOM);
	p += PAYLOAD_FIXED;
	for (size_t i = 0; i < heads; i++, p += SAMPLE_BYTES) {
		putd(p, w->m.samples[i].t);
		put64(p + 8, (uint64_t)w->m.samples[i].last_pid);
		put32(p + 16, (uint32_t)w->m.samples[i].born);
		put32(p + 20, (uint32_t)w->m.samples[i].threads);
	}
	crc = (uint32_t)crc32(0, (const unsigned char *)w->mem, (uInt)w->n);
	put32(w->out + hlen + clen, crc);
	put32(w->out + hlen + clen + 4, (uint32_t)w->n);
	if ((rc = write_all(w->fd, w->out, total)) < 0)
		return rc;
	if (w->m.flags & DBP_RECGZ_KEY) {
		if (w->ne == w->cape) {
			size_t cap = w->cape ? w->cape * 2 : 256;
			struct dbp_recgz_entry *e = realloc(w->e, cap * sizeof(*e));

			if (!e)
				return -ENOMEM;
			w->e = e;
			w->cape = cap;
		}
		w->e[w->ne].t = w->m.t;
		w->e[w->ne++].off = w->off;
	}
	w->off += (off_t)total;
	w->n = 0;
	memset(&w->m, 0, offsetof(struct dbp_recgz_member, samples));
	return 0;
}

static int member_add(struct gzw *w, const char *bytes, size_t len, int newline)
{
	if (w->n + len + 1 > w->cap) {
		size_t cap = w->n + len + 1 + DBP_RECGZ_MEMBER;
		char *nm = realloc(w->mem, cap);

		if (!nm)
			return -ENOMEM;
		w->mem = nm;
		w->cap = cap;
	}
	memcpy(w->mem + w->n, bytes, len);
	w->n += len;
	if (newline)
		w->mem[w->n++] = '\n';
	return 0;
}

/* A key longer than a member, in parts cut before a process's object:
 * each a member with the filter of its own PIDs. line is ours to cut. */
static int key_parts(struct gzw *w, char *line, size_t len, int newline, double t)
{
	size_t pos = 0;
	int rc;

	while (pos < len) {
		char *next = len - pos > DBP_RECGZ_MEMBER ?
			     strstr(line + pos + DBP_RECGZ_MEMBER, ",{\"pid\":") : NULL;
		size_t cut = next ? (size_t)(next - line) : len;
		char keep = line[cut];

		w->m.flags = (pos ? DBP_RECGZ_PART : DBP_RECGZ_KEY) | (next ? DBP_RECGZ_CONT : 0);
		w->m.t = t;
		line[cut] = '\0';
		dbp_rec_line_pids(line + pos, bloom_add, w->m.bloom);
		line[cut] = keep;
		if ((rc = member_add(w, line + pos, cut - pos, !next && newline)) < 0 ||
		    (rc = member_flush(w)) < 0)
			return rc;
		pos = cut;
	}
	return 0;
}

/* One whole line (without its '\n') into the member; newline: it had one. */
static int member_line(struct gzw *w, char *line, size_t len, int newline)
{
	struct dbp_rec_sample si;
	const char *rest;
	char kind[40];
	int head = dbp_rec_head_parse(line, kind, sizeof(kind), &si, &rest), rc;
	int key = head == 1 && !strcmp(kind, "key");
	int delta = head == 1 && !strcmp(kind, "delta");

	if ((key && w->n) || w->n >= DBP_RECGZ_MEMBER) {
		if ((rc = member_flush(w)) < 0)
			return rc;
	}
	if (!w->n) {
		w->m.flags = key ? DBP_RECGZ_KEY : delta ? DBP_RECGZ_DELTAS : DBP_RECGZ_OTHER;
		w->m.t = head == 1 ? si.t : 0;
	}
	if (head == 1) {
		if (!w->first_t)
			w->first_t = si.t;
		w->last_t = si.t;
		if (!w->m.t)
			w->m.t = si.t;
	}
	if (!delta && !(key && !w->n))
		w->m.flags = (w->m.flags & ~(unsigned)DBP_RECGZ_DELTAS) | DBP_RECGZ_OTHER;
	if (delta && (w->m.flags & DBP_RECGZ_DELTAS)) {
		if (w->m.nsamples < DBP_RECGZ_SAMPLES_MAX)
			w->m.samples[w->m.nsamples++] = si;
		else
			w->m.flags = (w->m.flags & ~(unsigned)DBP_RECGZ_DELTAS) | DBP_RECGZ_OTHER;
	}
	if (key && len > DBP_RECGZ_MEMBER) {
		if ((rc = key_parts(w, line, len, newline, si.t)) < 0)
			return rc;
	} else {
		dbp_rec_line_pids(line, bloom_add, w->m.bloom);
		if ((rc = member_add(w, line, len, newline)) < 0)
			return rc;
	}
	/* as a reader of the plain file would tell: a torn line is not read */
	if (newline)
		w->ended = head == 2 && !strcmp(kind, "end");
	w->torn = !newline;
	return 0;
}

static int index_write(struct gzw *w)
{
	size_t step = (w->ne + DBP_RECGZ_ENTRIES_MAX - 1) / DBP_RECGZ_ENTRIES_MAX, n = 0;
	unsigned char *buf, *p;
	size_t plen, total;
	int rc;

	if (!step)
		step = 1;
	for (size_t i = 0; i < w->ne; i += step)
		n++;
	plen = IX_FIXED + 16 * n + 12;
	total = 16 + plen + IX_TRAILER;
	buf = calloc(1, total);
	if (!buf)
		return -ENOMEM;
	buf[0] = 0x1f, buf[1] = 0x8b, buf[2] = 8, buf[3] = 4;
	buf[9] = 255;
	put16(buf + 10, (uint32_t)(plen + 4));
	buf[12] = 'd', buf[13] = 'i';
	put16(buf + 14, (uint32_t)plen);
	p = buf + 16;
	p[0] = 1;
	p[1] = (unsigned char)((w->ended ? DBP_RECGZ_ENDED : 0) | (w->torn ? DBP_RECGZ_TORN : 0));
	put32(p + 4, (uint32_t)n);
	putd(p + 8, w->first_t);
	putd(p + 16, w->last_t);
	put64(p + 24, (uint64_t)w->off);
	p += IX_FIXED;
	for (size_t i = 0; i < w->ne; i += step, p += 16) {
		putd(p, w->e[i].t);
		put64(p + 8, (uint64_t)w->e[i].off);
	}
	put32(p, (uint32_t)plen);
	memcpy(p + 4, IX_MAGIC, 8);
	memcpy(p + 12, empty_tail, IX_TRAILER);
	rc = write_all(w->fd, buf, total);
	free(buf);
	return rc;
}

int dbp_recgz_write(int in_fd, int out_fd, int level)
{
	struct gzw *w = calloc(1, sizeof(*w));
	char *buf = NULL;
	size_t cap = 1u << 20, start = 0, end = 0;
	int rc = 0, eof = 0;

	if (!w || !(buf = malloc(cap + 1))) {
		free(w);
		return -ENOMEM;
	}
	w->fd = out_fd;
	w->level = level;
	while (!rc) {
		char *nl = memchr(buf + start, '\n', end - start);

		if (nl) {
			*nl = '\0';
			rc = member_line(w, buf + start, (size_t)(nl - buf) - start, 1);
			start = (size_t)(nl - buf) + 1;
			continue;
		}
		if (eof) {
			if (end > start) {
				buf[end] = '\0';
				rc = member_line(w, buf + start, end - start, 0);
			}
			break;
		}
		if (end - start > DBP_LINE_MAX) {
			rc = -E2BIG;
			break;
		}
		memmove(buf, buf + start, end - start);
		end -= start;
		start = 0;
		if (cap - end < (1u << 19)) {
			char *nb = realloc(buf, cap * 2 + 1);

			if (!nb) {
				rc = -ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		{
			ssize_t n = read(in_fd, buf + end, cap - end);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				rc = -errno;
			else if (n == 0)
				eof = 1;
			else
				end += (size_t)n;
		}
	}
	if (!rc)
		rc = member_flush(w);
	if (!rc)
		rc = index_write(w);
	free(buf);
	free(w->mem);
	free(w->out);
	free(w->e);
	free(w);
	return rc;
}

/* ---- the reader's side ---- */

void dbp_recgz_index_free(struct dbp_recgz_index *ix)
{
	free(ix->e);
	ix->e = NULL;
	ix->n = 0;
}

int dbp_recgz_index_parse(const unsigned char *tail, size_t n, off_t size,
			  struct dbp_recgz_index *ix)
{
	const unsigned char *p, *hdr;
	size_t plen, count;
	off_t start;

	memset(ix, 0, sizeof(*ix));
	if (n < 16 + IX_FIXED + 12 + IX_TRAILER || (off_t)n > size)
		return -ENOENT;
	p = tail + n - IX_TRAILER;
	if (memcmp(p, empty_tail, IX_TRAILER) || memcmp(p - 8, IX_MAGIC, 8))
		return -ENOENT;
	/* from here on it says it is an index: what does not check out is
	 * a damaged one */
	plen = get32(p - 12);
	if (plen < IX_FIXED + 12 || plen > 65535 - 4 || 16 + plen + IX_TRAILER > n)
		return -EBADMSG;
	hdr = tail + n - IX_TRAILER - plen - 16;
	start = size - (off_t)(IX_TRAILER + plen + 16);
	if (hdr[0] != 0x1f || hdr[1] != 0x8b || hdr[2] != 8 || hdr[3] != 4 ||
	    get16(hdr + 10) != plen + 4 || hdr[12] != 'd' || hdr[13] != 'i' || get16(hdr + 14) != plen)
		return -EBADMSG;
	p = hdr + 16;
	count = get32(p + 4);
	if (p[0] != 1 || count != (plen - IX_FIXED - 12) / 16 || (plen - IX_FIXED - 12) % 16)
		return -EBADMSG;
	ix->flags = p[1];
	ix->first_t = getd(p + 8);
	ix->last_t = getd(p + 16);
	if (get64(p + 24) != (uint64_t)start || !time_ok(ix->first_t) || !time_ok(ix->last_t) ||
	    ix->first_t > ix->last_t)
		return -EBADMSG;
	ix->data_end = start;
	ix->e = calloc(count ? count : 1, sizeof(*ix->e));
	if (!ix->e)
		return -ENOMEM;
	p += IX_FIXED;
	for (size_t i = 0; i < count; i++, p += 16) {
		double t = getd(p);
		uint64_t off = get64(p + 8);

		/* in the data, in order of offset; not always of time: a
		 * key after the recorder's clock went back (an NTP step) has
		 * an earlier time than the one before it, and the index is
		 * the file's as written (the reader's seek stops at the first
		 * key past its target, and the key it takes, at or before the
		 * target, is one the replay may start from) */
		if (!time_ok(t) || off >= (uint64_t)start ||
		    (i && (off_t)off <= ix->e[i - 1].off)) {
			dbp_recgz_index_free(ix);
			return -EBADMSG;
		}
		ix->e[i].t = t;
		ix->e[i].off = (off_t)off;
	}
	ix->n = count;
	return 0;
}

ssize_t dbp_recgz_pread(int fd, unsigned char *buf, size_t n, off_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, buf + got, n - got, off + (off_t)got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int dbp_recgz_index_read(int fd, off_t size, struct dbp_recgz_index *ix)
{
	size_t n = size < DBP_RECGZ_TAIL_MAX ? (size_t)size : DBP_RECGZ_TAIL_MAX;
	unsigned char *buf = malloc(n ? n : 1);
	ssize_t got;
	int rc;

	memset(ix, 0, sizeof(*ix));
	if (!buf)
		return -ENOMEM;
	got = dbp_recgz_pread(fd, buf, n, size - (off_t)n);
	rc = got < 0 ? (int)got : (size_t)got != n ? -ENOENT :
	     dbp_recgz_index_parse(buf, n, size, ix);
	free(buf);
	return rc;
}

int dbp_recgz_member_parse(const unsigned char *buf, size_t n, off_t off, off_t data_end,
			   struct dbp_recgz_member *m)
{
	const unsigned char *p;
	size_t plen, heads;

	memset(m, 0, offsetof(struct dbp_recgz_member, samples));
	if (n < DBP_RECGZ_HEAD_FIXED + PAYLOAD_FIXED || buf[0] != 0x1f || buf[1] != 0x8b ||
	    buf[2] != 8 || buf[3] != 4 || buf[12] != 'd' || buf[13] != 'p')
		return -EBADMSG;
	plen = get16(buf + 14);
	p = buf + 16;
	heads = get16(p + 2);
	if (get16(buf + 10) != plen + 4 || p[0] != 1 || plen != PAYLOAD_FIXED + SAMPLE_BYTES * heads ||
	    heads > DBP_RECGZ_SAMPLES_MAX || DBP_RECGZ_HEAD_FIXED + plen > n)
		return -EBADMSG;
	m->off = off;
	m->flags = p[1];
	m->csize = get32(p + 4);
	m->usize = get32(p + 8);
	m->t = getd(p + 12);
	/* the member lies within the data, and holds at least its header
	 * and a trailer; a lie about its flags or filter costs answers, not
	 * memory: its lines are read as any line is */
	if ((m->flags & ~31u) || !time_ok(m->t) || m->csize < DBP_RECGZ_HEAD_FIXED + plen + 10 ||
	    off < 0 || off > data_end || (off_t)m->csize > data_end - off ||
	    (heads && !(m->flags & DBP_RECGZ_DELTAS)))
		return -EBADMSG;
	memcpy(m->bloom, p + 20, DBP_RECGZ_BLOOM);
	p += PAYLOAD_FIXED;
	for (size_t i = 0; i < heads; i++, p += SAMPLE_BYTES) {
		struct dbp_rec_sample *s = &m->samples[i];
		int64_t lp = (int64_t)get64(p + 8);
		int32_t b = (int32_t)get32(p + 16), th = (int32_t)get32(p + 20);

		s->t = getd(p);
		/* the reader's own ranges (dbp_rec_head_parse) */
		if (!time_ok(s->t) || lp < -1 || lp > 1 << 22 || b < -1 || b > 1 << 22 ||
		    th < -1 || th > 1 << 22)
			return -EBADMSG;
		s->last_pid = lp;
		s->born = b;
		s->threads = th;
	}
	m->nsamples = heads;
	return 0;
}

int dbp_recgz_member_read(int fd, off_t off, off_t data_end, struct dbp_recgz_member *m)
{
	/* one read for a header with up to 30 heads: a member of 16 KiB of
	 * deltas has a few; the rest of the bytes are the member's own */
	unsigned char first[DBP_RECGZ_HEAD_FIXED + PAYLOAD_FIXED + 30 * SAMPLE_BYTES], *buf;
	ssize_t got = dbp_recgz_pread(fd, first, sizeof(first), off);
	size_t plen, want;
	int rc;

	if (got < 0)
		return (int)got;
	if ((size_t)got < DBP_RECGZ_HEAD_FIXED + PAYLOAD_FIXED)
		return -EBADMSG;
	plen = get16(first + 14);
	want = DBP_RECGZ_HEAD_FIXED + plen;
	if (want <= (size_t)got)
		return dbp_recgz_member_parse(first, (size_t)got, off, data_end, m);
	buf = malloc(want);
	if (!buf)
		return -ENOMEM;
	got = dbp_recgz_pread(fd, buf, want, off);
	rc = got < 0 ? (int)got : dbp_recgz_member_parse(buf, (size_t)got, off, data_end, m);
	free(buf);
	return rc;
}

int dbp_recgz_member_inflate(int fd, const struct dbp_recgz_member *m, char *out)
{
	unsigned char *in = malloc(m->csize);
	z_stream z;
	ssize_t got;
	int zr = Z_DATA_ERROR;

	if (!in)
		return -ENOMEM;
	got = dbp_recgz_pread(fd, in, m->csize, m->off);
	memset(&z, 0, sizeof(z));
	if (got == (ssize_t)m->csize && inflateInit2(&z, 16 + MAX_WBITS) == Z_OK) {
		z.next_in = in;
		z.avail_in = m->csize;
		z.next_out = (unsigned char *)out;
		z.avail_out = m->usize;
		zr = inflate(&z, Z_FINISH);
		/* all of it, and nothing more: a member that inflates to
		 * other than its header says is not read on */
		if (zr == Z_STREAM_END && (z.total_out != m->usize || z.avail_in))
			zr = Z_DATA_ERROR;
		inflateEnd(&z);
	}
	free(in);
	return got < 0 ? (int)got : zr == Z_STREAM_END ? 0 : -EBADMSG;
}
