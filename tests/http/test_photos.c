/* Photos of an initiative's reports (issue 14) over HTTP against a real
 * server: the upload as a browser sends it (multipart/form-data), the
 * metadata gone from what is stored and served, every bad input answered
 * beside the field with the input kept, who may add and who may see, and
 * a secret community's photo sealed on the disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/forensic.h"
#include "lib/httpx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

static struct srv S;

#define DS "/c/dvor-sadovaya-12"
#define ZK "/c/zelenyj-kvartal"
#define TV "/c/tiho-vmeste"

static int setup(void **state)
{
    (void)state;
    if (VIPS_INIT("test_photos") != 0) return -1;
    return srv_start(&S, 1, NULL);
}

static int teardown(void **state)
{
    (void)state;
    vips_shutdown();
    return srv_stop(&S) == 0 ? 0 : -1;
}

static long long q(const char *sql, long long id)
{
    char p[32];
    snprintf(p, sizeof p, "%lld", id);
    return db_value(&S, sql, p);
}

/* A phone's photo: a JPEG of w × h with its maker, its owner and a place
 * in EXIF and XMP. g_free's. */
static void *camera_jpeg(int w, int h, size_t *len)
{
    VipsImage *black, *img, *c;
    assert_int_equal(vips_black(&black, w, h, "bands", 3, NULL), 0);
    assert_int_equal(vips_linear1(black, &img, 1.0, 90.0, NULL), 0);
    g_object_unref(black);
    assert_int_equal(vips_copy(img, &c, NULL), 0);
    g_object_unref(img);
    vips_image_set_string(c, "exif-ifd0-Make", "SecretCamMaker");
    vips_image_set_string(c, "exif-ifd0-Artist", "Ivan Secret-Owner");
    static const char xmp[] = "<x:xmpmeta xmlns:x='adobe:ns:meta/'>SecretXmpPlace</x:xmpmeta>";
    vips_image_set_blob_copy(c, VIPS_META_XMP_NAME, xmp, sizeof xmp - 1);
    void *buf = NULL;
    assert_int_equal(vips_jpegsave_buffer(c, &buf, len, "strip", FALSE, NULL), 0);
    g_object_unref(c);
    return buf;
}

/* An initiative of community slug by the member, accepted and put at its
 * implementation (the stages' gates have their own tests), with one
 * report by the organizer: the report's id into *report. */
static long long at_implementation(struct client *m, struct client *org, const char *base,
                                   const char *title, long long *report)
{
    char p[160];
    snprintf(p, sizeof p, "%s/initiatives", base);
    POST(m, p, 303, "title", title, "problem", "Двор зарос.", "proposal", "Убрать вместе.",
         "direction", "landscaping");
    json_t *v = view_json(m, p);
    long long id = find_id(json_object_get(v, "initiatives"), "title", title);
    json_decref(v);
    assert_true(id > 0);
    snprintf(p, sizeof p, "%s/initiatives/%lld/accept", base, id);
    POST(org, p, 303, "x", "1");
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", id);
    assert_int_equal(
        db_run(&S, "UPDATE initiatives SET stage = 3 WHERE id = CAST(? AS INTEGER)", ids), 0);
    snprintf(p, sizeof p, "%s/initiatives/%lld/reports", base, id);
    POST(org, p, 303, "report_body", "Субботник прошёл, фото ниже.");
    *report =
        q("SELECT max(id) FROM initiative_reports WHERE initiative_id = CAST(? AS INTEGER)", id);
    assert_true(*report > 0);
    return id;
}

static long upload(struct client *c, const char *path, long long report, const char *caption,
                   const void *data, size_t len, const char *type, struct resp *r)
{
    char rs[24];
    snprintf(rs, sizeof rs, "%lld", report);
    const char *pairs[] = {"photo_report", rs, "photo_caption", caption, NULL};
    assert_int_equal(post_multipart(c, path, 0, pairs, data ? "photo" : NULL, "IMG_0042.jpg", type,
                                    data, len, r),
                     0);
    return r->status;
}

