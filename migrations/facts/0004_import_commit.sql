-- One row per import whose facts this store committed, written in the same transaction as the facts:
-- the system of record's log row of that import is completed from it after a crash.
CREATE TABLE import_commit (
  import_id INTEGER PRIMARY KEY,
  kind VARCHAR NOT NULL,
  rows_read BIGINT NOT NULL,
  rows_loaded BIGINT NOT NULL,
  rows_skipped BIGINT NOT NULL,
  notes VARCHAR,
  committed_at TIMESTAMPTZ NOT NULL
);
