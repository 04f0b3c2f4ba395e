/* Path routing: router_match_pattern over every pattern of the route
 * tables, and over a pattern taken from the input itself (pattern NUL
 * path). A match must give {name} values that are whole segments: no
 * '/', no NUL, 1..128 bytes of [A-Za-z0-9._-]. */
#include "areas/areas.h"
#include "core/router.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check(struct req *r)
{
    if (r->npath_args < 0 || r->npath_args > 6) abort();
    for (int i = 0; i < r->npath_args; i++) {
        size_t n = strlen(r->path_args[i]);
        if (n == 0 || n > 128 || strchr(r->path_args[i], '/')) abort();
        if (strspn(r->path_args[i], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789-_.") != n)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *in = malloc(size + 1);
    memcpy(in, data, size);
    in[size] = 0;
    struct arena *a = arena_new();
    struct req r;
    memset(&r, 0, sizeof r);
    r.arena = a;
    /* The whole input as a path against every real route. */
    const struct route *rt;
    for (size_t ri = 0; (rt = areas_route(ri, NULL)) != NULL; ri++)
        if (router_match_pattern(&r, rt->pattern, in)) check(&r);
    /* pattern NUL path, both from the input. */
    const char *path = memchr(in, 0, size) ? in + strlen(in) + 1 : NULL;
    if (path && router_match_pattern(&r, in, path)) check(&r);
    arena_free(a);
    free(in);
    return 0;
}
