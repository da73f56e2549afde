package room

import (
	"context"
	"time"
)

// ChatRepo stores what happens in a room besides the video: chat,
// questions, announcements, moderation, reports and the shops' keyword
// filters. Methods return apperr NotFound for a missing session (or
// message, or question). Moderation changes write their audit row in the
// same transaction as their effect.
type ChatRepo interface {
	// RoomGate reads, in one query, what the rules need to know before
	// userID ("" for nobody) posts in a room: the session's state and the
	// user's mutes and bans, and their newest chat message when slow mode
	// is on.
	RoomGate(ctx context.Context, roomID, userID string) (Gate, error)

	// AddChatMessage stores m. When notAfter is not zero it stores nothing
	// and returns false if the author already has a message in the room
	// created after notAfter: slow mode, enforced whatever node the
	// messages came through.
	AddChatMessage(ctx context.Context, m ChatMessage, notAfter time.Time) (bool, error)
	// RecentChat returns the last n messages not deleted, oldest first.
	RecentChat(ctx context.Context, roomID string, n int) ([]ChatMessage, error)
	// ChatHistory lists messages not deleted, oldest first.
	ChatHistory(ctx context.Context, roomID string, q ChatQuery) ([]ChatMessage, error)
	// DeleteChatMessage hides a message and audits it, reporting false
	// when it was already deleted (nothing changes then).
	DeleteChatMessage(ctx context.Context, messageID string, audit ModerationAction) (bool, error)

	AddQuestion(ctx context.Context, q Question) error
	// ListQuestions lists questions oldest first.
	ListQuestions(ctx context.Context, roomID string, q QuestionQuery) ([]Question, error)
	// OpenQuestions returns the open or pinned questions, oldest first.
	OpenQuestions(ctx context.Context, roomID string, limit int) ([]Question, error)
	// UpdateQuestion applies c and returns the question, followed by the
	// question it unpinned when it pinned this one (one pin per room).
	UpdateQuestion(ctx context.Context, roomID, questionID string, c QuestionChange) ([]Question, error)

	AddAnnouncement(ctx context.Context, a Announcement) error
	// LatestAnnouncement returns the newest announcement, nil for none.
	LatestAnnouncement(ctx context.Context, roomID string) (*Announcement, error)

	// Moderate applies a mute, unmute, ban or unban and audits it.
	Moderate(ctx context.Context, a ModerationAction) error
	// SetSlowMode sets the session's slow mode and audits it.
	SetSlowMode(ctx context.Context, a ModerationAction) error
	// ListModerationActions lists the audit log newest first, before cursor.
	ListModerationActions(ctx context.Context, roomID, cursor string, limit int) ([]ModerationAction, error)

	// AddReport stores a report; Invalid (field message_id) when the
	// message is not in the room, Conflict when the user already reported it.
	AddReport(ctx context.Context, r Report) error
	// ListReports lists reports newest first, before cursor.
	ListReports(ctx context.Context, roomID, cursor string, limit int) ([]Report, error)
	// The platform moderation queue (reportqueue.go).
	ReportQueue

	// ChatFilter returns a shop's blocked words (none when never set).
	ChatFilter(ctx context.Context, shopID string) (ChatFilter, error)
	SetChatFilter(ctx context.Context, f ChatFilter) error

	// AddLikes adds n to the session's likes.
	AddLikes(ctx context.Context, roomID string, n int64) error
	// RecordPeak raises the session's peak viewers to peak if it is higher.
	RecordPeak(ctx context.Context, roomID string, peak int) error
}

// Gate is what the room's rules read before someone posts.
type Gate struct {
	Status          string
	ShopID          string
	HostID          string // "" for none
	StartedAt       *time.Time
	SlowModeSeconds int
	Moderation      Moderation
	// LastChatAt is the user's newest message in the room; only read
	// while slow mode is on.
	LastChatAt *time.Time
}

// Moderation is a user's standing in a room. A nil until with the flag
// set means until lifted.
type Moderation struct {
	Muted       bool
	MutedUntil  *time.Time
	Banned      bool
	BannedUntil *time.Time
}

// mutedAt reports whether the mute holds at now.
func (m Moderation) mutedAt(now time.Time) bool {
	return m.Muted && (m.MutedUntil == nil || m.MutedUntil.After(now))
}

// bannedAt reports whether the ban holds at now.
func (m Moderation) bannedAt(now time.Time) bool {
	return m.Banned && (m.BannedUntil == nil || m.BannedUntil.After(now))
}

// ChatQuery selects chat history: messages whose offset into the session
// is in [FromMS, ToMS) (ToMS 0 for no end), after the message Cursor.
type ChatQuery struct {
	FromMS int64
	ToMS   int64
	Cursor string
	Limit  int
}

// QuestionQuery selects questions; Status "" for all.
type QuestionQuery struct {
	Status string
	Cursor string
	Limit  int
}

// QuestionChange is an answer or a pin to store; nil fields stay.
type QuestionChange struct {
	Answer *string // marks the question answered with this text
	// Answered marks it answered keeping any answer text (answered on camera).
	Answered   bool
	Pinned     *bool
	AnsweredBy string
	At         time.Time
}
