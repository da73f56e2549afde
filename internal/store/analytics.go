package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/analytics"
)

// Analytics roll-ups (analytics.Repo, analytics.Reader,
// analytics.Sessions). A flush is one transaction of multi-row additive
// upserts (INSERT … ON CONFLICT … DO UPDATE SET x = x + excluded.x, the
// same SQL on both databases) led by the batch ids: if any is already in
// analytics_batches the row count says so and the transaction rolls back,
// so a redelivered batch is never added twice. Rows are cut into chunks of
// a few fixed sizes so the statements stay few and prepared.

// multiInsert builds "head VALUES (…), (…) tail" for each chunk size.
type multiInsert struct {
	cols    int
	queries map[int]string
}

var analyticsChunks = []int{128, 32, 8, 1}

func newMultiInsert(head string, cols int, tail string) multiInsert {
	m := multiInsert{cols: cols, queries: map[int]string{}}
	for _, n := range analyticsChunks {
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for c := range cols {
				if c > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "$%d", i*cols+c+1)
			}
			b.WriteByte(')')
		}
		b.WriteByte(' ')
		b.WriteString(tail)
		m.queries[n] = b.String()
	}
	return m
}

// steps makes the statements for rows rows; args appends row i's values.
func (m multiInsert) steps(rows int, args func(dst []any, i int) []any, check func(want int) func(int64) error) []step {
	var out []step
	for done := 0; done < rows; {
		n := analyticsChunks[len(analyticsChunks)-1]
		for _, c := range analyticsChunks {
			if c <= rows-done {
				n = c
				break
			}
		}
		a := make([]any, 0, n*m.cols)
		for i := done; i < done+n; i++ {
			a = args(a, i)
		}
		st := step{query: m.queries[n], args: a}
		if check != nil {
			st.check = check(n)
		}
		out = append(out, st)
		done += n
	}
	return out
}

var (
	insertBatchIDs = newMultiInsert(`INSERT INTO analytics_batches (id, processed_at)`, 2, `ON CONFLICT (id) DO NOTHING`)
	upsertRooms    = newMultiInsert(`INSERT INTO analytics_room_totals (session_id, views, viewers_signed_in, likes,
		watch_seconds, product_clicks, buy_clicks, new_followers, orders, paid_orders, gmv_minor, currency, updated_at)`, 13,
		`ON CONFLICT (session_id) DO UPDATE SET
			views = analytics_room_totals.views + excluded.views,
			viewers_signed_in = analytics_room_totals.viewers_signed_in + excluded.viewers_signed_in,
			likes = analytics_room_totals.likes + excluded.likes,
			watch_seconds = analytics_room_totals.watch_seconds + excluded.watch_seconds,
			product_clicks = analytics_room_totals.product_clicks + excluded.product_clicks,
			buy_clicks = analytics_room_totals.buy_clicks + excluded.buy_clicks,
			new_followers = analytics_room_totals.new_followers + excluded.new_followers,
			orders = analytics_room_totals.orders + excluded.orders,
			paid_orders = analytics_room_totals.paid_orders + excluded.paid_orders,
			gmv_minor = analytics_room_totals.gmv_minor + excluded.gmv_minor,
			currency = CASE WHEN excluded.currency <> '' THEN excluded.currency ELSE analytics_room_totals.currency END,
			updated_at = excluded.updated_at`)
	upsertProducts = newMultiInsert(`INSERT INTO analytics_room_products (session_id, product_id, clicks, orders, units, gmv_minor)`, 6,
		`ON CONFLICT (session_id, product_id) DO UPDATE SET
			clicks = analytics_room_products.clicks + excluded.clicks,
			orders = analytics_room_products.orders + excluded.orders,
			units = analytics_room_products.units + excluded.units,
			gmv_minor = analytics_room_products.gmv_minor + excluded.gmv_minor`)
	// A node's viewers are a reading, not a sum: the newer report wins.
	upsertViewers = newMultiInsert(`INSERT INTO analytics_room_viewers (session_id, node, viewers, reported_at)`, 4,
		`ON CONFLICT (session_id, node) DO UPDATE SET viewers = excluded.viewers, reported_at = excluded.reported_at
			WHERE excluded.reported_at >= analytics_room_viewers.reported_at`)
	upsertDaily = newMultiInsert(`INSERT INTO analytics_daily (day, metric, dim, value)`, 4,
		`ON CONFLICT (day, metric, dim) DO UPDATE SET value = analytics_daily.value + excluded.value`)
	insertDailyUsers = newMultiInsert(`INSERT INTO analytics_daily_users (day, user_id)`, 2, `ON CONFLICT (day, user_id) DO NOTHING`)
	upsertCategories = newMultiInsert(`INSERT INTO analytics_user_categories (user_id, category, views, orders, updated_at)`, 5,
		`ON CONFLICT (user_id, category) DO UPDATE SET
			views = analytics_user_categories.views + excluded.views,
			orders = analytics_user_categories.orders + excluded.orders,
			updated_at = excluded.updated_at`)
)

