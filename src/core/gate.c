/* A gate; see gate.h. A counter behind an atomic: entering is one
 * compare-and-swap loop, never a wait. */
#include "core/gate.h"
#include "core/util.h"

#include <stdatomic.h>
#include <stdlib.h>

struct gate {
    atomic_int holders;
    int max;
};

struct gate *gate_new(int max)
{
    struct gate *g = xcalloc(1, sizeof *g);
    atomic_init(&g->holders, 0);
    g->max = max > 0 ? max : 1;
    return g;
}

void gate_free(struct gate *g)
{
    free(g);
}

int gate_try_enter(struct gate *g)
{
    int n = atomic_load(&g->holders);
    while (n < g->max)
        if (atomic_compare_exchange_weak(&g->holders, &n, n + 1)) return 1;
    return 0;
}

void gate_leave(struct gate *g)
{
    atomic_fetch_sub(&g->holders, 1);
}

int gate_holders(struct gate *g)
{
    return atomic_load(&g->holders);
}
