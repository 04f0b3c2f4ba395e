/* SQL that the talent area's model files share; not for other files. */
#ifndef HR_TALENT_MODEL_SQL_H
#define HR_TALENT_MODEL_SQL_H

/* The entry's owner is still a member: an entry is seen by nobody once
 * its owner left. */
#define OWNER_MEMBER                                                                               \
    " AND EXISTS (SELECT 1 FROM member_accounts m WHERE m.community_id = e.community_id"           \
    " AND m.account_id = e.account_id)"

/* Who may see an entry: its owner and organizers always; others when it is
 * not hidden and open to them; nobody once its owner left. ?1 viewer,
 * ?2 organizer, ?3 member. */
#define VISIBLE                                                                                    \
    " AND (e.account_id = ?1 OR ?2 = 1 OR (e.hidden_reason IS NULL AND (e.visibility = 'public'"   \
    " OR (e.visibility = 'members' AND ?3 = 1))))" OWNER_MEMBER

#endif
