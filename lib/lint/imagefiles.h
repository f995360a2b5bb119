/*
 * The files an image holds that dbpod could read (the scripts a
 * Dockerfile copies, its heredocs), by their path in the image: filled by
 * the Dockerfile's reader (dockerunit), kept with the image's
 * configuration (imageconfig.h), and followed by imagechain when a
 * program runs one.
 */
#ifndef DBPOD_IMAGEFILES_H
#define DBPOD_IMAGEFILES_H

#include <stddef.h>

/* A file the image holds that could be read: a script copied from the
 * build context, a heredoc (dbpod lint of a Dockerfile reads them;
 * inspect JSON carries none). */
struct dbp_image_file {
	char *path;		/* where it is in the image ("/usr/local/bin/start.sh") */
	char *text;		/* NUL-terminated */
	char *from;		/* where it was read: "the build context's start.sh" */
};

struct dbp_image_files {
	struct dbp_image_file *items;
	size_t n, cap;
	int read;		/* 1: a build context or heredocs were looked at */
};

/* Add a file (copies of the three strings; a later file for the same
 * path replaces the earlier, as a later COPY does). 0 or -ENOMEM. */
int dbp_image_files_add(struct dbp_image_files *f, const char *path, const char *text,
			const char *from);
void dbp_image_files_free(struct dbp_image_files *f);

/* The file a program word names: an absolute path exactly, a bare name
 * as the PATH lookup finds it (any directory); NULL when none. */
const struct dbp_image_file *dbp_image_file_find(const struct dbp_image_files *f,
						 const char *prog);

#endif
