// Package draw runs lucky draws in a live room (docs/SELLING.md): an
// operator puts up a prize (a SKU, some units per winner) for a number of
// winners; viewers who meet the draw's condition enter until the deadline;
// then winners are picked, provably fairly, and each claims the prize as a
// zero-price order.
//
// Fairness is a commitment: at creation the draw takes a secret 32-byte
// seed from crypto/rand and publishes only its SHA-256 (the commitment).
// At the deadline the entrants are sorted by user id and shuffled by a
// Fisher–Yates shuffle driven by HMAC-SHA256(seed, …) (shuffle.go); the
// first ones are the winners and the seed is revealed. Anyone can then
// check with Verify that the seed matches the commitment published before
// anyone entered and that the winners follow from it.
//
// Stock: creating a draw takes winners × quantity units from the SKU (an
// inventory movement with reason catalog.ReasonDraw, ref the draw id);
// prizes nobody can win (fewer entrants than winners) and prizes not
// claimed in the claim window go back to the SKU (catalog.ReasonHoldReturn).
//
// Lifecycle of a draw: open → drawn (status cancelled is reserved). Each
// node runs Service.Run; drawing is a conditional update of the draw from
// open, so however many nodes see a draw due, one draws it.
package draw

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/apperr"
)

// Draw states.
const (
	Open      = "open"
	Drawn     = "drawn"
	Cancelled = "cancelled"
)

// Who may enter a draw.
const (
	Anyone    = "anyone"
	Followers = "followers"
	Keyword   = "keyword"
	Buyers    = "buyers"
)

// followersNote says how followers draws behave where follows are not
// checked (a service without Follows).
const followersNote = "Follows are not checked on this server: anyone signed in may enter a followers draw."

// Limits of a draw.
const (
	MinWinners, MaxWinners     = 1, 100
	MinQuantity, MaxQuantity   = 1, 10
	MinCountdown, MaxCountdown = 10, 600 // seconds
	MaxTitle                   = 60      // characters
	MaxKeyword                 = 30      // characters
	// RecentWindow is how long a drawn draw stays in Recent.
	RecentWindow = 10 * time.Minute
	// DefaultClaimWindow is how long winners have to claim their prize.
	DefaultClaimWindow = 7 * 24 * time.Hour
)

// Draw is a lucky draw as everyone may see it. Seed is empty until the
// draw is drawn; Winners lists the winners in the order they were picked.
type Draw struct {
	ID           string `json:"id"`
	SessionID    string `json:"session_id"`
	ShopID       string `json:"shop_id"`
	ProductID    string `json:"product_id"`
	SKUID        string `json:"sku_id"`
	ProductTitle string `json:"product_title"`
	Title        string `json:"title"`
	// Quantity is the units each winner gets; WinnerCount how many win.
	Quantity    int    `json:"quantity"`
	WinnerCount int    `json:"winner_count"`
	Eligibility string `json:"eligibility"`
	Keyword     string `json:"keyword,omitempty"`
	// EligibilityNote explains an eligibility rule that does not work as
	// its name says (followers, on a server that does not check follows).
	EligibilityNote string `json:"eligibility_note,omitempty"`
	// Commitment is the hex SHA-256 of the seed, published at the start.
	Commitment string `json:"commitment"`
	// Seed is the hex secret, revealed once the draw is drawn.
	Seed     string     `json:"seed,omitempty"`
	Status   string     `json:"status"`
	Entrants int        `json:"entrants"`
	Winners  []Winner   `json:"winners"`
	EndsAt   time.Time  `json:"ends_at"`
	DrawnAt  *time.Time `json:"drawn_at,omitempty"`
	// ClaimUntil is when unclaimed prizes go back to stock.
	ClaimUntil *time.Time `json:"claim_until,omitempty"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
}

// Winner is one winner of a draw; OrderID is set once they claimed.
type Winner struct {
	UserID  string `json:"user_id"`
	Name    string `json:"name"`
	OrderID string `json:"order_id,omitempty"`
	// Forfeited is true when the claim window closed before they claimed.
	Forfeited bool `json:"forfeited,omitempty"`
}

// Entry is a user's entry in a draw.
type Entry struct {
	DrawID    string    `json:"draw_id"`
	UserID    string    `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
}

