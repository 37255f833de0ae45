-- Polls, and announcements that ask every member for «Ознакомлен».

-- `messages.kind` lists its kinds in a CHECK, which SQLite cannot alter: the table is made anew with
-- the same columns, keys and indexes. sqlx runs every SQLite migration inside a transaction, where
-- `PRAGMA foreign_keys = OFF` does nothing, so dropping the old table runs the ON DELETE actions of
-- whatever refers to it. Hence reactions are set aside first (with their rowids, which keep the order
-- people chose in) and put back after, and the new table's reply reference names the new table until
-- the rename points it at `messages` (dropping the old one would otherwise empty every new reply).
CREATE TABLE reactions_kept AS SELECT rowid AS kept_rowid, * FROM reactions;
DROP TABLE reactions;

CREATE TABLE messages_new (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    -- NULL for system events.
    author_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('text', 'system', 'poll')),
    body        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    client_id   TEXT,
    edited_at   INTEGER,
    deleted_at  INTEGER,
    reply_to_id INTEGER REFERENCES messages_new (id) ON DELETE SET NULL,
    -- An announcement asking for «Ознакомлен»: how many members other than the author it asked, counted
    -- when it was sent. NULL for every other message.
    ack_asked   INTEGER
);
INSERT INTO messages_new
    (id, chat_id, author_id, kind, body, created_at, client_id, edited_at, deleted_at, reply_to_id)
SELECT id, chat_id, author_id, kind, body, created_at, client_id, edited_at, deleted_at, reply_to_id
FROM messages;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;
CREATE INDEX messages_chat ON messages (chat_id, id);
CREATE UNIQUE INDEX messages_client ON messages (chat_id, author_id, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE reactions (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    emoji      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, user_id, emoji)
);
INSERT INTO reactions (rowid, message_id, user_id, emoji, created_at)
SELECT kept_rowid, message_id, user_id, emoji, created_at FROM reactions_kept ORDER BY kept_rowid;
DROP TABLE reactions_kept;

-- A poll is a message of kind 'poll' whose body is the question.
CREATE TABLE polls (
    message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    multiple   INTEGER NOT NULL,
    anonymous  INTEGER NOT NULL,
    -- After it the poll is closed; NULL: open until its author or a moderator closes it.
    closes_at  INTEGER,
    closed_at  INTEGER
);

-- idx counts from 0 in the order the author gave the options: votes name options by it.
CREATE TABLE poll_options (
    message_id INTEGER NOT NULL REFERENCES polls (message_id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    PRIMARY KEY (message_id, idx)
) WITHOUT ROWID;

-- One row per person and option chosen. The rowid keeps the order people chose in.
CREATE TABLE poll_votes (
    message_id INTEGER NOT NULL REFERENCES polls (message_id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, user_id, idx)
);

-- Who acknowledged an announcement. The rowid keeps the order they did.
CREATE TABLE acks (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, user_id)
);
