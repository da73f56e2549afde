package rtmp

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/media"
)

// testGate is a media.Gate that maps stream keys to rooms and records what
// the hub tells it.
type testGate struct {
	mu      sync.Mutex
	keys    map[string]string
	started []string
	stopped []string
}

func (g *testGate) Authorize(_ context.Context, key string, _ media.Protocol) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if room, ok := g.keys[key]; ok {
		return room, nil
	}
	return "", apperr.New(apperr.Unauthorized, "unknown stream key")
}

func (g *testGate) Started(_ context.Context, roomID string, _ media.Protocol) error {
	g.mu.Lock()
	g.started = append(g.started, roomID)
	g.mu.Unlock()
	return nil
}

func (g *testGate) Stopped(roomID string, _ bool) {
	g.mu.Lock()
	g.stopped = append(g.stopped, roomID)
	g.mu.Unlock()
}

func (g *testGate) calls() (started, stopped []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.started), slices.Clone(g.stopped)
}

// syncBuffer collects log output from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// collector subscribes to every stream the hub starts and keeps its frames.
type collector struct {
	mu     sync.Mutex
	frames map[string][]*media.Frame
	got    chan struct{} // signalled on every frame
}

func newCollector(h *media.Hub) *collector {
	c := &collector{frames: map[string][]*media.Frame{}, got: make(chan struct{}, 1)}
	h.OnStream(func(s *media.Stream) {
		r := s.Subscribe(media.HLS, 4096, true)
		for f := range r.C() {
			c.mu.Lock()
			c.frames[s.RoomID] = append(c.frames[s.RoomID], f)
			c.mu.Unlock()
			select {
			case c.got <- struct{}{}:
			default:
			}
		}
	})
	return c
}

func (c *collector) of(room string) []*media.Frame {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.frames[room])
}

// acceptClock remembers when the listener accepted its first connection,
// to measure connect → first frame.
type acceptClock struct {
	net.Listener
	mu    sync.Mutex
	first time.Time
}

func (l *acceptClock) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.mu.Lock()
		if l.first.IsZero() {
			l.first = time.Now()
		}
		l.mu.Unlock()
	}
	return c, err
}

func (l *acceptClock) firstAccept() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.first
}

type harness struct {
	hub    *media.Hub
	gate   *testGate
	frames *collector
	logs   *syncBuffer
	ln     *acceptClock
	addr   string
	// shutdown ends Serve and waits for it; the test's cleanup calls it too.
	shutdown func()
}

type harnessOpts struct {
	noPrecheck bool
	stall      time.Duration
}

// newHarness runs a Server on a loopback port for the test's lifetime.
func newHarness(t *testing.T, o harnessOpts) *harness {
	t.Helper()
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	gate := &testGate{keys: map[string]string{"sk_live_one": "room1", "sk_live_two": "room2"}}
	hub := media.NewHub(gate, log, time.Now)
	h := &harness{hub: hub, gate: gate, frames: newCollector(hub), logs: logs}
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.ln = &acceptClock{Listener: raw}
	h.addr = raw.Addr().String()
	cfg := Config{Hub: hub, Log: log, StallTimeout: o.stall, Now: time.Now}
	if !o.noPrecheck {
		cfg.Keys = gate
	}
	srv := New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, h.ln) }()
	h.shutdown = sync.OnceFunc(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Serve did not return after its context ended")
		}
	})
	t.Cleanup(func() {
		h.shutdown()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return h
}

func (h *harness) url(key string) string { return "rtmp://" + h.addr + "/live/" + key }

// waitFor polls cond until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ffmpegPublish returns an ffmpeg that publishes the standard test pattern
// and tone to url for seconds seconds, in real time.
func ffmpegPublish(ctx context.Context, t *testing.T, url string, seconds string) *exec.Cmd {
	t.Helper()
	path, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatal("ffmpeg is not installed: `make test` installs it (scripts/install-deps.sh)")
	}
	return exec.CommandContext(ctx, path, "-hide_banner", "-loglevel", "error", "-nostdin",
		"-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
		"-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
		"-t", seconds, "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
		"-c:a", "aac", "-f", "flv", url)
}
