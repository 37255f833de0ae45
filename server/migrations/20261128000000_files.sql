-- Files: uploaded by a person, attached to messages, or kept in their «Мои файлы».

-- The content lives on disk as `<data-dir>/files/<storage_key>` (and `<storage_key>.thumb` for an
-- image's small copy), never under the uploader's name. content_type was settled from the content.
-- A file neither kept nor attached to a message is removed a day after its upload.
CREATE TABLE files (
    id           INTEGER PRIMARY KEY,
    owner_id     INTEGER NOT NULL REFERENCES users (id),
    name         TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT    NOT NULL,
    is_image     INTEGER NOT NULL,
    width        INTEGER,
    height       INTEGER,
    storage_key  TEXT    NOT NULL UNIQUE,
    -- In the owner's «Мои файлы».
    kept         INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE INDEX files_owner ON files (owner_id, kept, created_at);
CREATE INDEX files_unkept ON files (created_at) WHERE kept = 0;

-- The files a message carries; position counts from 0 in the order they were attached. A file stays
-- attached when its message is deleted (the API shows none, and nobody but the owner may download it).
CREATE TABLE message_files (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    file_id    INTEGER NOT NULL REFERENCES files (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (message_id, position)
) WITHOUT ROWID;
CREATE INDEX message_files_file ON message_files (file_id);
