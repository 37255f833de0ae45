-- Sending, editing, deleting and reacting to messages; read positions; numbered events that a client
-- reconnecting after a gap can have replayed.

-- The id the author's client gave the message (NULL for system events and filled-in history): sending
-- the same one again returns the message already made.
ALTER TABLE messages ADD COLUMN client_id TEXT;
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
-- Deleted messages keep their row (and text, for the school's records); the API shows them empty.
ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
ALTER TABLE messages ADD COLUMN reply_to_id INTEGER REFERENCES messages (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX messages_client ON messages (chat_id, author_id, client_id) WHERE client_id IS NOT NULL;

-- The newest message the member has read; NULL before they read any. Members who are already in a chat
-- have read what is there: only what comes from now on is unread for them.
ALTER TABLE chat_members ADD COLUMN last_read_id INTEGER;
UPDATE chat_members
SET last_read_id = (SELECT MAX(id) FROM messages WHERE messages.chat_id = chat_members.chat_id);

-- One row per person and emoji on a message. The rowid keeps the order people chose in.
CREATE TABLE reactions (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    emoji      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, user_id, emoji)
);

-- Events about chats, numbered: the id is the `seq` clients count with. An event about a chat
-- (chat_id) concerns its members at the time of replay; one for a single person has user_id instead.
-- payload is the ServerEvent's JSON, seq included. Rows older than a week are pruned.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id    INTEGER REFERENCES chats (id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users (id) ON DELETE CASCADE,
    payload    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    CHECK ((chat_id IS NULL) <> (user_id IS NULL))
);
CREATE INDEX events_chat ON events (chat_id, id) WHERE chat_id IS NOT NULL;
CREATE INDEX events_user ON events (user_id, id) WHERE user_id IS NOT NULL;
CREATE INDEX events_created ON events (created_at);

-- The highest event id pruned so far: a client asking to replay from before it must resync.
CREATE TABLE events_pruned (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    up_to    INTEGER NOT NULL
);
INSERT INTO events_pruned (only_row, up_to) VALUES (1, 0);
