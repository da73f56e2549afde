package auction

import (
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/money"
)

// The bidding rules, pure: no clock, no storage. Bids are proxy bids: a
// bidder names the most they will pay (their max) and the auction bids
// for them, one increment at a time, only as far as someone else makes it.

// SoftClose is how close to the end a bid must land to extend the
// auction, and how long it then runs after that bid.
const SoftClose = 10 * time.Second

// State is where the bidding stands. LeaderMax and SecondMax are secret:
// only Price and the leader's name are ever shown.
type State struct {
	LeaderID  string // "" until the first bid
	LeaderMax int64
	Price     int64 // the current price: what the leader pays if nobody bids again
	SecondMax int64 // the highest max of anyone but the leader (0: nobody)
	Bids      int   // bids accepted
}

// Rules are an auction's fixed terms.
type Rules struct {
	StartPrice int64
	Increment  int64
	Currency   string // for messages
}

// MinNext is the lowest max a new bid may name: the start price while
// nobody has bid, then the current price plus one increment.
func (r Rules) MinNext(s State) int64 {
	if s.LeaderID == "" {
		return r.StartPrice
	}
	return s.Price + r.Increment
}

// Apply takes userID's bid (their new max) and returns the new state. It
// returns Conflict with Field "max_minor", naming the minimum, when the
// bid is below the minimum next bid, and when the leader names a max not
// above their own.
//
//   - The first bid leads at the start price.
//   - The leader raising their own max only raises the max.
//   - A challenger above the leader's max leads at
//     min(challenger's max, leader's max + increment).
//   - A challenger at or below the leader's max leaves the leader in
//     front at min(leader's max, challenger's max + increment): on a tie
//     the earlier max wins.
func (r Rules) Apply(s State, userID string, bid int64) (State, error) {
	if least := r.MinNext(s); bid < least {
		return s, &apperr.Error{Code: apperr.Conflict, Field: "max_minor",
			Message: fmt.Sprintf("the minimum bid is %s %s (max_minor %d)", money.Format(least, r.Currency), r.Currency, least)}
	}
	next := s
	next.Bids++
	switch {
	case s.LeaderID == "":
		next.LeaderID, next.LeaderMax, next.Price = userID, bid, r.StartPrice
	case s.LeaderID == userID:
		if bid <= s.LeaderMax {
			return s, &apperr.Error{Code: apperr.Conflict, Field: "max_minor",
				Message: fmt.Sprintf("you lead with a maximum of %s %s; a new maximum must be higher", money.Format(s.LeaderMax, r.Currency), r.Currency)}
		}
		next.LeaderMax = bid
	case bid > s.LeaderMax:
		next.LeaderID, next.LeaderMax = userID, bid
		next.SecondMax = s.LeaderMax
		next.Price = min(bid, s.LeaderMax+r.Increment)
	default:
		next.SecondMax = max(s.SecondMax, bid)
		next.Price = min(s.LeaderMax, bid+r.Increment)
	}
	return next, nil
}

// Extend returns the end of an auction after a bid accepted at now: a
// bid in the last SoftClose moves the end to now + SoftClose. The end
// never moves earlier.
func Extend(endsAt, now time.Time) time.Time {
	if endsAt.Sub(now) < SoftClose {
		if later := now.Add(SoftClose); later.After(endsAt) {
			return later
		}
	}
	return endsAt
}

// Placed is an accepted bid, for ClosedForm.
type Placed struct {
	UserID   string
	MaxMinor int64
}

// ClosedForm computes the outcome of accepted bids, in the order they
// were accepted, without replaying Apply: the leader is whoever first
// named the highest max; the price is the start price until a second
// bidder bids, then the second-highest bidder's max plus one increment,
// capped at the leader's max, as it stood after the last bid that was not
// the leader raising their own max (which leaves the price). Tests use it
// to check the outcome of concurrent bids from the stored bid list.
func (r Rules) ClosedForm(bids []Placed) (leader string, price int64) {
	best := map[string]int64{}
	price = r.StartPrice
	for _, b := range bids {
		raise := b.UserID == leader
		best[b.UserID] = max(best[b.UserID], b.MaxMinor)
		if leader == "" || b.MaxMinor > best[leader] {
			leader = b.UserID
		}
		if raise {
			continue
		}
		price = r.StartPrice
		for u, m := range best {
			if u != leader {
				price = max(price, min(best[leader], m+r.Increment))
			}
		}
	}
	return leader, price
}
