-- +goose Up
-- Orders may carry a coupon discount and lines a stock hold (docs/SELLING.md).
ALTER TABLE orders ADD COLUMN discount_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN coupon_claim_id TEXT NOT NULL DEFAULT '';
ALTER TABLE order_lines ADD COLUMN discount_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN hold TEXT NOT NULL DEFAULT '';

-- A flash sale holds its whole allocation, taken from the SKU when it was
-- created. owner_epoch fences its reservation engine: each batch writes
-- only while the epoch is the one its node took the lease with.
CREATE TABLE flash_sales (
    id                     TEXT PRIMARY KEY,
    session_id             TEXT NOT NULL REFERENCES live_sessions(id),
    shop_id                TEXT NOT NULL REFERENCES shops(id),
    product_id             TEXT NOT NULL REFERENCES products(id),
    sku_id                 TEXT NOT NULL REFERENCES skus(id),
    title                  TEXT NOT NULL,
    price_minor            BIGINT NOT NULL,
    original_price_minor   BIGINT NOT NULL,
    currency               TEXT NOT NULL,
    stock                  INTEGER NOT NULL CHECK (stock > 0),
    sold                   INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0 AND sold <= stock),
    per_user_limit         INTEGER NOT NULL,
    starts_at              BIGINT NOT NULL,
    ends_at                BIGINT NOT NULL,
    payment_window_seconds INTEGER NOT NULL,
    status                 TEXT NOT NULL CHECK (status IN ('scheduled', 'running', 'ended', 'settled', 'cancelled')),
    owner_epoch            BIGINT NOT NULL DEFAULT 0,
    created_by             TEXT NOT NULL REFERENCES users(id),
    created_at             BIGINT NOT NULL,
    settled_at             BIGINT
);
CREATE INDEX flash_sales_session ON flash_sales(session_id, id);
CREATE INDEX flash_sales_status ON flash_sales(status, ends_at);

-- One row per reservation. A reservation holds stock of its sale until it
-- is paid or released: held → paid | expired | released → returned
-- (released = its order was cancelled; the sale's engine turns it into
-- returned when it takes the stock back).
--
-- Rows are written in batches of thousands a second by the one engine
-- that owns the sale (fenced by flash_sales.owner_epoch), so the table
-- carries only what the hot path cannot do without: no foreign keys (on
-- PostgreSQL each would lock the user's row per reservation), and no index
-- on buyers (a random index doubles the pages every batch writes). The
-- engine enforces one reservation per (buyer, idempotency key) and keeps
-- each buyer's reservation ids in memory; on takeover it reloads them all.
CREATE TABLE flash_reservations (
    id              TEXT PRIMARY KEY,
    sale_id         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    idempotency_key TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('held', 'paid', 'expired', 'released', 'returned')),
    order_id        TEXT NOT NULL DEFAULT '',
    expires_at      BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX flash_reservations_due ON flash_reservations(sale_id, status, expires_at);
CREATE INDEX flash_reservations_order ON flash_reservations(order_id) WHERE order_id <> '';

-- +goose Down
DROP TABLE flash_reservations;
DROP TABLE flash_sales;
ALTER TABLE order_lines DROP COLUMN hold;
ALTER TABLE order_lines DROP COLUMN discount_minor;
ALTER TABLE orders DROP COLUMN coupon_claim_id;
ALTER TABLE orders DROP COLUMN discount_minor;