// Proof is what anyone needs to check a draw (Verify): the seed and its
// commitment, the entrants sorted by user id and the winners in the order
// they were picked.
type Proof struct {
	DrawID      string   `json:"draw_id"`
	Commitment  string   `json:"commitment"`
	Seed        string   `json:"seed"`
	WinnerCount int      `json:"winner_count"`
	Entrants    []string `json:"entrants"`
	Winners     []string `json:"winners"`
}

// CreateInput is a new draw as an operator enters it.
type CreateInput struct {
	Title string `json:"title"`
	SKUID string `json:"sku_id"`
	// Quantity is the units per winner (default 1).
	Quantity         int    `json:"quantity,omitempty"`
	Winners          int    `json:"winners"`
	Eligibility      string `json:"eligibility"`
	Keyword          string `json:"keyword,omitempty"`
	CountdownSeconds int    `json:"countdown_seconds"`
}

// normalise trims the input, fills the defaults and checks every field.
func (in *CreateInput) normalise() error {
	in.Title = strings.TrimSpace(in.Title)
	in.SKUID = strings.TrimSpace(in.SKUID)
	in.Eligibility = strings.TrimSpace(in.Eligibility)
	in.Keyword = strings.TrimSpace(in.Keyword)
	if in.Quantity == 0 {
		in.Quantity = 1
	}
	if in.Eligibility == "" {
		in.Eligibility = Anyone
	}
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		return apperr.Field("title", "title is required")
	case n > MaxTitle:
		return apperr.Field("title", "title must be at most %d characters", MaxTitle)
	}
	if in.SKUID == "" {
		return apperr.Field("sku_id", "sku_id is required")
	}
	if in.Quantity < MinQuantity || in.Quantity > MaxQuantity {
		return apperr.Field("quantity", "quantity must be between %d and %d per winner", MinQuantity, MaxQuantity)
	}
	if in.Winners < MinWinners || in.Winners > MaxWinners {
		return apperr.Field("winners", "winners must be between %d and %d", MinWinners, MaxWinners)
	}
	switch in.Eligibility {
	case Anyone, Followers, Buyers:
		if in.Keyword != "" {
			return apperr.Field("keyword", "a keyword is only for eligibility keyword")
		}
	case Keyword:
		switch n := utf8.RuneCountInString(in.Keyword); {
		case n == 0:
			return apperr.Field("keyword", "a keyword draw needs a keyword")
		case n > MaxKeyword:
			return apperr.Field("keyword", "keyword must be at most %d characters", MaxKeyword)
		}
	default:
		return apperr.Field("eligibility", "eligibility must be anyone, followers, keyword or buyers")
	}
	if in.CountdownSeconds < MinCountdown || in.CountdownSeconds > MaxCountdown {
		return apperr.Field("countdown_seconds", "countdown_seconds must be between %d and %d", MinCountdown, MaxCountdown)
	}
	return nil
}

// public returns d as the world may see it: the seed only once drawn,
// and the note of an eligibility rule not enforced as named (followers,
// when followsChecked is false).
func (d Draw) public(followsChecked bool) Draw {
	if d.Status != Drawn {
		d.Seed = ""
	}
	if d.Eligibility == Followers && !followsChecked {
		d.EligibilityNote = followersNote
	}
	if d.Winners == nil {
		d.Winners = []Winner{}
	}
	return d
}

// winner returns the winner row of userID.
func (d Draw) winner(userID string) (Winner, bool) {
	for _, w := range d.Winners {
		if w.UserID == userID {
			return w, true
		}
	}
	return Winner{}, false
}
