-- +goose Up
-- Analytics roll-ups (docs/DISCOVERY.md). The pipeline adds to these
-- counters in one transaction per flush; analytics_batches makes a batch
-- that is delivered twice count once. No foreign keys: roll-ups are
-- written in bulk and must not lock the rows they describe.

CREATE TABLE analytics_batches (
    id           TEXT PRIMARY KEY,
    processed_at BIGINT NOT NULL
);
CREATE INDEX analytics_batches_time ON analytics_batches(processed_at);

CREATE TABLE analytics_room_totals (
    session_id        TEXT PRIMARY KEY,
    views             BIGINT NOT NULL DEFAULT 0,
    viewers_signed_in BIGINT NOT NULL DEFAULT 0,
    likes             BIGINT NOT NULL DEFAULT 0,
    watch_seconds     BIGINT NOT NULL DEFAULT 0,
    product_clicks    BIGINT NOT NULL DEFAULT 0,
    buy_clicks        BIGINT NOT NULL DEFAULT 0,
    new_followers     BIGINT NOT NULL DEFAULT 0,
    orders            BIGINT NOT NULL DEFAULT 0,
    paid_orders       BIGINT NOT NULL DEFAULT 0,
    gmv_minor         BIGINT NOT NULL DEFAULT 0,
    currency          TEXT NOT NULL DEFAULT '',
    updated_at        BIGINT NOT NULL
);

CREATE TABLE analytics_room_products (
    session_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    clicks     BIGINT NOT NULL DEFAULT 0,
    orders     BIGINT NOT NULL DEFAULT 0,
    units      BIGINT NOT NULL DEFAULT 0,
    gmv_minor  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, product_id)
);

-- Current viewers per node, as last reported; readers sum fresh rows.
CREATE TABLE analytics_room_viewers (
    session_id  TEXT NOT NULL,
    node        TEXT NOT NULL,
    viewers     INTEGER NOT NULL,
    reported_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, node)
);

-- Daily platform series. day is whole UTC days since the epoch; dim is ''
-- for the platform total or a channel code or shop id.
CREATE TABLE analytics_daily (
    day    BIGINT NOT NULL,
    metric TEXT NOT NULL,
    dim    TEXT NOT NULL DEFAULT '',
    value  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, metric, dim)
);

CREATE TABLE analytics_daily_users (
    day     BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (day, user_id)
);

-- What each viewer watches and buys, by shop category, for the feed.
CREATE TABLE analytics_user_categories (
    user_id    TEXT NOT NULL,
    category   TEXT NOT NULL,
    views      BIGINT NOT NULL DEFAULT 0,
    orders     BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, category)
);

-- +goose Down
DROP TABLE analytics_user_categories;
DROP TABLE analytics_daily_users;
DROP TABLE analytics_daily;
DROP TABLE analytics_room_viewers;
DROP TABLE analytics_room_products;
DROP TABLE analytics_room_totals;
DROP TABLE analytics_batches;
