package funnel

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/analytics"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/room"
)

// Defaults of the write buffer.
const (
	DefaultFlushEvery  = 500 * time.Millisecond
	DefaultBatchSize   = 500
	DefaultMaxBuffered = 50_000
	// writeTimeout bounds one batch's transaction.
	writeTimeout = 10 * time.Second
)

// Config gives a Service its dependencies. Repo and Rooms are required;
// the buffer settings default to DefaultFlushEvery, DefaultBatchSize and
// DefaultMaxBuffered.
type Config struct {
	Repo  Repo
	Rooms Rooms
	Now   func() time.Time
	Log   *slog.Logger
	// FlushEvery is how often buffered events are written.
	FlushEvery time.Duration
	// BatchSize is how many waiting events trigger a write before the
	// tick, and the most rows one transaction writes.
	BatchSize int
	// MaxBuffered bounds the events waiting; more are dropped and counted.
	MaxBuffered int
}

// Stats are the buffer's counters since the service started.
type Stats struct {
	Pending int   `json:"pending"` // waiting to be written
	Written int64 `json:"written"` // stored (new rows; duplicates are not counted)
	Dropped int64 `json:"dropped"` // refused because the buffer was full
	Failed  int64 `json:"failed"`  // lost because their write failed
}

// Service records funnel events and reports a room's funnel.
//
// Lifecycle: NewService starts the background writer; Close stops it and
// writes what is still buffered. Call Close after the HTTP server has
// stopped taking requests; Record after Close is refused (Unavailable).
type Service struct {
	repo     Repo
	rooms    Rooms
	sessions *sessionCache // for Record
	rec      analytics.Recorder
	log      *slog.Logger
	now      func() time.Time
	every    time.Duration
	batch    int

	buf      *buffer
	kick     chan struct{} // a batch is ready
	flushing chan struct{} // held by the one flush writing
	written  atomic.Int64
	failed   atomic.Int64

	stop      chan struct{}
	done      sync.WaitGroup
	closeOnce sync.Once
}

// NewService returns a funnel service with its background writer running.
func NewService(c Config) *Service {
	s := &Service{repo: c.Repo, rooms: c.Rooms, log: c.Log, now: c.Now, every: c.FlushEvery, batch: c.BatchSize,
		kick: make(chan struct{}, 1), flushing: make(chan struct{}, 1), stop: make(chan struct{})}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.every <= 0 {
		s.every = DefaultFlushEvery
	}
	if s.batch <= 0 {
		s.batch = DefaultBatchSize
	}
	limit := c.MaxBuffered
	if limit <= 0 {
		limit = DefaultMaxBuffered
	}
	s.buf = newBuffer(limit)
	s.sessions = newSessionCache(c.Rooms, s.now)
	s.done.Go(s.run)
	return s
}

// Record counts a step of a viewer of a session: a signed-in actor is
// the viewer, otherwise ev.AnonID names them. It returns once the event
// is buffered, never waiting for the database; an event the full buffer
// cannot take is dropped (Stats.Dropped) without an error.
//
// Returns Invalid with field step, anon_id or product_id (product_id is
// required for product_open and buy_click and must be on the shelf),
// NotFound for an unknown session, Unavailable after Close.
func (s *Service) Record(ctx context.Context, a account.Actor, sessionID string, ev Event) error {
	if err := checkStep(ev.Step); err != nil {
		return err
	}
	viewer, err := viewerKey(a, ev.AnonID)
	if err != nil {
		return err
	}
	ses, err := s.sessions.get(ctx, sessionID)
	if err != nil {
		return err
	}
	product, err := productOf(ev, ses)
	if err != nil {
		return err
	}
	at := s.now().UTC()
	pending, ok := s.buf.add(Row{SessionID: ses.ID, Viewer: viewer, Step: ev.Step, ProductID: product,
		Minute: at.Unix() / 60, At: at})
	if !ok {
		return apperr.New(apperr.Unavailable, "the server is shutting down")
	}
	s.recordAnalytics(a, ses.ID, ev, product, at)
	if pending >= s.batch {
		select {
		case s.kick <- struct{}{}:
		default: // a write is already due
		}
	}
	return nil
}

