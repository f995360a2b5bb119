/* lib/node/container.c: who a process's container is, from /proc/PID/cgroup.
 * The spellings are files in tests/fixtures/container/cgroup (the README
 * there says where each comes from); this table says what each gives. */
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

#include "node/container.h"

#define PODMAN_PG "547e452585c9bdffc41f25e150f478ddeee117d4a06a302ad563cc07d640135a"
#define PODMAN_POD "33347eddd1e0a6d836ce48c9766790340a1f7ca0e16bc0b1bf25db09287eab65"
#define PODMAN_INPOD "4ffcb9891d052483ca88d700c8e51c65be062f3f28b72c01cedfb18f27dcc6e3"
#define K8S_ID "5f0e8c3b1a2d4e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f"
#define K8S_UID "0d3c0f4e-5b1a-4c1e-9f5e-2a7b9c1d3e4f"
#define FALCO_ID "1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef"
#define DOCKER_SD "72e5a5ff5eef3c4222a6551b992b9360a99122f77d2229783f0ee0946dfd800e"
#define CADV_ID "40af7cdcbe507acad47a5a62025743ad3ddc6ab93b77b21363aa1c1d641047c9"

struct want {
	const char *file;
	const char *runtime;
	const char *id;		/* "" none */
	const char *pod_uid;
	enum dbp_pod_qos qos;
	int version;
	const char *ctr_cgroup;	/* NULL: the same as the cgroup read */
};

static const struct want fixtures[] = {
	{ "real-podman-cgroupfs", "podman", PODMAN_PG, "", DBP_POD_QOS_NONE, 1, NULL },
	{ "real-podman-pod-cgroupfs", "podman", PODMAN_INPOD, "", DBP_POD_QOS_NONE, 1, NULL },
	{ "real-podman-conmon", "", "", "", DBP_POD_QOS_NONE, 1, NULL },
	{ "real-host-process-api", "", "", "", DBP_POD_QOS_NONE, 1, NULL },
	{ "k8s-systemd-containerd-burstable", "containerd", K8S_ID, K8S_UID,
	  DBP_POD_QOS_BURSTABLE, 2, NULL },
	{ "k8s-systemd-containerd-guaranteed-v1", "containerd", K8S_ID, K8S_UID,
	  DBP_POD_QOS_GUARANTEED, 1, NULL },
	{ "k8s-systemd-crio-besteffort", "cri-o",
	  "17d8c9eacc629f9945f304d89e9708c0c619649a484a215b240628319548a09f",
	  "63b3ebfc-2890-11e9-8154-16bf8ef8d9dc", DBP_POD_QOS_BESTEFFORT, 2, NULL },
	{ "k8s-systemd-docker-burstable", "docker",
	  "7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b8", K8S_UID,
	  DBP_POD_QOS_BURSTABLE, 2, NULL },
	{ "k8s-systemd-kind-cgroup-root", "containerd", K8S_ID, K8S_UID,
	  DBP_POD_QOS_BESTEFFORT, 2, NULL },
	{ "k8s-systemd-crio-conmon", "", "", "", DBP_POD_QOS_NONE, 2, NULL },
	{ "k8s-containerd-colon", "containerd",
	  "d52db56a9c80d536a91354c0951c061187ca46249e64865a12703003d8f42366",
	  "bd12dd3393227d950605a2444b13c27a", DBP_POD_QOS_BURSTABLE, 2, NULL },
	{ "k8s-cgroupfs-burstable-v1", "", K8S_ID, K8S_UID, DBP_POD_QOS_BURSTABLE, 1, NULL },
	{ "k8s-cgroupfs-besteffort", "",
	  "605439acbd4fb18c145069289094b17f17e0cfa938f78012d4960bc797305f22",
	  "ac04f3f2-1f2c-11e9-b015-1ebee232acfa", DBP_POD_QOS_BESTEFFORT, 2, NULL },
	{ "k8s-cgroupfs-guaranteed", "", CADV_ID, "068e8fa0-9213-11e7-a01f-507b9d4141fa",
	  DBP_POD_QOS_GUARANTEED, 2, NULL },
	{ "k8s-cgroupfs-static-pod", "", CADV_ID, "d76e26fba3bf2bfd215eb29011d55250",
	  DBP_POD_QOS_BESTEFFORT, 2, NULL },
	{ "k8s-cgroupfs-crio-besteffort", "cri-o",
	  "73bfe475650de66df8e2affdc98d440dcbe84f8df83b6f75a68a82eb7026136a",
	  "63b3ebfc-2890-11e9-8154-16bf8ef8d9dc", DBP_POD_QOS_BESTEFFORT, 2, NULL },
	{ "k8s-cgroupfs-crio-conmon", "", "", "", DBP_POD_QOS_NONE, 2, NULL },
	{ "docker-cgroupfs-v1", "docker",
	  "7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b8", "",
	  DBP_POD_QOS_NONE, 1, NULL },
	{ "docker-systemd", "docker", DOCKER_SD, "", DBP_POD_QOS_NONE, 2, NULL },
	{ "docker-systemd-mount", "", "", "", DBP_POD_QOS_NONE, 2, NULL },
	{ "docker-systemd-nested-init", "", "", "", DBP_POD_QOS_NONE, 2, NULL },
	{ "podman-systemd", "podman", FALCO_ID, "", DBP_POD_QOS_NONE, 2, NULL },
	{ "podman-systemd-container-sub", "podman", FALCO_ID, "", DBP_POD_QOS_NONE, 2,
	  "/machine.slice/libpod-" FALCO_ID ".scope" },
	{ "podman-systemd-conmon", "", "", "", DBP_POD_QOS_NONE, 2, NULL },
	{ "podman-split", "podman",
	  "9cc35a907a1e4e7ac8c021758b2bb28db60b3a787115f9114a641bf44f8ba99b", "",
	  DBP_POD_QOS_NONE, 2, NULL },
	{ "podman-rootless", "podman", FALCO_ID, "", DBP_POD_QOS_NONE, 2, NULL },
	{ "nerdctl-systemd", "containerd",
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "",
	  DBP_POD_QOS_NONE, 2, NULL },
	{ "user-session", "", "", "", DBP_POD_QOS_NONE, 2, NULL },
	{ "root", "", "", "", DBP_POD_QOS_NONE, 2, NULL },
	{ "hybrid-memory-wins", "docker", DOCKER_SD, "", DBP_POD_QOS_NONE, 1, NULL },
	{ "real-podman-seen-from-cgroupns", "podman", PODMAN_PG, "", DBP_POD_QOS_NONE, 1, NULL },
};

