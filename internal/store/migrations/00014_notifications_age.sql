-- +goose Up
-- Old notifications are pruned oldest first (social.NotificationTTL).
CREATE INDEX notifications_created ON notifications(created_at);

-- +goose Down
DROP INDEX notifications_created;
