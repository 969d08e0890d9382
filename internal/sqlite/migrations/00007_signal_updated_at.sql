-- +goose Up
-- When each signal was last stored (unmask.Signal.UpdatedAt), so that a server can pick
-- up the signals another process (unmask ingest) stored in the same database.
ALTER TABLE signals ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
UPDATE signals SET updated_at = created_at;
CREATE INDEX signals_updated ON signals (updated_at);

-- +goose Down
DROP INDEX signals_updated;
ALTER TABLE signals DROP COLUMN updated_at;