static char *slurp_fixture(const char *name, size_t *len)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	char *buf;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/fixtures/container/cgroup/%s", top ? top : ".",
		 name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	buf = malloc(65536);
	assert_non_null(buf);
	*len = fread(buf, 1, 65535, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* the memory line of a fixture, or its unified line: what cgroup must hold */
static void expected_cgroup(const char *text, int version, char *out, size_t size)
{
	const char *key = version == 1 ? ":memory:" : "0::";
	const char *at = strstr(text, key);
	size_t n;

	out[0] = '\0';
	if (!at)
		return;
	if (version == 2 && at != text && at[-1] != '\n')
		return;
	at += strlen(key);
	n = strcspn(at, "\n");
	snprintf(out, size, "%.*s", (int)n, at);
}

static void test_every_fixture(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		const struct want *w = &fixtures[i];
		struct dbp_container *c = malloc(sizeof(*c));
		char want_cg[DBP_CGROUP_PATH_MAX];
		size_t len;
		char *text = slurp_fixture(w->file, &len);

		assert_non_null(c);
		print_message("%s\n", w->file);
		assert_int_equal(dbp_container_parse(text, len, c), 0);
		assert_string_equal(c->runtime, w->runtime);
		assert_string_equal(c->id, w->id);
		assert_string_equal(c->pod_uid, w->pod_uid);
		assert_int_equal(c->qos, w->qos);
		assert_int_equal(c->version, w->version);
		expected_cgroup(text, w->version, want_cg, sizeof(want_cg));
		assert_string_equal(c->cgroup, want_cg);
		if (!w->id[0])
			assert_string_equal(c->ctr_cgroup, "");
		else
			assert_string_equal(c->ctr_cgroup, w->ctr_cgroup ? w->ctr_cgroup : want_cg);
		free(text);
		free(c);
	}
}

static void test_real_podman_memory_cgroup(void **state)
{
	struct dbp_container c;
	size_t len;
	char *text = slurp_fixture("real-podman-cgroupfs", &len);

	(void)state;
	assert_int_equal(dbp_container_parse(text, len, &c), 0);
	assert_string_equal(c.cgroup, "/libpod_parent/libpod-" PODMAN_PG);
	free(text);
	text = slurp_fixture("real-podman-pod-cgroupfs", &len);
	assert_int_equal(dbp_container_parse(text, len, &c), 0);
	/* podman's own pod ID is not a Kubernetes pod UID */
	assert_string_equal(c.ctr_cgroup, "/libpod_parent/" PODMAN_POD "/libpod-" PODMAN_INPOD);
	assert_string_equal(c.pod_uid, "");
	free(text);
}

