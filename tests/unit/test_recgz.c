/* lib/rec/recgz.c: a recording compressed in members with an index, its
 * index and member headers read back and refused when damaged, and the
 * reader seeking in it with the answers of the plain file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "rec/recgz.h"
#include "rec/recread.h"
#include "rec/recstream.h"
#include "rec/recording.h"

#define T0 1795000000.0

static char dir[] = "/tmp/dbpod-recgz.XXXXXX";
static char plain[300], gz[300];
static size_t nkeys;

static void proc(FILE *f, int pid, int first)
{
	fprintf(f, "%s{\"pid\":%d,\"start\":%d,\"ppid\":%d,\"uid\":999,\"user\":\"postgres\","
		"\"state\":\"S\",\"comm\":\"postgres\",\"args\":[\"postgres: app appdb "
		"10.0.0.%d(%d) idle in transaction\"],\"sig\":{\"pnd\":\"0000000000000000\","
		"\"shd\":\"0000000000000000\",\"blk\":\"0000000000000000\",\"ign\":"
		"\"0000000001001000\",\"cgt\":\"0000000000014a07\"},\"oom_adj\":0}",
		first ? "" : ",", pid, 100 + pid, pid == 1 ? 0 : 1, pid, 40000 + pid);
}

/* 200 samples of 120 processes, a key every 50 s (about 40 KB: a key in
 * parts), backends retitled in the deltas, PID 500 born at 73 and gone
 * at 131, and an end line. */
static void write_recording(const char *path)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "{\"k\":\"header\",\"dbpod_recording\":1,\"dbpod\":\"0.2.0\",\"hostname\":"
		"\"pg-0\",\"boot_time\":1794990000,\"clock_ticks\":100,\"pid_ns\":4026532801,"
		"\"interval\":1.000,\"started\":%.3f,\"file_index\":0,\"redacted\":true,"
		"\"keyframe\":50.000,\"pid_max\":4194304}\n", T0);
	nkeys = 0;
	for (int t = 0; t < 200; t++) {
		int alive = t >= 73 && t < 131;

		if (t % 50 == 0) {
			nkeys++;
			fprintf(f, "{\"k\":\"key\",\"t\":%.3f,\"seq\":%d,\"last_pid\":%d,\"born\":0,"
				"\"threads\":0,\"procs\":[", T0 + t, t + 1, 600);
			for (int p = 1; p <= 120; p++)
				proc(f, p == 120 ? 1000 : p, p == 1);
			if (alive)
				proc(f, 500, 0);
			fprintf(f, "]}\n");
			continue;
		}
		fprintf(f, "{\"k\":\"delta\",\"t\":%.3f,\"seq\":%d,\"last_pid\":%d,\"born\":%d,"
			"\"threads\":0,\"new\":[", T0 + t, t + 1, 600, t == 73);
		if (t == 73)
			proc(f, 500, 1);
		fprintf(f, "],\"gone\":[%s],\"changed\":[{\"pid\":%d,\"start\":%d,\"args\":[\"t%d\"]}]}\n",
			t == 131 ? "[500,600]" : "", 2 + t % 100, 102 + t % 100, t);
		if (t == 120)
			fprintf(f, "{\"k\":\"note\",\"t\":%.3f,\"msg\":\"a note\"}\n", T0 + t);
	}
	fprintf(f, "{\"k\":\"end\",\"t\":%.3f,\"samples\":200,\"reason\":\"SIGTERM\"}\n", T0 + 200);
	assert_int_equal(fclose(f), 0);
}

static void compress_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(in >= 0 && out >= 0);
	assert_int_equal(dbp_recgz_write(in, out, 6), 0);
	close(in);
	close(out);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(plain, sizeof(plain), "%s/ps.jsonl", dir);
	snprintf(gz, sizeof(gz), "%s/ps.jsonl.1.gz", dir);
	write_recording(plain);
	compress_file(plain, gz);
	return 0;
}

