package draw

import (
	"context"
	"fmt"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/order"
)

// Claim turns the actor's prize into a zero-price, paid award order
// shipped to addressID (empty: their default address). A winner claims
// once, within the claim window. Returns Forbidden for someone who did
// not win, Conflict (field draw) before the draw is drawn, when the prize
// was already claimed or the window closed, Unavailable when this server
// makes no award orders, and the order service's errors (an unknown
// address: Invalid with field address_id).
func (s *Service) Claim(ctx context.Context, a account.Actor, id, addressID string) (order.Order, error) {
	if a.Anonymous() {
		return order.Order{}, apperr.New(apperr.Unauthorized, "sign in first")
	}
	d, err := s.repo.Draw(ctx, id)
	if err != nil {
		return order.Order{}, err
	}
	refuse := func(format string, args ...any) error {
		return &apperr.Error{Code: apperr.Conflict, Field: "draw", Message: fmt.Sprintf(format, args...)}
	}
	if d.Status != Drawn {
		return order.Order{}, refuse("the draw has not been drawn yet")
	}
	w, ok := d.winner(a.ID())
	if !ok {
		return order.Order{}, apperr.New(apperr.Forbidden, "only the draw's winners can claim its prize")
	}
	switch {
	case w.OrderID != "":
		return order.Order{}, refuse("you already claimed this prize: order %s", w.OrderID)
	case w.Forfeited:
		return order.Order{}, refuse("the claim window closed; the prize went back to the shop")
	}
	now := s.now().UTC()
	if d.ClaimUntil != nil && now.After(*d.ClaimUntil) {
		return order.Order{}, refuse("the claim window closed at %s", d.ClaimUntil.Format("2006-01-02 15:04 MST"))
	}
	if s.awards == nil {
		return order.Order{}, apperr.New(apperr.Unavailable, "prizes cannot be claimed on this server")
	}
	// Marking the claim first keeps the prize from being forfeited while
	// its order is being made.
	marked, err := s.repo.StartPrizeClaim(ctx, id, a.ID(), now)
	if err != nil {
		return order.Order{}, fmt.Errorf("draw: claim %s: %w", id, err)
	}
	if !marked {
		return order.Order{}, refuse("this prize can no longer be claimed")
	}
	o, err := s.awards.PlaceAward(ctx, order.AwardInput{UserID: a.ID(), SKUID: d.SKUID, Quantity: d.Quantity, UnitPriceMinor: 0,
		AddressID: addressID, RoomID: d.SessionID, Ref: "draw:" + id + ":" + a.ID()})
	if err != nil {
		if refused(err) {
			// Nothing was made (no address, say): the winner may try again,
			// and the prize may be forfeited at the end of the window.
			if aerr := s.repo.AbandonPrizeClaim(ctx, id, a.ID()); aerr != nil {
				s.log.Warn("draw: abandon claim", "draw", id, "user", a.ID(), "err", aerr)
			}
			return order.Order{}, err
		}
		return order.Order{}, fmt.Errorf("draw: claim %s: %w", id, err)
	}
	if err := s.repo.SetPrizeOrder(ctx, id, a.ID(), o.ID); err != nil {
		return order.Order{}, fmt.Errorf("draw: claim %s: %w", id, err)
	}
	s.log.Info("draw prize claimed", "draw", id, "user", a.ID(), "order", o.ID)
	return o, nil
}

// refused reports whether err is the order service refusing a request, as
// opposed to failing while making it (when an order may exist).
func refused(err error) bool {
	switch apperr.CodeOf(err) {
	case apperr.Invalid, apperr.NotFound, apperr.Conflict, apperr.Forbidden, apperr.Unauthorized:
		return true
	}
	return false
}