/* What a DaemonSet in a cgroup namespace of its own sees of the others. */
static void test_paths_from_inside_a_cgroup_namespace(void **state)
{
	struct dbp_container c;
	size_t len;
	char *text = slurp_fixture("real-podman-seen-from-cgroupns", &len);
	const char *t;

	(void)state;
	assert_int_equal(dbp_container_parse(text, len, &c), 0);
	assert_int_equal(c.above_ns, 2);
	assert_string_equal(c.cgroup, "/../../libpod_parent/libpod-" PODMAN_PG);
	free(text);
	text = slurp_fixture("real-podman-cgroupfs", &len);
	assert_int_equal(dbp_container_parse(text, len, &c), 0);
	assert_int_equal(c.above_ns, 0);
	free(text);
	/* a sibling pod of the reader's: the systemd slice still says all */
	t = "0::/../../../kubepods-besteffort.slice/kubepods-besteffort-pod"
	    "63b3ebfc_2890_11e9_8154_16bf8ef8d9dc.slice/crio-" K8S_ID ".scope\n";
	assert_int_equal(dbp_container_parse(t, strlen(t), &c), 0);
	assert_int_equal(c.above_ns, 3);
	assert_string_equal(c.pod_uid, "63b3ebfc-2890-11e9-8154-16bf8ef8d9dc");
	assert_int_equal(c.qos, DBP_POD_QOS_BESTEFFORT);
	/* cgroupfs: the QoS directory is kept, or hidden by the ".." */
	t = "0::/../../../besteffort/pod63b3ebfc-2890-11e9-8154-16bf8ef8d9dc/" K8S_ID "\n";
	assert_int_equal(dbp_container_parse(t, strlen(t), &c), 0);
	assert_string_equal(c.pod_uid, "63b3ebfc-2890-11e9-8154-16bf8ef8d9dc");
	assert_int_equal(c.qos, DBP_POD_QOS_BESTEFFORT);
	t = "0::/../../pod63b3ebfc-2890-11e9-8154-16bf8ef8d9dc/" K8S_ID "\n";
	assert_int_equal(dbp_container_parse(t, strlen(t), &c), 0);
	assert_string_equal(c.pod_uid, "63b3ebfc-2890-11e9-8154-16bf8ef8d9dc");
	assert_int_equal(c.qos, DBP_POD_QOS_NONE);
	assert_string_equal(c.id, K8S_ID);
	/* "/..x" is a name, not a climb */
	t = "0::/..x/docker/" DOCKER_SD "\n";
	assert_int_equal(dbp_container_parse(t, strlen(t), &c), 0);
	assert_int_equal(c.above_ns, 0);
}

static void test_pod_qos_names(void **state)
{
	(void)state;
	assert_string_equal(dbp_pod_qos_name(DBP_POD_QOS_GUARANTEED), "guaranteed");
	assert_string_equal(dbp_pod_qos_name(DBP_POD_QOS_BURSTABLE), "burstable");
	assert_string_equal(dbp_pod_qos_name(DBP_POD_QOS_BESTEFFORT), "besteffort");
	assert_string_equal(dbp_pod_qos_name(DBP_POD_QOS_NONE), "");
	assert_string_equal(dbp_pod_qos_name((enum dbp_pod_qos)42), "");
}

#define P(s) (s), strlen(s)

static void test_id_must_be_64_lowercase_hex(void **state)
{
	struct dbp_container c;

	(void)state;
	/* 63 digits, 65 digits, a capital, a non-hex letter */
	assert_int_equal(dbp_container_from_path(P("/docker/"
		"7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b"), &c), 0);
	assert_int_equal(dbp_container_from_path(P("/docker/"
		"7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b80"), &c), 0);
	assert_int_equal(dbp_container_from_path(P("/docker/"
		"7951FB549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b8"), &c), 0);
	assert_int_equal(dbp_container_from_path(P("/system.slice/docker-"
		"7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6bg.scope"), &c), 0);
	assert_string_equal(c.id, "");
	/* a suffix other than .scope, or text after it */
	assert_int_equal(dbp_container_from_path(P("/system.slice/docker-" DOCKER_SD ".service"),
						 &c), 0);
	assert_int_equal(dbp_container_from_path(P("/system.slice/docker-" DOCKER_SD ".scope.x"),
						 &c), 0);
	/* a bare ID with .scope is no runtime's spelling */
	assert_int_equal(dbp_container_from_path(P("/system.slice/" DOCKER_SD ".scope"), &c), 0);
	/* the runtime prefix must start the component */
	assert_int_equal(dbp_container_from_path(P("/system.slice/xdocker-" DOCKER_SD ".scope"),
						 &c), 0);
	assert_int_equal(dbp_container_from_path(P("/system.slice/docker-" DOCKER_SD ".scope"),
						 &c), 1);
	assert_string_equal(c.runtime, "docker");
}