static int teardown(void **state)
{
	char cmd[400];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static char *slurp_gz(const char *path, size_t *n)
{
	gzFile g = gzopen(path, "rb");
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	int r;

	assert_non_null(g);
	*n = 0;
	while ((r = gzread(g, buf + *n, (unsigned)(cap - *n))) > 0) {
		*n += (size_t)r;
		if (*n == cap)
			buf = realloc(buf, cap *= 2);
	}
	assert_int_equal(r, 0);
	gzclose(g);
	return buf;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len + 1);
	*n = fread(buf, 1, (size_t)len, f);
	fclose(f);
	return buf;
}

static void test_decompresses_to_the_plain_file(void **state)
{
	size_t na, nb;
	char *a = slurp(plain, &na), *b = slurp_gz(gz, &nb);

	(void)state;
	/* zlib's gzread, as zcat: every member, the index adding nothing */
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	free(a);
	free(b);
}

static void test_index_says_span_end_and_keys(void **state)
{
	struct dbp_recgz_index ix;
	static struct dbp_recgz_member m;
	struct stat st;
	int fd = open(gz, O_RDONLY);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(dbp_recgz_index_read(fd, st.st_size, &ix), 0);
	assert_true(ix.first_t == T0);
	assert_true(ix.last_t == T0 + 199);
	assert_int_equal(ix.flags, DBP_RECGZ_ENDED);
	assert_int_equal(ix.n, nkeys);
	for (size_t i = 0; i < ix.n; i++) {
		/* each entry is the first part of a key, at its time */
		assert_int_equal(dbp_recgz_member_read(fd, ix.e[i].off, ix.data_end, &m), 0);
		assert_int_equal(m.flags, DBP_RECGZ_KEY | DBP_RECGZ_CONT);
		assert_true(m.t == T0 + 50.0 * (double)i);
	}
	dbp_recgz_index_free(&ix);
	close(fd);
}

static void test_members_chain_to_the_index(void **state)
{
	struct dbp_recgz_index ix;
	static struct dbp_recgz_member m;
	struct stat st;
	int fd = open(gz, O_RDONLY), deltas = 0, parts = 0, named = 0;
	off_t at = 0;
	size_t samples = 0;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(dbp_recgz_index_read(fd, st.st_size, &ix), 0);
	while (at < ix.data_end) {
		assert_int_equal(dbp_recgz_member_read(fd, at, ix.data_end, &m), 0);
		assert_true(m.usize <= 2 * DBP_RECGZ_MEMBER);
		if (m.flags == DBP_RECGZ_DELTAS) {
			deltas++;
			samples += m.nsamples;
			for (size_t i = 1; i < m.nsamples; i++)
				assert_true(m.samples[i].t == m.samples[i - 1].t + 1);
			assert_true(m.samples[0].last_pid == 600);
			named += dbp_recgz_bloom_has(m.bloom, 500);
		}
		parts += !!(m.flags & DBP_RECGZ_PART);
		at += m.csize;
	}
	/* the chain ends where the index begins */
	assert_true(at == ix.data_end);
	/* each key in parts; the deltas after each key in one member, of
	 * deltas only but for those with the note and the end line */
	assert_true(parts >= (int)nkeys);
	assert_int_equal(deltas, 2);
	assert_int_equal(samples, 98);
	/* PID 500 is born in the second: the first's filter does not name it */
	assert_int_equal(named, 1);
	dbp_recgz_index_free(&ix);
	close(fd);
}

/* The reader reads the members' headers ahead, many at a time: what it
 * gives for each member is what a read of the header alone gives, from
 * wherever it read ahead -- each member in turn is where it starts, and
 * the headers of a few KB (hundreds of samples each) fall across the end
 * of what it read. */
