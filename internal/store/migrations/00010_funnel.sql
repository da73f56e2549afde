-- +goose Up
-- A live room's funnel events (docs/SELLING.md): one row per session,
-- viewer, step, product and minute. The unique index is the deduplication:
-- writers INSERT … ON CONFLICT DO NOTHING. viewer is "u:<user id>" or
-- "a:<anonymous id>"; product_id is '' for views; minute_bucket is whole
-- minutes since the Unix epoch.
CREATE TABLE funnel_events (
    session_id    TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    step          TEXT NOT NULL CHECK (step IN ('view', 'product_open', 'buy_click')),
    product_id    TEXT NOT NULL DEFAULT '',
    viewer        TEXT NOT NULL,
    minute_bucket BIGINT NOT NULL,
    created_at    BIGINT NOT NULL
);
-- Also the counting index: a step's distinct viewers, per product.
CREATE UNIQUE INDEX funnel_events_dedupe ON funnel_events(session_id, step, product_id, viewer, minute_bucket);

-- The funnel's orders and GMV are the order lines attributed to the room.
CREATE INDEX IF NOT EXISTS order_lines_room ON order_lines(room_id);

-- +goose Down
DROP INDEX IF EXISTS order_lines_room;
DROP TABLE funnel_events;
