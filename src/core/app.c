/* Configuration defaults; see app.h. */
#include "core/app.h"
#include "core/area.h"
#include "core/router.h"

#include <string.h>

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    c->db_path = "var/hramada.db";
    c->listen = "127.0.0.1:8080";
    c->max_body = 1024 * 1024;
    c->max_upload = 8 * 1024 * 1024;
    c->max_fields = 200;
    c->threads = 0;
    c->max_conns = 512;
    c->max_conns_per_ip = -1;
    c->conn_timeout = 30;
    c->header_timeout = 10;
    c->body_timeout = 120;
    c->cache_mb = 16;
}

int area_install(struct app *app, const struct area *const *areas)
{
    const struct route_table *lists[64];
    size_t n = 0;
    for (int s = 0; s < SCOPE_N; s++)
        app->scopes[s] = NULL;
    for (const struct area *const *a = areas; *a; a++) {
        if ((*a)->routes && n + 1 < HR_ARRAY_LEN(lists)) lists[n++] = (*a)->routes;
        if ((*a)->owns != SCOPE_INSTANCE && (*a)->scope) app->scopes[(*a)->owns] = (*a)->scope;
    }
    lists[n] = NULL;
    app->areas = areas;
    app->routes = router_index(lists, app->scopes);
    return app->routes ? 0 : -1;
}

void area_uninstall(struct app *app)
{
    router_index_free(app->routes);
    app->routes = NULL;
}
