-- An import of facts is logged in two steps, so that its facts and its log row become visible together:
-- the row is written as 'loading' (committed, so its id is never given to another import), the fact
-- store commits the facts with a marker naming that id, then the row becomes 'complete'. A 'loading'
-- row found at start-up is completed (the marker is there) or removed (it is not).
ALTER TABLE import_log ADD COLUMN state text NOT NULL DEFAULT 'complete'
  CHECK (state IN ('loading', 'complete'));
