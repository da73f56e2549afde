package room

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
)

// The platform moderation queue: viewers' reports of chat messages from
// every room, for platform admins. Resolving a report reuses the room's
// own audited moderation (DeleteChat, Moderate), so the room's operators
// see the admin's actions in their moderation log as well.

// Resolutions an admin can give a report.
const (
	ResolveDismiss = "dismiss" // the message stays
	ResolveDelete  = "delete"  // the message is deleted from the room
)

// Resolution records how and by whom a report was dealt with. Banned
// says whether the author was also banned from the room.
type Resolution struct {
	Action string    `json:"action"`
	Banned bool      `json:"banned"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// ResolveInput resolves a report: dismiss it, or delete the message and
// optionally ban its author from the room (until lifted).
type ResolveInput struct {
	Action string `json:"action"`
	Ban    bool   `json:"ban,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// ReportQueue stores the platform queue's side of reports.
type ReportQueue interface {
	// OpenReports lists unresolved reports from every room newest first,
	// before cursor, each with its message, room title and reporter.
	OpenReports(ctx context.Context, cursor string, limit int) ([]Report, error)
	// ReportByID returns a report with its message and resolution.
	ReportByID(ctx context.Context, id string) (Report, error)
	// ResolveReports resolves every open report of messageID with res and
	// returns how many it resolved.
	ResolveReports(ctx context.Context, messageID string, res Resolution) (int, error)
}

func requirePlatformAdmin(a account.Actor) error {
	if a.Anonymous() {
		return apperr.New(apperr.Unauthorized, "sign in first")
	}
	if !a.IsAdmin() {
		return apperr.New(apperr.Forbidden, "only platform admins can do this")
	}
	return nil
}

// OpenReports lists the platform queue newest first; admins only.
func (s *Service) OpenReports(ctx context.Context, a account.Actor, cursor string, limit int) ([]Report, error) {
	if err := requirePlatformAdmin(a); err != nil {
		return nil, err
	}
	return s.repo.OpenReports(ctx, cursor, limit)
}

// ResolveReport deals with a report; admins only. Deleting goes through
// DeleteChat and banning through Moderate, so both are audited in the
// room's moderation log and reach the room's viewers in real time. The
// ban runs first: when the author cannot be banned (the host, the shop's
// team) nothing is changed. All open reports of the message leave the
// queue together. Conflict when the report was already resolved.
func (s *Service) ResolveReport(ctx context.Context, a account.Actor, id string, in ResolveInput) (Report, error) {
	if err := requirePlatformAdmin(a); err != nil {
		return Report{}, err
	}
	switch in.Action {
	case ResolveDismiss:
		if in.Ban {
			return Report{}, apperr.Field("ban", "ban goes with deleting the message, not with dismissing the report")
		}
	case ResolveDelete:
	default:
		return Report{}, apperr.Field("action", "action must be dismiss or delete")
	}
	reason := strings.TrimSpace(in.Reason)
	if utf8.RuneCountInString(reason) > MaxReasonRunes {
		return Report{}, apperr.Field("reason", "reason must be at most %d characters", MaxReasonRunes)
	}
	r, err := s.repo.ReportByID(ctx, id)
	if err != nil {
		return Report{}, err
	}
	if r.Resolution != nil {
		return Report{}, apperr.New(apperr.Conflict, "report %s was already resolved (%s)", id, r.Resolution.Action)
	}
	if in.Ban {
		if r.Message == nil {
			return Report{}, fmt.Errorf("room: report %s has no message", id)
		}
		_, err := s.Moderate(ctx, a, r.SessionID, ModerationInput{Action: ActionBan, UserID: r.Message.UserID, Reason: reason})
		if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid {
			return Report{}, apperr.Field("ban", "%s", e.Message)
		}
		if err != nil {
			return Report{}, err
		}
	}
	if in.Action == ResolveDelete {
		if err := s.DeleteChat(ctx, a, r.SessionID, r.MessageID); err != nil {
			return Report{}, err
		}
	}
	res := Resolution{Action: in.Action, Banned: in.Ban, By: a.ID(), At: s.now().UTC().Truncate(time.Millisecond)}
	n, err := s.repo.ResolveReports(ctx, r.MessageID, res)
	if err != nil {
		return Report{}, fmt.Errorf("room: resolve report %s: %w", id, err)
	}
	if n == 0 {
		// Another admin resolved it between our read and now.
		return Report{}, apperr.New(apperr.Conflict, "report %s was already resolved", id)
	}
	s.log.Info("report resolved", "report", id, "room", r.SessionID, "action", in.Action, "ban", in.Ban, "by", a.ID())
	r.Resolution = &res
	r.MessageDeleted = r.MessageDeleted || in.Action == ResolveDelete
	return r, nil
}
