/*
 * A process's container from its cgroup path (see container.h for the
 * spellings and where each comes from).
 *
 * Every byte of the input may be hostile (a fixture, a fuzzer, a kernel
 * of the future): lines are measured, never copied unbounded, and nothing
 * is taken that does not match a spelling in full.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "container.h"
#include "qos.h"

_Static_assert((int)DBP_POD_QOS_GUARANTEED == (int)DBP_QOS_GUARANTEED &&
	       (int)DBP_POD_QOS_BURSTABLE == (int)DBP_QOS_BURSTABLE &&
	       (int)DBP_POD_QOS_BESTEFFORT == (int)DBP_QOS_BESTEFFORT,
	       "a pod's QoS from its cgroup and from oom_score_adj compare as numbers");

struct span {
	const char *s;
	size_t n;
};

static int span_is(struct span a, const char *lit)
{
	size_t n = strlen(lit);

	return a.n == n && !memcmp(a.s, lit, n);
}

static int span_starts(struct span a, const char *lit)
{
	size_t n = strlen(lit);

	return a.n >= n && !memcmp(a.s, lit, n);
}

static int span_ends(struct span a, const char *lit)
{
	size_t n = strlen(lit);

	return a.n >= n && !memcmp(a.s + a.n - n, lit, n);
}

static struct span span_cut(struct span a, size_t head, size_t tail)
{
	struct span r = { a.s + head, a.n - head - tail };

	return r;
}

static int is_lower_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* A container ID is 64 lowercase hex digits: what docker, containerd,
 * CRI-O and podman all generate. Runtimes print the ID lowercase, so an
 * uppercase one would not join with anything they report. */
static int is_id(struct span a)
{
	return a.n == DBP_CONTAINER_ID_LEN && is_lower_hex(a.s, a.n);
}

/* The pod UID as the kubelet spells it in a cgroup name, underscores for
 * dashes when sep is '_' (systemd driver), into out with dashes. Only a
 * UUID (8-4-4-4-12) or a static pod's 32 hex digits are taken. */
static int take_uid(struct span u, char sep, char *out)
{
	static const size_t dash_at[] = { 8, 13, 18, 23 };
	char uid[DBP_POD_UID_MAX + 1];

	if (u.n == 32) {
		if (!is_lower_hex(u.s, u.n))
			return 0;
		memcpy(out, u.s, 32);
		out[32] = '\0';
		return 1;
	}
	if (u.n != 36)
		return 0;
	for (size_t i = 0, d = 0; i < 36; i++) {
		if (d < 4 && i == dash_at[d]) {
			if (u.s[i] != sep)
				return 0;
			uid[i] = '-';
			d++;
		} else if (!is_lower_hex(u.s + i, 1)) {
			return 0;
		} else {
			uid[i] = u.s[i];
		}
	}
	uid[36] = '\0';
	memcpy(out, uid, sizeof(uid));
	return 1;
}

/* A systemd pod slice: "[PREFIX-]kubepods-[burstable-|besteffort-]pod<UID>.slice",
 * the whole chain of parent slices spelled in the one name (systemd
 * names a sub-slice after its parents). The prefix is a kubelet
 * --cgroup-root such as kind's "kubelet". */
static int pod_slice(struct span a, struct dbp_container *c)
{
	static const char kp[] = "kubepods-";
	struct span r;
	enum dbp_pod_qos qos = DBP_POD_QOS_GUARANTEED;
	const char *at = NULL;

	if (!span_ends(a, ".slice"))
		return 0;
	a.n -= strlen(".slice");
	/* the last "kubepods-" that starts the name or follows a dash */
	for (size_t i = 0; i + strlen(kp) <= a.n; i++)
		if (!memcmp(a.s + i, kp, strlen(kp)) && (i == 0 || a.s[i - 1] == '-'))
			at = a.s + i;
	if (!at)
		return 0;
	r.s = at + strlen(kp);
	r.n = a.n - (size_t)(r.s - a.s);
	if (span_starts(r, "burstable-")) {
		qos = DBP_POD_QOS_BURSTABLE;
		r = span_cut(r, strlen("burstable-"), 0);
	} else if (span_starts(r, "besteffort-")) {
		qos = DBP_POD_QOS_BESTEFFORT;
		r = span_cut(r, strlen("besteffort-"), 0);
	}
	if (!span_starts(r, "pod") || !take_uid(span_cut(r, 3, 0), '_', c->pod_uid))
		return 0;
	c->qos = qos;
	return 1;
}

/* A cgroupfs pod directory "pod<UID>" below "kubepods" or
 * "kubepods/{burstable,besteffort}". Seen from a cgroup namespace the
 * levels above may be ".." instead: the pod is taken, a QoS class the
 * ".." hides is not. */
