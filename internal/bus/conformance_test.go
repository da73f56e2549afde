package bus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"
)

// externalNATS is the machine's NATS server (JetStream enabled) that the
// conformance suite also runs against; the suite skips it when absent.
const externalNATS = "nats://127.0.0.1:4222"

// backend is one Bus implementation under test. node1 and node2 are two
// nodes of the same bus (node2 is nil when there is no second node);
// prefix is the first token of its stream subjects.
type backend struct {
	name         string
	prefix       string
	node1, node2 Bus
}

func randomToken(t testing.TB) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

func backends(t *testing.T) []backend {
	out := []backend{{name: "local", prefix: DefaultSubjectPrefix, node1: NewLocal(quietLog())}}

	// The embedded server listens on a free loopback port so a second node
	// can connect over TCP while node one uses the in-process connection.
	emb, err := StartEmbedded(EmbeddedConfig{StoreDir: t.TempDir(), Listen: "127.0.0.1:0", Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := emb.Shutdown(); err != nil {
			t.Error(err)
		}
	})
	second, err := Connect(t.Context(), emb.ClientURL(), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = second.Close() })
	out = append(out, backend{name: "embedded", prefix: DefaultSubjectPrefix, node1: emb.Bus(), node2: second})

	ext, ext2 := connectExternal(t)
	out = append(out, backend{name: "external", prefix: ext.cfg.SubjectPrefix, node1: ext, node2: ext2})
	return out
}

// connectExternal connects two nodes to the machine's NATS on a stream and
// subject prefix of their own, deleted at the end.
func connectExternal(t *testing.T) (*NATS, *NATS) {
	name := "test_" + randomToken(t)
	cfg := Config{URL: externalNATS, Log: quietLog(), Timeout: 2 * time.Second,
		Stream: StreamConfig{Name: name, SubjectPrefix: name}}
	ext, err := ConnectConfig(t.Context(), cfg)
	if err != nil {
		t.Fatalf("the machine's NATS with JetStream at %s is needed for this suite: %v", externalNATS, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := ext.js.DeleteStream(ctx, name); err != nil {
			t.Errorf("delete test stream: %v", err)
		}
		_ = ext.Close()
	})
	ext2, err := ConnectConfig(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ext2.Close() })
	return ext, ext2
}

// collector records what one subscription receives.
type collector struct {
	mu   sync.Mutex
	msgs []Message
	more chan struct{}
}

func collect(t *testing.T, b Bus, pattern string) (*collector, func()) {
	t.Helper()
	c := &collector{more: make(chan struct{}, 1)}
	unsub, err := b.Subscribe(pattern, func(m Message) {
		c.mu.Lock()
		c.msgs = append(c.msgs, m)
		c.mu.Unlock()
		select {
		case c.more <- struct{}{}:
		default:
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(unsub)
	return c, unsub
}

func (c *collector) snapshot() []Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.msgs)
}

// wait returns the messages once there are n, failing after 5 s; then it
// checks briefly that no unexpected extra message follows.
func (c *collector) wait(t *testing.T, n int) []Message {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for len(c.snapshot()) < n {
		select {
		case <-c.more:
		case <-deadline:
			t.Fatalf("got %d messages, want %d", len(c.snapshot()), n)
		}
	}
	time.Sleep(30 * time.Millisecond)
	got := c.snapshot()
	if len(got) != n {
		t.Fatalf("got %d messages, want exactly %d", len(got), n)
	}
	return got
}

type body struct {
	N int `json:"n"`
}

func numberOf(t *testing.T, m Message) int {
	t.Helper()
	var b body
	if err := json.Unmarshal(m.Data, &b); err != nil {
		t.Fatalf("%s: %q: %v", m.Subject, m.Data, err)
	}
	return b.N
}

func publish(t *testing.T, b Bus, subject string, n int) uint64 {
	t.Helper()
	seq, err := b.PublishCtx(t.Context(), subject, body{N: n})
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

func TestConformance(t *testing.T) {
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			// room gives each case rooms of its own on the shared bus.
			room := func(id string) string { return be.prefix + "." + id + "_" + randomToken(t) }
			cases := []struct {
				name string
				run  func(t *testing.T, be backend, room func(string) string)
			}{
				{"order per publisher", testOrderPerPublisher},
				{"two subscribers get everything", testTwoSubscribers},
				{"wildcards", testWildcards},
				{"seq per subject", testSeqPerSubject},
				{"replay", testReplay},
				{"replay too old", testReplayTooOld},
				{"unsubscribe stops delivery", testUnsubscribe},
				{"second node", testSecondNode},
			}
			for _, c := range cases {
				if c.name == "second node" && be.node2 == nil {
					continue // the in-process bus has no other node to reach
				}
				t.Run(c.name, func(t *testing.T) { c.run(t, be, room) })
			}
		})
	}
}

