package room

import "time"

// Room event types on room.{id}.events (docs/REALTIME.md).
const (
	EventChat            = "chat"
	EventChatDeleted     = "chat.deleted"
	EventLikes           = "likes"
	EventQuestion        = "question"
	EventQuestionUpdated = "question.updated"
	EventAnnouncement    = "announcement"
	EventModeration      = "moderation"
	EventExplain         = "explain"
	EventStatus          = "status"
	EventShelf           = "shelf"
)

// ShelfEvent is the data of a shelf event: the whole shelf after a change.
type ShelfEvent struct {
	Products []ShelfItem `json:"products"`
}

// Event is what goes on room.{id}.events: the realtime nodes add the
// envelope's version and sequence number and pass it to the room's
// WebSockets.
type Event struct {
	Type string `json:"type"`
	TS   int64  `json:"ts"` // unix milliseconds
	Data any    `json:"data"`
}

// EventsSubject is the bus subject of a room's events.
func EventsSubject(roomID string) string { return subject(roomID, "events") }

// ChatDeleted is the data of a chat.deleted event: by is the user id of
// the operator who deleted it.
type ChatDeleted struct {
	ID string `json:"id"`
	By string `json:"by"`
}

// ModerationEvent is the data of a moderation event. Until is absent for
// a mute or ban until lifted; SlowModeSeconds is set for slow_mode only.
type ModerationEvent struct {
	Action          string     `json:"action"`
	UserID          string     `json:"user_id,omitempty"`
	Until           *time.Time `json:"until,omitempty"`
	SlowModeSeconds *int       `json:"slow_mode_seconds,omitempty"`
}

// emit publishes an event of type typ on the room's events subject.
func (s *Service) emit(roomID, typ string, data any) {
	s.pub.Publish(EventsSubject(roomID), Event{Type: typ, TS: s.now().UnixMilli(), Data: data})
}
