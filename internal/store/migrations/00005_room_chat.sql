-- +goose Up
-- The realtime room: chat, questions, announcements and moderation of a
-- live session (docs/REALTIME.md). Times are unix milliseconds.

ALTER TABLE live_sessions ADD COLUMN likes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE live_sessions ADD COLUMN peak_viewers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE live_sessions ADD COLUMN slow_mode_seconds INTEGER NOT NULL DEFAULT 0;

-- Chat. Name and role are the author's when they wrote, so history needs
-- no join. offset_ms is the position in the recording, for replays.
-- Deleted messages stay for the audit and reports but are never shown.
CREATE TABLE chat_messages (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id),
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    text       TEXT NOT NULL,
    offset_ms  BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    deleted_at BIGINT,
    deleted_by TEXT
);
-- Snapshots and history read a room's chat in time order; slow mode reads
-- one user's newest message in a room.
CREATE INDEX chat_messages_session_time ON chat_messages(session_id, created_at);
CREATE INDEX chat_messages_session_user_time ON chat_messages(session_id, user_id, created_at);

-- Questions to the host; at most one pinned per room.
CREATE TABLE room_questions (
    id          TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id),
    name        TEXT NOT NULL,
    text        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'answered')),
    answer      TEXT NOT NULL DEFAULT '',
    pinned      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  BIGINT NOT NULL,
    answered_at BIGINT,
    answered_by TEXT
);
CREATE INDEX room_questions_session ON room_questions(session_id, id);
CREATE UNIQUE INDEX room_questions_one_pinned ON room_questions(session_id) WHERE pinned;

CREATE TABLE room_announcements (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX room_announcements_session ON room_announcements(session_id, id);

-- Who is muted or banned in a room now; a NULL until with the flag set
-- means until lifted. The history is moderation_actions.
CREATE TABLE room_moderation (
    session_id   TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users(id),
    muted        BOOLEAN NOT NULL DEFAULT FALSE,
    muted_until  BIGINT,
    banned       BOOLEAN NOT NULL DEFAULT FALSE,
    banned_until BIGINT,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

-- The moderation audit log, written in the same transaction as each change.
CREATE TABLE moderation_actions (
    id                TEXT PRIMARY KEY,
    session_id        TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    action            TEXT NOT NULL CHECK (action IN ('mute', 'unmute', 'ban', 'unban', 'slow_mode', 'delete_chat')),
    user_id           TEXT,
    message_id        TEXT,
    slow_mode_seconds INTEGER,
    minutes           INTEGER,
    until             BIGINT,
    reason            TEXT NOT NULL DEFAULT '',
    actor_id          TEXT NOT NULL REFERENCES users(id),
    created_at        BIGINT NOT NULL
);
CREATE INDEX moderation_actions_session ON moderation_actions(session_id, id);

-- Viewers' reports of chat messages, one per viewer and message.
CREATE TABLE chat_reports (
    id          TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    message_id  TEXT NOT NULL REFERENCES chat_messages(id) ON DELETE CASCADE,
    reporter_id TEXT NOT NULL REFERENCES users(id),
    reason      TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    UNIQUE (message_id, reporter_id)
);
CREATE INDEX chat_reports_session ON chat_reports(session_id, id);

-- A shop's blocked words, as a JSON array of strings.
CREATE TABLE shop_chat_filters (
    shop_id    TEXT PRIMARY KEY REFERENCES shops(id) ON DELETE CASCADE,
    words      TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users(id)
);

-- +goose Down
DROP TABLE shop_chat_filters;
DROP TABLE chat_reports;
DROP TABLE moderation_actions;
DROP TABLE room_moderation;
DROP TABLE room_announcements;
DROP TABLE room_questions;
DROP TABLE chat_messages;
ALTER TABLE live_sessions DROP COLUMN slow_mode_seconds;
ALTER TABLE live_sessions DROP COLUMN peak_viewers;
ALTER TABLE live_sessions DROP COLUMN likes;