// ApplyAnalytics writes a flush in one transaction; analytics.ErrBatchSeen
// (nothing written) when one of its batch ids is already stored.
func (s *Store) ApplyAnalytics(ctx context.Context, f analytics.Flush) error {
	at := millis(f.At)
	seen := func(want int) func(int64) error {
		return func(n int64) error {
			if n != int64(want) {
				return analytics.ErrBatchSeen
			}
			return nil
		}
	}
	var steps []step
	steps = append(steps, insertBatchIDs.steps(len(f.BatchIDs), func(a []any, i int) []any {
		return append(a, f.BatchIDs[i], at)
	}, seen)...)
	steps = append(steps, upsertRooms.steps(len(f.Rooms), func(a []any, i int) []any {
		r := &f.Rooms[i]
		return append(a, r.SessionID, r.Views, r.ViewersSignedIn, r.Likes, r.WatchSeconds, r.ProductClicks, r.BuyClicks,
			r.NewFollowers, r.Orders, r.PaidOrders, r.GMVMinor, r.Currency, at)
	}, nil)...)
	steps = append(steps, upsertProducts.steps(len(f.Products), func(a []any, i int) []any {
		p := &f.Products[i]
		return append(a, p.SessionID, p.ProductID, p.Clicks, p.Orders, p.Units, p.GMVMinor)
	}, nil)...)
	steps = append(steps, upsertViewers.steps(len(f.Viewers), func(a []any, i int) []any {
		v := &f.Viewers[i]
		return append(a, v.SessionID, v.Node, v.Viewers, millis(v.At))
	}, nil)...)
	steps = append(steps, upsertDaily.steps(len(f.Daily), func(a []any, i int) []any {
		d := &f.Daily[i]
		return append(a, d.Day, d.Metric, d.Dim, d.Value)
	}, nil)...)
	steps = append(steps, insertDailyUsers.steps(len(f.Users), func(a []any, i int) []any {
		return append(a, f.Users[i].Day, f.Users[i].UserID)
	}, nil)...)
	steps = append(steps, upsertCategories.steps(len(f.Categories), func(a []any, i int) []any {
		c := &f.Categories[i]
		return append(a, c.UserID, c.Category, c.Views, c.Orders, at)
	}, nil)...)
	if len(steps) == 0 {
		return nil
	}
	if err := s.runSteps(ctx, steps); err != nil {
		return fmt.Errorf("store: apply analytics (%d batches): %w", len(f.BatchIDs), err)
	}
	return nil
}

