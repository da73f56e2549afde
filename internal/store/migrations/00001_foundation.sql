-- +goose Up
-- One schema for SQLite and PostgreSQL: ids are application-made text,
-- times are unix milliseconds (BIGINT), money is BIGINT minor units with
-- a currency code beside it.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    is_host       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT NOT NULL
);

CREATE TABLE web_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions(user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT
);

CREATE TABLE programmes (
    code             TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL,
    platform_fee_bps INTEGER NOT NULL CHECK (platform_fee_bps BETWEEN 0 AND 10000)
);
INSERT INTO programmes (code, name, description, platform_fee_bps) VALUES
    ('standard', 'Standard', 'Platform fee on every sale.', 500),
    ('rural', 'Rural Support', 'Farmers and county cooperatives sell with no platform fee.', 0);

CREATE TABLE shops (
    id               TEXT PRIMARY KEY,
    owner_id         TEXT NOT NULL REFERENCES users(id),
    name             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    category         TEXT NOT NULL,
    region           TEXT NOT NULL,
    county           TEXT NOT NULL DEFAULT '',
    programme        TEXT NOT NULL REFERENCES programmes(code),
    fee_override_bps INTEGER CHECK (fee_override_bps BETWEEN 0 AND 10000),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    reject_reason    TEXT NOT NULL DEFAULT '',
    reviewed_by      TEXT REFERENCES users(id),
    reviewed_at      BIGINT,
    created_at       BIGINT NOT NULL
);
CREATE INDEX shops_status ON shops(status, id);

CREATE TABLE shop_members (
    shop_id    TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('owner', 'staff')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (shop_id, user_id)
);
CREATE INDEX shop_members_user ON shop_members(user_id);

CREATE TABLE shop_invitations (
    id          TEXT PRIMARY KEY,
    shop_id     TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('staff')),
    status      TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'revoked')),
    invited_by  TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    answered_at BIGINT
);
CREATE INDEX shop_invitations_email ON shop_invitations(email, status);

CREATE TABLE mcns (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    manager_id TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);

-- A host's agreement with an agency: the agency keeps mcn_share_bps of
-- every commission the host earns while the agreement is active.
CREATE TABLE mcn_hosts (
    mcn_id        TEXT NOT NULL REFERENCES mcns(id) ON DELETE CASCADE,
    host_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mcn_share_bps INTEGER NOT NULL CHECK (mcn_share_bps BETWEEN 0 AND 10000),
    status        TEXT NOT NULL CHECK (status IN ('invited', 'active', 'declined', 'ended')),
    created_at    BIGINT NOT NULL,
    answered_at   BIGINT,
    PRIMARY KEY (mcn_id, host_id)
);
CREATE INDEX mcn_hosts_host ON mcn_hosts(host_id, status);

