-- +goose Up
-- Buyers hear about their orders too (docs/DISCOVERY.md): shipped,
-- delivered, refunded, refund request declined. A notification is about a
-- live session or about an order, never both; session kinds stay unique
-- per (user, kind, session) (NULL session ids never collide, in either
-- database), while an order's notification is written once by the
-- transaction that changes the order. Neither database alters a CHECK in
-- place the same way, so the table is rebuilt; nothing references it.
CREATE TABLE notifications_v19 (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('live', 'starting_soon', 'reminder',
                   'order_shipped', 'order_delivered', 'order_refunded', 'refund_declined')),
    session_id TEXT REFERENCES live_sessions(id) ON DELETE CASCADE,
    order_id   TEXT REFERENCES orders(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    url        TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    read_at    BIGINT,
    params     TEXT NOT NULL DEFAULT '{}',
    UNIQUE (user_id, kind, session_id),
    -- Exactly one subject, the one its kind is about.
    CHECK ((kind IN ('live', 'starting_soon', 'reminder') AND session_id IS NOT NULL AND order_id IS NULL)
        OR (kind IN ('order_shipped', 'order_delivered', 'order_refunded', 'refund_declined') AND order_id IS NOT NULL AND session_id IS NULL))
);
INSERT INTO notifications_v19 (id, user_id, kind, session_id, order_id, title, body, url, created_at, read_at, params)
    SELECT id, user_id, kind, session_id, NULL, title, body, url, created_at, read_at, params FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_v19 RENAME TO notifications;
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_created ON notifications(created_at);
-- Deleting an order deletes its notifications without a scan.
CREATE INDEX notifications_order ON notifications(order_id);

-- +goose Down
CREATE TABLE notifications_v11 (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('live', 'starting_soon', 'reminder')),
    session_id TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    url        TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    read_at    BIGINT,
    params     TEXT NOT NULL DEFAULT '{}',
    UNIQUE (user_id, kind, session_id)
);
INSERT INTO notifications_v11 (id, user_id, kind, session_id, title, body, url, created_at, read_at, params)
    SELECT id, user_id, kind, session_id, title, body, url, created_at, read_at, params FROM notifications
    WHERE session_id IS NOT NULL;
DROP TABLE notifications;
ALTER TABLE notifications_v11 RENAME TO notifications;
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_created ON notifications(created_at);