// SeenBatches returns which of ids are in analytics_batches.
func (s *Store) SeenBatches(ctx context.Context, ids []string) ([]string, error) {
	var out []string
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		marks := make([]string, n)
		for i := range n {
			args[i] = ids[i]
			marks[i] = fmt.Sprintf("$%d", i+1)
		}
		// The read pool sees every commit; on SQLite the write connection
		// belongs to the group commit.
		rows, err := s.read.QueryContext(ctx,
			`SELECT id FROM analytics_batches WHERE id IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: seen analytics batches: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: seen analytics batches: %w", err)
			}
			out = append(out, id)
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("store: seen analytics batches: %w", err)
		}
		ids = ids[n:]
	}
	return out, nil
}

// PruneAnalyticsBatches forgets batch ids processed before t.
func (s *Store) PruneAnalyticsBatches(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.write(ctx, `DELETE FROM analytics_batches WHERE processed_at < $1`, millis(before))
	if err != nil {
		return 0, fmt.Errorf("store: prune analytics batches: %w", err)
	}
	return res.RowsAffected()
}

// RoomTotals reads a session's totals; zero totals when none are stored.
func (s *Store) RoomTotals(ctx context.Context, sessionID string) (analytics.RoomTotals, error) {
	t := analytics.RoomTotals{RoomDelta: analytics.RoomDelta{SessionID: sessionID}}
	var updated int64
	err := s.rq.QueryRowContext(ctx, `
		SELECT views, viewers_signed_in, likes, watch_seconds, product_clicks, buy_clicks, new_followers, orders,
		       paid_orders, gmv_minor, currency, updated_at
		FROM analytics_room_totals WHERE session_id = $1`, sessionID).Scan(&t.Views, &t.ViewersSignedIn, &t.Likes,
		&t.WatchSeconds, &t.ProductClicks, &t.BuyClicks, &t.NewFollowers, &t.Orders, &t.PaidOrders, &t.GMVMinor,
		&t.Currency, &updated)
	if err == sql.ErrNoRows {
		return t, nil
	}
	if err != nil {
		return analytics.RoomTotals{}, fmt.Errorf("store: room totals %s: %w", sessionID, err)
	}
	t.UpdatedAt = fromMillis(updated)
	return t, nil
}

// RoomProducts lists a session's product numbers with current titles,
// best sellers first.
func (s *Store) RoomProducts(ctx context.Context, sessionID string) ([]analytics.ProductStats, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT a.product_id, COALESCE(p.title, ''), a.clicks, a.orders, a.units, a.gmv_minor
		FROM analytics_room_products a LEFT JOIN products p ON p.id = a.product_id
		WHERE a.session_id = $1
		ORDER BY a.gmv_minor DESC, a.orders DESC, a.clicks DESC, a.product_id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("store: room products %s: %w", sessionID, err)
	}
	defer rows.Close()
	out := []analytics.ProductStats{}
	for rows.Next() {
		var p analytics.ProductStats
		if err := rows.Scan(&p.ProductID, &p.Title, &p.Clicks, &p.Orders, &p.Units, &p.GMVMinor); err != nil {
			return nil, fmt.Errorf("store: room products %s: %w", sessionID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CurrentViewers sums the nodes' reports made since since.
func (s *Store) CurrentViewers(ctx context.Context, sessionID string, since time.Time) (int, error) {
	var n int
	err := s.rq.QueryRowContext(ctx, `
		SELECT COALESCE(SUM(viewers), 0) FROM analytics_room_viewers
		WHERE session_id = $1 AND reported_at >= $2`, sessionID, millis(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: current viewers %s: %w", sessionID, err)
	}
	return n, nil
}

// DayValue is one day of a daily series.
type DayValue struct {
	Day   int64 // whole UTC days since the epoch
	Value int64
}

// DailySeries reads one metric under one dimension for the days from
// fromDay to toDay inclusive; days without a row are left out.
func (s *Store) DailySeries(ctx context.Context, metric, dim string, fromDay, toDay int64) ([]DayValue, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT day, value FROM analytics_daily
		WHERE metric = $1 AND dim = $2 AND day >= $3 AND day <= $4 ORDER BY day`, metric, dim, fromDay, toDay)
	if err != nil {
		return nil, fmt.Errorf("store: daily %s/%s: %w", metric, dim, err)
	}
	defer rows.Close()
	var out []DayValue
	for rows.Next() {
		var d DayValue
		if err := rows.Scan(&d.Day, &d.Value); err != nil {
			return nil, fmt.Errorf("store: daily %s/%s: %w", metric, dim, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DailyActiveUsers counts the users active on a day.
func (s *Store) DailyActiveUsers(ctx context.Context, day int64) (int64, error) {
	var n int64
	err := s.rq.QueryRowContext(ctx, `SELECT COUNT(*) FROM analytics_daily_users WHERE day = $1`, day).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: daily active users: %w", err)
	}
	return n, nil
}

// AnalyticsSession loads a session with its shop's category and programme.
func (s *Store) AnalyticsSession(ctx context.Context, id string) (analytics.SessionInfo, error) {
	var info analytics.SessionInfo
	var host sql.NullString
	err := s.rq.QueryRowContext(ctx, `
		SELECT l.id, l.shop_id, l.host_id, l.status, l.peak_viewers, sh.category, sh.programme
		FROM live_sessions l JOIN shops sh ON sh.id = l.shop_id
		WHERE l.id = $1`, id).Scan(&info.ID, &info.ShopID, &host, &info.Status, &info.PeakViewers, &info.Category,
		&info.Programme)
	if err != nil {
		return analytics.SessionInfo{}, notFound(err, "live session")
	}
	info.HostID = host.String
	return info, nil
}

var (
	_ analytics.Repo     = (*Store)(nil)
	_ analytics.Reader   = (*Store)(nil)
	_ analytics.Sessions = (*Store)(nil)
)
