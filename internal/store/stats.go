package store

import (
	"context"
	"fmt"
)

// Stats are platform-wide counts for monitoring.
type Stats struct {
	Users        int
	ShopsBy      map[string]int // status → shops
	OrdersBy     map[string]int // status → orders
	PaidGMVMinor int64          // all orders ever paid and not refunded, in minor units (any currency)
}

// Stats counts users, shops and orders. Cheap enough for a scrape every
// few seconds: three aggregate queries over indexed columns.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	st := Stats{ShopsBy: map[string]int{}, OrdersBy: map[string]int{}}
	if err := s.rq.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&st.Users); err != nil {
		return st, fmt.Errorf("store: stats: %w", err)
	}
	for _, q := range []struct {
		query string
		into  map[string]int
	}{
		{`SELECT status, COUNT(*) FROM shops GROUP BY status`, st.ShopsBy},
		{`SELECT status, COUNT(*) FROM orders GROUP BY status`, st.OrdersBy},
	} {
		rows, err := s.rq.QueryContext(ctx, q.query)
		if err != nil {
			return st, fmt.Errorf("store: stats: %w", err)
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return st, fmt.Errorf("store: stats: %w", err)
			}
			q.into[k] = n
		}
		rows.Close()
	}
	err := s.rq.QueryRowContext(ctx, `
		SELECT COALESCE(SUM(total_minor), 0) FROM orders WHERE status IN ('paid', 'shipped', 'delivered', 'completed')`).Scan(&st.PaidGMVMinor)
	if err != nil {
		return st, fmt.Errorf("store: stats: %w", err)
	}
	return st, nil
}
