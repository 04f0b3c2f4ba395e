/* The write rules the stages' statements name in their WHERE, shared by
 * the model files that write entries of an initiative at work (the
 * stages', the photos'); SQL fragments, for model files only. */
#ifndef HR_INITIATIVE_MODEL_RULES_H
#define HR_INITIATIVE_MODEL_RULES_H

/* Who works on initiative ?1: an organizer (?4, the route's capability),
 * its coordinator or a member of its team (?3, a member id). */
#define MAY_WORK                                                                                   \
    " (?4 OR EXISTS (SELECT 1 FROM initiative_work k WHERE k.initiative_id = ?1"                   \
    "  AND k.coordinator_id = ?3) OR EXISTS (SELECT 1 FROM initiative_team tm"                     \
    "  WHERE tm.initiative_id = ?1 AND tm.member_id = ?3))"
/* Initiative ?1 of community ?2 at work at stage n or later, and ?3 may
 * work on it. */
#define STAGE_AT(n)                                                                                \
    " EXISTS (SELECT 1 FROM initiatives i WHERE i.id = ?1 AND i.community_id = ?2"                 \
    "  AND i.state = 'work' AND i.stage >= " #n " AND" MAY_WORK ")"

/* Why a write of initiative id's entries at stage (or later) changed
 * nothing: 404 no such initiative, 409 not at work at that stage, 409 not
 * the writer's to work on; WR_OK when both hold (the caller then knows it
 * was its own condition). model_work.c; the photos' writes ask it too. */
enum wr initiative_stage_why(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                             int64_t stage);

#endif
