/* The events area's hooks: "download my data" and the sealing of a
 * community's texts in place when it gets its data key. */
#include "areas/meeting/assembly.h"
#include "areas/meeting/hearing.h"
#include "areas/meeting/meeting.h"
#include "areas/meeting/minutes.h"
#include "core/util.h"

/* What the account made or registered for, in every community it is a
 * member of (PERSON_MEMBERS, core/area.h); ?2 = 0 leaves out secret ones. */
json_t *meeting_person_export(struct dbc *c, int64_t account_id, int with_secret,
                              const char *sealed)
{
    static const struct db_named_query parts[] = {
        {"events",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(e.title, e.community_id, 'events.title') AS title, e.kind,"
         " unseal(e.description, e.community_id, 'events.description') AS description,"
         " unseal(e.place_text, e.community_id, 'events.place_text') AS place,"
         " unseal(e.online_url, e.community_id, 'events.online_url') AS link,"
         " unseal(e.cancelled_reason, e.community_id, 'events.cancelled_reason') AS cancelled,"
         " date(e.created_at, 'unixepoch') AS written"
         " FROM " PERSON_MEMBERS " l JOIN events e ON e.member_id = l.member_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY e.id"},
        {"registrations",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(e.title, e.community_id, 'events.title') AS event,"
         " datetime(o.starts_at, 'unixepoch') AS starts_utc, r.state, r.attended"
         " FROM " PERSON_MEMBERS " l JOIN event_registrations r ON r.member_id = l.member_id"
         " JOIN event_occurrences o ON o.id = r.occurrence_id JOIN events e ON e.id = r.event_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY r.id"},
        /* assemblies: the open votes the person cast and their presence */
        {"assembly_votes",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(p.text, p.community_id, 'assembly_proposals.text') AS proposal, v.choice,"
         " CASE WHEN v.reason = '' THEN '' ELSE"
         "  unseal(v.reason, v.community_id, 'assembly_votes.reason') END AS reason,"
         " datetime(v.voted_at, 'unixepoch') AS voted_utc"
         " FROM " PERSON_MEMBERS " l JOIN assembly_votes v ON v.member_id = l.member_id"
         " JOIN assembly_proposals p ON p.id = v.proposal_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY v.voted_at"},
        {"assembly_presence",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(e.title, e.community_id, 'events.title') AS event, x.how"
         " FROM " PERSON_MEMBERS " l JOIN assembly_presence x ON x.member_id = l.member_id"
         " JOIN assemblies s ON s.id = x.assembly_id JOIN events e ON e.id = s.event_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY x.marked_at"},
        /* minutes the person last edited (as secretary) or approved: which
         * and their part, not the text, which names everyone present and
         * how they voted (one's file carries no other person) */
        {"assembly_minutes",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(e.title, e.community_id, 'events.title') AS event, n.state,"
         " n.edited_by = l.member_id AS edited, n.approved_by = l.member_id AS approved"
         " FROM " PERSON_MEMBERS " l JOIN assembly_minutes n"
         " ON n.edited_by = l.member_id OR n.approved_by = l.member_id"
         " JOIN assemblies s ON s.id = n.assembly_id JOIN events e ON e.id = s.event_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY n.assembly_id"},
        /* a hearing's comments the person wrote, and the answers they gave
         * (with the comment answered, which is the hearing's public text) */
        {"hearing_comments",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(e.title, e.community_id, 'events.title') AS hearing,"
         " unseal(h.body, h.community_id, 'hearing_comments.body') AS comment,"
         " datetime(h.created_at, 'unixepoch') AS written_utc"
         " FROM " PERSON_MEMBERS " l JOIN hearing_comments h ON h.member_id = l.member_id"
         " JOIN assemblies s ON s.id = h.assembly_id JOIN events e ON e.id = s.event_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY h.id"},
        {"hearing_answers",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(e.title, e.community_id, 'events.title') AS hearing,"
         " unseal(h.answer, h.community_id, 'hearing_comments.answer') AS answer,"
         " datetime(h.answered_at, 'unixepoch') AS answered_utc"
         " FROM " PERSON_MEMBERS " l JOIN hearing_comments h ON h.answered_by = l.member_id"
         " JOIN assemblies s ON s.id = h.assembly_id JOIN events e ON e.id = s.event_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY h.id"},
        {0},
    };
    return db_rows_named(c, parts, account_id, with_secret, sealed ? sealed : "[]");
}

/* seal() leaves a sealed text as it is; an empty optional text stays
 * empty (the writes store it so). */
int meeting_seal_texts(struct dbc *w, int64_t cid)
{
    static const char *const sql[] = {
        "UPDATE events SET title = seal(title, ?1, 'events.title'),"
        " description = CASE WHEN description = '' THEN '' ELSE"
        "  seal(description, ?1, 'events.description') END,"
        " place_text = CASE WHEN place_text = '' THEN '' ELSE"
        "  seal(place_text, ?1, 'events.place_text') END,"
        " online_url = CASE WHEN online_url = '' THEN '' ELSE"
        "  seal(online_url, ?1, 'events.online_url') END,"
        " cancelled_reason = seal(cancelled_reason, ?1, 'events.cancelled_reason')"
        " WHERE community_id = ?1",
        ("UPDATE event_occurrences SET cancelled_reason ="
         " seal(cancelled_reason, ?1, 'event_occurrences.cancelled_reason')"
         " WHERE community_id = ?1 AND cancelled_reason IS NOT NULL"),
        ("UPDATE event_occurrences SET place_text ="
         " seal(place_text, ?1, 'event_occurrences.place_text')"
         " WHERE community_id = ?1 AND place_text IS NOT NULL"),
    };
    if (db_exec_each(w, sql, sizeof sql / sizeof sql[0], cid) != 0) return -1;
    if (meeting_poll_seal_texts(w, cid) != 0) return -1;
    if (minutes_seal_texts(w, cid) != 0) return -1;
    if (hearing_seal_texts(w, cid) != 0) return -1;
    if (hearing_final_seal_texts(w, cid) != 0) return -1;
    return asm_seal_texts(w, cid);
}