static void test_stream_reads_headers_as_the_file_holds(void **state)
{
	char path[400], gzpath[400];
	static struct dbp_recgz_member a, b;
	static off_t offs[4096];
	struct dbp_recgz_index ix;
	struct dbp_recstream *rs;
	unsigned long long x = 88172645463325252ULL;
	size_t n = 0;
	off_t at = 0;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/noise.jsonl", dir);
	snprintf(gzpath, sizeof(gzpath), "%s/noise.jsonl.gz", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "{\"k\":\"header\",\"dbpod_recording\":1,\"started\":%.3f,\"file_index\":0}\n", T0);
	/* titles of random hex, of random lengths: they hardly compress,
	 * and the members' sizes vary */
	for (int t = 0; t < 20000; t++) {
		char hexs[40];

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		snprintf(hexs, sizeof(hexs), "%016llx%016llx", x, x * 31);
		fprintf(f, "{\"k\":\"delta\",\"t\":%.3f,\"seq\":%d,\"new\":[],\"gone\":[],\"changed\":["
			"{\"pid\":2,\"start\":102,\"args\":[\"%.*s\"]}]}\n", T0 + t, t + 1,
			(int)(x % 33), hexs);
	}
	assert_int_equal(fclose(f), 0);
	compress_file(path, gzpath);
	assert_int_equal(dbp_recstream_open(&rs, gzpath), 0);
	assert_int_equal(dbp_recstream_gz_index(rs, &ix), 0);
	for (; at < ix.data_end && n < 4096; n++) {
		assert_int_equal(dbp_recgz_member_read(dbp_recstream_fd(rs), at, ix.data_end, &b), 0);
		offs[n] = at;
		at += b.csize;
	}
	assert_true(at == ix.data_end);
	assert_true(ix.data_end > 8 * 65536);
	assert_int_equal(dbp_recgz_member_read(dbp_recstream_fd(rs), offs[n / 2], ix.data_end, &b), 0);
	assert_true(b.nsamples > 100);
	for (size_t i = 0; i < n; i++) {
		/* from the last, then from offs[i] on */
		assert_int_equal(dbp_recstream_gz_member(rs, offs[n - 1], ix.data_end, &a), 0);
		for (size_t j = i; j < n && offs[j] < offs[i] + 3 * 65536; j++) {
			assert_int_equal(dbp_recstream_gz_member(rs, offs[j], ix.data_end, &a), 0);
			assert_int_equal(dbp_recgz_member_read(dbp_recstream_fd(rs), offs[j], ix.data_end,
							       &b), 0);
			assert_true(a.off == b.off && a.flags == b.flags && a.csize == b.csize &&
				    a.usize == b.usize && a.t == b.t && a.nsamples == b.nsamples);
			assert_memory_equal(a.bloom, b.bloom, sizeof(a.bloom));
			assert_memory_equal(a.samples, b.samples, a.nsamples * sizeof(a.samples[0]));
		}
	}
	/* past the data */
	assert_int_equal(dbp_recstream_gz_member(rs, ix.data_end, ix.data_end, &a), -EBADMSG);
	dbp_recgz_index_free(&ix);
	dbp_recstream_close(rs);
}

static void test_head_round_trip(void **state)
{
	struct dbp_rec_sample si = { T0 + 0.123, 4194303, 2, -1 }, back;
	const char *rest;
	char line[320], kind[40];

	(void)state;
	assert_int_equal(dbp_rec_head_format(&si, line, sizeof(line)), 0);
	assert_int_equal(dbp_rec_head_parse(line, kind, sizeof(kind), &back, &rest), 1);
	assert_string_equal(kind, "delta");
	assert_true(back.t == si.t);
	assert_true(back.last_pid == si.last_pid);
	assert_int_equal(back.born, 2);
	assert_int_equal(back.threads, -1);
	assert_int_equal(dbp_rec_head_parse("{\"k\":\"note\",\"t\":1}", kind, sizeof(kind), &back,
					    &rest), 2);
	assert_int_equal(dbp_rec_head_parse("{\"k\":\"key\",\"t\":\"x\"}", kind, sizeof(kind),
					    &back, &rest), 0);
}

/* The numbers of a head are read without strtod where that is exact:
 * every form a head may hold still reads as strtod reads it. */