static int pod_dir(const struct span *comp, size_t pod, struct dbp_container *c)
{
	enum dbp_pod_qos qos;
	int qos_dir;

	if (pod < 1 || !span_starts(comp[pod], "pod"))
		return 0;
	qos_dir = span_is(comp[pod - 1], "burstable") || span_is(comp[pod - 1], "besteffort");
	if (span_is(comp[pod - 1], "kubepods"))
		qos = DBP_POD_QOS_GUARANTEED;
	else if (span_is(comp[pod - 1], ".."))
		qos = DBP_POD_QOS_NONE;
	else if (qos_dir && pod >= 2 &&
		 (span_is(comp[pod - 2], "kubepods") || span_is(comp[pod - 2], "..")))
		qos = span_is(comp[pod - 1], "burstable") ? DBP_POD_QOS_BURSTABLE :
			DBP_POD_QOS_BESTEFFORT;
	else
		return 0;
	if (!take_uid(span_cut(comp[pod], 3, 0), '-', c->pod_uid))
		return 0;
	c->qos = qos;
	return 1;
}

/* One path component as a container: "<prefix><ID>[.scope]" or a bare ID.
 * Sets *runtime; *colon_pod to the slice before ":cri-containerd:" (the
 * pod's, in that spelling) or leaves it empty. */
static int ident_component(struct span a, struct span parent, const char **runtime,
			   char *id, struct span *colon_pod)
{
	static const struct {
		const char *prefix;
		const char *runtime;	/* NULL: a spelling that is not a container */
	} kinds[] = {
		/* conmon runs beside the container, in a scope of its own:
		 * listed before the prefixes they share */
		{ "libpod-conmon-", NULL },
		{ "crio-conmon-", NULL },
		{ "cri-containerd-", "containerd" },
		{ "crio-", "cri-o" },
		{ "docker-", "docker" },
		{ "libpod-payload-", "podman" },
		{ "libpod-", "podman" },
		{ "nerdctl-", "containerd" },
	};
	static const char colon[] = ":cri-containerd:";
	struct span body = a;

	colon_pod->s = NULL;
	colon_pod->n = 0;
	if (is_id(a)) {
		/* docker's cgroupfs driver: /docker/<ID>; under kubepods the
		 * kubelet's cgroupfs driver with containerd or cri-dockerd,
		 * which the path cannot tell apart */
		*runtime = span_is(parent, "docker") ? "docker" : "";
		memcpy(id, a.s, DBP_CONTAINER_ID_LEN);
		id[DBP_CONTAINER_ID_LEN] = '\0';
		return 1;
	}
	if (a.n > strlen(colon) + DBP_CONTAINER_ID_LEN) {
		struct span tail = span_cut(a, a.n - strlen(colon) - DBP_CONTAINER_ID_LEN, 0);

		if (span_starts(tail, colon) && is_id(span_cut(tail, strlen(colon), 0))) {
			*runtime = "containerd";
			memcpy(id, tail.s + strlen(colon), DBP_CONTAINER_ID_LEN);
			id[DBP_CONTAINER_ID_LEN] = '\0';
			colon_pod->s = a.s;
			colon_pod->n = (size_t)(tail.s - a.s);
			return 1;
		}
	}
	if (span_ends(body, ".scope"))
		body.n -= strlen(".scope");
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (!span_starts(body, kinds[k].prefix))
			continue;
		if (!kinds[k].runtime)
			return 0;
		body = span_cut(body, strlen(kinds[k].prefix), 0);
		if (!is_id(body))
			return 0;
		*runtime = kinds[k].runtime;
		memcpy(id, body.s, DBP_CONTAINER_ID_LEN);
		id[DBP_CONTAINER_ID_LEN] = '\0';
		return 1;
	}
	return 0;
}

/* Components are taken from the end only: a container's cgroup and the
 * pod and QoS levels above it. */
#define TAIL_COMPONENTS 5

int dbp_container_from_path(const char *path, size_t len, struct dbp_container *c)
{
	struct span comp[TAIL_COMPONENTS], colon_pod;
	struct span none = { "", 0 };
	size_t n = 0, ctr;
	size_t end = len;
	const char *runtime = "";
	char id[DBP_CONTAINER_ID_LEN + 1];

	c->runtime = "";
	c->id[0] = '\0';
	c->pod_uid[0] = '\0';
	c->qos = DBP_POD_QOS_NONE;
	c->ctr_cgroup[0] = '\0';
	if (!path || !len || len >= DBP_CGROUP_PATH_MAX || path[0] != '/' ||
	    memchr(path, '\0', len))
		return 0;
	/* the last components, last first, then reversed */
	while (end > 0 && n < TAIL_COMPONENTS) {
		size_t start = end;

		while (start > 0 && path[start - 1] != '/')
			start--;
		if (start < end) {
			comp[n].s = path + start;
			comp[n].n = end - start;
			n++;
		}
		end = start ? start - 1 : 0;
	}
	for (size_t i = 0; i < n / 2; i++) {
		struct span t = comp[i];

		comp[i] = comp[n - 1 - i];
		comp[n - 1 - i] = t;
	}
	if (!n)
		return 0;
	ctr = n - 1;
	if (!ident_component(comp[ctr], ctr ? comp[ctr - 1] : none, &runtime, id, &colon_pod)) {
		/* crun's sub-cgroup inside the container's scope, where the
		 * processes run while the limit stays on the scope */
		if (ctr == 0 || !span_is(comp[ctr], "container"))
			return 0;
		ctr--;
		if (!ident_component(comp[ctr], ctr ? comp[ctr - 1] : none, &runtime, id,
				     &colon_pod))
			return 0;
	}
	c->runtime = runtime;
	memcpy(c->id, id, sizeof(id));
	snprintf(c->ctr_cgroup, sizeof(c->ctr_cgroup), "%.*s",
		 (int)(comp[ctr].s + comp[ctr].n - path), path);
	if (colon_pod.n)
		pod_slice(colon_pod, c);
	else if (ctr >= 1 && !pod_slice(comp[ctr - 1], c))
		pod_dir(comp, ctr - 1, c);
	return 1;
}

