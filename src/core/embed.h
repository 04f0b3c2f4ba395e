/* Files compiled into the binary by tools/embed.c: templates, stylesheet,
 * migrations, catalogs. */
#ifndef HR_EMBED_H
#define HR_EMBED_H
#include <stddef.h>

struct embedded_file {
    const char *name; /* path in the source tree, e.g. "src/sql/001_core.sql" */
    const char *data; /* NUL-terminated */
    size_t len;
};

extern const struct embedded_file embedded_files[]; /* ends with {0} */

const struct embedded_file *embed_find(const char *name);

#endif
