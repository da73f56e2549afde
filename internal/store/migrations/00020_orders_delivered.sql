-- +goose Up
-- The sweep that confirms receipt of orders delivered a week ago reads
-- delivered orders by delivery time.
CREATE INDEX orders_delivered ON orders(delivered_at) WHERE status = 'delivered';

-- +goose Down
DROP INDEX orders_delivered;
