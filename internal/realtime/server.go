package realtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Config gives a Server its dependencies.
type Config struct {
	Rooms Rooms
	Bus   Bus
	Auth  Authenticator
	Log   *slog.Logger
	Now   func() time.Time
	// NodeID names this node in presence reports; random when empty.
	NodeID string
	// Uniques makes the viewer sketches; HLLUniques when nil.
	Uniques Uniques
	// Analytics takes view, like and watch events; nil sends none.
	Analytics Analytics
	// Dashboards feeds operators' dashboard frames; nil sends none.
	Dashboards Dashboards
	Options    Options
	// Limits cap the sockets per client IP, per user and on the node (limits.go).
	Limits Limits
}

// Options tune a Server; zero fields take the defaults in brackets.
type Options struct {
	MaxFrame      int64 // largest client frame in bytes [4096]; larger closes with 1009
	QueueLen      int   // frames a socket may have waiting [512]; more closes it with 4008
	RingLen       int   // events per room kept for resumes [500]
	ReplayMax     int   // events asked of the bus for one resume [2000]
	TickThreshold int   // events a second above which a room switches to ticks and samples chat [200]
	// WriteThreshold is socket writes a second (events × local sockets)
	// above which a room batches on ticks without sampling [20000].
	WriteThreshold int
	Tick           time.Duration // the tick of a busy room [150ms]
	SampleChats    int           // viewers' chats kept per tick in a busy room [20]
	LikesEvery     time.Duration // likes aggregation period [200ms]
	PresenceEvery  time.Duration // presence report and counts period [1s]
	PresenceTTL    time.Duration // reports older than this are dropped [5s]
	CountsRefresh  time.Duration // counts are resent unchanged after this [5s]
	JoinEvery      time.Duration // at most one join notice per room per node in this [1s]
	ChatRate       float64       // chats and questions a second per user [1]
	ChatBurst      int           // [3]
	LikeRate       float64       // like frames a second per connection [10]
	LikeBurst      int           // [20]
	Strikes        int           // non-JSON frames before closing with 4000 [3]
	WriteTimeout   time.Duration // one socket write [10s]
	CloseGrace     time.Duration // a closing handshake's wait before the socket is cut [2s]
	WatchEvery     time.Duration // viewers reported to analytics [10s]
	DashboardEvery time.Duration // operators' dashboard frames [2s]
	// OriginPatterns are extra allowed Origin hosts; the request's own
	// host is always allowed (cookie sessions need this CSRF check).
	OriginPatterns []string
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	dur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.MaxFrame <= 0 {
		o.MaxFrame = 4096
	}
	def(&o.QueueLen, 512)
	def(&o.RingLen, 500)
	def(&o.ReplayMax, 2000)
	def(&o.TickThreshold, 200)
	def(&o.WriteThreshold, 20000)
	def(&o.SampleChats, 20)
	def(&o.ChatBurst, 3)
	def(&o.LikeBurst, 20)
	def(&o.Strikes, 3)
	dur(&o.Tick, 150*time.Millisecond)
	dur(&o.LikesEvery, 200*time.Millisecond)
	dur(&o.PresenceEvery, time.Second)
	dur(&o.PresenceTTL, 5*time.Second)
	dur(&o.CountsRefresh, 5*time.Second)
	dur(&o.JoinEvery, time.Second)
	dur(&o.WriteTimeout, 10*time.Second)
	dur(&o.CloseGrace, 2*time.Second)
	dur(&o.WatchEvery, 10*time.Second)
	dur(&o.DashboardEvery, 2*time.Second)
	if o.ChatRate <= 0 {
		o.ChatRate = 1
	}
	if o.LikeRate <= 0 {
		o.LikeRate = 10
	}
	return o
}

// Server serves the room WebSockets of this node.
type Server struct {
	rooms   Rooms
	bus     Bus
	auth    Authenticator
	log     *slog.Logger
	now     func() time.Time
	node    string
	uniques Uniques
	opt     Options

	analytics  Analytics
	dashboards Dashboards
	limits     *connLimits

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc

	mu     sync.Mutex
	hubs   map[string]*hub
	conns  map[*conn]struct{}
	closed bool
	active sync.WaitGroup // connection handlers
}

// New returns a Server. Rooms, Bus and Auth are required.
func New(c Config) (*Server, error) {
	if c.Rooms == nil || c.Bus == nil || c.Auth == nil {
		return nil, errors.New("realtime: Rooms, Bus and Auth are required")
	}
	s := &Server{rooms: c.Rooms, bus: c.Bus, auth: c.Auth, log: c.Log, now: c.Now, node: c.NodeID,
		uniques: c.Uniques, opt: c.Options.withDefaults(), analytics: c.Analytics, dashboards: c.Dashboards, hubs: map[string]*hub{}, conns: map[*conn]struct{}{},
		limits: newConnLimits(c.Limits)}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.node == "" {
		s.node = randomID("node")
	}
	if s.uniques == nil {
		s.uniques = HLLUniques{}
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// NodeID is this node's name in presence reports.
func (s *Server) NodeID() string { return s.node }

// Close closes every socket with 1001 and waits, until ctx is done, for
// their handlers to return. New connections are refused from now on.
func (s *Server) Close(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.fail(CloseGoingAway, "server shutting down")
	}
	done := make(chan struct{})
	go func() {
		s.active.Wait()
		close(done)
	}()
	defer s.cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("realtime: close: %w", ctx.Err())
	}
}

// acquire returns the room's hub on this node, starting it (and its bus
// subscriptions) for the first connection. Release it with release.
func (s *Server) acquire(roomID string) (*hub, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errClosed
	}
	h := s.hubs[roomID]
	if h == nil {
		var err error
		if h, err = startHub(s, roomID); err != nil {
			return nil, err
		}
		s.hubs[roomID] = h
	}
	h.refs++
	return h, nil
}

// release drops a reference; the last one stops the hub.
func (s *Server) release(h *hub) {
	s.mu.Lock()
	h.refs--
	last := h.refs == 0
	if last {
		delete(s.hubs, h.id)
	}
	s.mu.Unlock()
	if last {
		h.stop()
	}
}

// track registers a connection for Close; false when closing.
func (s *Server) track(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	s.active.Add(1)
	return true
}

func (s *Server) untrack(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.active.Done()
}

var errClosed = errors.New("realtime: server closed")

func randomID(prefix string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return prefix + "_" + hex.EncodeToString(b)
}
