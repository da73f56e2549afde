package order

import (
	"context"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

// AutoCompleteAfter is how long after delivery a buyer who has not
// confirmed receipt is taken to have received the order, as marketplaces
// do; an open refund request holds it back.
const AutoCompleteAfter = 7 * 24 * time.Hour

// AutoComplete confirms receipt of the orders delivered more than
// AutoCompleteAfter ago that have no open refund request, and reports how
// many it completed.
func (s *Service) AutoComplete(ctx context.Context, limit int) (int, error) {
	due, err := s.repo.DeliveredBefore(ctx, s.now().UTC().Add(-AutoCompleteAfter), limit)
	if err != nil {
		return 0, fmt.Errorf("order: delivered orders: %w", err)
	}
	n := 0
	for _, id := range due {
		o, err := s.repo.OrderByID(ctx, id)
		if err != nil {
			return n, err
		}
		latest := ""
		if r := o.RefundRequest; r != nil {
			if r.Status == RefundOpen {
				continue // the shop answers first
			}
			latest = r.ID
		}
		_, err = s.apply(ctx, o, Completed, "", moveOpts{note: "receipt confirmed automatically after delivery", ifRefundRequest: &latest})
		if apperr.Is(err, apperr.Conflict) {
			continue // completed, or a refund asked for, meanwhile
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
