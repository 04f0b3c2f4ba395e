/* Unit tests of the upload's two pieces: the multipart/form-data parser
 * (what browsers send, and what they never do) and the re-encoding of a
 * photo (no metadata survives; what is not a photo is refused by its
 * bytes, before a decoder sees it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/form.h"
#include "core/image.h"
#include "core/multipart.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#define B "----hrBoundary7MA4YWxk"
#define CRLF "\r\n"

static int parse(struct arena *a, struct kvlist *l, struct upload **up, const char *body, size_t n)
{
    return multipart_parse(a, l, up, B, body, n, 10);
}

static void boundary_from_content_type(void **state)
{
    (void)state;
    char b[72];
    assert_int_equal(multipart_boundary("multipart/form-data; boundary=" B, b), 0);
    assert_string_equal(b, B);
    assert_int_equal(multipart_boundary("multipart/form-data; charset=utf-8; boundary=\"a b\"", b),
                     0);
    assert_string_equal(b, "a b");
    assert_int_equal(multipart_boundary("multipart/form-data", b), -1);
    assert_int_equal(multipart_boundary("application/x-www-form-urlencoded; boundary=x", b), -1);
    assert_int_equal(multipart_boundary("multipart/form-data; boundary=", b), -1);
    char longer[128] = "multipart/form-data; boundary=";
    memset(longer + strlen(longer), 'x', 71);
    assert_int_equal(multipart_boundary(longer, b), -1); /* over 70 */
}

static void fields_and_one_file(void **state)
{
    (void)state;
    static const char body[] =
        "--" B CRLF "Content-Disposition: form-data; name=\"csrf\"" CRLF CRLF "tok" CRLF "--" B CRLF
        "Content-Disposition: form-data; name=\"caption\"" CRLF CRLF "Двор после уборки" CRLF
        "--" B CRLF "Content-Disposition: form-data; name=\"photo\"; "
        "filename=\"IMG_0001.jpg\"" CRLF "Content-Type: image/jpeg" CRLF CRLF
        "\xff\xd8\xff\x00\r\n--not-the-boundary\r\n\x00\xff\xd9" CRLF "--" B "--" CRLF;
    struct arena *a = arena_new();
    struct kvlist l = {0};
    struct upload *up = NULL;
    assert_int_equal(parse(a, &l, &up, body, sizeof body - 1), PARSE_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(kvlist_get(&l, "csrf"), "tok");
    assert_string_equal(kvlist_get(&l, "caption"), "Двор после уборки");
    assert_non_null(up);
    assert_string_equal(up->field, "photo");
    assert_string_equal(up->filename, "IMG_0001.jpg");
    assert_string_equal(up->type, "image/jpeg");
    /* the bytes as sent, a NUL and a line that only looks like a boundary
     * included */
    static const char want[] = "\xff\xd8\xff\x00\r\n--not-the-boundary\r\n\x00\xff\xd9";
    assert_int_equal(up->len, sizeof want - 1);
    assert_memory_equal(up->data, want, sizeof want - 1);
    arena_free(a);
}

static void no_file_chosen(void **state)
{
    (void)state;
    static const char body[] =
        "--" B CRLF "Content-Disposition: form-data; name=\"photo\"; "
        "filename=\"\"" CRLF "Content-Type: application/octet-stream" CRLF CRLF CRLF "--" B "--";
    struct arena *a = arena_new();
    struct kvlist l = {0};
    struct upload *up = (struct upload *)1;
    assert_int_equal(parse(a, &l, &up, body, sizeof body - 1), PARSE_OK);
    assert_null(up);
    assert_int_equal(l.n, 0);
    arena_free(a);
}

static void malformed_bodies_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",                                                                          /* nothing */
        "--" B CRLF "Content-Disposition: form-data; name=\"a\"" CRLF CRLF "1",      /* no close */
        "--" B CRLF "Content-Disposition: form-data" CRLF CRLF "1" CRLF "--" B "--", /* nameless */
        "--" B CRLF "Content-Disposition: attachment; name=\"a\"" CRLF CRLF "1" CRLF "--" B "--",
        "--" B CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "1" CRLF "--" B "--",
        "--" B CRLF "Content-Disposition: form-data; name=\"a\"" CRLF "1" CRLF "--" B "--",
        "--" B CRLF "Content-Disposition: form-data; name=\"a\"" CRLF
        "Content-Transfer-Encoding: base64" CRLF CRLF "MQ==" CRLF "--" B "--",
        "--" B CRLF "Content-Disposition: form-data; name=\"f\"; filename=\"1\"" CRLF CRLF "x" CRLF
        "--" B CRLF "Content-Disposition: form-data; name=\"g\"; filename=\"2\"" CRLF CRLF "y" CRLF
        "--" B "--", /* two files */
        "--other" CRLF "Content-Disposition: form-data; name=\"a\"" CRLF CRLF "1" CRLF "--other--",
        NULL,
    };
    for (int i = 0; bad[i]; i++) {
        struct arena *a = arena_new();
        struct kvlist l = {0};
        struct upload *up = NULL;
        int rc = parse(a, &l, &up, bad[i], strlen(bad[i]));
        if (rc != PARSE_BAD) fail_msg("body %d: %d", i, rc);
        arena_free(a);
    }
    /* a text that is not UTF-8, and more fields than allowed */
    static const char latin[] = "--" B CRLF "Content-Disposition: form-data; name=\"a\"" CRLF CRLF
                                "\xe9t\xe9" CRLF "--" B "--";
    struct arena *a = arena_new();
    struct kvlist l = {0};
    struct upload *up = NULL;
    assert_int_equal(parse(a, &l, &up, latin, sizeof latin - 1), PARSE_BAD_UTF8);
    char many[4096] = "";
    for (int i = 0; i < 12; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many),
                 "--" B CRLF "Content-Disposition: form-data; name=\"f%d\"" CRLF CRLF "v" CRLF, i);
    strcat(many, "--" B "--");
    struct kvlist l2 = {0};
    assert_int_equal(parse(a, &l2, &up, many, strlen(many)), PARSE_TOO_MANY);
    arena_free(a);
}

