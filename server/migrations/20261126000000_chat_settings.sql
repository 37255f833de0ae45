-- Chat settings: who may post, and who made the chat (a manager of it, with the school's
-- administrators and the teachers of its class).

-- 'everyone': every member who may post in chats of this kind; 'managers': only the chat's managers.
ALTER TABLE chats ADD COLUMN posting TEXT NOT NULL DEFAULT 'everyone' CHECK (posting IN ('everyone', 'managers'));
-- NULL for the chats that come with a school or a class, and for those whose creator is gone.
ALTER TABLE chats ADD COLUMN created_by INTEGER REFERENCES users (id) ON DELETE SET NULL;

