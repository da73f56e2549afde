-- +goose Up
-- The admin console (issue 8): programmes admins edit, the platform fee
-- an order was placed under, and the platform moderation queue.

-- The platform fee (basis points) in force for the order's shop when the
-- order was placed: payment splits use it, so changing a programme or a
-- shop's override never changes what an order already placed is charged.
-- NULL on orders placed before this migration; those fall back to the
-- shop's fee at payment, as they always did.
ALTER TABLE orders ADD COLUMN platform_fee_bps INTEGER CHECK (platform_fee_bps BETWEEN 0 AND 10000);

-- A report leaves the platform queue when an admin resolves it: dismissed,
-- or the message deleted (banned says whether its author was also banned
-- from the room). All open reports of one message are resolved together.
ALTER TABLE chat_reports ADD COLUMN resolved_at BIGINT;
ALTER TABLE chat_reports ADD COLUMN resolved_by TEXT;
ALTER TABLE chat_reports ADD COLUMN resolution TEXT CHECK (resolution IN ('dismiss', 'delete'));
ALTER TABLE chat_reports ADD COLUMN banned BOOLEAN NOT NULL DEFAULT FALSE;
-- The queue reads open reports newest first (ids sort by time).
CREATE INDEX chat_reports_open ON chat_reports(id) WHERE resolved_at IS NULL;
CREATE INDEX chat_reports_message ON chat_reports(message_id);

-- +goose Down
DROP INDEX chat_reports_message;
DROP INDEX chat_reports_open;
ALTER TABLE chat_reports DROP COLUMN banned;
ALTER TABLE chat_reports DROP COLUMN resolution;
ALTER TABLE chat_reports DROP COLUMN resolved_by;
ALTER TABLE chat_reports DROP COLUMN resolved_at;
ALTER TABLE orders DROP COLUMN platform_fee_bps;
