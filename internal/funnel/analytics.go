package funnel

import (
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/analytics"
)

// UseRecorder sends product opens and buy clicks to analytics as well
// (every accepted event, before the funnel's per-minute deduplication).
// Call it before the service is used; nil sends nothing.
func (s *Service) UseRecorder(r analytics.Recorder) { s.rec = r }

func (s *Service) recordAnalytics(a account.Actor, sessionID string, ev Event, productID string, at time.Time) {
	if s.rec == nil {
		return
	}
	kind := ""
	switch ev.Step {
	case StepProductOpen:
		kind = analytics.KindProductClick
	case StepBuyClick:
		kind = analytics.KindBuyClick
	default:
		return
	}
	s.rec.Record(analytics.Event{Kind: kind, SessionID: sessionID, UserID: a.ID(), ProductID: productID, At: at})
}
