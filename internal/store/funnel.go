package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/liveshop/liveshop/internal/funnel"
)

// A live room's funnel (funnel.Repo). Events arrive in batches from each
// node's buffer and are written as multi-row INSERTs in one transaction;
// the unique index on (session, step, product, viewer, minute) drops the
// duplicates. A batch is cut into chunks of a few fixed sizes so that the
// statements stay few and stay prepared (SQLite's statement cache, pgx's
// per connection) instead of one new statement per batch length.

// funnelChunks are the row counts of one INSERT, largest first.
var funnelChunks = []int{256, 64, 16, 4, 1}

// funnelInserts holds the INSERT of each chunk size.
var funnelInserts = func() map[int]string {
	m := map[int]string{}
	for _, n := range funnelChunks {
		var b strings.Builder
		b.WriteString(`INSERT INTO funnel_events (session_id, step, product_id, viewer, minute_bucket, created_at) VALUES `)
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			p := i * 6
			fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d, $%d)", p+1, p+2, p+3, p+4, p+5, p+6)
		}
		b.WriteString(` ON CONFLICT DO NOTHING`)
		m[n] = b.String()
	}
	return m
}()

// AddFunnelEvents stores rows in one transaction, skipping those already
// stored for the same session, viewer, step, product and minute, and
// returns how many were new.
func (s *Store) AddFunnelEvents(ctx context.Context, rows []funnel.Row) (int, error) {
	var added int64
	count := func(n int64) error {
		added += n
		return nil
	}
	var steps []step
	for rest := rows; len(rest) > 0; {
		n := funnelChunks[len(funnelChunks)-1]
		for _, c := range funnelChunks {
			if c <= len(rest) {
				n = c
				break
			}
		}
		args := make([]any, 0, n*6)
		for _, r := range rest[:n] {
			args = append(args, r.SessionID, r.Step, r.ProductID, r.Viewer, r.Minute, millis(r.At))
		}
		steps = append(steps, step{query: funnelInserts[n], args: args, check: count})
		rest = rest[n:]
	}
	if len(steps) == 0 {
		return 0, nil
	}
	if err := s.runSteps(ctx, steps); err != nil {
		return 0, fmt.Errorf("store: add %d funnel events: %w", len(rows), err)
	}
	return int(added), nil
}

// paidStatuses are the order states that count as sold.
const paidStatuses = `('paid', 'shipped', 'delivered', 'completed')`

// FunnelCounts counts a session's funnel: distinct viewers per step (and
// per step and product) from its events, then its orders from the order
// lines attributed to it, cancelled orders left out.
func (s *Store) FunnelCounts(ctx context.Context, sessionID string) (funnel.Funnel, error) {
	f := funnel.Funnel{SessionID: sessionID}
	products := map[string]*funnel.ProductFunnel{}
	product := func(id, title string) *funnel.ProductFunnel {
		p, ok := products[id]
		if !ok {
			p = &funnel.ProductFunnel{ProductID: id, Title: title}
			products[id] = p
		}
		return p
	}

	// kind 0: a step's viewers over the room; kind 1: per product.
	rows, err := s.rq.QueryContext(ctx, `
		SELECT 0, step, '', '', COUNT(DISTINCT viewer) FROM funnel_events
		WHERE session_id = $1 GROUP BY step
		UNION ALL
		SELECT 1, e.step, e.product_id, COALESCE(MIN(p.title), ''), COUNT(DISTINCT e.viewer)
		FROM funnel_events e LEFT JOIN products p ON p.id = e.product_id
		WHERE e.session_id = $1 AND e.product_id <> '' GROUP BY e.step, e.product_id`, sessionID)
	if err != nil {
		return f, fmt.Errorf("store: funnel events of %s: %w", sessionID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind int
		var step, productID, title string
		var n int64
		if err := rows.Scan(&kind, &step, &productID, &title, &n); err != nil {
			return f, fmt.Errorf("store: funnel events of %s: %w", sessionID, err)
		}
		switch {
		case kind == 0 && step == funnel.StepView:
			f.Views = n
		case kind == 0 && step == funnel.StepProductOpen:
			f.ProductOpens = n
		case kind == 0 && step == funnel.StepBuyClick:
			f.BuyClicks = n
		case kind == 1 && step == funnel.StepProductOpen:
			product(productID, title).Opens = n
		case kind == 1 && step == funnel.StepBuyClick:
			product(productID, title).Clicks = n
		}
	}
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("store: funnel events of %s: %w", sessionID, err)
	}
	rows.Close()

	// kind 0: the room's totals; kind 1: per product. An order with lines
	// of two products counts once in the totals and once for each.
	rows, err = s.rq.QueryContext(ctx, `
		SELECT 0, '', '', COUNT(DISTINCT o.id),
			COUNT(DISTINCT CASE WHEN o.status IN `+paidStatuses+` THEN o.id END),
			COUNT(DISTINCT CASE WHEN o.status IN `+paidStatuses+` THEN o.user_id END),
			COALESCE(SUM(CASE WHEN o.status IN `+paidStatuses+` THEN l.line_total_minor ELSE 0 END), 0),
			COALESCE(MIN(CASE WHEN o.status IN `+paidStatuses+` THEN o.currency END), '')
		FROM order_lines l JOIN orders o ON o.id = l.order_id
		WHERE l.room_id = $1 AND o.status <> 'cancelled'
		UNION ALL
		SELECT 1, l.product_id, COALESCE(MIN(p.title), ''), COUNT(DISTINCT o.id),
			COUNT(DISTINCT CASE WHEN o.status IN `+paidStatuses+` THEN o.id END), 0,
			COALESCE(SUM(CASE WHEN o.status IN `+paidStatuses+` THEN l.line_total_minor ELSE 0 END), 0), ''
		FROM order_lines l JOIN orders o ON o.id = l.order_id LEFT JOIN products p ON p.id = l.product_id
		WHERE l.room_id = $1 AND o.status <> 'cancelled'
		GROUP BY l.product_id`, sessionID)
	if err != nil {
		return f, fmt.Errorf("store: funnel orders of %s: %w", sessionID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind int
		var productID, title, currency string
		var orders, paid, buyers, gmv int64
		if err := rows.Scan(&kind, &productID, &title, &orders, &paid, &buyers, &gmv, &currency); err != nil {
			return f, fmt.Errorf("store: funnel orders of %s: %w", sessionID, err)
		}
		if kind == 0 {
			f.Orders, f.PaidOrders, f.PaidBuyers, f.GMVMinor, f.Currency = orders, paid, buyers, gmv, currency
			continue
		}
		p := product(productID, title)
		p.Orders, p.Paid, p.GMVMinor = orders, paid, gmv
	}
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("store: funnel orders of %s: %w", sessionID, err)
	}
	f.PerProduct = make([]funnel.ProductFunnel, 0, len(products))
	for _, p := range products {
		f.PerProduct = append(f.PerProduct, *p)
	}
	return f, nil
}

var _ funnel.Repo = (*Store)(nil)
