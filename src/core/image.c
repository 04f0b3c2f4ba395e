/* Photos re-encoded on upload; see image.h.
 *
 * Why re-encode and not strip: a stripping tool removes what it knows of
 * (EXIF, XMP, IPTC) and keeps what it does not (a maker's note in an odd
 * place, a trailer after the image's end, a second image). Decoding to
 * pixels and writing a new file keeps nothing but the pixels. The
 * orientation the camera noted is applied first (the picture would
 * otherwise lie on its side once the note is gone), and the picture is
 * made smaller, which also drops any detail hidden in the noise. */
#include "core/image.h"
#include "core/util.h"

#include <string.h>
#include <vips/vips.h>

/* libvips' warnings describe what a decoder thought of an upload's bytes
 * ("Premature end of JPEG file"): the answer says it was broken, and the
 * log is no place for what a member sent. */
static void drop_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
    (void)domain;
    (void)level;
    (void)msg;
    (void)data;
}

int image_init(const char *argv0)
{
    if (VIPS_INIT(argv0 ? argv0 : "hramada") != 0) return -1;
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO,
                      drop_log, NULL);
    /* one thread per request is enough: the server's workers are the
     * parallelism, and a pool per photo would multiply them */
    vips_concurrency_set(1);
    /* nothing kept between requests: a cache of decoded photos would hold
     * one community's pictures in memory another request may reach */
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    vips_operation_block_set("VipsForeignLoadJpeg", FALSE);
    vips_operation_block_set("VipsForeignLoadPng", FALSE);
    vips_operation_block_set("VipsForeignLoadWebp", FALSE);
    return 0;
}

void image_shutdown(void)
{
    vips_shutdown();
}

/* The kind the bytes say, before any decoder sees them: a file named
 * .jpg that is something else is refused here, not parsed. */
static int known_kind(const unsigned char *p, size_t n)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff) return 1;
    if (n >= 8 && memcmp(p, png, 8) == 0) return 1;
    if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) return 1;
    return 0;
}

/* Unrefs each image of a NULL-ended list. */
static void unref_all(VipsImage **v, int n)
{
    for (int i = 0; i < n; i++)
        if (v[i]) g_object_unref(v[i]);
}

const char *image_reencode(const unsigned char *in, size_t n, struct image *out)
{
    memset(out, 0, sizeof *out);
    if (!known_kind(in, n)) return "image.error.type";
    /* the header first: the size is known before a pixel is decoded */
    VipsImage *t[4] = {NULL, NULL, NULL, NULL};
    const char *why = NULL;
    t[0] = vips_image_new_from_buffer(in, n, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!t[0]) {
        why = "image.error.broken";
        goto done;
    }
    int w = vips_image_get_width(t[0]), h = vips_image_get_height(t[0]);
    if (w < 1 || h < 1 || w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE ||
        (long long)w * h > IMAGE_MAX_PIXELS) {
        why = "image.error.size";
        goto done;
    }
    /* decoded again by the thumbnailer, which shrinks a JPEG while it
     * decodes and turns it upright by its orientation note */
    if (vips_thumbnail_buffer((void *)in, n, &t[1], IMAGE_SIDE, "height", IMAGE_SIDE, "size",
                              VIPS_SIZE_DOWN, NULL) != 0) {
        why = "image.error.broken";
        goto done;
    }
    VipsImage *img = t[1];
    if (vips_image_hasalpha(img)) { /* a transparent PNG on white, as a page shows it */
        double white[1] = {255};
        VipsArrayDouble *bg = vips_array_double_new(white, 1);
        int rc = vips_flatten(img, &t[2], "background", bg, NULL);
        vips_area_unref(VIPS_AREA(bg));
        if (rc != 0) {
            why = "image.error.broken";
            goto done;
        }
        img = t[2];
    }
    if (vips_image_get_bands(img) != 1 && vips_image_get_bands(img) != 3) {
        if (vips_colourspace(img, &t[3], VIPS_INTERPRETATION_sRGB, NULL) != 0) {
            why = "image.error.broken";
            goto done;
        }
        img = t[3];
    }
    void *buf = NULL;
    size_t len = 0;
    /* strip: no EXIF, XMP, IPTC or ICC profile is written */
    if (vips_jpegsave_buffer(img, &buf, &len, "Q", 82, "strip", TRUE, "optimize_coding", TRUE,
                             NULL) != 0) {
        why = "image.error.broken";
        goto done;
    }
    out->data = xmalloc(len);
    memcpy(out->data, buf, len);
    g_free(buf);
    out->len = len;
    out->width = vips_image_get_width(img);
    out->height = vips_image_get_height(img);
done:
    unref_all(t, 4);
    /* the library's error text names the parser's view of the file:
     * nothing to keep, nothing to log */
    vips_error_clear();
    return why;
}
