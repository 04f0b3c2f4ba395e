/* Configuration defaults; see app.h. */
#include "core/app.h"

#include <string.h>

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    c->db_path = "var/hramada.db";
    c->listen = "127.0.0.1:8080";
    c->max_body = 1024 * 1024;
    c->max_fields = 200;
    c->threads = 0;
    c->max_conns = 512;
    c->max_conns_per_ip = 128;
    c->conn_timeout = 30;
    c->cache_mb = 16;
}
