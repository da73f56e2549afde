-- +goose Up
-- Lucky draws (docs/SELLING.md, internal/draw). A draw holds its prizes
-- (winner_count × quantity units, taken from the SKU when it was made).
-- seed is the secret (hex) behind the published commitment; it is shown
-- only once the draw is drawn. entrants counts draw_entries and is bumped
-- in the same transaction as each entry, conditionally on the draw being
-- open, so an entry and the drawing cannot interleave.
CREATE TABLE draws (
    id                  TEXT PRIMARY KEY,
    session_id          TEXT NOT NULL REFERENCES live_sessions(id),
    shop_id             TEXT NOT NULL REFERENCES shops(id),
    product_id          TEXT NOT NULL REFERENCES products(id),
    sku_id              TEXT NOT NULL REFERENCES skus(id),
    title               TEXT NOT NULL,
    quantity            INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10),
    winner_count        INTEGER NOT NULL CHECK (winner_count BETWEEN 1 AND 100),
    eligibility         TEXT NOT NULL CHECK (eligibility IN ('anyone', 'followers', 'keyword', 'buyers')),
    keyword             TEXT NOT NULL DEFAULT '',
    seed                TEXT NOT NULL,
    commitment          TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('open', 'drawn', 'cancelled')),
    entrants            INTEGER NOT NULL DEFAULT 0,
    ends_at             BIGINT NOT NULL,
    drawn_at            BIGINT,
    claim_until         BIGINT,
    -- Set once the prizes not claimed by claim_until went back to stock.
    prizes_returned_at  BIGINT,
    created_by          TEXT NOT NULL REFERENCES users(id),
    created_at          BIGINT NOT NULL
);
CREATE INDEX draws_session ON draws(session_id, id);
CREATE INDEX draws_due ON draws(status, ends_at);
CREATE INDEX draws_claims ON draws(status, prizes_returned_at, claim_until);

CREATE TABLE draw_entries (
    draw_id    TEXT NOT NULL REFERENCES draws(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (draw_id, user_id)
);

-- Winners in the order they were picked (position from 0). A claim marks
-- claimed_at before the award order is made, so the prize cannot be
-- forfeited meanwhile; order_id is that order.
CREATE TABLE draw_winners (
    draw_id      TEXT NOT NULL REFERENCES draws(id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users(id),
    position     INTEGER NOT NULL,
    order_id     TEXT NOT NULL DEFAULT '',
    claimed_at   BIGINT,
    forfeited_at BIGINT,
    PRIMARY KEY (draw_id, user_id)
);

-- +goose Down
DROP TABLE draw_winners;
DROP TABLE draw_entries;
DROP TABLE draws;
