package auction

import (
	"context"
	"fmt"
	"strings"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/room"
)

// Bid places a proxy bid: maxMinor is the most the caller will pay. The bidder
// must be signed in, have a saved address and not run the room. key is
// the request's Idempotency-Key: a bid retried with the same key and maxMinor
// returns the first bid and created=false.
//
// Returns Unauthorized, Invalid (max_minor, Idempotency-Key), NotFound,
// Forbidden for the room's operators, Conflict with field "address" when
// the bidder has no address, "auction" once it has ended, "max_minor"
// naming the minimum when the bid is too low, and "Idempotency-Key" when
// the key was used for another max.
func (s *Service) Bid(ctx context.Context, a account.Actor, auctionID string, maxMinor int64, key string) (Bid, bool, error) {
	if a.Anonymous() {
		return Bid{}, false, apperr.New(apperr.Unauthorized, "sign in first")
	}
	key = strings.TrimSpace(key)
	if key == "" {
		return Bid{}, false, apperr.Field("Idempotency-Key", "the Idempotency-Key header is required")
	}
	if len(key) > MaxKeyLength {
		return Bid{}, false, apperr.Field("Idempotency-Key", "idempotency key must be at most %d characters", MaxKeyLength)
	}
	if maxMinor < 1 || maxMinor > MaxMinor {
		return Bid{}, false, apperr.Field("max_minor", "max_minor must be from 1 to %d", MaxMinor)
	}
	rec, err := s.repo.AuctionByID(ctx, auctionID)
	if err != nil {
		return Bid{}, false, err
	}
	ses, err := s.rooms.Get(ctx, rec.SessionID)
	if err != nil {
		return Bid{}, false, fmt.Errorf("auction: session of %s: %w", auctionID, err)
	}
	if room.CanOperate(a, ses) {
		return Bid{}, false, apperr.New(apperr.Forbidden, "you run this room; you cannot bid in its auctions")
	}
	addrs, err := s.repo.ListAddresses(ctx, a.ID())
	if err != nil {
		return Bid{}, false, fmt.Errorf("auction: addresses of %s: %w", a.ID(), err)
	}
	if len(addrs) == 0 {
		return Bid{}, false, &apperr.Error{Code: apperr.Conflict, Field: "address", Message: "save a shipping address before bidding"}
	}

	bidID := ids.New("bid")
	stored, created, err := s.repo.PlaceAuctionBid(ctx, auctionID, a.ID(), key, func(r Record) (Record, BidRecord, error) {
		// The clock is read under the auction's lock, so the end checked
		// here and the extension are those of the bids' real order.
		now := s.now().UTC()
		if r.Status != Running || !now.Before(r.EndsAt) {
			return r, BidRecord{}, &apperr.Error{Code: apperr.Conflict, Field: "auction", Message: "the auction has ended"}
		}
		st, err := r.Rules().Apply(r.State(), a.ID(), maxMinor)
		if err != nil {
			return r, BidRecord{}, err
		}
		r.SetState(st)
		r.EndsAt = Extend(r.EndsAt, now)
		r.UpdatedAt = now
		return r, BidRecord{ID: bidID, AuctionID: r.ID, UserID: a.ID(), Seq: st.Bids, MaxMinor: maxMinor, PriceMinor: st.Price,
			Leads: st.LeaderID == a.ID(), IdempotencyKey: key, CreatedAt: now}, nil
	})
	if err != nil {
		return Bid{}, false, err
	}
	if !created && stored.MaxMinor != maxMinor {
		return Bid{}, false, &apperr.Error{Code: apperr.Conflict, Field: "Idempotency-Key",
			Message: fmt.Sprintf("this idempotency key was used for a bid of max_minor %d", stored.MaxMinor)}
	}
	cur, err := s.repo.AuctionByID(ctx, auctionID)
	if err != nil {
		return Bid{}, false, err
	}
	pub := cur.Public()
	if created {
		s.emit(cur.SessionID, EventBid, pub)
	}
	return Bid{ID: stored.ID, AuctionID: stored.AuctionID, Seq: stored.Seq, MaxMinor: stored.MaxMinor, PriceMinor: stored.PriceMinor,
		CreatedAt: stored.CreatedAt, YouLead: cur.LeaderID == a.ID(),
		Auction: pub}, created, nil
}