static void test_only_crun_container_sub_cgroup(void **state)
{
	struct dbp_container c;

	(void)state;
	assert_int_equal(dbp_container_from_path(P("/machine.slice/libpod-" FALCO_ID
						   ".scope/payload"), &c), 0);
	assert_int_equal(dbp_container_from_path(P("/machine.slice/libpod-" FALCO_ID
						   ".scope/container/x"), &c), 0);
	/* "container" alone is not a container */
	assert_int_equal(dbp_container_from_path(P("/container"), &c), 0);
	assert_int_equal(dbp_container_from_path(P("/kubepods.slice/kubepods-burstable.slice/"
		"kubepods-burstable-pod0d3c0f4e_5b1a_4c1e_9f5e_2a7b9c1d3e4f.slice/"
		"crio-" K8S_ID ".scope/container"), &c), 1);
	assert_string_equal(c.runtime, "cri-o");
	assert_string_equal(c.pod_uid, K8S_UID);
	assert_int_equal(c.qos, DBP_POD_QOS_BURSTABLE);
}

static void test_pod_uid_forms(void **state)
{
	struct dbp_container c;

	(void)state;
	/* the systemd driver's underscores are not taken in a cgroupfs name,
	 * nor dashes in a systemd one */
	assert_int_equal(dbp_container_from_path(P("/kubepods/burstable/"
		"pod0d3c0f4e_5b1a_4c1e_9f5e_2a7b9c1d3e4f/" K8S_ID), &c), 1);
	assert_string_equal(c.pod_uid, "");
	assert_int_equal(c.qos, DBP_POD_QOS_NONE);
	assert_int_equal(dbp_container_from_path(P("/kubepods.slice/kubepods-pod"
		"0d3c0f4e-5b1a-4c1e-9f5e-2a7b9c1d3e4f.slice/cri-containerd-" K8S_ID ".scope"), &c), 1);
	assert_string_equal(c.pod_uid, "");
	/* a hand-set static pod UID is not a label we pass on */
	assert_int_equal(dbp_container_from_path(P("/kubepods/besteffort/podmy-db/" K8S_ID), &c), 1);
	assert_string_equal(c.pod_uid, "");
	assert_string_equal(c.id, K8S_ID);
	/* uppercase, a misplaced dash */
	assert_int_equal(dbp_container_from_path(P("/kubepods/pod"
		"0D3C0F4E-5b1a-4c1e-9f5e-2a7b9c1d3e4f/" K8S_ID), &c), 1);
	assert_string_equal(c.pod_uid, "");
	assert_int_equal(dbp_container_from_path(P("/kubepods/pod"
		"0d3c0f4e5-b1a-4c1e-9f5e-2a7b9c1d3e4f/" K8S_ID), &c), 1);
	assert_string_equal(c.pod_uid, "");
	/* a pod directory outside kubepods is someone else's */
	assert_int_equal(dbp_container_from_path(P("/other/burstable/pod" K8S_UID "/" K8S_ID),
						 &c), 1);
	assert_string_equal(c.pod_uid, "");
	/* "kubepods-" must start the name or follow a dash */
	assert_int_equal(dbp_container_from_path(P("/xkubepods-pod"
		"0d3c0f4e_5b1a_4c1e_9f5e_2a7b9c1d3e4f.slice/cri-containerd-" K8S_ID ".scope"), &c), 1);
	assert_string_equal(c.pod_uid, "");
}

