package store_test

import (
	"context"
	"testing"

	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

func TestMigrateIsRepeatable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if err := s.Migrate(context.Background()); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		ps, err := s.Programmes(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 2 || ps[0].Code != "rural" || ps[0].PlatformFeeBPS != 0 || ps[1].Code != "standard" {
			t.Fatalf("programmes = %+v", ps)
		}
	})
}
