-- +goose Up
-- Bulk catalog imports run in the background; the row is their progress.
CREATE TABLE import_jobs (
    id          TEXT PRIMARY KEY,
    shop_id     TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    actor_id    TEXT NOT NULL REFERENCES users(id),
    filename    TEXT NOT NULL,
    format      TEXT NOT NULL CHECK (format IN ('csv', 'json')),
    status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    total       INTEGER NOT NULL,
    processed   INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL DEFAULT 0,
    errors      TEXT NOT NULL DEFAULT '[]',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX import_jobs_shop ON import_jobs(shop_id, id);

-- +goose Down
DROP TABLE import_jobs;
