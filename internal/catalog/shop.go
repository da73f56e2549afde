// Package catalog holds shops (and their onboarding), products, SKUs,
// images and inventory.
package catalog

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/apperr"
)

// Shop statuses: a merchant applies, an admin approves or rejects.
const (
	ShopPending  = "pending"
	ShopApproved = "approved"
	ShopRejected = "rejected"
)

// Programme is a fee schedule a shop sells under.
type Programme struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	Description    string `json:"description"`
	PlatformFeeBPS int    `json:"platform_fee_bps"`
}

// Shop is a merchant's store.
type Shop struct {
	ID             string     `json:"id"`
	OwnerID        string     `json:"owner_id"`
	Name           string     `json:"name"`
	Description    string     `json:"description"`
	Category       string     `json:"category"`
	Region         string     `json:"region"`
	County         string     `json:"county"`
	Programme      string     `json:"programme"`
	FeeOverrideBPS *int       `json:"fee_override_bps,omitempty"`
	Status         string     `json:"status"`
	RejectReason   string     `json:"reject_reason,omitempty"`
	ReviewedAt     *time.Time `json:"reviewed_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
}

// PlatformFeeBPS is the fee the platform takes on this shop's sales: the
// shop's override when set, else its programme's rate.
func (s Shop) PlatformFeeBPS(p Programme) int {
	if s.FeeOverrideBPS != nil {
		return *s.FeeOverrideBPS
	}
	return p.PlatformFeeBPS
}

// Categories shops and products may use.
var Categories = []string{"food", "fresh_produce", "fashion", "beauty", "home", "electronics", "crafts", "health", "kids", "other"}

func validCategory(c string) bool {
	for _, k := range Categories {
		if k == c {
			return true
		}
	}
	return false
}

// ShopApplication is what a merchant submits to open a shop.
type ShopApplication struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Category    string `json:"category"`
	Region      string `json:"region"`
	County      string `json:"county"`
	Programme   string `json:"programme"`
}

// Validate checks an application; programmes is the set of known codes.
func (a *ShopApplication) Validate(programmes map[string]Programme) error {
	a.Name = strings.TrimSpace(a.Name)
	a.Region = strings.TrimSpace(a.Region)
	a.County = strings.TrimSpace(a.County)
	a.Description = strings.TrimSpace(a.Description)
	switch {
	case a.Name == "":
		return apperr.Field("name", "business name is required")
	case utf8.RuneCountInString(a.Name) > 80:
		return apperr.Field("name", "business name must be at most 80 characters")
	case !validCategory(a.Category):
		return apperr.Field("category", "category must be one of %s", strings.Join(Categories, ", "))
	case a.Region == "":
		return apperr.Field("region", "region is required")
	case utf8.RuneCountInString(a.Region) > 80 || utf8.RuneCountInString(a.County) > 80:
		return apperr.Field("region", "region and county must be at most 80 characters")
	case utf8.RuneCountInString(a.Description) > 2000:
		return apperr.Field("description", "description must be at most 2000 characters")
	}
	if a.Programme == "" {
		a.Programme = "standard"
	}
	p, ok := programmes[a.Programme]
	if !ok {
		return apperr.Field("programme", "unknown programme %q", a.Programme)
	}
	if p.Code == "rural" && a.County == "" {
		return apperr.Field("county", "the rural programme needs the county the farm is in")
	}
	return nil
}

// ShopUpdate changes a shop's profile; nil fields stay as they are.
type ShopUpdate struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
}

// ShopFilter selects shops.
type ShopFilter struct {
	Status   string
	MemberID string // shops where this user is owner or staff
	Cursor   string
	Limit    int
}

// Member is a user's role in a shop.
type Member struct {
	UserID      string    `json:"user_id"`
	Email       string    `json:"email"`
	DisplayName string    `json:"display_name"`
	Role        string    `json:"role"`
	CreatedAt   time.Time `json:"created_at"`
}

// Invitation asks someone, by email, to join a shop's staff.
type Invitation struct {
	ID        string    `json:"id"`
	ShopID    string    `json:"shop_id"`
	ShopName  string    `json:"shop_name,omitempty"`
	Email     string    `json:"email"`
	Role      string    `json:"role"`
	Status    string    `json:"status"`
	InvitedBy string    `json:"invited_by"`
	CreatedAt time.Time `json:"created_at"`
}
