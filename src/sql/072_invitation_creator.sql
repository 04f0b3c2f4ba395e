-- Notifications, step 3 (issue 17): "an invitation accepted" is told to the
-- member who made the invitation, so an invitation remembers its maker: a
-- member (community-local), never an account. NULL for an invitation made
-- before, or once its maker left (nobody is told then).
ALTER TABLE invitations ADD COLUMN created_by INTEGER REFERENCES members(id) ON DELETE SET NULL;
