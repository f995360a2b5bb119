/* libFuzzer: whatever bytes a process shows, the text form holds no
 * control character and the JSON form is valid UTF-8 that gives the very
 * bytes back. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *t, *j;
	char small[16];
	struct json_object *o, *back;
	struct json_tokener *tok;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	t = dbp_escape_text_dup(s);
	if (!t)
		abort();
	for (const unsigned char *p = (const unsigned char *)t; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
	free(t);
	dbp_escape_text(s, small, sizeof(small));
	if (strlen(small) >= sizeof(small))
		abort();

	/* a JSON string of the bytes (up to the first NUL) round-trips */
	o = json_object_new_string(s);
	j = dbp_escape_json(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	if (!j)
		abort();
	tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	back = json_tokener_parse_ex(tok, j, (int)strlen(j));
	if (!back)
		abort();		/* not valid UTF-8 JSON */
	json_object_put(back);
	json_tokener_free(tok);
	dbp_json_unescape_bytes(j);
	back = json_tokener_parse(j);
	if (!back || strcmp(json_object_get_string(back), s))
		abort();
	json_object_put(back);
	json_object_put(o);
	free(j);
	free(s);
	return 0;
}
