-- Group management (issue 12 part B): member limit per app, mute-all and announcement per group, mute per member.

-- Most members one group of the app may have; adds beyond it are refused (GROUP_FULL 463).
ALTER TABLE apps ADD COLUMN max_group_members INTEGER NOT NULL DEFAULT 2000;
-- Mute all (the reference's Group.ban): 1 = only the owner and admins may send; 0 = off.
ALTER TABLE im_groups ADD COLUMN ban INTEGER NOT NULL DEFAULT 0;
-- The group's announcement, empty if none.
ALTER TABLE im_groups ADD COLUMN announcement TEXT NOT NULL DEFAULT '';
-- Unix ms until which the member may not send; 0 = not muted; 9223372036854775807 = until unmuted.
ALTER TABLE group_members ADD COLUMN muted_until BIGINT NOT NULL DEFAULT 0;
