-- +goose Up
-- Coupons and the claims viewers grab in a live room (docs/SELLING.md).
-- A claim takes one from claimed with a conditional UPDATE in the same
-- transaction that inserts it; the CHECK is the last line of defence.
CREATE TABLE coupons (
    id               TEXT PRIMARY KEY,
    shop_id          TEXT NOT NULL REFERENCES shops(id),
    session_id       TEXT REFERENCES live_sessions(id),
    title            TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('amount', 'percent')),
    amount_off_minor BIGINT,
    percent_off      INTEGER,
    min_spend_minor  BIGINT NOT NULL DEFAULT 0,
    currency         TEXT NOT NULL,
    valid_from       BIGINT NOT NULL,
    valid_until      BIGINT NOT NULL,
    total_limit      INTEGER NOT NULL CHECK (total_limit > 0),
    per_user_limit   INTEGER NOT NULL CHECK (per_user_limit > 0),
    claimed          INTEGER NOT NULL DEFAULT 0 CHECK (claimed >= 0 AND claimed <= total_limit),
    grab_ends_at     BIGINT,
    status           TEXT NOT NULL CHECK (status IN ('ready', 'dropped')),
    created_at       BIGINT NOT NULL
);
CREATE INDEX coupons_shop ON coupons(shop_id, id);
CREATE INDEX coupons_session ON coupons(session_id, grab_ends_at);

-- order_id is set (with used_at) by the order that uses the claim and
-- cleared when that order is cancelled; no foreign key, so the order code
-- owns that link.
CREATE TABLE coupon_claims (
    id         TEXT PRIMARY KEY,
    coupon_id  TEXT NOT NULL REFERENCES coupons(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    order_id   TEXT,
    used_at    BIGINT,
    claimed_at BIGINT NOT NULL
);
CREATE INDEX coupon_claims_user ON coupon_claims(user_id, coupon_id);

-- +goose Down
DROP TABLE coupon_claims;
DROP TABLE coupons;
