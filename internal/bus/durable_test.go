package bus

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// durablePair is two nodes of one deployment with a work stream of the
// test's own (the machine's NATS is shared).
type durablePair struct {
	name string
	a, b *NATS
	cfg  DurableConfig
}

func durablePairs(t *testing.T, ackWait time.Duration) []durablePair {
	var out []durablePair
	for _, p := range natsPairs(t) {
		tok := "t" + randomToken(t)
		cfg := DurableConfig{Stream: "TEST_" + tok, Subjects: tok + ".events.>", Consumer: "c_" + tok, AckWait: ackWait,
			MaxAge: time.Hour, FetchWait: 100 * time.Millisecond}
		a := p.a
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = a.js.DeleteStream(ctx, cfg.Stream)
		})
		out = append(out, durablePair{p.name, p.a, p.b, cfg})
	}
	return out
}

func mustDurable(t *testing.T, n *NATS, cfg DurableConfig) *Durable {
	t.Helper()
	d, err := n.Durable(testCtx(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func publishN(t *testing.T, d *Durable, subject string, n int) []string {
	t.Helper()
	var sent []string
	for i := range n {
		body := fmt.Sprintf("m%03d", i)
		if err := d.PublishDurable(testCtx(t), subject, []byte(body)); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, body)
	}
	return sent
}

// fetchAll fetches until want messages arrived (10 s at most), acking
// them when ack is set.
func fetchAll(t *testing.T, d *Durable, want int, ack bool) []string {
	t.Helper()
	// Delivery is at least once: a message not acknowledged within the
	// ack wait (a loaded machine can take that long between fetches) comes
	// again, so messages are counted once each.
	seen := map[string]bool{}
	deadline := time.Now().Add(30 * time.Second)
	for len(seen) < want && time.Now().Before(deadline) {
		ms, err := d.Fetch(testCtx(t), 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			seen[string(m.Data)] = true
			if ack {
				if err := m.Ack(); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if len(seen) != want {
		t.Fatalf("fetched %d distinct messages, want %d", len(seen), want)
	}
	got := make([]string, 0, len(seen))
	for m := range seen {
		got = append(got, m)
	}
	slices.Sort(got)
	return got
}

// expectNone checks that a fetch finds nothing (an acked message is gone).
func expectNone(t *testing.T, d *Durable) {
	t.Helper()
	ms, err := d.Fetch(testCtx(t), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 0 {
		t.Fatalf("fetched %d more messages, want none", len(ms))
	}
}

func TestDurableKeepsMessagesUntilAConsumerComes(t *testing.T) {
	t.Parallel()
	for _, p := range durablePairs(t, 30*time.Second) {
		t.Run(p.name, func(t *testing.T) {
			pub := mustDurable(t, p.a, p.cfg)
			subject := p.cfg.Subjects[:len(p.cfg.Subjects)-1] + "node1"
			sent := publishN(t, pub, subject, 25)
			// The consumer starts on the other node after everything was sent.
			cons := mustDurable(t, p.b, p.cfg)
			if got := fetchAll(t, cons, len(sent), true); !slices.Equal(got, sent) {
				t.Fatalf("got %v, want %v", got, sent)
			}
			expectNone(t, cons)
		})
	}
}

func TestDurableRedeliversWhatWasNotAcknowledged(t *testing.T) {
	t.Parallel()
	for _, p := range durablePairs(t, time.Second) {
		t.Run(p.name, func(t *testing.T) {
			first := mustDurable(t, p.a, p.cfg)
			subject := p.cfg.Subjects[:len(p.cfg.Subjects)-1] + "node1"
			sent := publishN(t, first, subject, 12)
			// The first consumer takes everything and stops without acking.
			if got := fetchAll(t, first, len(sent), false); !slices.Equal(got, sent) {
				t.Fatalf("first consumer got %v", got)
			}
			next := mustDurable(t, p.b, p.cfg)
			if got := fetchAll(t, next, len(sent), true); !slices.Equal(got, sent) {
				t.Fatalf("after the ack wait got %v, want %v", got, sent)
			}
			expectNone(t, next)
		})
	}
}

// TestDurableSurvivesARestart restarts the embedded server on the same
// store directory: the stream is on disk.
func TestDurableSurvivesARestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := DurableConfig{FetchWait: 100 * time.Millisecond}
	emb, err := StartEmbedded(EmbeddedConfig{StoreDir: dir, Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		if err := emb.Bus().PublishDurable(testCtx(t), "analytics.events.node1", fmt.Appendf(nil, "m%03d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := emb.Shutdown(); err != nil {
		t.Fatal(err)
	}
	emb, err = StartEmbedded(EmbeddedConfig{StoreDir: dir, Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emb.Shutdown() })
	d := mustDurable(t, emb.Bus(), cfg)
	got := fetchAll(t, d, 10, true)
	if got[0] != "m000" || got[9] != "m009" {
		t.Fatalf("after restart: %v", got)
	}
	expectNone(t, d)
}
