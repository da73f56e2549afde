package bus

import (
	"context"
	"errors"
	"testing"
	"time"
)

// natsPair is two nodes of one NATS deployment.
type natsPair struct {
	name string
	a, b *NATS
}

// natsPairs runs the lease and request tests on the embedded server (one
// node in process, one over TCP) and on the machine's NATS.
func natsPairs(t *testing.T) []natsPair {
	emb, err := StartEmbedded(EmbeddedConfig{StoreDir: t.TempDir(), Listen: "127.0.0.1:0", Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := emb.Shutdown(); err != nil {
			t.Error(err)
		}
	})
	second, err := ConnectConfig(t.Context(), Config{URL: emb.ClientURL(), Log: quietLog(), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = second.Close() })
	ext, ext2 := connectExternal(t)
	return []natsPair{{"embedded", emb.Bus(), second}, {"external", ext, ext2}}
}

// eachPair runs fn on every deployment, in parallel: lease tests wait out
// the TTL.
func eachPair(t *testing.T, fn func(t *testing.T, p natsPair, lease string)) {
	t.Parallel()
	for _, p := range natsPairs(t) {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			// The external server's bucket is shared by every run.
			fn(t, p, "test."+randomToken(t))
		})
	}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func mustAcquire(t *testing.T, n *NATS, name, holder string) Lease {
	t.Helper()
	l, err := n.Acquire(testCtx(t), name, holder)
	if err != nil {
		t.Fatalf("Acquire(%s) by %s: %v", name, holder, err)
	}
	return l
}

func TestLeaseHeld(t *testing.T) {
	eachPair(t, func(t *testing.T, p natsPair, name string) {
		first := mustAcquire(t, p.a, name, "node-a")
		t.Cleanup(func() { _ = first.Release(context.Background()) })
		for _, try := range []struct {
			n      *NATS
			holder string
		}{{p.b, "node-b"}, {p.a, "node-a2"}, {p.a, "node-a"}} {
			if l, err := try.n.Acquire(testCtx(t), name, try.holder); !errors.Is(err, ErrLeaseHeld) || l != nil {
				t.Fatalf("second Acquire by %s = %v, %v; want ErrLeaseHeld", try.holder, l, err)
			}
		}
		// Another name is independent.
		other := mustAcquire(t, p.b, name+".other", "node-b")
		if err := other.Release(testCtx(t)); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLeaseRenewOutlivesTTL(t *testing.T) {
	eachPair(t, func(t *testing.T, p natsPair, name string) {
		l := mustAcquire(t, p.a, name, "node-a")
		t.Cleanup(func() { _ = l.Release(context.Background()) })
		until := time.Now().Add(LeaseTTL + 2*time.Second)
		for time.Now().Before(until) {
			time.Sleep(LeaseTTL / 5)
			if err := l.Renew(testCtx(t)); err != nil {
				t.Fatalf("Renew: %v", err)
			}
			if _, err := p.b.Acquire(testCtx(t), name, "node-b"); !errors.Is(err, ErrLeaseHeld) {
				t.Fatalf("Acquire of a renewed lease = %v, want ErrLeaseHeld", err)
			}
		}
	})
}

func TestLeaseRelease(t *testing.T) {
	eachPair(t, func(t *testing.T, p natsPair, name string) {
		first := mustAcquire(t, p.a, name, "node-a")
		if err := first.Release(testCtx(t)); err != nil {
			t.Fatalf("Release: %v", err)
		}
		// No wait for the TTL: the name is free at once.
		second := mustAcquire(t, p.b, name, "node-b")
		if err := first.Renew(testCtx(t)); !errors.Is(err, ErrLeaseLost) {
			t.Fatalf("Renew after Release and takeover = %v, want ErrLeaseLost", err)
		}
		if err := second.Renew(testCtx(t)); err != nil {
			t.Fatalf("Renew by the new holder: %v", err)
		}
		// A released-then-retaken lease goes around again.
		if err := second.Release(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		third := mustAcquire(t, p.a, name, "node-a")
		if err := third.Release(testCtx(t)); err != nil {
			t.Fatal(err)
		}
	})
}

// A holder that stops renewing (a dead node) loses the name after the TTL,
// and its late Renew finds the lease lost instead of taking it back.
func TestLeaseLapses(t *testing.T) {
	eachPair(t, func(t *testing.T, p natsPair, name string) {
		start := time.Now()
		stale := mustAcquire(t, p.a, name, "node-a")
		var taken Lease
		deadline := start.Add(8 * time.Second)
		for taken == nil {
			l, err := p.b.Acquire(testCtx(t), name, "node-b")
			switch {
			case err == nil:
				taken = l
			case !errors.Is(err, ErrLeaseHeld):
				t.Fatalf("Acquire: %v", err)
			case time.Now().After(deadline):
				t.Fatalf("lease still held %v after its last renewal (TTL %v)", time.Since(start), LeaseTTL)
			default:
				time.Sleep(100 * time.Millisecond)
			}
		}
		t.Cleanup(func() { _ = taken.Release(context.Background()) })
		if took := time.Since(start); took < LeaseTTL-time.Second {
			t.Fatalf("lease taken over after %v, before its TTL %v", took, LeaseTTL)
		}
		if err := stale.Renew(testCtx(t)); !errors.Is(err, ErrLeaseLost) {
			t.Fatalf("stale Renew after takeover = %v, want ErrLeaseLost", err)
		}
		if err := taken.Renew(testCtx(t)); err != nil {
			t.Fatalf("Renew by the new holder after a stale Renew: %v", err)
		}
		if _, err := p.a.Acquire(testCtx(t), name, "node-a"); !errors.Is(err, ErrLeaseHeld) {
			t.Fatalf("Acquire by the stale holder = %v, want ErrLeaseHeld", err)
		}
		// The stale holder's Release must not free the new holder's lease.
		_ = stale.Release(testCtx(t))
		if _, err := p.a.Acquire(testCtx(t), name, "node-a"); !errors.Is(err, ErrLeaseHeld) {
			t.Fatalf("Acquire after a stale Release = %v, want ErrLeaseHeld", err)
		}
	})
}
