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

// Moderation actions, as the audit log records them.
const (
	ActionMute       = "mute"
	ActionUnmute     = "unmute"
	ActionBan        = "ban"
	ActionUnban      = "unban"
	ActionSlowMode   = "slow_mode"
	ActionDeleteChat = "delete_chat"
)

// ModerationAction is one entry of a room's moderation audit log. UserID
// is the person acted on (mute … unban), MessageID the deleted message,
// SlowModeSeconds the new slow mode; By is the operator's user id.
type ModerationAction struct {
	ID              string     `json:"id"`
	SessionID       string     `json:"session_id"`
	Action          string     `json:"action"`
	UserID          string     `json:"user_id,omitempty"`
	UserName        string     `json:"user_name,omitempty"`
	MessageID       string     `json:"message_id,omitempty"`
	SlowModeSeconds *int       `json:"slow_mode_seconds,omitempty"`
	Minutes         *int       `json:"minutes,omitempty"`
	Until           *time.Time `json:"until,omitempty"`
	Reason          string     `json:"reason"`
	By              string     `json:"by"`
	ByName          string     `json:"by_name,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
}

// ModerationInput mutes, unmutes, bans or unbans someone. Minutes (mute
// and ban only) limits it; without, it holds until lifted.
type ModerationInput struct {
	Action  string `json:"action"`
	UserID  string `json:"user_id"`
	Minutes *int   `json:"minutes,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// SlowModeInput sets a room's slow mode; 0 turns it off.
type SlowModeInput struct {
	Seconds int `json:"seconds"`
}

// checkModeration validates in and returns the trimmed reason.
func checkModeration(in ModerationInput) (string, error) {
	switch in.Action {
	case ActionMute, ActionUnmute, ActionBan, ActionUnban:
	default:
		return "", apperr.Field("action", "action must be mute, unmute, ban or unban")
	}
	if strings.TrimSpace(in.UserID) == "" || len(in.UserID) > 64 {
		return "", apperr.Field("user_id", "user_id is required")
	}
	if in.Minutes != nil {
		if in.Action != ActionMute && in.Action != ActionBan {
			return "", apperr.Field("minutes", "minutes applies to mute and ban only")
		}
		if *in.Minutes < 1 || *in.Minutes > MaxModerationMinutes {
			return "", apperr.Field("minutes", "minutes must be from 1 to %d", MaxModerationMinutes)
		}
	}
	reason := strings.TrimSpace(in.Reason)
	if utf8.RuneCountInString(reason) > MaxReasonRunes {
		return "", apperr.Field("reason", "reason must be at most %d characters", MaxReasonRunes)
	}
	return reason, nil
}

// Moderate mutes, unmutes, bans or unbans a user in a room, for its
// operators. The change and its audit entry are stored together, then a
// moderation event tells the realtime nodes (which close a banned user's
// connections). Invalid (field action, user_id, minutes or reason) for bad
// input, an unknown user, or muting or banning the host or the shop's team.
func (s *Service) Moderate(ctx context.Context, a account.Actor, roomID string, in ModerationInput) (ModerationAction, error) {
	ses, err := s.operated(ctx, a, roomID)
	if err != nil {
		return ModerationAction{}, err
	}
	reason, err := checkModeration(in)
	if err != nil {
		return ModerationAction{}, err
	}
	target, err := s.repo.ActorByUserID(ctx, in.UserID)
	if apperr.Is(err, apperr.NotFound) {
		return ModerationAction{}, apperr.Field("user_id", "user %s does not exist", in.UserID)
	}
	if err != nil {
		return ModerationAction{}, fmt.Errorf("room: moderate in %s: %w", roomID, err)
	}
	host := ""
	if ses.HostID != nil {
		host = *ses.HostID
	}
	if (in.Action == ActionMute || in.Action == ActionBan) && exemptRole(roleIn(target, ses.ShopID, host)) {
		return ModerationAction{}, apperr.Field("user_id", "the host, the shop's team and admins cannot be muted or banned")
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	act := ModerationAction{ID: ids.New("mod"), SessionID: roomID, Action: in.Action, UserID: in.UserID,
		UserName: target.User.DisplayName, Minutes: in.Minutes, Reason: reason, By: a.ID(), ByName: a.User.DisplayName,
		CreatedAt: now}
	if in.Minutes != nil {
		until := now.Add(time.Duration(*in.Minutes) * time.Minute)
		act.Until = &until
	}
	if err := s.repo.Moderate(ctx, act); err != nil {
		return ModerationAction{}, fmt.Errorf("room: moderate in %s: %w", roomID, err)
	}
	s.log.Info("room moderation", "room", roomID, "action", in.Action, "user", in.UserID, "by", a.ID())
	s.emit(roomID, EventModeration, ModerationEvent{Action: in.Action, UserID: in.UserID, Until: act.Until})
	return act, nil
}

// SetSlowMode makes viewers wait seconds (0–300; 0 turns it off) between
// chat messages, for the room's operators; audited and published.
func (s *Service) SetSlowMode(ctx context.Context, a account.Actor, roomID string, seconds int) (Session, error) {
	if _, err := s.operated(ctx, a, roomID); err != nil {
		return Session{}, err
	}
	if seconds < 0 || seconds > MaxSlowModeSeconds {
		return Session{}, apperr.Field("seconds", "seconds must be from 0 to %d", MaxSlowModeSeconds)
	}
	act := ModerationAction{ID: ids.New("mod"), SessionID: roomID, Action: ActionSlowMode, SlowModeSeconds: &seconds,
		By: a.ID(), CreatedAt: s.now().UTC().Truncate(time.Millisecond)}
	if err := s.repo.SetSlowMode(ctx, act); err != nil {
		return Session{}, fmt.Errorf("room: slow mode in %s: %w", roomID, err)
	}
	s.emit(roomID, EventModeration, ModerationEvent{Action: ActionSlowMode, SlowModeSeconds: &seconds})
	return s.repo.LiveSession(ctx, roomID)
}

// ModerationLog lists a room's moderation audit log newest first, for its
// operators.
func (s *Service) ModerationLog(ctx context.Context, a account.Actor, roomID, cursor string, limit int) ([]ModerationAction, error) {
	if _, err := s.operated(ctx, a, roomID); err != nil {
		return nil, err
	}
	return s.repo.ListModerationActions(ctx, roomID, cursor, limit)
}