static void test_head_numbers_read_as_strtod(void **state)
{
	static const char *const t[] = {
		"1795416001.123", "1795000000.000", "0.1", "0.3", "1.", "007.250",
		"123456789012345", "1234567890123456", "99999999999999.9", "9007199254740993",
		"1e3", "1.5e2", "0x10", "4.9406564584124654e-324", "1795416001.1234567",
		"0.000000000000001", "3.14159", "17954160011",
	};
	struct dbp_rec_sample si;
	const char *rest;
	char line[128], kind[40];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		double want = strtod(t[i], NULL);

		snprintf(line, sizeof(line), "{\"k\":\"delta\",\"t\":%s,\"seq\":1,\"last_pid\":%s,"
			 "\"new\":[]}", t[i], t[i]);
		if (!(want >= 0 && want <= 1e13)) {
			assert_int_equal(dbp_rec_head_parse(line, kind, sizeof(kind), &si, &rest), 0);
			continue;
		}
		assert_int_equal(dbp_rec_head_parse(line, kind, sizeof(kind), &si, &rest), 1);
		assert_true(si.t == want);
		assert_true(si.last_pid == (want <= 1 << 22 ? (long long)want : -1));
	}
}

/* the file's bytes, its index found from the end */
static unsigned char *gz_bytes(size_t *n)
{
	return (unsigned char *)slurp(gz, n);
}

