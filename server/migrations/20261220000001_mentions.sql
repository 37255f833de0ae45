-- People a message mentions (`@Имя Фамилия` in its text): members of its chat when it was sent.
CREATE TABLE message_mentions (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (message_id, user_id)
) WITHOUT ROWID;
-- A person's unread mentions per chat, for the chat list.
CREATE INDEX message_mentions_by_person ON message_mentions (user_id, message_id);
