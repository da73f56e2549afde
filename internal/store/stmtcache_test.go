package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// TestConcurrentFirstUseDoesNotDeadlock runs many first-time queries at
// once, inside and outside transactions, on SQLite's single write
// connection: preparing a statement must never wait on a transaction
// that is itself waiting on the statement cache.
func TestConcurrentFirstUseDoesNotDeadlock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for i := 0; i < 100; i++ {
			wg.Go(func() {
				u := account.User{ID: ids.New("usr"), Email: ids.New("e") + "@example.com", DisplayName: "x", CreatedAt: time.Now()}
				if err := s.CreateUser(ctx, u, "hash"); err != nil {
					errs <- err
					return
				}
				host := true
				if err := s.SetUserFlags(ctx, u.ID, nil, &host); err != nil { // a transaction
					errs <- err
				}
			})
			wg.Go(func() {
				if _, err := s.ClaimDue(ctx, time.Now(), time.Minute, 10); err != nil { // a transaction
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if ctx.Err() != nil {
			t.Fatal("deadlocked: work did not finish in 30s")
		}
	})
}
