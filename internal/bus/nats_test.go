package bus

import (
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestIntersect(t *testing.T) {
	cases := []struct {
		a, b string
		want string // "" = no subject matches both
	}{
		{"room.*.events", "room.*.events", "room.*.events"},
		{"room.x.events", "room.*.events", "room.x.events"},
		{"room.>", "room.*.events", "room.*.events"},
		{">", "room.*.events", "room.*.events"},
		{"*.x.>", "room.*.events", "room.x.events"},
		{"room.*.*", "room.*.events", "room.*.events"},
		{"room.x.presence", "room.*.events", ""},
		{"room.*", "room.*.events", ""},
		{"room.x.events.more", "room.*.events", ""},
		{"room.x.events.>", "room.*.events", ""},
		{"other.>", "room.*.events", ""},
		{"a.>", "a.b.>", "a.b.>"},
		{"a.*.c", "a.b.*", "a.b.c"},
	}
	for _, c := range cases {
		for _, ab := range [][2]string{{c.a, c.b}, {c.b, c.a}} {
			got, ok := intersect(strings.Split(ab[0], "."), strings.Split(ab[1], "."))
			if (c.want == "") == ok || (ok && strings.Join(got, ".") != c.want) {
				t.Errorf("intersect(%s, %s) = %v %v, want %q", ab[0], ab[1], got, ok, c.want)
			}
		}
	}
}

func TestSplitListen(t *testing.T) {
	cases := []struct {
		in   string
		host string
		port int
		ok   bool
	}{
		{"127.0.0.1:4222", "127.0.0.1", 4222, true},
		{"127.0.0.1:0", "127.0.0.1", -1, true},
		{":4222", "0.0.0.0", 4222, true},
		{"127.0.0.1", "", 0, false},
		{"127.0.0.1:x", "", 0, false},
		{"127.0.0.1:70000", "", 0, false},
	}
	for _, c := range cases {
		host, port, err := splitListen(c.in)
		if (err == nil) != c.ok || host != c.host || port != c.port {
			t.Errorf("splitListen(%q) = %q, %d, %v", c.in, host, port, err)
		}
	}
}

func TestRedactURL(t *testing.T) {
	cases := map[string]string{
		"nats://127.0.0.1:4222":            "nats://127.0.0.1:4222",
		"nats://user:secret@nats.lan:4222": "nats://***@nats.lan:4222",
		"token@nats.lan":                   "***@nats.lan",
	}
	for in, want := range cases {
		if got := redactURL(in); got != want || strings.Contains(got, "secret") {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// Stream sequences are shared by all rooms, so a room's replay position
// usually falls in a gap; only messages that really expired make it too old.
func TestNATSReplayGapsAndExpiry(t *testing.T) {
	emb, err := StartEmbedded(EmbeddedConfig{StoreDir: t.TempDir(), Log: quietLog(),
		Stream: StreamConfig{MaxAge: 500 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emb.Shutdown() })
	b := emb.Bus()

	other := publish(t, b, "room.b.events", 0) // seq 1, another room
	first := publish(t, b, "room.a.events", 1) // seq 2
	got, err := b.Replay("room.a.events", other, 10)
	if err != nil || len(got) != 1 {
		t.Fatalf("Replay from before the room's first message: %v, %v", got, err)
	}
	if got, err := b.Replay("room.c.events", first, 10); err != nil || len(got) != 0 {
		t.Fatalf("Replay of a room without messages: %v, %v", got, err)
	}

	second := publish(t, b, "room.a.events", 2)
	// Everything expires after 500 ms; the server's expiry timer may run
	// late on a loaded machine, so wait for it (bounded) rather than sleep.
	time.Sleep(600 * time.Millisecond)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		_, err := b.Replay("room.a.events", first, 10)
		if errors.Is(err, ErrTooOld) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Replay across an expired message = %v, want ErrTooOld", err)
		}
	}
	if got, err := b.Replay("room.a.events", second, 10); err != nil || len(got) != 0 {
		t.Fatalf("Replay by a client that saw the last message: %v, %v", got, err)
	}
	third := publish(t, b, "room.a.events", 3)
	if _, err := b.Replay("room.a.events", first, 10); !errors.Is(err, ErrTooOld) {
		t.Fatalf("Replay across an expired message = %v, want ErrTooOld", err)
	}
	got, err = b.Replay("room.a.events", second, 10)
	if err != nil || len(got) != 1 || got[0].Seq != third {
		t.Fatalf("Replay after the last expired message: %v, %v", got, err)
	}
}

func TestNATSCloseStopsGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	emb, err := StartEmbedded(EmbeddedConfig{StoreDir: t.TempDir(), Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"room.*.events", "room.>", "x.y"} {
		if _, err := emb.Bus().Subscribe(p, func(Message) {}); err != nil {
			t.Fatal(err)
		}
	}
	emb.Bus().Publish("room.a.events", 1)
	if _, err := emb.Bus().Replay("room.a.events", 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := emb.Shutdown(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+2 {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines left running (%d before):\n%s", runtime.NumGoroutine(), before,
				buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestNATSSubscribeValidation(t *testing.T) {
	emb, err := StartEmbedded(EmbeddedConfig{StoreDir: t.TempDir(), Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emb.Shutdown() })
	for _, p := range []string{"", "a..b", "a.>.b"} {
		if _, err := emb.Bus().Subscribe(p, func(Message) {}); err == nil {
			t.Errorf("Subscribe(%q) accepted", p)
		}
	}
	if !slices.Equal(emb.Bus().pattern, []string{"room", "*", "events"}) {
		t.Errorf("default stream subjects %v", emb.Bus().pattern)
	}
}
