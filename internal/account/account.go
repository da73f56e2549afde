// Package account holds users, their roles, web sessions and API tokens.
//
// Roles: everybody is a viewer; a user may also be a host (IsHost), a
// platform admin (IsAdmin), an owner or staff member of shops (shop
// memberships) and the manager of MCN agencies. An Actor carries all of
// that for one request so that policies decide without another query.
package account

import (
	"context"
	"time"
)

// User is a person with a sign-in.
type User struct {
	ID          string    `json:"id"`
	Email       string    `json:"email"`
	DisplayName string    `json:"display_name"`
	IsAdmin     bool      `json:"is_admin"`
	IsHost      bool      `json:"is_host"`
	CreatedAt   time.Time `json:"created_at"`
}

// Shop roles.
const (
	ShopOwner = "owner"
	ShopStaff = "staff"
)

// Actor is who is making a request. The zero Actor is an anonymous viewer.
type Actor struct {
	User      *User
	ShopRoles map[string]string // shop id → ShopOwner or ShopStaff
	MCNs      []string          // ids of agencies this user manages
}

// Anonymous reports whether nobody is signed in.
func (a Actor) Anonymous() bool { return a.User == nil }

// ID returns the user id, or "" for anonymous.
func (a Actor) ID() string {
	if a.User == nil {
		return ""
	}
	return a.User.ID
}

// IsAdmin reports whether the actor is a platform admin.
func (a Actor) IsAdmin() bool { return a.User != nil && a.User.IsAdmin }

// ShopRole returns the actor's role in shop, or "".
func (a Actor) ShopRole(shopID string) string { return a.ShopRoles[shopID] }

// ManagesMCN reports whether the actor manages the agency.
func (a Actor) ManagesMCN(mcnID string) bool {
	for _, id := range a.MCNs {
		if id == mcnID {
			return true
		}
	}
	return false
}

// Roles lists the actor's roles for display.
func (a Actor) Roles() []string {
	roles := []string{"viewer"}
	if a.User == nil {
		return roles
	}
	if a.User.IsHost {
		roles = append(roles, "host")
	}
	owner, staff := false, false
	for _, r := range a.ShopRoles {
		owner = owner || r == ShopOwner
		staff = staff || r == ShopStaff
	}
	if owner {
		roles = append(roles, "shop_owner")
	}
	if staff {
		roles = append(roles, "shop_staff")
	}
	if len(a.MCNs) > 0 {
		roles = append(roles, "mcn_manager")
	}
	if a.User.IsAdmin {
		roles = append(roles, "admin")
	}
	return roles
}

// Session is a signed-in browser.
type Session struct {
	TokenHash string
	UserID    string
	CSRFToken string
	ExpiresAt time.Time
	CreatedAt time.Time
}

// APIToken is a bearer token for programs. The secret is shown once.
type APIToken struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// Repo stores accounts. Returns apperr Conflict for a taken email and
// NotFound for missing rows.
type Repo interface {
	CreateUser(ctx context.Context, u User, passwordHash string) error
	UserByEmail(ctx context.Context, email string) (User, string, error)
	SetUserFlags(ctx context.Context, id string, isAdmin, isHost *bool) error
	// SetAdminFlag grants or removes admin rights and writes audit with it.
	SetAdminFlag(ctx context.Context, id string, isAdmin bool, audit AuditEntry) error
	// ListAdminAudit lists admin actions newest first, before cursor.
	ListAdminAudit(ctx context.Context, cursor string, limit int) ([]AuditEntry, error)

	CreateSession(ctx context.Context, s Session) error
	DeleteSession(ctx context.Context, hash string) error

	CreateAPIToken(ctx context.Context, t APIToken, hash string) error
	ListAPITokens(ctx context.Context, userID string) ([]APIToken, error)
	DeleteAPIToken(ctx context.Context, userID, id string) error

	// The Actor* methods load a user with their memberships in one go,
	// from the user id, an API token's hash or a session token's hash.
	ActorByUserID(ctx context.Context, userID string) (Actor, error)
	ActorByTokenHash(ctx context.Context, hash string) (Actor, APIToken, error)
	TouchAPIToken(ctx context.Context, id string, at time.Time) error
	ActorBySessionHash(ctx context.Context, hash string) (Actor, Session, error)
}
