package order

import (
	"github.com/liveshop/liveshop/internal/analytics"
)

// UseRecorder sends orders placed and paid in live rooms to analytics.
// Call it before the service is used; nil sends nothing.
func (s *Service) UseRecorder(r analytics.Recorder) { s.rec = r }

// recordOrder reports each line of o attributed to a room, after the
// order's transaction committed: units, the line total after discounts,
// and Orders = 1 on the order's first line in each room so that orders
// count once.
func (s *Service) recordOrder(kind string, o Order) {
	if s.rec == nil {
		return
	}
	var counted map[string]bool
	for _, l := range o.Lines {
		if l.RoomID == "" {
			continue
		}
		first := int64(0)
		if !counted[l.RoomID] {
			if counted == nil {
				counted = map[string]bool{}
			}
			counted[l.RoomID] = true
			first = 1
		}
		s.rec.Record(analytics.Event{Kind: kind, SessionID: l.RoomID, UserID: o.UserID, ProductID: l.ProductID,
			Count: int64(l.Quantity), AmountMinor: l.LineTotalMinor, Orders: first, Currency: o.Currency, At: s.now()})
	}
}
