/* SQL that the talent area's model files share; not for other files. */
#ifndef HR_TALENT_MODEL_SQL_H
#define HR_TALENT_MODEL_SQL_H

/* The entry's owner, for their name in the community. An entry's owner is
 * always a member: entries go with their member by a cascade, and foreign
 * keys are on for every connection (core/db.c). So a statement that does
 * not show the name does not ask whether the owner exists: asking cost a
 * lookup per full-text match, 0.7 M instructions of a one-word search at
 * scale 1 (docs/performance.md). */
#define OWNER " JOIN members o ON o.id = e.member_id"

/* Who may see an entry: its owner and organizers always; others when it is
 * not hidden and open to them. ?1 the viewer's member id (0: none), ?2 organizer, ?3
 * member. */
#define VISIBLE                                                                                    \
    " AND (e.member_id = ?1 OR ?2 = 1 OR (e.hidden_reason IS NULL AND (e.visibility = 'public'"    \
    " OR (e.visibility = 'members' AND ?3 = 1))))"

#endif
