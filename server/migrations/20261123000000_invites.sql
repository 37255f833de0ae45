-- Invite links, join requests, teacher verification, parents' links to their children; and a stable
-- identity for the two system channels, which joining needs to find without trusting titles.

-- 'general' («Общий канал») or 'staff' («Сотрудники»); NULL for every other chat.
ALTER TABLE chats ADD COLUMN channel TEXT CHECK (channel IN ('general', 'staff'));
UPDATE chats SET channel = 'general' WHERE kind = 'channel' AND title = 'Общий канал';
UPDATE chats SET channel = 'staff' WHERE kind = 'channel' AND title = 'Сотрудники';
CREATE UNIQUE INDEX chats_channel ON chats (school_id, channel) WHERE channel IS NOT NULL;
CREATE INDEX chats_class ON chats (class_id);

-- Every school now has its «Учительская» chat from the start: schools created before get theirs,
-- with their administrators and staff-room teachers in it.
INSERT INTO chats (school_id, class_id, kind, title, description, created_at)
SELECT c.school_id, c.id, 'staff', c.name, 'Чат педагогов школы', CAST(strftime('%s', 'now') AS INTEGER)
FROM classes c
WHERE c.kind = 'staff_room'
  AND NOT EXISTS (SELECT 1 FROM chats WHERE kind = 'staff' AND class_id = c.id);
INSERT OR IGNORE INTO chat_members (chat_id, user_id, can_post, joined_at)
SELECT ch.id, m.user_id, 1, ch.created_at
FROM chats ch
JOIN memberships m ON m.school_id = ch.school_id
  AND (m.role = 'admin' OR (m.role = 'teacher' AND m.class_id = ch.class_id))
WHERE ch.kind = 'staff';

-- An invite grants `role` in its target: the school's staff room ('school'), a class ('class', with
-- class_id) or one chat ('chat', with chat_id, and class_id copied from the chat so that the class's
-- teachers find it). Only sha256 of the token and of the normalised short code are kept: a copy of
-- the database lets no one in.
CREATE TABLE invites (
    id                INTEGER PRIMARY KEY,
    school_id         INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    target_kind       TEXT    NOT NULL CHECK (target_kind IN ('school', 'class', 'chat')),
    class_id          INTEGER REFERENCES classes (id) ON DELETE CASCADE,
    chat_id           INTEGER REFERENCES chats (id) ON DELETE CASCADE,
    role              TEXT    NOT NULL CHECK (role IN ('teacher', 'student', 'parent')),
    label             TEXT,
    -- A parent's link bound to one child.
    child_id          INTEGER REFERENCES users (id) ON DELETE CASCADE,
    created_by        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at        INTEGER NOT NULL,
    -- NULL: never expires.
    expires_at        INTEGER,
    -- NULL: no limit.
    max_uses          INTEGER,
    -- People who joined through it or asked to; a rejected request gives its use back.
    uses              INTEGER NOT NULL DEFAULT 0,
    requires_approval INTEGER NOT NULL DEFAULT 0,
    revoked_at        INTEGER,
    token_hash        BLOB    NOT NULL UNIQUE,
    code_hash         BLOB    NOT NULL UNIQUE
);
CREATE INDEX invites_school ON invites (school_id, created_at);
CREATE INDEX invites_class ON invites (class_id);

-- A request to join through an invite that requires approval. class_id is the class it is about
-- (the invite's class, or the class of its chat): that class's teachers decide. chat_id is the
-- invite's chat, if any; open_chat_id the chat to open once approved.
CREATE TABLE join_requests (
    id           INTEGER PRIMARY KEY,
    invite_id    INTEGER NOT NULL REFERENCES invites (id) ON DELETE CASCADE,
    school_id    INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT    NOT NULL CHECK (role IN ('teacher', 'student', 'parent')),
    class_id     INTEGER REFERENCES classes (id) ON DELETE CASCADE,
    chat_id      INTEGER REFERENCES chats (id) ON DELETE CASCADE,
    child_name   TEXT,
    status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at   INTEGER NOT NULL,
    decided_at   INTEGER,
    decided_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    open_chat_id INTEGER REFERENCES chats (id) ON DELETE SET NULL
);
-- One waiting request per person for the same place and role, however many links lead there.
CREATE UNIQUE INDEX join_requests_pending
    ON join_requests (school_id, user_id, role, IFNULL(class_id, 0), IFNULL(chat_id, 0))
    WHERE status = 'pending';
CREATE INDEX join_requests_school ON join_requests (school_id, status);
CREATE INDEX join_requests_user ON join_requests (user_id, created_at);
CREATE INDEX join_requests_invite ON join_requests (invite_id, status);

-- Requests to confirm a teacher's «учитель» status; the newest row of a person in a school is where
-- they stand, older ones are its history.
CREATE TABLE teacher_verifications (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'declined')),
    requested_at INTEGER NOT NULL,
    decided_at   INTEGER,
    decided_by   INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX teacher_verifications_person ON teacher_verifications (school_id, user_id, id);
CREATE UNIQUE INDEX teacher_verifications_pending
    ON teacher_verifications (school_id, user_id) WHERE status = 'pending';

-- A parent and their child, as a parent's link bound to that child recorded it.
CREATE TABLE parent_links (
    parent_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    child_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    school_id  INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (parent_id, child_id)
) WITHOUT ROWID;
CREATE INDEX parent_links_child ON parent_links (child_id);

-- People whose «учитель» status their school confirmed: their newest request there was granted.
CREATE VIEW verified_teachers AS
SELECT tv.school_id, tv.user_id
FROM teacher_verifications tv
WHERE tv.status = 'verified'
  AND tv.id = (SELECT MAX(id) FROM teacher_verifications
               WHERE school_id = tv.school_id AND user_id = tv.user_id);

-- What an invite's target is called: «Учительская» for the school's staff, a class's or a chat's name.
CREATE VIEW invite_target_names AS
SELECT i.id AS invite_id,
       COALESCE(CASE i.target_kind
                    WHEN 'school' THEN (SELECT name FROM classes
                                        WHERE school_id = i.school_id AND kind = 'staff_room'
                                        ORDER BY id LIMIT 1)
                    WHEN 'class' THEN (SELECT name FROM classes WHERE id = i.class_id)
                    ELSE (SELECT title FROM chats WHERE id = i.chat_id)
                END, '') AS name
FROM invites i;
