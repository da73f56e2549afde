package bus

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func mustServe(t *testing.T, n *NATS, subject string, h Handler) func() {
	t.Helper()
	stop, err := n.Serve(subject, h)
	if err != nil {
		t.Fatalf("Serve(%s): %v", subject, err)
	}
	return stop
}

func TestRequestServe(t *testing.T) {
	eachPair(t, func(t *testing.T, p natsPair, subject string) {
		stop := mustServe(t, p.a, subject, func(_ context.Context, data []byte) []byte {
			return append([]byte("re: "), data...)
		})
		t.Cleanup(stop)
		// From another node and from the serving node itself.
		for i, n := range []*NATS{p.b, p.a} {
			want := fmt.Sprintf("re: hello %d", i)
			got, err := n.Request(testCtx(t), subject, fmt.Appendf(nil, "hello %d", i))
			if err != nil || string(got) != want {
				t.Fatalf("Request = %q, %v; want %q", got, err, want)
			}
		}
		// Without a deadline of its own a request is bounded by the bus's.
		got, err := p.b.Request(context.Background(), subject, nil)
		if err != nil || string(got) != "re: " {
			t.Fatalf("Request without a deadline = %q, %v", got, err)
		}
	})
}

// The handler answers only once inFlight requests wait at the same time:
// a server handling requests one by one would never answer.
func TestServeConcurrently(t *testing.T) {
	const inFlight = 20
	eachPair(t, func(t *testing.T, p natsPair, subject string) {
		var arrived atomic.Int32
		allIn := make(chan struct{})
		stop := mustServe(t, p.a, subject, func(ctx context.Context, data []byte) []byte {
			if arrived.Add(1) == inFlight {
				close(allIn)
			}
			select {
			case <-allIn:
				return data
			case <-time.After(4 * time.Second):
				return []byte("alone")
			case <-ctx.Done():
				return []byte("stopped")
			}
		})
		t.Cleanup(stop)
		var wg sync.WaitGroup
		errs := make(chan error, inFlight)
		for i := range inFlight {
			wg.Go(func() {
				want := fmt.Sprint(i)
				got, err := p.b.Request(testCtx(t), subject, []byte(want))
				if err != nil || string(got) != want {
					errs <- fmt.Errorf("request %d = %q, %v", i, got, err)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}

func TestRequestNoResponder(t *testing.T) {
	eachPair(t, func(t *testing.T, p natsPair, subject string) {
		start := time.Now()
		if _, err := p.b.Request(testCtx(t), subject, []byte("x")); !errors.Is(err, ErrNoResponder) {
			t.Fatalf("Request without a server = %v, want ErrNoResponder", err)
		}
		if took := time.Since(start); took > time.Second {
			t.Fatalf("ErrNoResponder took %v; it must not wait for the timeout", took)
		}

		// Once stopped, a subject has no responder again, at once and
		// from every node.
		stop := mustServe(t, p.a, subject, func(context.Context, []byte) []byte { return []byte("ok") })
		if got, err := p.b.Request(testCtx(t), subject, nil); err != nil || string(got) != "ok" {
			t.Fatalf("Request while served = %q, %v", got, err)
		}
		stop()
		for _, n := range []*NATS{p.a, p.b} {
			if got, err := n.Request(testCtx(t), subject, nil); !errors.Is(err, ErrNoResponder) {
				t.Fatalf("Request after stop = %q, %v; want ErrNoResponder", got, err)
			}
		}

		// Serving again works, and a second server on another node keeps
		// the subject answered when the first stops.
		stopA := mustServe(t, p.a, subject, func(context.Context, []byte) []byte { return []byte("a") })
		stopB := mustServe(t, p.b, subject, func(context.Context, []byte) []byte { return []byte("b") })
		stopA()
		for range 5 {
			if got, err := p.a.Request(testCtx(t), subject, nil); err != nil || string(got) != "b" {
				t.Fatalf("Request with node b serving = %q, %v", got, err)
			}
		}
		stopB()
		if _, err := p.a.Request(testCtx(t), subject, nil); !errors.Is(err, ErrNoResponder) {
			t.Fatalf("Request after both stopped = %v, want ErrNoResponder", err)
		}
	})
}

// stop cancels the context of handlers still running.
func TestServeStopCancelsHandlers(t *testing.T) {
	eachPair(t, func(t *testing.T, p natsPair, subject string) {
		started := make(chan struct{})
		cancelled := make(chan struct{})
		stop := mustServe(t, p.a, subject, func(ctx context.Context, _ []byte) []byte {
			close(started)
			select {
			case <-ctx.Done():
				close(cancelled)
			case <-time.After(4 * time.Second):
			}
			return []byte("late")
		})
		ctx := testCtx(t)
		answered := make(chan struct{})
		go func() {
			defer close(answered)
			_, _ = p.b.Request(ctx, subject, nil)
		}()
		t.Cleanup(func() { <-answered })
		select {
		case <-started:
		case <-time.After(4 * time.Second):
			t.Fatal("the handler never ran")
		}
		stop()
		select {
		case <-cancelled:
		case <-time.After(2 * time.Second):
			t.Fatal("stop did not cancel the running handler's context")
		}
	})
}
