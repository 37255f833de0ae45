-- The server looks every few seconds for polls whose deadline has passed and closes them live.
CREATE INDEX polls_open_deadlines ON polls (closes_at) WHERE closed_at IS NULL AND closes_at IS NOT NULL;
