-- +goose Up
-- Live sessions (a session is a room: its id is the room id). The stream
-- key is kept for the studio view and as a SHA-256 hash for lookup when a
-- publisher connects.
CREATE TABLE live_sessions (
    id                    TEXT PRIMARY KEY,
    shop_id               TEXT NOT NULL REFERENCES shops(id),
    host_id               TEXT REFERENCES users(id),
    title                 TEXT NOT NULL,
    cover_image_id        TEXT NOT NULL DEFAULT '',
    planned_start         BIGINT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('scheduled', 'live', 'ended', 'replay')),
    started_at            BIGINT,
    ended_at              BIGINT,
    protocol              TEXT NOT NULL DEFAULT '',
    explaining_product_id TEXT NOT NULL DEFAULT '',
    stream_key            TEXT NOT NULL,
    stream_key_hash       TEXT NOT NULL UNIQUE,
    created_at            BIGINT NOT NULL
);
CREATE INDEX live_sessions_status ON live_sessions(status, id);
CREATE INDEX live_sessions_shop ON live_sessions(shop_id, id);

-- The shelf: the products offered during a session, in order from 1.
CREATE TABLE live_session_products (
    session_id TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products(id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (session_id, product_id)
);

-- When the host began explaining a product, as an offset into the
-- recording, so replays can jump there.
CREATE TABLE live_moments (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products(id),
    title      TEXT NOT NULL,
    offset_ms  BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX live_moments_session ON live_moments(session_id, id);

-- +goose Down
DROP TABLE live_moments;
DROP TABLE live_session_products;
DROP TABLE live_sessions;
