-- +goose Up
-- Buyers ask for their money back (after-sales): a request waits for the
-- shop, which approves it by refunding the order or declines it with a
-- reason; unanswered by respond_by, it is refunded automatically.
CREATE TABLE refund_requests (
    id             TEXT PRIMARY KEY,
    order_id       TEXT NOT NULL REFERENCES orders(id),
    user_id        TEXT NOT NULL,
    reason         TEXT NOT NULL CHECK (reason IN ('not_received', 'damaged', 'not_as_described', 'wrong_item', 'changed_mind', 'other')),
    note           TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('open', 'approved', 'declined', 'withdrawn')),
    respond_by     BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    decided_at     BIGINT,
    decided_by     TEXT NOT NULL DEFAULT '',
    decline_reason TEXT NOT NULL DEFAULT ''
);
-- One open request per order, however many nodes take requests at once.
CREATE UNIQUE INDEX refund_requests_open ON refund_requests(order_id) WHERE status = 'open';
-- The runner that refunds unanswered requests reads open ones by deadline.
CREATE INDEX refund_requests_due ON refund_requests(respond_by) WHERE status = 'open';
-- The order points at its latest request, so reading an order costs one
-- primary-key lookup more only when it has one.
ALTER TABLE orders ADD COLUMN refund_request_id TEXT;

-- +goose Down
ALTER TABLE orders DROP COLUMN refund_request_id;
DROP INDEX refund_requests_due;
DROP INDEX refund_requests_open;
DROP TABLE refund_requests;
