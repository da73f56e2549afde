package auction

import (
	"context"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/order"
)

// awardRetryAfter is how long after an auction ended a sweep takes over
// an award that the ending node did not record (it stopped, or the order
// service failed): PlaceAward is idempotent by Ref, so a retry racing the
// first attempt still makes one order.
const awardRetryAfter = 30 * time.Second

// sweepBatch bounds the auctions one sweep ends or awards.
const sweepBatch = 100

// Run ends auctions as they come due, every interval, until ctx ends.
// It is safe on many nodes: each ending is a conditional update that only
// one node wins.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.CloseDue(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("auction sweep", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// CloseDue ends every running auction whose end has passed: the winner
// gets an award order at the final price, an auction without bids gives
// its unit back; each ending publishes auction.ended. It then retries
// awards that an earlier sweep, here or on another node, did not record.
func (s *Service) CloseDue(ctx context.Context) error {
	now := s.now().UTC()
	due, err := s.repo.DueAuctions(ctx, now, sweepBatch)
	if err != nil {
		return err
	}
	for _, id := range due {
		r, ok, err := s.repo.EndAuction(ctx, id, now)
		if err != nil {
			return err
		}
		if !ok {
			continue // another node ended it, or a last bid extended it
		}
		if r.LeaderID != "" {
			r = s.award(ctx, r)
		}
		s.emit(r.SessionID, EventEnded, r.Public())
		s.log.Info("auction ended", "auction", r.ID, "room", r.SessionID, "bids", r.Bids, "price", r.CurrentPriceMinor, "order", r.OrderID)
	}
	waiting, err := s.repo.AuctionsAwaitingAward(ctx, now.Add(-awardRetryAfter), sweepBatch)
	if err != nil {
		return err
	}
	for _, r := range waiting {
		if r = s.award(ctx, r); r.OrderID != "" {
			s.emit(r.SessionID, EventEnded, r.Public())
		}
	}
	return nil
}

// award makes the winner's order and records it on r. A refusal that no
// retry can change (the winner has no address, the product is no longer
// sold) is recorded and the unit goes back to the SKU; any other failure
// is left for a later sweep.
func (s *Service) award(ctx context.Context, r Record) Record {
	if s.awards == nil {
		s.log.Error("auction: no award service configured", "auction", r.ID)
		return r
	}
	o, err := s.awards.PlaceAward(ctx, order.AwardInput{UserID: r.LeaderID, SKUID: r.SKUID, Quantity: 1,
		UnitPriceMinor: r.CurrentPriceMinor, RoomID: r.SessionID, Ref: "auction:" + r.ID,
		PaymentWindow: time.Duration(r.PaymentWindowSeconds) * time.Second})
	if err != nil {
		switch apperr.CodeOf(err) {
		case apperr.Invalid, apperr.NotFound, apperr.Conflict, apperr.Forbidden:
			s.log.Warn("auction: winner cannot be awarded; the unit returns", "auction", r.ID, "winner", r.LeaderID, "err", err)
			if _, ferr := s.repo.FailAuctionAward(ctx, r.ID, err.Error(), s.now().UTC()); ferr != nil {
				s.log.Error("auction: record failed award", "auction", r.ID, "err", ferr)
			}
		default:
			s.log.Error("auction: award", "auction", r.ID, "winner", r.LeaderID, "err", err)
		}
		return r
	}
	if err := s.repo.SetAuctionOrder(ctx, r.ID, o.ID, s.now().UTC()); err != nil {
		s.log.Error("auction: record order", "auction", r.ID, "order", o.ID, "err", err)
		return r
	}
	r.OrderID = o.ID
	return r
}