/* ---- the photo ---- */

/* A JPEG of w × h with a camera's EXIF (maker, model, a GPS note), an XMP
 * packet and a comment: what a phone's photo carries. g_free's. */
static void *camera_jpeg(int w, int h, size_t *len)
{
    VipsImage *black, *img;
    assert_int_equal(vips_black(&black, w, h, "bands", 3, NULL), 0);
    assert_int_equal(vips_linear1(black, &img, 1.0, 120.0, NULL), 0);
    g_object_unref(black);
    VipsImage *c;
    assert_int_equal(vips_copy(img, &c, NULL), 0);
    g_object_unref(img);
    vips_image_set_string(c, "exif-ifd0-Make", "SecretCamMaker");
    vips_image_set_string(c, "exif-ifd0-Model", "SecretCamModel");
    vips_image_set_string(c, "exif-ifd0-Artist", "Ivan Secret-Owner");
    static const char xmp[] = "<x:xmpmeta xmlns:x='adobe:ns:meta/'>SecretXmpPlace</x:xmpmeta>";
    vips_image_set_blob_copy(c, VIPS_META_XMP_NAME, xmp, sizeof xmp - 1);
    void *buf = NULL;
    assert_int_equal(vips_jpegsave_buffer(c, &buf, len, "strip", FALSE, NULL), 0);
    g_object_unref(c);
    return buf;
}

static int has(const unsigned char *p, size_t n, const char *s)
{
    return memmem(p, n, s, strlen(s)) != NULL;
}