static void a_photo_is_uploaded_and_served_without_metadata(void **state)
{
    (void)state;
    struct client m, org, anon;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    login_as(&anon, &S, NULL);
    long long report = 0;
    long long id = at_implementation(&m, &org, DS, "Фото субботника", &report);
    size_t n = 0;
    void *jpeg = camera_jpeg(3000, 2000, &n);
    char p[160];
    snprintf(p, sizeof p, DS "/initiatives/%lld/photos", id);
    struct resp r;
    if (upload(&org, p, report, "Двор после уборки", jpeg, n, "image/jpeg", &r) != 303)
        fail_msg("upload: %ld %.300s", r.status, r.body);
    resp_free(&r);
    g_free(jpeg);
    long long photo =
        q("SELECT max(id) FROM initiative_photos WHERE initiative_id = CAST(? AS INTEGER)", id);
    assert_true(photo > 0);
    /* what is stored is the server's own JPEG, made smaller */
    assert_int_equal(q("SELECT width FROM initiative_photos WHERE id = CAST(? AS INTEGER)", photo),
                     1600);
    assert_int_equal(q("SELECT instr(bytes, CAST('SecretCamMaker' AS BLOB)) +"
                       " instr(bytes, CAST('SecretXmpPlace' AS BLOB)) +"
                       " instr(bytes, CAST('Exif' AS BLOB)) FROM initiative_photos"
                       " WHERE id = CAST(? AS INTEGER)",
                       photo),
                     0);
    /* the page shows it with its caption; anyone reads a public one */
    snprintf(p, sizeof p, DS "/initiatives/%lld", id);
    char *html = get_html(&anon, p);
    char img[160];
    snprintf(img, sizeof img, "<img src=\"" DS "/initiatives/%lld/photos/%lld\"", id, photo);
    assert_non_null(strstr(html, img));
    assert_non_null(strstr(html, "<figcaption>Двор после уборки</figcaption>"));
    free(html);
    json_t *v = view_json(&anon, p);
    assert_string_equal(jstr(v, "reports.0.photos.0.caption"), "Двор после уборки");
    json_decref(v);
    snprintf(p, sizeof p, DS "/initiatives/%lld/photos/%lld", id, photo);
    assert_int_equal(client_get(&anon, p, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(r.len > 1000);
    assert_memory_equal(r.body, "\xff\xd8\xff", 3);
    assert_null(memmem(r.body, r.len, "Secret", 6));
    VipsImage *back = vips_image_new_from_buffer(r.body, r.len, "", NULL);
    assert_non_null(back);
    assert_int_equal(vips_image_get_width(back), 1600);
    assert_int_equal(vips_image_get_height(back), 1067);
    g_object_unref(back);
    resp_free(&r);
    /* removed by the organizer: gone from the page and the server */
    snprintf(p, sizeof p, DS "/initiatives/%lld/photos/%lld/remove", id, photo);
    POST(&m, p, 409, "x", "1"); /* the author is not on the team */
    POST(&org, p, 303, "x", "1");
    /* the page after says so in words, not with a catalog key */
    snprintf(p, sizeof p, DS "/initiatives/%lld", id);
    html = get_html(&org, p);
    assert_null(strstr(html, "flash."));
    free(html);
    snprintf(p, sizeof p, DS "/initiatives/%lld/photos/%lld", id, photo);
    assert_int_equal(get_status(&anon, p, 0), 404);
    client_free(&m);
    client_free(&org);
    client_free(&anon);
}

static void bad_uploads_are_refused_beside_the_field(void **state)
{
    (void)state;
    struct client m, org;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    long long report = 0;
    long long id = at_implementation(&m, &org, DS, "Проверка загрузки", &report);
    char p[160];
    snprintf(p, sizeof p, DS "/initiatives/%lld/photos", id);
    struct resp r;
    /* no file chosen: beside the field, the caption kept */
    assert_int_equal(upload(&org, p, report, "Подпись остаётся", NULL, 0, NULL, &r), 422);
    assert_true(resp_has(&r, "id=\"photo-error\""));
    assert_true(resp_has(&r, "value=\"Подпись остаётся\""));
    resp_free(&r);
    /* not a photo by its bytes, whatever its name and type say */
    static const char svg[] = "<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>";
    assert_int_equal(upload(&org, p, report, "", svg, sizeof svg - 1, "image/jpeg", &r), 422);
    assert_true(resp_has(&r, "Это не фотография"));
    resp_free(&r);
    static const unsigned char cut[] = "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01garbage";
    assert_int_equal(upload(&org, p, report, "", cut, sizeof cut - 1, "image/jpeg", &r), 422);
    assert_true(resp_has(&r, "повреждён"));
    resp_free(&r);
    /* a caption too long, a report of another initiative */
    size_t n = 0;
    void *jpeg = camera_jpeg(64, 64, &n);
    char longcap[260];
    memset(longcap, 'x', 201);
    longcap[201] = 0;
    assert_int_equal(upload(&org, p, report, longcap, jpeg, n, "image/jpeg", &r), 422);
    assert_true(resp_has(&r, "id=\"photo_caption-error\""));
    resp_free(&r);
    long long other = 0;
    at_implementation(&m, &org, DS, "Чужой отчёт", &other);
    assert_int_equal(upload(&org, p, other, "", jpeg, n, "image/jpeg", &r), 404);
    resp_free(&r);
    /* in JSON, the field's message */
    char rs[24];
    snprintf(rs, sizeof rs, "%lld", report);
    const char *pairs[] = {"photo_report", rs, NULL};
    assert_int_equal(post_multipart(&org, p, 1, pairs, "photo", "a.svg", "image/svg+xml", svg,
                                    sizeof svg - 1, &r),
                     0);
    assert_int_equal(r.status, 422);
    assert_non_null(field_error(&r, "photo"));
    resp_free(&r);
    /* a file larger than an upload may be: 413, and nothing stored */
    size_t big = 9 * 1024 * 1024;
    char *huge = malloc(big);
    memset(huge, 0xff, big);
    assert_int_equal(upload(&org, p, report, "", huge, big, "image/jpeg", &r), 413);
    resp_free(&r);
    free(huge);
    /* a multipart body where no file is taken: 415 */
    snprintf(p, sizeof p, DS "/initiatives/%lld/reports", id);
    const char *rep[] = {"report_body", "Текст", NULL};
    assert_int_equal(post_multipart(&org, p, 0, rep, NULL, NULL, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 415);
    resp_free(&r);
    /* the member who is not on the team may not add one */
    snprintf(p, sizeof p, DS "/initiatives/%lld/photos", id);
    assert_int_equal(upload(&m, p, report, "", jpeg, n, "image/jpeg", &r), 409);
    resp_free(&r);
    /* ... asked before the upload is decoded: bytes that are no image are
     * refused as not theirs to add (409), never as a bad image (422) */
    static const char junk[] = "not an image at all, and never decoded";
    assert_int_equal(upload(&m, p, report, "", junk, sizeof junk - 1, "image/jpeg", &r), 409);
    resp_free(&r);
    /* the eleventh photo of one report */
    for (int i = 0; i < 10; i++) {
        if (upload(&org, p, report, "", jpeg, n, "image/jpeg", &r) != 303)
            fail_msg("photo %d: %ld", i, r.status);
        resp_free(&r);
    }
    assert_int_equal(upload(&org, p, report, "", jpeg, n, "image/jpeg", &r), 409);
    assert_true(resp_has(&r, "десяти"));
    resp_free(&r);
    assert_int_equal(
        q("SELECT count(*) FROM initiative_photos WHERE initiative_id = CAST(? AS INTEGER)", id),
        10);
    g_free(jpeg);
    client_free(&m);
    client_free(&org);
}

/* A closed community's photo is for its members; a secret one's is
 * sealed on the disk and opened for its members only. */
static void closed_and_secret_photos_are_for_members(void **state)
{
    (void)state;
    struct client m, org, anon, stranger;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    login_as(&anon, &S, NULL);
    login_as(&stranger, &S, "newcomer");
    size_t n = 0;
    void *jpeg = camera_jpeg(300, 200, &n);
    const char *bases[] = {ZK, TV};
    for (int k = 0; k < 2; k++) {
        long long report = 0;
        long long id =
            at_implementation(&m, &org, bases[k], k ? "Тихое фото" : "Фото квартала", &report);
        char p[160];
        snprintf(p, sizeof p, "%s/initiatives/%lld/photos", bases[k], id);
        struct resp r;
        if (upload(&org, p, report, k ? "Лица соседей" : "", jpeg, n, "image/jpeg", &r) != 303)
            fail_msg("%s: %ld %.300s", bases[k], r.status, r.body);
        resp_free(&r);
        long long photo =
            q("SELECT max(id) FROM initiative_photos WHERE initiative_id = CAST(? AS INTEGER)", id);
        snprintf(p, sizeof p, "%s/initiatives/%lld/photos/%lld", bases[k], id, photo);
        long a = get_status(&anon, p, 0), s = get_status(&stranger, p, 0);
        if (a == 200 || s == 200) fail_msg("%s: anonymous %ld, stranger %ld", p, a, s);
        assert_int_equal(client_get(&m, p, 0, &r), 0);
        assert_int_equal(r.status, 200);
        assert_memory_equal(r.body, "\xff\xd8\xff", 3);
        resp_free(&r);
        long long sealed = q("SELECT substr(bytes, 1, 4) = X'1E485342' FROM initiative_photos"
                             " WHERE id = CAST(? AS INTEGER)",
                             photo);
        assert_int_equal(sealed, k == 1); /* the secret one only */
    }
    g_free(jpeg);
    /* nothing of the secret photo's caption on the disk in clear */
    if (fx_db_files_count(S.db, "Лица соседей", strlen("Лица соседей")) != 0)
        fail_msg("the secret caption is on disk in clear");
    client_free(&m);
    client_free(&org);
    client_free(&anon);
    client_free(&stranger);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_photo_is_uploaded_and_served_without_metadata),
        cmocka_unit_test(bad_uploads_are_refused_beside_the_field),
        cmocka_unit_test(closed_and_secret_photos_are_for_members),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
