package room

import (
	"context"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
)

// Roles of the people in a room, from the account: a client cannot claim one.
const (
	RoleAnonymous = "anonymous"
	RoleViewer    = "viewer"
	RoleHost      = "host"
	RoleOperator  = "operator" // the shop's owner or staff
	RoleAdmin     = "admin"
)

// Participant is someone in a room as the room's rules see them. Name and
// Role come from the account, never from the client, so nobody can pass
// for the host.
type Participant struct {
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	Muted      bool       `json:"muted"`
	MutedUntil *time.Time `json:"muted_until,omitempty"`
}

// SignedIn reports whether the participant has an account.
func (p Participant) SignedIn() bool { return p.UserID != "" && p.Role != RoleAnonymous }

// Exempt reports whether slow mode and the keyword filter pass the
// participant by: the host, the shop's team and admins run the room.
func (p Participant) Exempt() bool { return exemptRole(p.Role) }

func exemptRole(role string) bool {
	return role == RoleHost || role == RoleOperator || role == RoleAdmin
}

// roleIn decides a's role in a room of shopID hosted by hostID ("" for
// none): admin first, then the session's host, the shop's team, anyone
// signed in, and otherwise anonymous.
func roleIn(a account.Actor, shopID, hostID string) string {
	switch {
	case a.Anonymous():
		return RoleAnonymous
	case a.IsAdmin():
		return RoleAdmin
	case hostID != "" && a.ID() == hostID:
		return RoleHost
	case a.ShopRole(shopID) != "":
		return RoleOperator
	}
	return RoleViewer
}

// Participant resolves who a is in a room: their role and whether they
// are muted. Forbidden when they are banned from it, NotFound for an
// unknown room.
func (s *Service) Participant(ctx context.Context, a account.Actor, roomID string) (Participant, error) {
	g, err := s.repo.RoomGate(ctx, roomID, a.ID())
	if err != nil {
		return Participant{}, fmt.Errorf("room: participant in %s: %w", roomID, err)
	}
	p := Participant{Role: roleIn(a, g.ShopID, g.HostID)}
	if a.Anonymous() {
		return p, nil
	}
	p.UserID, p.Name = a.ID(), a.User.DisplayName
	if p.Exempt() {
		return p, nil
	}
	now := s.now()
	if g.Moderation.bannedAt(now) {
		return Participant{}, apperr.New(apperr.Forbidden, "you are banned from this room")
	}
	if g.Moderation.mutedAt(now) {
		p.Muted, p.MutedUntil = true, g.Moderation.MutedUntil
	}
	return p, nil
}
