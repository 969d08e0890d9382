-- +goose Up
-- A case closed as legitimate clears the signals it reviewed (unmask.Signal.ClearedAt):
-- they stop counting toward risk until they are seen again with new evidence.
ALTER TABLE signals ADD COLUMN cleared_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE signals ADD COLUMN cleared_by TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE signals DROP COLUMN cleared_by;
ALTER TABLE signals DROP COLUMN cleared_at;
