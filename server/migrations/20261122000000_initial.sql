-- Times are INTEGER unix seconds (UTC); dates of birth are TEXT 'YYYY-MM-DD'.

CREATE TABLE schools (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    short_name TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    -- Normalised '+7XXXXXXXXXX': the sign-in identity.
    phone      TEXT    NOT NULL UNIQUE,
    first_name TEXT,
    last_name  TEXT,
    birth_date TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE classes (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    grade      INTEGER,
    kind       TEXT    NOT NULL CHECK (kind IN ('staff_room', 'class')),
    created_at INTEGER NOT NULL,
    UNIQUE (school_id, name)
);

-- One row per role a person holds in a school (optionally tied to a class: a class teacher, a
-- student of 5А, a parent of a child in 5А).
CREATE TABLE memberships (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    class_id   INTEGER REFERENCES classes (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('admin', 'teacher', 'student', 'parent')),
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX memberships_unique ON memberships (school_id, user_id, role, IFNULL(class_id, 0));
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE chats (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    class_id    INTEGER REFERENCES classes (id) ON DELETE SET NULL,
    kind        TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    description TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX chats_school ON chats (school_id);

CREATE TABLE chat_members (
    chat_id   INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- False for the readers of a channel.
    can_post  INTEGER NOT NULL DEFAULT 1,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, user_id)
) WITHOUT ROWID;
CREATE INDEX chat_members_user ON chat_members (user_id);

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    -- NULL for system events.
    author_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('text', 'system')),
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
-- Timelines page by id within a chat; the chat list reads each chat's newest message.
CREATE INDEX messages_chat ON messages (chat_id, id);

-- One-time sign-in codes, kept only as sha256(phone ':' code). Rows outlive their use for an hour
-- so the per-number hourly limit can count them.
CREATE TABLE login_codes (
    id          INTEGER PRIMARY KEY,
    phone       TEXT    NOT NULL,
    code_hash   BLOB    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    consumed_at INTEGER
);
CREATE INDEX login_codes_phone ON login_codes (phone, created_at);

-- Only the sha256 of a session token is stored: a copy of the database signs no one in.
CREATE TABLE sessions (
    token_hash BLOB    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
