/* Photos of an initiative's reports: written by those who may work on an
 * initiative at its implementation (STAGE_AT(3), as the reports are),
 * read as the initiative is. The bytes are sealed in a secret community
 * (sealblob), the caption as its texts are. See initiative.h. */
#include "areas/initiative/initiative.h"
#include "areas/initiative/model_rules.h"
#include "core/util.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Why a photo's write changed nothing: 404 when the report (or photo) is
 * not this initiative's, else the stages' reasons at the implementation
 * (initiative_stage_why). */
static enum wr photo_why(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                         int64_t report)
{
    static const char sql[] = "SELECT 1 FROM initiative_reports r WHERE r.id = ?1"
                              " AND r.initiative_id = ?2 AND r.community_id = ?3";
    int64_t there = db_int(w, -1, sql, "iii", report, id, cid);
    if (there < 0) return WR_NOT_FOUND;
    return initiative_stage_why(w, cid, id, by, organizer, 3);
}

enum wr initiative_photo_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                             const struct initiative_photo_new *p, int64_t *photo)
{
    static const char sql[] =
        "INSERT INTO initiative_photos(report_id, initiative_id, community_id, member_id, caption,"
        " width, height, size, bytes, created_at)"
        " SELECT ?5, ?1, ?2, ?3, CASE WHEN ?6 = '' THEN '' ELSE"
        "  seal(?6, ?2, 'initiative_photos.caption') END, ?7, ?8, ?9,"
        " sealblob(?10, ?2, 'initiative_photos.bytes'), ?11"
        " WHERE" STAGE_AT(
            3) " AND EXISTS (SELECT 1 FROM initiative_reports r"
               "  WHERE r.id = ?5 AND r.initiative_id = ?1)"
               " AND (SELECT count(*) FROM initiative_photos x WHERE x.report_id = ?5) < ?12";
    int n = db_exec(w, sql, "iiiiitiiibii", id, cid, by, (int64_t)(organizer != 0), p->report,
                    p->caption ? p->caption : "", (int64_t)p->width, (int64_t)p->height,
                    (int64_t)p->len, p->data, p->len, now_s(), (int64_t)INITIATIVE_PHOTOS_MAX);
    if (n < 0) return wr_from_error(w);
    if (n > 0) {
        *photo = db_last_id(w);
        return WR_OK;
    }
    enum wr rc = photo_why(w, cid, id, by, organizer, p->report);
    return rc != WR_OK ? rc : wr_fail(w, WR_CONFLICT, "initiative.photo.error.full");
}

enum wr initiative_photo_remove(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                                int64_t photo)
{
    static const char sql[] =
        "DELETE FROM initiative_photos WHERE id = ?5 AND initiative_id = ?1 AND community_id = ?2"
        " AND" STAGE_AT(3);
    int n = db_exec(w, sql, "iiiii", id, cid, by, (int64_t)(organizer != 0), photo);
    if (n < 0) return wr_from_error(w);
    if (n > 0) return WR_OK;
    static const char report[] =
        "SELECT report_id FROM initiative_photos WHERE id = ?1 AND initiative_id = ?2"
        " AND community_id = ?3";
    int64_t rid = db_int(w, 0, report, "iii", photo, id, cid);
    if (!rid) return WR_NOT_FOUND;
    enum wr rc = photo_why(w, cid, id, by, organizer, rid);
    return rc != WR_OK ? rc : WR_CONFLICT;
}

json_t *initiative_photo_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT id, report_id AS report, CASE WHEN caption = '' THEN '' ELSE"
        " unseal(caption, community_id, 'initiative_photos.caption') END AS caption,"
        " width, height FROM initiative_photos WHERE initiative_id = ?1 AND community_id = ?2"
        " ORDER BY report_id, id LIMIT 1000";
    return db_view_rows(c, m, sql, "ii", id, cid);
}

int initiative_photo_bytes(struct dbc *c, int64_t cid, int64_t id, int64_t photo,
                           unsigned char **data, size_t *len)
{
    static const char sql[] =
        "SELECT unsealblob(bytes, community_id, 'initiative_photos.bytes') FROM initiative_photos"
        " WHERE id = ?1 AND initiative_id = ?2 AND community_id = ?3";
    *data = NULL;
    *len = 0;
    sqlite3_stmt *st = db_prepare(c, sql, "iii", photo, id, cid);
    if (!st) return -1;
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB) {
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        *data = xmalloc(n ? n : 1);
        memcpy(*data, sqlite3_column_blob(st, 0), n);
        *len = n;
        rc = 1;
    }
    db_done(st);
    return rc;
}
