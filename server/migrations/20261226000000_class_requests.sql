-- A teacher with no class asks the school's administrators for one; assigning them to a class grants
-- it, an administrator may decline it. At most one waits per teacher and school.
CREATE TABLE class_requests (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'assigned', 'declined')),
    requested_at INTEGER NOT NULL,
    decided_at   INTEGER,
    decided_by   INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX class_requests_person ON class_requests (school_id, user_id, id);
CREATE UNIQUE INDEX class_requests_pending ON class_requests (school_id, user_id) WHERE status = 'pending';
