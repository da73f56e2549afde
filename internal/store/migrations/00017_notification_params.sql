-- +goose Up
-- The values a notification's text was made of (JSON: host, shop, title,
-- minutes), so that apps write known kinds in their reader's language;
-- and the language a browser's pushes are written in (docs/DISCOVERY.md).
ALTER TABLE notifications ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
ALTER TABLE push_subscriptions ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';

-- +goose Down
ALTER TABLE push_subscriptions DROP COLUMN locale;
ALTER TABLE notifications DROP COLUMN params;
