package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// TestConcurrentWritesEachStandAlone checks what group commit must keep
// true (and what PostgreSQL gives anyway): writers running together
// succeed or fail on their own, a refused write leaves no trace, and a
// caller whose context ends does not undo anybody else's write.
func TestConcurrentWritesEachStandAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		shop, owner := w.shop(t, owner, admin, "Concurrent Farm", "standard")
		p := w.product(t, owner, shop.ID, "Rice", 1000, 100)
		sku := p.SKUs[0].ID

		ctx := context.Background()
		var wg sync.WaitGroup
		var mu sync.Mutex
		refused := 0
		acked := map[string]bool{}
		for i := 0; i < 60; i++ {
			delta := -7 // 100 units: 14 takes succeed, the rest would go below zero
			if i%3 == 0 {
				delta = +1
			}
			wg.Go(func() {
				cctx := ctx
				gaveUp := i%10 == 5
				if gaveUp {
					// Some callers give up at once; their writes may or may not land, but alone.
					var cancel context.CancelFunc
					cctx, cancel = context.WithTimeout(ctx, time.Microsecond)
					defer cancel()
				}
				m, err := s.AdjustStock(cctx, sku, delta, "adjustment", "", "test", owner.ID())
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					acked[m.ID] = true
				case apperr.Is(err, apperr.Conflict):
					refused++
				case gaveUp:
					// Any error: a dial can time out on the deadline before
					// the context's timer has fired and ctx.Err reports it.
				default:
					t.Errorf("adjust %d: %v", delta, err)
				}
			})
		}
		wg.Wait()
		got := w.stock(t, owner, p, 0)
		moves := w.movements(t, owner, sku)
		sum := 0
		for _, m := range moves {
			sum += m.Delta
		}
		if got < 0 || got != sum {
			t.Fatalf("stock %d, movements add to %d", got, sum)
		}
		if refused == 0 {
			t.Fatal("no adjustment was refused; the test did not exercise failures inside a batch")
		}
		// Every acknowledged write is there.
		for _, m := range moves {
			delete(acked, m.ID)
		}
		if len(acked) > 0 {
			t.Fatalf("%d acknowledged adjustments are missing", len(acked))
		}
	})
}