func testOrderPerPublisher(t *testing.T, be backend, room func(string) string) {
	a := room("a")
	events, _ := collect(t, be.node1, a+".events")
	presence, _ := collect(t, be.node1, a+".presence")
	const n = 200
	for i := range n {
		be.node1.Publish(a+".events", body{N: i})
		be.node1.Publish(a+".presence", body{N: i})
	}
	for _, c := range []struct {
		got    []Message
		stream bool
	}{{events.wait(t, n), true}, {presence.wait(t, n), false}} {
		var last uint64
		for i, m := range c.got {
			if numberOf(t, m) != i {
				t.Fatalf("%s: message %d is %s", m.Subject, i, m.Data)
			}
			if !c.stream && m.Seq != 0 {
				t.Fatalf("core message has seq %d", m.Seq)
			}
			if c.stream && m.Seq <= last {
				t.Fatalf("seq %d after %d", m.Seq, last)
			}
			last = m.Seq
		}
	}
}

func testTwoSubscribers(t *testing.T, be backend, room func(string) string) {
	a := room("a")
	one, _ := collect(t, be.node1, be.prefix+".*.events")
	two, _ := collect(t, be.node1, be.prefix+".*.events")
	for i := range 50 {
		be.node1.Publish(a+".events", body{N: i})
	}
	// Other cases' rooms may publish on the same stream meanwhile; keep
	// this room's messages only.
	mine := func(c *collector) []Message {
		deadline := time.Now().Add(5 * time.Second)
		for {
			var got []Message
			for _, m := range c.snapshot() {
				if m.Subject == a+".events" {
					got = append(got, m)
				}
			}
			if len(got) >= 50 || time.Now().After(deadline) {
				return got
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	gotOne, gotTwo := mine(one), mine(two)
	if len(gotOne) != 50 || len(gotTwo) != 50 {
		t.Fatalf("subscribers got %d and %d of 50", len(gotOne), len(gotTwo))
	}
	for i := range gotOne {
		if numberOf(t, gotOne[i]) != i || gotOne[i].Seq != gotTwo[i].Seq || string(gotOne[i].Data) != string(gotTwo[i].Data) {
			t.Fatalf("message %d differs: %+v / %+v", i, gotOne[i], gotTwo[i])
		}
	}
}

func testWildcards(t *testing.T, be backend, room func(string) string) {
	a, b := room("a"), room("b")
	subjects := []string{a + ".events", b + ".events", a + ".presence", a + ".events.extra"}
	patterns := map[string][]string{
		a + ".events":                           {a + ".events"},
		a + ".*":                                {a + ".events", a + ".presence"},
		a + ".>":                                {a + ".events", a + ".presence", a + ".events.extra"},
		"*." + a[len(be.prefix)+1:] + ".events": {a + ".events"},
		a + ".events.>":                         {a + ".events.extra"},
		b + ".>":                                {b + ".events"},
	}
	collectors := map[string]*collector{}
	for p := range patterns {
		collectors[p], _ = collect(t, be.node1, p)
	}
	for i, s := range subjects {
		be.node1.Publish(s, body{N: i})
	}
	for p, want := range patterns {
		got := collectors[p].wait(t, len(want))
		var subjectsGot []string
		for _, m := range got {
			subjectsGot = append(subjectsGot, m.Subject)
			stream := m.Subject == a+".events" || m.Subject == b+".events"
			if stream != (m.Seq > 0) {
				t.Errorf("%s via %s: seq %d", m.Subject, p, m.Seq)
			}
		}
		sort.Strings(subjectsGot)
		sort.Strings(want)
		if !slices.Equal(subjectsGot, want) {
			t.Errorf("pattern %s got %v, want %v", p, subjectsGot, want)
		}
	}
}

func testSeqPerSubject(t *testing.T, be backend, room func(string) string) {
	a, b := room("a"), room("b")
	got, _ := collect(t, be.node1, a+".events")
	var seqs []uint64
	for i := range 20 {
		seqs = append(seqs, publish(t, be.node1, a+".events", i))
		publish(t, be.node1, b+".events", i)
	}
	if seq := publish(t, be.node1, a+".presence", 0); seq != 0 {
		t.Fatalf("core subject got seq %d", seq)
	}
	for i, m := range got.wait(t, 20) {
		if m.Seq != seqs[i] {
			t.Fatalf("message %d delivered with seq %d, published as %d", i, m.Seq, seqs[i])
		}
		if i > 0 && seqs[i] <= seqs[i-1] {
			t.Fatalf("seq %d after %d", seqs[i], seqs[i-1])
		}
	}
}

func testReplay(t *testing.T, be backend, room func(string) string) {
	a, b := room("a"), room("b")
	if got, err := be.node1.Replay(a+".events", 0, 0); err != nil || len(got) != 0 {
		t.Fatalf("empty subject: %v, %v", got, err)
	}
	var seqs []uint64
	for i := range 10 {
		seqs = append(seqs, publish(t, be.node1, a+".events", i))
		if i%2 == 0 {
			publish(t, be.node1, b+".events", 100+i)
		}
	}
	check := func(after uint64, max int, from, to int) {
		t.Helper()
		got, err := be.node1.Replay(a+".events", after, max)
		if err != nil {
			t.Fatalf("Replay(after %d, max %d): %v", after, max, err)
		}
		if len(got) != to-from {
			t.Fatalf("Replay(after %d, max %d) returned %d messages, want %d", after, max, len(got), to-from)
		}
		for i, m := range got {
			if m.Seq != seqs[from+i] || numberOf(t, m) != from+i || m.Subject != a+".events" {
				t.Fatalf("Replay(after %d) message %d: %+v", after, i, m)
			}
		}
	}
	check(0, 0, 0, 10)
	check(0, 3, 0, 3)
	check(seqs[3], 0, 4, 10)
	check(seqs[3], 2, 4, 6)
	check(seqs[9], 0, 10, 10)
	for _, bad := range []string{a + ".presence", a + ".*"} {
		if _, err := be.node1.Replay(bad, 0, 10); err == nil {
			t.Errorf("Replay(%s) accepted", bad)
		}
	}
	if _, err := be.node1.Replay(a+".presence", 0, 10); !errors.Is(err, ErrNotStream) {
		t.Errorf("Replay(core subject) = %v, want ErrNotStream", err)
	}
}

func testReplayTooOld(t *testing.T, be backend, room func(string) string) {
	a := room("a")
	const extra = 10
	var seqs []uint64
	for i := range DefaultKeepPerSubject + extra {
		seqs = append(seqs, publish(t, be.node1, a+".events", i))
	}
	if _, err := be.node1.Replay(a+".events", seqs[0], 5); !errors.Is(err, ErrTooOld) {
		t.Fatalf("Replay after a dropped message = %v, want ErrTooOld", err)
	}
	if _, err := be.node1.Replay(a+".events", seqs[len(seqs)-1]+1000, 5); !errors.Is(err, ErrTooOld) {
		t.Fatalf("Replay after a seq never handed out = %v, want ErrTooOld", err)
	}
	for _, after := range []uint64{seqs[extra-1], 0} {
		got, err := be.node1.Replay(a+".events", after, 5)
		if err != nil {
			t.Fatalf("Replay(after %d): %v", after, err)
		}
		if len(got) != 5 || got[0].Seq != seqs[extra] || got[4].Seq != seqs[extra+4] {
			t.Fatalf("Replay(after %d) = %d messages from seq %d", after, len(got), got[0].Seq)
		}
	}
	all, err := be.node1.Replay(a+".events", 0, 0)
	if err != nil || len(all) != DefaultKeepPerSubject {
		t.Fatalf("Replay(all) = %d messages, %v; want %d", len(all), err, DefaultKeepPerSubject)
	}
}

func testUnsubscribe(t *testing.T, be backend, room func(string) string) {
	a := room("a")
	for _, pattern := range []string{a + ".events", a + ".presence", a + ".>"} {
		got, unsub := collect(t, be.node1, pattern)
		be.node1.Publish(a+".events", body{N: 1})
		be.node1.Publish(a+".presence", body{N: 1})
		want := 1
		if pattern == a+".>" {
			want = 2
		}
		got.wait(t, want)
		unsub()
		unsub() // twice is harmless
		be.node1.Publish(a+".events", body{N: 2})
		be.node1.Publish(a+".presence", body{N: 2})
		time.Sleep(100 * time.Millisecond)
		if n := len(got.snapshot()); n != want {
			t.Fatalf("%s: %d messages after unsubscribe, want %d", pattern, n, want)
		}
	}
}

func testSecondNode(t *testing.T, be backend, room func(string) string) {
	a := room("a")
	events, _ := collect(t, be.node2, a+".events")
	presence, _ := collect(t, be.node2, a+".presence")
	var seqs []uint64
	for i := range 20 {
		seqs = append(seqs, publish(t, be.node1, a+".events", i))
		publish(t, be.node1, a+".presence", i)
	}
	for i, m := range events.wait(t, 20) {
		if m.Seq != seqs[i] || numberOf(t, m) != i {
			t.Fatalf("node two got %+v as message %d (seq %d)", m, i, seqs[i])
		}
	}
	for i, m := range presence.wait(t, 20) {
		if numberOf(t, m) != i {
			t.Fatalf("node two got presence %s as message %d", m.Data, i)
		}
	}
	// And the other way round, through replay.
	seq := publish(t, be.node2, a+".events", 20)
	got, err := be.node1.Replay(a+".events", seqs[19], 10)
	if err != nil || len(got) != 1 || got[0].Seq != seq {
		t.Fatalf("node one replays node two's message: %+v, %v", got, err)
	}
}

func TestEmbeddedInProcessOnly(t *testing.T) {
	emb, err := StartEmbedded(EmbeddedConfig{StoreDir: t.TempDir(), Log: quietLog(),
		Stream: StreamConfig{Name: "OTHER", SubjectPrefix: "live"}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := emb.Shutdown(); err != nil {
			t.Error(err)
		}
	}()
	if url := emb.ClientURL(); url != "" {
		t.Fatalf("in-process server listens on %s", url)
	}
	seq, err := emb.Bus().PublishCtx(t.Context(), "live.x.events", body{N: 1})
	if err != nil || seq != 1 {
		t.Fatalf("PublishCtx = %d, %v", seq, err)
	}
	if seq, _ := emb.Bus().PublishCtx(t.Context(), "room.x.events", body{N: 1}); seq != 0 {
		t.Fatalf("room.x.events is not on stream OTHER but got seq %d", seq)
	}
	if _, err := emb.Bus().Replay("room.x.events", 0, 0); !errors.Is(err, ErrNotStream) {
		t.Fatalf("Replay outside the stream = %v", err)
	}
}

func TestPublishFailures(t *testing.T) {
	emb, err := StartEmbedded(EmbeddedConfig{StoreDir: t.TempDir(), Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []Bus{NewLocal(quietLog()), emb.Bus()} {
		if _, err := b.PublishCtx(t.Context(), "room.x.events", func() {}); err == nil {
			t.Error("unencodable payload accepted")
		}
		for _, s := range []string{"", "room.*.events", "room..events", "room.>"} {
			if _, err := b.PublishCtx(t.Context(), s, 1); err == nil {
				t.Errorf("publish on %q accepted", s)
			}
		}
	}
	if err := emb.Shutdown(); err != nil {
		t.Fatal(err)
	}
	if _, err := emb.Bus().PublishCtx(t.Context(), "room.x.events", 1); err == nil {
		t.Error("publish after shutdown succeeded")
	}
	if err := emb.Bus().Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
