/* SQL that the talent area's model files share; not for other files. */
#ifndef HR_TALENT_MODEL_SQL_H
#define HR_TALENT_MODEL_SQL_H

/* The entry's owner is still a member: an entry is seen by nobody once
 * its owner left. Leaving deletes the member and the entry with it (a
 * cascade); the check holds too after a tool deleted a member without
 * enforcing foreign keys. A statement that joins the owner's member row
 * (for their name) has it already and leaves this out. */
#define OWNER " JOIN members o ON o.id = e.member_id"
#define OWNER_MEMBER " AND EXISTS (SELECT 1 FROM members x WHERE x.id = e.member_id)"

/* Who may see an entry: its owner and organizers always; others when it is
 * not hidden and open to them (and nobody once its owner left: OWNER or
 * OWNER_MEMBER). ?1 the viewer's member id (0: none), ?2 organizer, ?3
 * member. */
#define VISIBLE                                                                                    \
    " AND (e.member_id = ?1 OR ?2 = 1 OR (e.hidden_reason IS NULL AND (e.visibility = 'public'"    \
    " OR (e.visibility = 'members' AND ?3 = 1))))"

#endif
