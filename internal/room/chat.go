package room

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
)

// Limits of what people post in a room.
const (
	MaxChatRunes         = 200
	MaxAnswerRunes       = 500
	MaxReasonRunes       = 200
	SnapshotChat         = 50  // messages in a snapshot
	SnapshotQuestions    = 100 // open or pinned questions in a snapshot
	MaxSlowModeSeconds   = 300
	MaxModerationMinutes = 7 * 24 * 60
)

// ChatMessage is one line of a room's chat. OffsetMS is its position in
// the recording (or, without one, since the session started), so replays
// play the chat alongside the video.
type ChatMessage struct {
	ID        string    `json:"id"`
	SessionID string    `json:"-"`
	UserID    string    `json:"user_id"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Text      string    `json:"text"`
	OffsetMS  int64     `json:"offset_ms"`
	CreatedAt time.Time `json:"created_at"`
}

// cleanText trims what someone typed and checks it is 1–max characters;
// field names the input in errors.
func cleanText(field, text string, max int) (string, error) {
	t := strings.TrimSpace(text)
	switch n := utf8.RuneCountInString(t); {
	case n == 0:
		return "", apperr.Field(field, "%s is required", field)
	case n > max:
		return "", apperr.Field(field, "%s must be at most %d characters", field, max)
	}
	return t, nil
}

// openForPosting refuses a room that is not live.
func openForPosting(status string) error {
	switch status {
	case Live:
		return nil
	case Scheduled:
		return apperr.New(apperr.Conflict, "this live session has not started")
	}
	return apperr.New(apperr.Conflict, "this live session has ended")
}

// standing refuses a participant who is banned or muted; the host and the
// shop's team are never.
func standing(p Participant, m Moderation, now time.Time) error {
	if p.Exempt() {
		return nil
	}
	if m.bannedAt(now) {
		return apperr.New(apperr.Forbidden, "you are banned from this room")
	}
	if m.mutedAt(now) {
		return apperr.New(apperr.Forbidden, "you are muted in this room")
	}
	return nil
}

// slowModeWait is how long someone who last wrote at last must still wait
// under a slow mode of seconds; 0 when they may write now.
func slowModeWait(seconds int, last *time.Time, now time.Time) time.Duration {
	if seconds <= 0 || last == nil {
		return 0
	}
	if wait := last.Add(time.Duration(seconds) * time.Second).Sub(now); wait > 0 {
		return wait
	}
	return 0
}

func slowModeError(wait time.Duration) error {
	return apperr.New(apperr.RateLimited, "slow mode: wait %d s", int(math.Ceil(wait.Seconds())))
}

// PostChat checks, stores and publishes a chat message from p. Returns
// Unauthorized for anonymous participants, Invalid (field text) for empty
// or long text or a blocked word (nothing is stored then), Conflict when
// the session is not live, Forbidden when p is muted or banned,
// RateLimited under slow mode, NotFound for an unknown room. Slow mode and
// the filter pass the host, the shop's team and admins by.
func (s *Service) PostChat(ctx context.Context, p Participant, roomID, text string) (ChatMessage, error) {
	text, g, now, err := s.admitPost(ctx, p, roomID, text, "chat")
	if err != nil {
		return ChatMessage{}, err
	}
	var notAfter time.Time
	if !p.Exempt() && g.SlowModeSeconds > 0 {
		if wait := slowModeWait(g.SlowModeSeconds, g.LastChatAt, now); wait > 0 {
			return ChatMessage{}, slowModeError(wait)
		}
		notAfter = now.Add(-time.Duration(g.SlowModeSeconds) * time.Second)
	}
	if err := s.screen(ctx, p, g.ShopID, text); err != nil {
		return ChatMessage{}, err
	}
	m := ChatMessage{ID: ids.New("msg"), SessionID: roomID, UserID: p.UserID, Name: p.Name, Role: p.Role, Text: text,
		OffsetMS:  s.offset(Session{ID: roomID, StartedAt: g.StartedAt}, now).Milliseconds(),
		CreatedAt: now.UTC().Truncate(time.Millisecond)}
	stored, err := s.repo.AddChatMessage(ctx, m, notAfter)
	if err != nil {
		return ChatMessage{}, fmt.Errorf("room: chat in %s: %w", roomID, err)
	}
	if !stored { // another node stored this user's previous message a moment ago
		return ChatMessage{}, slowModeError(time.Duration(g.SlowModeSeconds) * time.Second)
	}
	s.emit(roomID, EventChat, m)
	return m, nil
}

// admitPost applies what chat and questions share: a signed-in
// participant, clean text, a live room and a participant neither muted
// nor banned. It returns the cleaned text, the room's gate and the time
// the post is made.
func (s *Service) admitPost(ctx context.Context, p Participant, roomID, text, what string) (string, Gate, time.Time, error) {
	if !p.SignedIn() {
		return "", Gate{}, time.Time{}, apperr.New(apperr.Unauthorized, "sign in to %s", what)
	}
	text, err := cleanText("text", text, MaxChatRunes)
	if err != nil {
		return "", Gate{}, time.Time{}, err
	}
	g, err := s.repo.RoomGate(ctx, roomID, p.UserID)
	if err != nil {
		return "", Gate{}, time.Time{}, fmt.Errorf("room: %s in %s: %w", what, roomID, err)
	}
	now := s.now()
	if err := openForPosting(g.Status); err != nil {
		return "", Gate{}, time.Time{}, err
	}
	if err := standing(p, g.Moderation, now); err != nil {
		return "", Gate{}, time.Time{}, err
	}
	return text, g, now, nil
}

// ChatHistory lists a room's chat oldest first, for replays; public.
// NotFound for an unknown room, Invalid for a bad range.
func (s *Service) ChatHistory(ctx context.Context, roomID string, fromMS, toMS int64, cursor string, limit int) ([]ChatMessage, error) {
	switch {
	case fromMS < 0:
		return nil, apperr.Field("from_ms", "from_ms must not be negative")
	case toMS < 0:
		return nil, apperr.Field("to_ms", "to_ms must not be negative")
	case toMS != 0 && toMS <= fromMS:
		return nil, apperr.Field("to_ms", "to_ms must be after from_ms")
	}
	if _, err := s.repo.RoomGate(ctx, roomID, ""); err != nil {
		return nil, err
	}
	return s.repo.ChatHistory(ctx, roomID, ChatQuery{FromMS: fromMS, ToMS: toMS, Cursor: cursor, Limit: limit})
}

// DeleteChat hides a message from the chat, its history and snapshots,
// for the room's operators; the deletion is audited and published.
// Deleting a deleted message changes nothing. NotFound for a message that
// is not in the room.
func (s *Service) DeleteChat(ctx context.Context, a account.Actor, roomID, messageID string) error {
	if _, err := s.operated(ctx, a, roomID); err != nil {
		return err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	audit := ModerationAction{ID: ids.New("mod"), SessionID: roomID, Action: ActionDeleteChat, MessageID: messageID,
		By: a.ID(), CreatedAt: now}
	changed, err := s.repo.DeleteChatMessage(ctx, messageID, audit)
	if err != nil {
		return fmt.Errorf("room: delete chat in %s: %w", roomID, err)
	}
	if changed {
		s.emit(roomID, EventChatDeleted, ChatDeleted{ID: messageID, By: a.ID()})
	}
	return nil
}
