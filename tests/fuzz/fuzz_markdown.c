/* Markdown: render_markdown hands member-written text to libcmark with
 * CMARK_OPT_DEFAULT | CMARK_OPT_SMART and puts the result out unescaped
 * ({{{description_html}}}), so the output must never carry markup the
 * author wrote: no <script, no raw tags, no javascript: links. */
#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const char *find_ci(const char *h, const char *n)
{
    size_t k = strlen(n);
    for (; *h; h++)
        if (strncasecmp(h, n, k) == 0) return h;
    return NULL;
}

/* Every tag in the output must be one cmark makes itself. */
static int tags_ok(const char *h)
{
    static const char *const ok[] = {"p>",
                                     "h1>",
                                     "h2>",
                                     "h3>",
                                     "h4>",
                                     "h5>",
                                     "h6>",
                                     "em>",
                                     "strong>",
                                     "a href=\"",
                                     "a>",
                                     "img src=\"",
                                     "ul>",
                                     "ol>",
                                     "ol start=\"",
                                     "li>",
                                     "blockquote>",
                                     "pre>",
                                     "code>",
                                     "code class=\"",
                                     "hr />",
                                     "br />",
                                     "!-- raw HTML omitted -->",
                                     NULL};
    for (const char *p = strchr(h, '<'); p; p = strchr(p + 1, '<')) {
        const char *t = p[1] == '/' ? p + 2 : p + 1;
        int found = 0;
        for (int i = 0; ok[i] && !found; i++)
            found = strncmp(t, ok[i], strlen(ok[i])) == 0;
        if (!found) return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *html =
        cmark_markdown_to_html((const char *)data, size, CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
    if (!html) abort();
    if (!tags_ok(html) || find_ci(html, "href=\"javascript:") ||
        find_ci(html, "src=\"javascript:") || find_ci(html, "href=\"vbscript:") ||
        find_ci(html, "src=\"vbscript:"))
        abort();
    free(html);
    return 0;
}