static void test_hostile_input(void **state)
{
	struct dbp_container c;
	char *big;
	size_t n = 1 << 20;

	(void)state;
	assert_int_equal(dbp_container_parse("", 0, &c), -EINVAL);
	assert_int_equal(dbp_container_parse(NULL, 0, &c), -EINVAL);
	assert_int_equal(dbp_container_parse("hello\nworld", 11, &c), -EINVAL);
	/* no path, a relative path, a non-numeric hierarchy ID */
	assert_int_equal(dbp_container_parse("4:memory:", 9, &c), -EINVAL);
	assert_int_equal(dbp_container_parse("4:memory:docker/x\n", 18, &c), -EINVAL);
	assert_int_equal(dbp_container_parse("x:memory:/a\n", 12, &c), -EINVAL);
	/* a NUL byte in a line makes it no line; the next one counts */
	assert_int_equal(dbp_container_parse("4:memory:/do\0cker\n0::/docker/" DOCKER_SD,
					     sizeof("4:memory:/do\0cker\n0::/docker/" DOCKER_SD) - 1,
					     &c), 0);
	assert_int_equal(c.version, 2);
	assert_string_equal(c.id, DOCKER_SD);
	/* text past len is not read: the ID is cut */
	assert_int_equal(dbp_container_parse("0::/docker/" DOCKER_SD, 20, &c), 0);
	assert_string_equal(c.id, "");
	/* a megabyte path: too long for the kernel to have written it */
	big = malloc(n + 16);
	assert_non_null(big);
	memcpy(big, "0::/", 4);
	memset(big + 4, 'a', n);
	assert_int_equal(dbp_container_parse(big, n + 4, &c), -ENAMETOOLONG);
	assert_int_equal(c.version, 0);
	/* only the last components are looked at, after any run of slashes */
	memset(big, '/', 3900);
	memcpy(big + 3900, "docker/" DOCKER_SD, 7 + 64);
	assert_int_equal(dbp_container_from_path(big, 3900 + 7 + 64, &c), 1);
	assert_string_equal(c.id, DOCKER_SD);
	/* and a path no kernel writes is none, whatever it ends in */
	memset(big, '/', n - 100);
	memcpy(big + n - 100, "docker/" DOCKER_SD, 7 + 64);
	assert_int_equal(dbp_container_from_path(big, n - 100 + 7 + 64, &c), 0);
	free(big);
}

static void test_v1_without_memory_still_identifies(void **state)
{
	struct dbp_container c;
	const char *t = "3:cpu,cpuacct:/docker/" DOCKER_SD "\n1:name=systemd:/docker/" DOCKER_SD "\n";

	(void)state;
	assert_int_equal(dbp_container_parse(t, strlen(t), &c), 0);
	assert_int_equal(c.version, 0);
	assert_string_equal(c.cgroup, "");
	assert_string_equal(c.id, DOCKER_SD);
	assert_string_equal(c.runtime, "docker");
}

/* overcommit's "is this a kubelet's node": a pod's cgroup, either driver */
static void test_path_in_pod(void **state)
{
	(void)state;
	assert_true(dbp_container_path_in_pod("/kubepods.slice/kubepods-burstable.slice/"
		"kubepods-burstable-pod0a1b2c3d_4e5f_4a7b_8c9d_0e1f2a3b4c5d.slice/"
		"cri-containerd-3f2a9c0e5b7d4a1f8e6c2b9a0d3f5e7c1b4a6d8e0f2c4b6a8d0e2f4a6c8b0d2e.scope"));
	assert_true(dbp_container_path_in_pod("/kubepods/besteffort/pod0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d/"
		"3f2a9c0e5b7d4a1f8e6c2b9a0d3f5e7c1b4a6d8e0f2c4b6a8d0e2f4a6c8b0d2e"));
	assert_false(dbp_container_path_in_pod("/"));
	assert_false(dbp_container_path_in_pod("/docker/3f2a9c0e5b7d4a1f8e6c2b9a0d3f5e7c1b4a6d8e0f2c4b6a8d0e2f4a6c8b0d2e"));
	assert_false(dbp_container_path_in_pod("/user.slice/user-1000.slice"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_fixture),
		cmocka_unit_test(test_real_podman_memory_cgroup),
		cmocka_unit_test(test_paths_from_inside_a_cgroup_namespace),
		cmocka_unit_test(test_pod_qos_names),
		cmocka_unit_test(test_id_must_be_64_lowercase_hex),
		cmocka_unit_test(test_only_crun_container_sub_cgroup),
		cmocka_unit_test(test_pod_uid_forms),
		cmocka_unit_test(test_hostile_input),
		cmocka_unit_test(test_v1_without_memory_still_identifies),
		cmocka_unit_test(test_path_in_pod),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