static void photo_loses_its_metadata(void **state)
{
    (void)state;
    size_t n = 0;
    unsigned char *in = camera_jpeg(2400, 1200, &n);
    /* the fixture does carry what must go */
    assert_true(has(in, n, "SecretCamMaker"));
    assert_true(has(in, n, "SecretXmpPlace"));
    struct image out;
    assert_null(image_reencode(in, n, &out));
    g_free(in);
    assert_non_null(out.data);
    assert_true(out.len > 100);
    assert_memory_equal(out.data, "\xff\xd8\xff", 3);
    assert_false(has(out.data, out.len, "SecretCamMaker"));
    assert_false(has(out.data, out.len, "SecretCamModel"));
    assert_false(has(out.data, out.len, "Secret-Owner"));
    assert_false(has(out.data, out.len, "SecretXmpPlace"));
    assert_false(has(out.data, out.len, "Exif"));
    assert_false(has(out.data, out.len, "http://ns.adobe.com"));
    /* made smaller, its shape kept */
    assert_int_equal(out.width, IMAGE_SIDE);
    assert_int_equal(out.height, IMAGE_SIDE / 2);
    /* and it decodes */
    VipsImage *back = vips_image_new_from_buffer(out.data, out.len, "", NULL);
    assert_non_null(back);
    assert_int_equal(vips_image_get_width(back), IMAGE_SIDE);
    g_object_unref(back);
    free(out.data);
}

static void png_with_alpha_becomes_jpeg(void **state)
{
    (void)state;
    VipsImage *black, *rgba;
    assert_int_equal(vips_black(&black, 64, 48, "bands", 4, NULL), 0);
    assert_int_equal(vips_cast(black, &rgba, VIPS_FORMAT_UCHAR, NULL), 0);
    g_object_unref(black);
    void *buf = NULL;
    size_t n = 0;
    assert_int_equal(vips_pngsave_buffer(rgba, &buf, &n, NULL), 0);
    g_object_unref(rgba);
    struct image out;
    assert_null(image_reencode(buf, n, &out));
    g_free(buf);
    assert_memory_equal(out.data, "\xff\xd8\xff", 3);
    assert_int_equal(out.width, 64); /* never made larger */
    assert_int_equal(out.height, 48);
    free(out.data);
}

static void what_is_not_a_photo_is_refused(void **state)
{
    (void)state;
    struct image out;
    static const char svg[] = "<svg xmlns='http://www.w3.org/2000/svg'><script>x</script></svg>";
    assert_string_equal(image_reencode((const unsigned char *)svg, sizeof svg - 1, &out),
                        "image.error.type");
    assert_null(out.data);
    static const unsigned char gif[] = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    assert_string_equal(image_reencode(gif, sizeof gif - 1, &out), "image.error.type");
    /* a JPEG's first bytes and then nothing a decoder can use */
    static const unsigned char cut[] = "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00garbage";
    assert_string_equal(image_reencode(cut, sizeof cut - 1, &out), "image.error.broken");
    assert_null(out.data);
    assert_string_equal(image_reencode(cut, 2, &out), "image.error.type");
}

static void a_huge_picture_is_refused_before_decoding(void **state)
{
    (void)state;
    /* a PNG header that claims 20,000 × 20,000: refused on its header */
    VipsImage *img;
    assert_int_equal(vips_black(&img, 20000, 1, NULL), 0);
    void *buf = NULL;
    size_t n = 0;
    assert_int_equal(vips_pngsave_buffer(img, &buf, &n, NULL), 0);
    g_object_unref(img);
    struct image out;
    assert_string_equal(image_reencode(buf, n, &out), "image.error.size");
    g_free(buf);
}

static int setup(void **state)
{
    (void)state;
    return image_init("test_upload");
}

static int teardown(void **state)
{
    (void)state;
    image_shutdown();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(boundary_from_content_type),
        cmocka_unit_test(fields_and_one_file),
        cmocka_unit_test(no_file_chosen),
        cmocka_unit_test(malformed_bodies_are_refused),
        cmocka_unit_test(photo_loses_its_metadata),
        cmocka_unit_test(png_with_alpha_becomes_jpeg),
        cmocka_unit_test(what_is_not_a_photo_is_refused),
        cmocka_unit_test(a_huge_picture_is_refused_before_decoding),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
