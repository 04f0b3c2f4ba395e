/* Lookup in the embedded files; see embed.h. */
#include "core/embed.h"
#include "core/util.h"

const struct embedded_file *embed_find(const char *name)
{
    for (const struct embedded_file *f = embedded_files; f->name; f++)
        if (str_eq(f->name, name)) return f;
    return NULL;
}
