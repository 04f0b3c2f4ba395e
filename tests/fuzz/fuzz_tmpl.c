/* The template engine: tmpl_load_from on untrusted template text and
 * tmpl_render of it with a JSON context (input: template NUL json). Two
 * templates share the text so that partials, including a template that
 * includes itself, are reached. Every value a {{name}} prints must come out
 * escaped: the output may hold '<' only where the template text had one. */
#include "core/i18n.h"
#include "core/log.h"
#include "core/tmpl.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static struct i18n *cat;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_set_level(LOG_ERROR + 1); /* syntax errors are expected here */
    cat = i18n_load();
    return 0;
}

/* Arrays repeat sections: keep the context small so that the run measures
 * parsing and rendering, not a 2^32 repetition the fuzzer built on
 * purpose (templates are written by us; contexts come from the database). */
static int small(json_t *v, int depth)
{
    if (depth > 6) return 0;
    if (json_is_array(v)) {
        if (json_array_size(v) > 3) return 0;
        for (size_t i = 0; i < json_array_size(v); i++)
            if (!small(json_array_get(v, i), depth + 1)) return 0;
    } else if (json_is_object(v)) {
        for (void *it = json_object_iter(v); it; it = json_object_iter_next(v, it))
            if (!small(json_object_iter_value(it), depth + 1)) return 0;
    }
    return 1;
}

static int count(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size > 2048) return 0;
    char *in = malloc(size + 1);
    memcpy(in, data, size);
    in[size] = 0;
    size_t tlen = strlen(in);
    json_t *ctx = tlen < size ? json_loadb(in + tlen + 1, size - tlen - 1, 0, NULL) : NULL;
    if (!ctx)
        ctx = json_pack("{s:s, s:[s, i], s:{s:b}}", "name", "<script>x</script>", "items", "<b>", 1,
                        "obj", "flag", 1);
    /* Likewise bounded: sections that repeat and partials that fan out. */
    if (!small(ctx, 0) || count(in, "{{#") > 5 || count(in, "{{>") > 1) {
        json_decref(ctx);
        free(in);
        return 0;
    }
    const char *names[] = {"fuzz/t", "fuzz/p"};
    const char *texts[] = {in, in};
    struct tmpl_set *set = tmpl_load_from(names, texts, 2);
    if (set) {
        struct buf out;
        buf_init(&out);
        tmpl_render(set, "fuzz/t", ctx, cat, (data[0] & 1) ? "en" : "ru", &out);
        /* No unescaped markup from the data without {{{ }}} in the text.
         * {{*x}} renders Markdown, whose own <p> and <em> are its output;
         * that it drops the HTML a text carries is test_core.s. */
        if (!strstr(in, "{{{") && !strchr(in, '<') && !strstr(in, "{{&") && !strstr(in, "{{*") &&
            out.data && strchr(out.data, '<'))
            abort();
        buf_free(&out);
        tmpl_free(set);
    }
    json_decref(ctx);
    free(in);
    return 0;
}
