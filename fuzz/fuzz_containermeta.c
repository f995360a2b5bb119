/* libFuzzer: the container runtimes' state files as lib/node/containermeta.c
 * reads them below a root prefix -- containers/storage's containers.json,
 * volatile-containers.json and images.json (podman, CRI-O), docker's
 * config.v2.json, a container's OCI spec (its stop signal), containerd's
 * task bundle spec (the CRI annotations) -- which whoever runs containers
 * on the node writes. (containerd's and podman's bbolt files have their
 * own target, fuzz_bolt.c.)
 *
 * The reader opens files, not buffers: a tree of small, valid stores is
 * made once in a temporary directory; the first byte of an input picks
 * one of its files and the rest replaces that file for one
 * dbp_meta_open / dbp_meta_lookup / dbp_meta_close pass, after which the
 * valid file is written back. The lookups ask for the tree's own IDs
 * (so that a mutated list is searched and its metadata parsed, and a
 * mutated images.json is reached through a container that needs it), an
 * ID no store has (docker's path), and the first 64-hex runs of the
 * input. The seeds (fuzz/corpus/containermeta) are the files of
 * tests/fixtures/container/meta behind their selector byte. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "node/containermeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CTR_ID "547e452585c9bdffc41f25e150f478ddeee117d4a06a302ad563cc07d640135a"
#define VOL_ID "caa070e920c149ac3c552b4fae2220ef015e299de367aea68699f125240f0f18"
#define IMG_ID "75304a15bbabf604f80d7bd040b12219fa95bbca6f73f15cb9399bdb5c3bc170"
#define DKR_ID "7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b8"
#define CTRD_ID "aed6ad10d24c97edd294a02fff1e55dd63010817a04603746ef6e16abb20c252"
#define NO_ID "0000000000000000000000000000000000000000000000000000000000000000"

#define STORAGE "/var/lib/containers/storage"

/* The files an input may stand in for, with the valid text each holds
 * otherwise: a container named by its metadata, one named from
 * images.json, the image, a docker container. */
static const struct {
	const char *path;
	const char *text;
} files[] = {
	{ STORAGE "/overlay-containers/containers.json",
	  "[{\"id\":\"" CTR_ID "\",\"names\":[\"pg\"],\"image\":\"" IMG_ID "\","
	  "\"metadata\":\"{\\\"image-name\\\":\\\"localhost/postgres:15\\\",\\\"name\\\":\\\"pg\\\"}\"}]" },
	{ STORAGE "/overlay-containers/volatile-containers.json",
	  "[{\"id\":\"" VOL_ID "\",\"names\":[],\"image\":\"" IMG_ID "\","
	  "\"metadata\":\"{\\\"name\\\":\\\"pg-rm\\\"}\"}]" },
	{ STORAGE "/overlay-images/images.json",
	  "[{\"id\":\"" IMG_ID "\",\"names\":[\"localhost/debian:12\"]}]" },
	{ "/var/lib/docker/containers/" DKR_ID "/config.v2.json",
	  "{\"ID\":\"" DKR_ID "\",\"Name\":\"/pg-docker\",\"Config\":{\"Image\":\"postgres:15\","
	  "\"StopSignal\":\"SIGQUIT\",\"StopTimeout\":7}}" },
	{ "/run/containers/storage/overlay-containers/volatile-containers.json", "[]" },
	{ STORAGE "/overlay-containers/" CTR_ID "/userdata/config.json",
	  "{\"ociVersion\":\"1.0.2-dev\",\"annotations\":{\"io.container.manager\":\"libpod\","
	  "\"org.opencontainers.image.stopSignal\":\"2\"}}" },
	{ "/run/containerd/io.containerd.runtime.v2.task/k8s.io/" CTRD_ID "/config.json",
	  "{\"ociVersion\":\"1.0.2-dev\",\"annotations\":{"
	  "\"io.kubernetes.cri.container-name\":\"postgres\","
	  "\"io.kubernetes.cri.image-name\":\"docker.io/dbpod-test/pg:15\","
	  "\"io.kubernetes.cri.sandbox-name\":\"pg-0\","
	  "\"io.kubernetes.cri.sandbox-namespace\":\"db\"}}" },
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static char root[64];

static int write_file(const char *path, const void *data, size_t size)
{
	char full[512];
	int fd;

	snprintf(full, sizeof(full), "%s%s", root, path);
	fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	while (size) {
		ssize_t w = write(fd, data, size);

		if (w < 0) {
			close(fd);
			return -errno;
		}
		data = (const char *)data + w;
		size -= (size_t)w;
	}
	close(fd);
	return 0;
}

/* mkdir -p root + the directory of path */
static void make_dirs(const char *path)
{
	char full[512];

	snprintf(full, sizeof(full), "%s%s", root, path);
	for (char *p = full + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(full, 0700);
		*p = '/';
	}
}

static void remove_tree(void)
{
	char full[512];

	for (size_t i = 0; i < NFILES; i++) {
		snprintf(full, sizeof(full), "%s%s", root, files[i].path);
		unlink(full);
		/* the directories, deepest first, until one is not empty */
		for (char *slash; (slash = strrchr(full, '/')) && slash > full + strlen(root);) {
			*slash = '\0';
			if (rmdir(full) < 0 && errno != ENOENT)
				break;
		}
	}
	rmdir(root);
}

static int make_tree(void)
{
	snprintf(root, sizeof(root), "%s", "/tmp/fuzz-containermeta-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	for (size_t i = 0; i < NFILES; i++) {
		make_dirs(files[i].path);
		if (write_file(files[i].path, files[i].text, strlen(files[i].text)) < 0)
			return -1;
	}
	atexit(remove_tree);
	return 0;
}

/* a character of an ID: lowercase hex */
static int id_char(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static void lookup(struct dbp_meta *s, const char *id)
{
	struct dbp_container_meta m;

	if (dbp_meta_lookup(s, id, &m) >= 0) {
		/* what the caller prints: every field a string within its array */
		if (strnlen(m.name, sizeof(m.name)) == sizeof(m.name) ||
		    strnlen(m.image, sizeof(m.image)) == sizeof(m.image) ||
		    strnlen(m.err_file, sizeof(m.err_file)) == sizeof(m.err_file) ||
		    strnlen(m.pod_name, sizeof(m.pod_name)) == sizeof(m.pod_name) ||
		    strnlen(m.stop_unknown, sizeof(m.stop_unknown)) == sizeof(m.stop_unknown) ||
		    !m.source || !m.runtime)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready = -1;
	static const char *const ids[] = { CTR_ID, VOL_ID, DKR_ID, CTRD_ID, NO_ID };
	struct dbp_meta *s;
	size_t which, found = 0;

	if (ready < 0)
		ready = make_tree();
	if (ready < 0 || !size)
		return 0;
	which = data[0] % NFILES;
	if (write_file(files[which].path, data + 1, size - 1) < 0)
		return 0;
	s = dbp_meta_open(root, NULL);
	if (s) {
		for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
			lookup(s, ids[i]);
		/* IDs the input names itself (a mutated list's own entries) */
		for (size_t i = 1, run = 0; i < size && found < 4; i++) {
			run = id_char(data[i]) ? run + 1 : 0;
			if (run == 64 && (i + 1 == size || !id_char(data[i + 1]))) {
				char id[65];

				memcpy(id, data + i - 63, 64);
				id[64] = '\0';
				lookup(s, id);
				found++;
			}
		}
		dbp_meta_close(s);
	}
	write_file(files[which].path, files[which].text, strlen(files[which].text));
	return 0;
}
