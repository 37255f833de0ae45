-- One message pinned above a chat's timeline by its moderators or managers; unpinned when deleted.
ALTER TABLE chats ADD COLUMN pinned_message_id INTEGER REFERENCES messages (id) ON DELETE SET NULL;