static void put64le(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void test_index_refuses_damage(void **state)
{
	struct dbp_recgz_index ix;
	size_t n, plen;
	unsigned char *b = gz_bytes(&n), *c = malloc(n), *pay;
	double nan_t = NAN;

	(void)state;
	assert_int_equal(dbp_recgz_index_parse(b, n, (off_t)n, &ix), 0);
	dbp_recgz_index_free(&ix);
	plen = (size_t)b[n - 22] | (size_t)b[n - 21] << 8;
	pay = c + n - 10 - plen;	/* the index payload in the copy */

	/* no index: a gzip file of one member, or a tail cut off */
	assert_int_equal(dbp_recgz_index_parse(b, n - 1, (off_t)n - 1, &ix), -ENOENT);
	assert_int_equal(dbp_recgz_index_parse(b, 20, 20, &ix), -ENOENT);
	/* an entry pointing past the data, at the index itself */
	memcpy(c, b, n);
	put64le(pay + 32 + 8, (uint64_t)n);
	assert_int_equal(dbp_recgz_index_parse(c, n, (off_t)n, &ix), -EBADMSG);
	/* entries out of order */
	memcpy(c, b, n);
	put64le(pay + 32 + 16 + 8, 0);
	assert_int_equal(dbp_recgz_index_parse(c, n, (off_t)n, &ix), -EBADMSG);
	/* a key's time before the one of the key before it: the recorder's
	 * clock went back (an NTP step), and the index is still the file's
	 * (it was refused as damaged, and the file read from its start) */
	memcpy(c, b, n);
	{
		double back;

		memcpy(&back, pay + 32, 8);
		back -= 600;
		memcpy(pay + 32 + 16, &back, 8);
	}
	assert_int_equal(dbp_recgz_index_parse(c, n, (off_t)n, &ix), 0);
	dbp_recgz_index_free(&ix);
	/* a time that is not one */
	memcpy(c, b, n);
	memcpy(pay + 32, &nan_t, 8);
	assert_int_equal(dbp_recgz_index_parse(c, n, (off_t)n, &ix), -EBADMSG);
	/* where the data ends is not where the index begins (bytes added
	 * before it) */
	memcpy(c, b, n);
	put64le(pay + 24, 7);
	assert_int_equal(dbp_recgz_index_parse(c, n, (off_t)n, &ix), -EBADMSG);
	/* a payload length larger than the file */
	memcpy(c, b, n);
	c[n - 22] = 0xff, c[n - 21] = 0xff;
	assert_int_equal(dbp_recgz_index_parse(c, n, (off_t)n, &ix), -EBADMSG);
	/* the count does not match the payload */
	memcpy(c, b, n);
	pay[4]++;
	assert_int_equal(dbp_recgz_index_parse(c, n, (off_t)n, &ix), -EBADMSG);
	free(b);
	free(c);
}

static void test_member_refuses_damage(void **state)
{
	static struct dbp_recgz_member m;
	size_t n;
	unsigned char *b = gz_bytes(&n), *c = malloc(n);

	(void)state;
	assert_int_equal(dbp_recgz_member_parse(b, n, 0, (off_t)n, &m), 0);
	/* a size past the data */
	assert_int_equal(dbp_recgz_member_parse(b, n, (off_t)n - 100, (off_t)n, &m), -EBADMSG);
	/* not a member of ours: another subfield, an unknown flag, a count
	 * of heads the length does not hold, no gzip magic */
	memcpy(c, b, n);
	c[13] = 'x';
	assert_int_equal(dbp_recgz_member_parse(c, n, 0, (off_t)n, &m), -EBADMSG);
	memcpy(c, b, n);
	c[17] = 0x80;
	assert_int_equal(dbp_recgz_member_parse(c, n, 0, (off_t)n, &m), -EBADMSG);
	memcpy(c, b, n);
	c[18] = 9;
	assert_int_equal(dbp_recgz_member_parse(c, n, 0, (off_t)n, &m), -EBADMSG);
	memcpy(c, b, n);
	c[0] = 0;
	assert_int_equal(dbp_recgz_member_parse(c, n, 0, (off_t)n, &m), -EBADMSG);
	/* a header cut short */
	assert_int_equal(dbp_recgz_member_parse(b, 40, 0, (off_t)n, &m), -EBADMSG);
	free(b);
	free(c);
}

/* The two replays agree: samples, and each process's life and versions. */
static void assert_same(const struct dbp_recording *a, const struct dbp_recording *b)
{
	assert_int_equal(a->nsamples, b->nsamples);
	for (size_t i = 0; i < a->nsamples; i++) {
		assert_true(a->samples[i] == b->samples[i]);
		assert_true(a->sinfo[i].last_pid == b->sinfo[i].last_pid);
		assert_int_equal(a->sinfo[i].born, b->sinfo[i].born);
	}
	assert_int_equal(a->nprocs, b->nprocs);
	for (size_t i = 0; i < a->nprocs; i++) {
		assert_int_equal(a->procs[i].pid, b->procs[i].pid);
		assert_true(a->procs[i].start == b->procs[i].start);
		assert_true(a->procs[i].first == b->procs[i].first);
		assert_true(a->procs[i].last == b->procs[i].last);
		assert_int_equal(a->procs[i].gone, b->procs[i].gone);
		assert_int_equal(a->procs[i].nv, b->procs[i].nv);
	}
	assert_true(a->window_from == b->window_from);
}

static void replay_both(const char *other, const struct dbp_rec_query *q,
			struct dbp_recording *a, struct dbp_recording *b)
{
	char *pa[] = { plain }, *pb[] = { (char *)other };

	dbp_recording_init(a);
	dbp_recording_init(b);
	assert_int_equal(dbp_recording_open(a, pa, 1), 0);
	assert_int_equal(dbp_recording_open(b, pb, 1), 0);
	assert_true(a->span_from == b->span_from && a->span_to == b->span_to);
	assert_int_equal(a->files[0].ended, b->files[0].ended);
	assert_true(dbp_recording_replay(a, q) > 0);
	assert_true(dbp_recording_replay(b, q) > 0);
}

static void test_queries_answer_as_the_plain_file(void **state)
{
	pid_t pids[] = { 500, 37, 1000 };
	struct dbp_recording a, b;

	(void)state;
	for (int i = 0; i < 5; i++) {
		struct dbp_rec_query q = { 0 };

		if (i == 0) {
			q.from = q.to = T0 + 160.5;	/* --at, past the third key */
		} else if (i < 4) {
			q.pids = &pids[i - 1];		/* --pid with the ancestors */
			q.npids = 1;
			q.ancestors = 1;
		} else {
			q.pids = &pids[0];		/* the second --pid pass */
			q.npids = 1;
			q.from = T0 + 73;
			q.to = T0 + 140;
		}
		replay_both(gz, &q, &a, &b);
		assert_same(&a, &b);
		dbp_recording_free(&a);
		dbp_recording_free(&b);
	}
}

/* A recording like 614's: PID 1 (sh, root) in every key and in the
 * "changed" list of every delta (its state flips), fillers that make
 * the plain file about 100 KB (over the 64 KiB the reader's bisection
 * stops at, so that it probes the file's middle), a key every 10 s and a
 * short-lived sleep, child of PID 1, born in each delta between keys and
 * gone at the next sample: PID 1000 + t, start 5000 + t. */
static void write_sleeps(const char *path)
{
	FILE *f = fopen(path, "w");
	char pad[401];

	assert_non_null(f);
	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	fprintf(f, "{\"k\":\"header\",\"dbpod_recording\":1,\"dbpod\":\"0.2.0\",\"hostname\":"
		"\"pg-0\",\"boot_time\":1794990000,\"clock_ticks\":100,\"pid_ns\":4026532801,"
		"\"interval\":1.000,\"started\":%.3f,\"file_index\":0,\"redacted\":true,"
		"\"keyframe\":10.000,\"pid_max\":4194304}\n", T0);
	for (int t = 0; t < 100; t++) {
		if (t % 10 == 0) {
			fprintf(f, "{\"k\":\"key\",\"t\":%.3f,\"seq\":%d,\"last_pid\":%d,\"born\":0,"
				"\"threads\":0,\"procs\":[{\"pid\":1,\"start\":100,\"ppid\":0,\"uid\":0,"
				"\"user\":\"root\",\"state\":\"S\",\"comm\":\"sh\",\"args\":[\"sh\"]}",
				T0 + t, t + 1, 1000 + t);
			for (int p = 2; p < 7; p++)
				fprintf(f, ",{\"pid\":%d,\"start\":%d,\"ppid\":1,\"uid\":0,\"user\":"
					"\"root\",\"state\":\"S\",\"comm\":\"sleep\",\"args\":[\"%s\"]}",
					p, 100 + p, pad);
			fprintf(f, "]}\n");
			continue;
		}
		fprintf(f, "{\"k\":\"delta\",\"t\":%.3f,\"seq\":%d,\"last_pid\":%d,\"born\":1,"
			"\"threads\":0,\"new\":[{\"pid\":%d,\"start\":%d,\"ppid\":1,\"uid\":0,\"user\":"
			"\"root\",\"state\":\"S\",\"comm\":\"sleep\",\"args\":[\"sleep\",\"0.02\"]}],"
			"\"gone\":[", T0 + t, t + 1, 1000 + t, 1000 + t, 5000 + t);
		if (t % 10 != 1)
			fprintf(f, "[%d,%d]", 999 + t, 4999 + t);
		fprintf(f, "],\"changed\":[{\"pid\":1,\"start\":100,\"state\":\"%s\"},{\"pid\":%d,"
			"\"start\":%d,\"args\":[\"%d%s\"]}]}\n", t % 2 ? "R" : "S", 2 + t % 5,
			102 + t % 5, t, pad);
	}
	assert_int_equal(fclose(f), 0);
}

/* The second pass of postmortem --pid (a parent first met in a delta):
 * each sleep's lifetime from the key before its birth, with PID 1
 * followed from the start. PID 1 is in that key, before the middle of
 * the file where the plain file's bisection probes: a replay that went
 * on from the probe instead of the file's start lost the key, and met
 * PID 1 only in a delta's "changed" list (no name, no user) or not at
 * all ("parent 1 not recorded"), while the compressed file, seeking by
 * its index, named it. Both name it: sh, root, alive throughout. */
static void test_pid_parent_from_the_key_before_the_window(void **state)
{
	char path[320], zpath[320];
	char *paths[2] = { path, zpath };

	(void)state;
	snprintf(path, sizeof(path), "%s/sleeps.jsonl", dir);
	snprintf(zpath, sizeof(zpath), "%s/sleeps.jsonl.1.gz", dir);
	write_sleeps(path);
	compress_file(path, zpath);
	for (int t = 21; t < 100; t++) {
		pid_t pids[2] = { 1000 + t, 1 };

		if (t % 10 == 0)
			continue;
		for (int k = 0; k < 2; k++) {
			struct dbp_rec_query q = { 0 };
			struct dbp_recording r;
			const struct dbp_rec_proc *sleep, *sh, *links[4];
			const struct dbp_proc *p;
			pid_t unrec = -1;

			q.pids = pids;
			q.npids = 2;
			q.ancestors = 1;
			q.from = T0 + t;
			q.to = T0 + t + 3;
			dbp_recording_init(&r);
			assert_int_equal(dbp_recording_open(&r, &paths[k], 1), 0);
			assert_true(dbp_recording_replay(&r, &q) > 0);
			/* the window began at the key before the birth */
			assert_true(r.window_from == T0 + t - t % 10);
			sleep = dbp_recording_find(&r, 1000 + t, T0 + t);
			sh = dbp_recording_find(&r, 1, T0 + t);
			assert_non_null(sleep);
			assert_non_null(sh);
			assert_true(sh->first <= T0 + t - t % 10);
			p = dbp_rec_proc_at(sh, T0 + t);
			assert_string_equal(p->comm, "sh");
			assert_string_equal(p->user, "root");
			assert_int_equal(dbp_recording_chain(&r, sleep, T0 + t, links, 4, &unrec), 2);
			assert_true(links[1] == sh);
			assert_int_equal(unrec, 0);
			dbp_recording_free(&r);
		}
	}
}

/* A damaged index: refused with a note, and the file read from its
 * start (what a gzip file without one gives). */
static void test_damaged_index_falls_back(void **state)
{
	char bad[320];
	size_t n, plen;
	unsigned char *b = gz_bytes(&n);
	struct dbp_rec_query q = { 0 };
	struct dbp_recording a, r;
	pid_t pid = 500;
	FILE *f;
	int noted = 0;

	(void)state;
	plen = (size_t)b[n - 22] | (size_t)b[n - 21] << 8;
	put64le(b + n - 10 - plen + 32 + 8, (uint64_t)n * 4);	/* an entry far outside */
	snprintf(bad, sizeof(bad), "%s/bad.jsonl.gz", dir);
	f = fopen(bad, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	q.pids = &pid;
	q.npids = 1;
	q.ancestors = 1;
	replay_both(bad, &q, &a, &r);
	assert_same(&a, &r);
	for (size_t i = 0; i < r.nnotes; i++)
		noted |= strstr(r.notes[i], "index at the end of the compressed file is damaged") != NULL;
	assert_true(noted);
	dbp_recording_free(&a);
	dbp_recording_free(&r);
	free(b);
}

/* A member header whose size points into the middle of the next: the
 * rest is read as a gzip stream, with a note, and nothing crashes. */
static void test_damaged_member_is_read_around(void **state)
{
	char bad[320];
	size_t n;
	unsigned char *b = gz_bytes(&n);
	struct dbp_rec_query q = { 0 };
	struct dbp_recording r;
	char *pb[] = { bad };
	uint32_t cs;
	FILE *f;
	int noted = 0;

	(void)state;
	/* the first member's csize, one byte short */
	cs = (uint32_t)b[20] | (uint32_t)b[21] << 8 | (uint32_t)b[22] << 16 | (uint32_t)b[23] << 24;
	cs--;
	b[20] = (unsigned char)cs, b[21] = (unsigned char)(cs >> 8);
	b[22] = (unsigned char)(cs >> 16), b[23] = (unsigned char)(cs >> 24);
	snprintf(bad, sizeof(bad), "%s/badmember.jsonl.gz", dir);
	f = fopen(bad, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	q.from = q.to = T0 + 10;
	dbp_recording_init(&r);
	assert_int_equal(dbp_recording_open(&r, pb, 1), 0);
	dbp_recording_replay(&r, &q);
	for (size_t i = 0; i < r.nnotes; i++)
		noted |= strstr(r.notes[i], "is not where its index says") != NULL;
	assert_true(noted);
	dbp_recording_free(&r);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decompresses_to_the_plain_file),
		cmocka_unit_test(test_index_says_span_end_and_keys),
		cmocka_unit_test(test_members_chain_to_the_index),
		cmocka_unit_test(test_head_round_trip),
		cmocka_unit_test(test_index_refuses_damage),
		cmocka_unit_test(test_member_refuses_damage),
		cmocka_unit_test(test_head_numbers_read_as_strtod),
		cmocka_unit_test(test_stream_reads_headers_as_the_file_holds),
		cmocka_unit_test(test_queries_answer_as_the_plain_file),
		cmocka_unit_test(test_pid_parent_from_the_key_before_the_window),
		cmocka_unit_test(test_damaged_index_falls_back),
		cmocka_unit_test(test_damaged_member_is_read_around),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
