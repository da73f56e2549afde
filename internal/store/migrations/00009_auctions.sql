-- +goose Up
-- Live auctions (docs/SELLING.md): one unit of a SKU, proxy bids, soft
-- close. Times are unix milliseconds, money minor units.

-- leader_max_minor and second_max_minor are secret: only price_minor and
-- the leader's name are shown. version is bumped by every bid as its
-- first statement, which locks the row so bids on one auction run one at
-- a time. Once ended, leader_id is the winner; order_id is their award
-- order, or award_error says why none could be made (the unit returned).
CREATE TABLE auctions (
    id                     TEXT PRIMARY KEY,
    session_id             TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    shop_id                TEXT NOT NULL REFERENCES shops(id),
    product_id             TEXT NOT NULL REFERENCES products(id),
    sku_id                 TEXT NOT NULL REFERENCES skus(id),
    title                  TEXT NOT NULL,
    currency               TEXT NOT NULL,
    start_price_minor      BIGINT NOT NULL CHECK (start_price_minor > 0),
    min_increment_minor    BIGINT NOT NULL CHECK (min_increment_minor > 0),
    price_minor            BIGINT NOT NULL,
    leader_id              TEXT REFERENCES users(id),
    leader_max_minor       BIGINT NOT NULL DEFAULT 0,
    second_max_minor       BIGINT NOT NULL DEFAULT 0,
    bids                   INTEGER NOT NULL DEFAULT 0,
    payment_window_seconds INTEGER NOT NULL,
    status                 TEXT NOT NULL CHECK (status IN ('running', 'ended')),
    ends_at                BIGINT NOT NULL,
    ended_at               BIGINT,
    order_id               TEXT REFERENCES orders(id),
    award_error            TEXT NOT NULL DEFAULT '',
    version                BIGINT NOT NULL DEFAULT 0,
    created_by             TEXT NOT NULL REFERENCES users(id),
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL
);
CREATE INDEX auctions_session ON auctions(session_id, id);
-- The closing sweep: running auctions by end, and winners still waiting
-- for their order.
CREATE INDEX auctions_due ON auctions(ends_at) WHERE status = 'running';
CREATE INDEX auctions_awaiting_award ON auctions(ended_at)
    WHERE status = 'ended' AND leader_id IS NOT NULL AND order_id IS NULL AND award_error = '';

-- Accepted bids. seq counts an auction's bids from 1 in the order they
-- were applied; price_minor and leads are the auction's state right
-- after the bid. A retried request finds its bid by idempotency key.
CREATE TABLE auction_bids (
    id              TEXT PRIMARY KEY,
    auction_id      TEXT NOT NULL REFERENCES auctions(id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users(id),
    seq             INTEGER NOT NULL,
    max_minor       BIGINT NOT NULL,
    price_minor     BIGINT NOT NULL,
    leads           BOOLEAN NOT NULL,
    idempotency_key TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    UNIQUE (auction_id, seq),
    UNIQUE (auction_id, user_id, idempotency_key)
);

-- +goose Down
DROP TABLE auction_bids;
DROP TABLE auctions;
