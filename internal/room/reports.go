package room

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
)

// Report is a viewer's report of a chat message, for the room's
// operators; Message is the message as it was posted (in the
// operators' list).
type Report struct {
	ID             string       `json:"id"`
	SessionID      string       `json:"session_id"`
	MessageID      string       `json:"message_id"`
	Message        *ChatMessage `json:"message,omitempty"`
	MessageDeleted bool         `json:"message_deleted"`
	ReporterID     string       `json:"reporter_id"`
	ReporterName   string       `json:"reporter_name,omitempty"`
	Reason         string       `json:"reason"`
	CreatedAt      time.Time    `json:"created_at"`
	// SessionTitle names the room, in the platform queue.
	SessionTitle string `json:"session_title,omitempty"`
	// Resolution is set once an admin has dealt with the report.
	Resolution *Resolution `json:"resolution,omitempty"`
}

// ReportInput reports a message.
type ReportInput struct {
	MessageID string `json:"message_id"`
	Reason    string `json:"reason,omitempty"`
}

// Report records that a signed-in viewer reports a chat message of the
// room. Invalid (field message_id or reason), Conflict when they already
// reported it, Unauthorized for nobody.
func (s *Service) Report(ctx context.Context, a account.Actor, roomID string, in ReportInput) (Report, error) {
	if a.Anonymous() {
		return Report{}, apperr.New(apperr.Unauthorized, "sign in first")
	}
	msg := strings.TrimSpace(in.MessageID)
	if msg == "" || len(msg) > 64 {
		return Report{}, apperr.Field("message_id", "message_id is required")
	}
	reason := strings.TrimSpace(in.Reason)
	if utf8.RuneCountInString(reason) > MaxReasonRunes {
		return Report{}, apperr.Field("reason", "reason must be at most %d characters", MaxReasonRunes)
	}
	if _, err := s.repo.RoomGate(ctx, roomID, ""); err != nil {
		return Report{}, err
	}
	r := Report{ID: ids.New("rpt"), SessionID: roomID, MessageID: msg, ReporterID: a.ID(), Reason: reason,
		CreatedAt: s.now().UTC().Truncate(time.Millisecond)}
	if err := s.repo.AddReport(ctx, r); err != nil {
		return Report{}, fmt.Errorf("room: report in %s: %w", roomID, err)
	}
	return r, nil
}

// Reports lists a room's reports newest first, for its operators.
func (s *Service) Reports(ctx context.Context, a account.Actor, roomID, cursor string, limit int) ([]Report, error) {
	if _, err := s.operated(ctx, a, roomID); err != nil {
		return nil, err
	}
	return s.repo.ListReports(ctx, roomID, cursor, limit)
}
