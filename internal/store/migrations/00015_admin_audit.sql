-- +goose Up
-- What platform admins did: shop reviews, fee overrides, admin rights.
-- Each row is written in the same transaction as the change it records.
-- actor_id is '' for the command line (account.System); no foreign keys,
-- so the record outlives the people and shops it names.
CREATE TABLE admin_audit (
    id          TEXT PRIMARY KEY,
    actor_id    TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX admin_audit_created ON admin_audit(created_at);

-- +goose Down
DROP TABLE admin_audit;