// Funnel reports a session's funnel to whoever may operate it
// (room.CanOperate). Events buffered until now are written first, so
// they count. Returns Unauthorized, Forbidden or NotFound.
func (s *Service) Funnel(ctx context.Context, a account.Actor, sessionID string) (Funnel, error) {
	if a.Anonymous() {
		return Funnel{}, apperr.New(apperr.Unauthorized, "sign in first")
	}
	ses, err := s.rooms.Get(ctx, sessionID)
	if err != nil {
		return Funnel{}, err
	}
	if !room.CanOperate(a, ses) {
		return Funnel{}, apperr.New(apperr.Forbidden, "only the shop's team or the session's host can see its funnel")
	}
	if err := s.Flush(ctx); err != nil && ctx.Err() != nil {
		return Funnel{}, err
	}
	f, err := s.repo.FunnelCounts(ctx, ses.ID)
	if err != nil {
		return Funnel{}, fmt.Errorf("funnel: count %s: %w", ses.ID, err)
	}
	f.SessionID = ses.ID
	f.Conversion = conversion(f.PaidBuyers, f.Views)
	f.PerProduct = byShelf(ses.Products, f.PerProduct)
	return f, nil
}

// byShelf lists the shelf's products in shelf order (with zero counts
// when nothing happened to them), then the others by product id.
func byShelf(shelf []room.ShelfItem, counted []ProductFunnel) []ProductFunnel {
	seen := make(map[string]ProductFunnel, len(counted))
	for _, p := range counted {
		seen[p.ProductID] = p
	}
	out := make([]ProductFunnel, 0, len(shelf)+len(counted))
	for _, it := range shelf {
		p, ok := seen[it.ProductID]
		if !ok {
			p = ProductFunnel{ProductID: it.ProductID, Title: it.Title}
		}
		delete(seen, it.ProductID)
		out = append(out, p)
	}
	rest := make([]ProductFunnel, 0, len(seen))
	for _, p := range seen {
		rest = append(rest, p)
	}
	slices.SortFunc(rest, func(a, b ProductFunnel) int { return cmp.Compare(a.ProductID, b.ProductID) })
	return append(out, rest...)
}

// Flush writes every event buffered before the call, BatchSize rows per
// transaction, waiting for a write already in progress. A batch whose
// write fails is lost (Stats.Failed) and its error returned. Writes are
// not cut short when ctx ends once they have started.
func (s *Service) Flush(ctx context.Context) error {
	select {
	case s.flushing <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.flushing }()
	rows := s.buf.take()
	var first error
	for len(rows) > 0 {
		n := min(len(rows), s.batch)
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
		added, err := s.repo.AddFunnelEvents(wctx, rows[:n])
		cancel()
		if err != nil {
			s.failed.Add(int64(n))
			s.log.Error("funnel: events lost", "events", n, "err", err)
			if first == nil {
				first = fmt.Errorf("funnel: write %d events: %w", n, err)
			}
		}
		s.written.Add(int64(added))
		rows = rows[n:]
	}
	return first
}

// Stats reports the buffer's counters.
func (s *Service) Stats() Stats {
	pending, dropped := s.buf.stats()
	return Stats{Pending: pending, Written: s.written.Load(), Dropped: dropped, Failed: s.failed.Load()}
}

// Close stops the background writer and writes what is buffered.
// Calling it again does nothing.
func (s *Service) Close() {
	s.closeOnce.Do(func() {
		s.buf.close()
		close(s.stop)
		s.done.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		defer cancel()
		s.Flush(ctx) // failures are logged and counted
		if st := s.Stats(); st.Dropped > 0 || st.Failed > 0 {
			s.log.Warn("funnel: events were not stored", "dropped", st.Dropped, "failed", st.Failed)
		}
	})
}

// run writes the buffer every tick, and as soon as a batch is ready.
func (s *Service) run() {
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		case <-s.kick:
		}
		s.Flush(context.Background()) // failures are logged and counted
	}
}
