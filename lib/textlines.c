/* Text read a line at a time (textlines.h). */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "textlines.h"

int dbp_text_lines(const char *text, int (*fn)(void *arg, const char *line, size_t len, size_t no),
		   void *arg)
{
	const char *p = text;
	size_t no = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		int rc;

		if (len && p[len - 1] == '\r')
			len--;
		rc = fn(arg, p, len, ++no);
		if (rc < 0)
			return rc;
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

char *dbp_line_copy(const char *line, size_t len, char *buf, size_t size)
{
	if (len >= size)
		return NULL;
	memcpy(buf, line, len);
	buf[len] = '\0';
	return buf;
}

char *dbp_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}
