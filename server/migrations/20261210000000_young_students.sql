-- Young students: primary-school children who sign in by a parent's e-mail, limited until that parent
-- confirms them.

-- The parent's address (normalised) for a young student; NULL for everyone else. One address may
-- serve several children. Such an account has no phone: SQLite cannot relax `phone NOT NULL UNIQUE`
-- without rebuilding every table that refers to users, so its `phone` holds 'email:<random hex>',
-- which no normalised number ('+7…') can ever equal.
ALTER TABLE users ADD COLUMN parent_email TEXT;
-- When a parent confirmed the child; NULL: still limited.
ALTER TABLE users ADD COLUMN child_confirmed_at INTEGER;
CREATE INDEX users_parent_email ON users (parent_email) WHERE parent_email IS NOT NULL;

-- Codes sent to an address live in login_codes too, keyed 'mailto:<address>': the same lifetime,
-- tries and limits as a number's, in a bucket of their own.

-- What a right e-mail code buys: the choice of who signs in (siblings share the address). Kept only
-- as sha256 of the ticket; 10 minutes, once.
CREATE TABLE email_tickets (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB    NOT NULL UNIQUE,
    email      TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

-- The links sent to a parent to confirm a young student, kept as sha256 of their 192-bit token.
-- Every link sent is a row, so the resends can be counted; a decision is recorded on the link used.
CREATE TABLE child_confirmations (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash BLOB    NOT NULL UNIQUE,
    email      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    decided_at INTEGER,
    decision   TEXT CHECK (decision IN ('confirmed', 'declined')),
    -- The parent's own account when they were signed in to Parta.
    decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX child_confirmations_user ON child_confirmations (user_id, created_at);
