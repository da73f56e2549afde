-- +goose Up
-- Follows, "remind me" and notifications (docs/DISCOVERY.md).

-- A viewer follows a host (a user) or a shop. target_id is polymorphic, so
-- it carries no foreign key; the service checks the target exists.
CREATE TABLE follows (
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    target_kind    TEXT NOT NULL CHECK (target_kind IN ('host', 'shop')),
    target_id      TEXT NOT NULL,
    source_room_id TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (user_id, target_kind, target_id)
);
-- Fan-out when a host or shop goes live reads followers by target.
CREATE INDEX follows_target ON follows(target_kind, target_id, user_id);

CREATE TABLE session_reminders (
    session_id TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX session_reminders_user ON session_reminders(user_id);

-- The unique key is what makes a notification arrive once per follower,
-- whatever the number of nodes that try to write it.
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('live', 'starting_soon', 'reminder')),
    session_id TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    url        TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    read_at    BIGINT,
    UNIQUE (user_id, kind, session_id)
);
CREATE INDEX notifications_user ON notifications(user_id, id);

CREATE TABLE push_subscriptions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    endpoint   TEXT NOT NULL UNIQUE,
    p256dh     TEXT NOT NULL,
    auth       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);

-- The schedule and the starting-soon sweep read scheduled sessions by
-- planned start; a host's profile reads their live and upcoming sessions.
CREATE INDEX live_sessions_planned ON live_sessions(status, planned_start);
CREATE INDEX live_sessions_host ON live_sessions(host_id, status);

-- +goose Down
DROP INDEX live_sessions_host;
DROP INDEX live_sessions_planned;
DROP TABLE push_subscriptions;
DROP TABLE notifications;
DROP TABLE session_reminders;
DROP TABLE follows;
