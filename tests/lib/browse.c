/* The shared helpers of the browser suites; see browse.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "browse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void browse_go(struct wd *w, const struct srv *s, const char *path)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", s->base, path);
    assert_int_equal(wd_get(w, url), 0);
}

int browse_has(struct wd *w, const char *needle)
{
    char *src = wd_source(w);
    int found = src && strstr(src, needle) != NULL;
    free(src);
    return found;
}

void browse_sign_in(struct wd *w, const struct srv *s, const char *handle)
{
    browse_go(w, s, "/login");
    assert_int_equal(wd_type(w, "#handle", handle), 0);
    assert_int_equal(wd_type(w, "#password", "demo-demo"), 0);
    assert_int_equal(wd_click_nav(w, "main form button[type=submit]"), 0);
}

void browse_sign_out(struct wd *w, const struct srv *s)
{
    if (s) browse_go(w, s, "/");
    assert_int_equal(wd_click_nav(w, "form[action='/logout'] button"), 0);
}