int dbp_container_parse(const char *text, size_t len, struct dbp_container *c)
{
	const char *v1mem = NULL, *v2 = NULL, *other = NULL;
	size_t v1len = 0, v2len = 0, otherlen = 0;
	const char *p = text, *end = text + len;
	const char *use;
	size_t uselen;
	int lines = 0;

	memset(c, 0, sizeof(*c));
	c->runtime = "";
	while (text && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		const char *c1 = memchr(p, ':', n);
		const char *c2 = c1 ? memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - p)) : NULL;

		/* "ID:CONTROLLERS:/PATH": a decimal hierarchy ID, a path that
		 * starts at the hierarchy's root. A path may hold colons
		 * (":cri-containerd:"), so only the first two split. */
		if (c1 && c2 && c1 > p && c2 + 1 < p + n && c2[1] == '/' &&
		    strspn(p, "0123456789") == (size_t)(c1 - p) && !memchr(p, '\0', n)) {
			const char *ctl = c1 + 1, *path = c2 + 1;
			size_t plen = n - (size_t)(path - p);

			lines++;
			if (c2 == ctl && c1 - p == 1 && p[0] == '0') {
				if (!v2) {
					v2 = path;
					v2len = plen;
				}
			} else {
				for (const char *w = ctl; w < c2;) {
					const char *e = memchr(w, ',', (size_t)(c2 - w));

					if (!e)
						e = c2;
					if (e - w == 6 && !memcmp(w, "memory", 6) && !v1mem) {
						v1mem = path;
						v1len = plen;
					}
					w = e + 1;
				}
				if (!other) {
					other = path;
					otherlen = plen;
				}
			}
		}
		if (!eol)
			break;
		p = eol + 1;
	}
	if (!lines)
		return -EINVAL;
	if (v1mem) {
		c->version = 1;
		use = v1mem;
		uselen = v1len;
	} else if (v2) {
		c->version = 2;
		use = v2;
		uselen = v2len;
	} else {
		/* v1 without a memory controller: no memory picture, but the
		 * other controllers still say who the container is */
		use = other;
		uselen = otherlen;
	}
	if (uselen >= sizeof(c->cgroup)) {
		c->version = 0;
		return -ENAMETOOLONG;
	}
	if (c->version)
		snprintf(c->cgroup, sizeof(c->cgroup), "%.*s", (int)uselen, use);
	for (size_t i = 0; i + 3 <= uselen && !memcmp(use + i, "/..", 3) &&
	     (i + 3 == uselen || use[i + 3] == '/'); i += 3)
		c->above_ns++;
	dbp_container_from_path(use, uselen, c);
	return 0;
}

const char *dbp_pod_qos_name(enum dbp_pod_qos qos)
{
	switch (qos) {
	case DBP_POD_QOS_GUARANTEED:
		return "guaranteed";
	case DBP_POD_QOS_BURSTABLE:
		return "burstable";
	case DBP_POD_QOS_BESTEFFORT:
		return "besteffort";
	case DBP_POD_QOS_NONE:
		break;
	}
	return "";
}

int dbp_container_path_in_pod(const char *path)
{
	struct dbp_container c;

	memset(&c, 0, sizeof(c));
	dbp_container_from_path(path, strlen(path), &c);
	return c.pod_uid[0] != '\0' || c.qos != DBP_POD_QOS_NONE;
}

void dbp_meta_note_error(struct dbp_container_meta *m, int err, const char *path)
{
	if (!err || m->err)
		return;
	m->err = err;
	snprintf(m->err_file, sizeof(m->err_file), "%s", path);
}

/* A name or image as the runtimes allow them: printable ASCII, no space,
 * and whole (a cut name would be another container's). */
int dbp_meta_take(const char *v, char *out, size_t size)
{
	size_t n;

	if (!v)
		return 0;
	n = strlen(v);
	if (!n || n >= size)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] <= ' ' || v[i] > '~')
			return 0;
	memcpy(out, v, n + 1);
	return 1;
}
