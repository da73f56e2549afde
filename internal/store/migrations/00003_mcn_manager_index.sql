-- +goose Up
-- Every authenticated request loads the agencies its user manages.
CREATE INDEX mcns_manager ON mcns(manager_id);

-- +goose Down
DROP INDEX mcns_manager;