CREATE TABLE products (
    id             TEXT PRIMARY KEY,
    shop_id        TEXT NOT NULL REFERENCES shops(id),
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    tags           TEXT NOT NULL DEFAULT '',
    commission_bps INTEGER NOT NULL DEFAULT 0 CHECK (commission_bps BETWEEN 0 AND 10000),
    status         TEXT NOT NULL CHECK (status IN ('active', 'archived')),
    external_ref   TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX products_shop ON products(shop_id, id);

CREATE TABLE product_images (
    id           TEXT PRIMARY KEY,
    product_id   TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX product_images_product ON product_images(product_id, position);

CREATE TABLE skus (
    id          TEXT PRIMARY KEY,
    product_id  TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    shop_id     TEXT NOT NULL REFERENCES shops(id),
    code        TEXT NOT NULL,
    attributes  TEXT NOT NULL DEFAULT '{}',
    price_minor BIGINT NOT NULL CHECK (price_minor > 0),
    currency    TEXT NOT NULL,
    stock       INTEGER NOT NULL CHECK (stock >= 0),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (shop_id, code)
);
CREATE INDEX skus_product ON skus(product_id);

-- Every change of stock, with the stock after it: the audit trail.
CREATE TABLE inventory_movements (
    id          TEXT PRIMARY KEY,
    sku_id      TEXT NOT NULL REFERENCES skus(id) ON DELETE CASCADE,
    delta       INTEGER NOT NULL,
    stock_after INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    ref         TEXT NOT NULL DEFAULT '',
    actor_id    TEXT,
    note        TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX inventory_movements_sku ON inventory_movements(sku_id, id);

CREATE TABLE cart_items (
    user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sku_id   TEXT NOT NULL REFERENCES skus(id) ON DELETE CASCADE,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, sku_id)
);

CREATE TABLE addresses (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL,
    line1       TEXT NOT NULL,
    line2       TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL,
    region      TEXT NOT NULL,
    postcode    TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL,
    is_default  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  BIGINT NOT NULL
);
CREATE INDEX addresses_user ON addresses(user_id);

CREATE TABLE orders (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id),
    shop_id         TEXT NOT NULL REFERENCES shops(id),
    status          TEXT NOT NULL CHECK (status IN ('pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded')),
    currency        TEXT NOT NULL,
    total_minor     BIGINT NOT NULL CHECK (total_minor >= 0),
    ship_to         TEXT NOT NULL,
    idempotency_key TEXT,
    request_hash    TEXT NOT NULL DEFAULT '',
    carrier         TEXT NOT NULL DEFAULT '',
    tracking_number TEXT NOT NULL DEFAULT '',
    cancel_reason   TEXT NOT NULL DEFAULT '',
    expires_at      BIGINT NOT NULL,
    paid_at         BIGINT,
    shipped_at      BIGINT,
    delivered_at    BIGINT,
    completed_at    BIGINT,
    cancelled_at    BIGINT,
    refunded_at     BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX orders_user ON orders(user_id, id);
CREATE INDEX orders_shop ON orders(shop_id, id);
CREATE INDEX orders_expiry ON orders(status, expires_at);

-- The split columns are filled when the order is paid.
CREATE TABLE order_lines (
    id                    TEXT PRIMARY KEY,
    order_id              TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    sku_id                TEXT NOT NULL REFERENCES skus(id),
    product_id            TEXT NOT NULL REFERENCES products(id),
    title                 TEXT NOT NULL,
    sku_attributes        TEXT NOT NULL,
    unit_price_minor      BIGINT NOT NULL,
    quantity              INTEGER NOT NULL CHECK (quantity > 0),
    line_total_minor      BIGINT NOT NULL,
    commission_bps        INTEGER NOT NULL,
    source                TEXT NOT NULL DEFAULT 'shop',
    room_id               TEXT,
    host_id               TEXT REFERENCES users(id),
    mcn_id                TEXT REFERENCES mcns(id),
    mcn_share_bps         INTEGER NOT NULL DEFAULT 0,
    platform_fee_minor    BIGINT NOT NULL DEFAULT 0,
    host_commission_minor BIGINT NOT NULL DEFAULT 0,
    mcn_share_minor       BIGINT NOT NULL DEFAULT 0,
    merchant_net_minor    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX order_lines_order ON order_lines(order_id);
CREATE INDEX order_lines_host ON order_lines(host_id);

CREATE TABLE order_status_log (
    id         TEXT PRIMARY KEY,
    order_id   TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status  TEXT NOT NULL,
    actor_id   TEXT,
    note       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX order_status_log_order ON order_status_log(order_id, id);

CREATE TABLE payments (
    id              TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL REFERENCES orders(id),
    provider        TEXT NOT NULL,
    amount_minor    BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded')),
    idempotency_key TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (order_id, idempotency_key)
);
CREATE INDEX payments_order ON payments(order_id);

-- Provider webhook event ids already processed: a replayed event is refused.
CREATE TABLE payment_events (
    event_id    TEXT PRIMARY KEY,
    provider    TEXT NOT NULL,
    payment_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    received_at BIGINT NOT NULL
);

CREATE TABLE webhook_endpoints (
    id         TEXT PRIMARY KEY,
    shop_id    TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    events     TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_shop ON webhook_endpoints(shop_id);

-- An outbox: rows are written in the transaction that changes the order,
-- and a dispatcher delivers them with retries.
CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    event_type       TEXT NOT NULL,
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    locked_until     BIGINT NOT NULL DEFAULT 0,
    last_status_code INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    delivered_at     BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
DROP TABLE payment_events;
DROP TABLE payments;
DROP TABLE order_status_log;
DROP TABLE order_lines;
DROP TABLE orders;
DROP TABLE addresses;
DROP TABLE cart_items;
DROP TABLE inventory_movements;
DROP TABLE skus;
DROP TABLE product_images;
DROP TABLE products;
DROP TABLE mcn_hosts;
DROP TABLE mcns;
DROP TABLE shop_invitations;
DROP TABLE shop_members;
DROP TABLE shops;
DROP TABLE programmes;
DROP TABLE api_tokens;
DROP TABLE web_sessions;
DROP TABLE users;
