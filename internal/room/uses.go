package room

import (
	"time"

	"github.com/liveshop/liveshop/internal/analytics"
)

// UseRecorder sends session starts to analytics. Call it before the
// service is used; nil sends nothing.
func (s *Service) UseRecorder(r analytics.Recorder) {
	if r != nil {
		s.rec.Store(&r)
	}
}

// recordStart reports a session's first start: a publisher reconnecting
// finds started_at already set to an earlier time.
func (s *Service) recordStart(ses Session, at time.Time) {
	rec := s.rec.Load()
	if rec == nil || ses.StartedAt == nil || ses.StartedAt.UnixMilli() != at.UnixMilli() {
		return
	}
	(*rec).Record(analytics.Event{Kind: analytics.KindSessionStarted, SessionID: ses.ID, At: at})
}

// UseRecordings sets the recorder after construction, for a recorder that
// needs the media engine, which needs this service first. Call it before
// the service is used.
func (s *Service) UseRecordings(r Recordings) {
	if r != nil {
		s.recs = r
	}
}
