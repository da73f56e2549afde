package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/liveshop/liveshop/internal/report"
)

// Reports (docs/DISCOVERY.md) read paid order lines for money and the
// analytics roll-ups for audiences. A day is a timestamp divided by
// 86 400 000 in integer arithmetic, which both databases do the same way;
// analytics tables already keep whole days. Rankings and gap filling are
// the report service's; every query here is a plain GROUP BY.

var _ report.Repo = (*Store)(nil)

// paidLines restricts an order_lines l JOIN orders o query to money that
// counts: orders paid (and maybe shipped, delivered or completed; never
// refunded or cancelled) at a time in [$n, $n+1).
func paidLines(n int) string {
	return fmt.Sprintf(`o.status IN ('paid', 'shipped', 'delivered', 'completed') AND o.paid_at >= $%d AND o.paid_at < $%d`, n, n+1)
}

const fromPaidLines = ` FROM order_lines l JOIN orders o ON o.id = l.order_id `

// each runs a query and calls scan for every row.
func (s *Store) each(ctx context.Context, what, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := s.rq.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("store: %s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}

// SessionReport implements report.Repo.
func (s *Store) SessionReport(ctx context.Context, sessionID string) (report.SessionReport, error) {
	r := report.SessionReport{SessionID: sessionID}
	var started, ended sql.NullInt64
	err := s.rq.QueryRowContext(ctx, `
		SELECT title, shop_id, COALESCE(host_id, ''), status, started_at, ended_at, peak_viewers
		FROM live_sessions WHERE id = $1`, sessionID).
		Scan(&r.Title, &r.ShopID, &r.HostID, &r.Status, &started, &ended, &r.PeakViewers)
	if err != nil {
		return r, notFound(err, "live session")
	}
	r.StartedAt, r.EndedAt = fromNullMillis(started), fromNullMillis(ended)

	var watchSeconds int64
	var analyticsCurrency string
	err = s.rq.QueryRowContext(ctx, `
		SELECT views, viewers_signed_in, likes, watch_seconds, product_clicks, buy_clicks, new_followers, orders, currency
		FROM analytics_room_totals WHERE session_id = $1`, sessionID).
		Scan(&r.Views, &r.ViewersSignedIn, &r.Likes, &watchSeconds, &r.ProductClicks, &r.BuyClicks, &r.NewFollowers, &r.OrdersPlaced, &analyticsCurrency)
	if err != nil && err != sql.ErrNoRows {
		return r, fmt.Errorf("store: session report totals: %w", err)
	}
	r.WatchMinutes = watchSeconds / 60

	err = s.rq.QueryRowContext(ctx, `
		SELECT COUNT(DISTINCT o.id), COUNT(DISTINCT o.user_id), COALESCE(SUM(l.quantity), 0), COALESCE(SUM(l.line_total_minor), 0),
			COALESCE(SUM(l.platform_fee_minor), 0), COALESCE(SUM(l.host_commission_minor), 0), COALESCE(SUM(l.mcn_share_minor), 0),
			COALESCE(SUM(l.merchant_net_minor), 0), COALESCE(MIN(o.currency), '')`+fromPaidLines+`
		WHERE l.room_id = $1 AND o.status IN ('paid', 'shipped', 'delivered', 'completed')`, sessionID).
		Scan(&r.PaidOrders, &r.PaidBuyers, &r.Units, &r.GMVMinor, &r.PlatformFeeMinor, &r.HostCommissionMinor, &r.MCNShareMinor,
			&r.MerchantNetMinor, &r.Currency)
	if err != nil {
		return r, fmt.Errorf("store: session report sales: %w", err)
	}
	if r.Currency == "" {
		r.Currency = analyticsCurrency
	}

	// The shelf, whatever was clicked and whatever sold, as one list.
	products := map[string]*report.SessionProduct{}
	get := func(id, title string) *report.SessionProduct {
		p := products[id]
		if p == nil {
			p = &report.SessionProduct{ProductID: id}
			products[id] = p
		}
		if title != "" {
			p.Title = title
		}
		return p
	}
	err = s.each(ctx, "session report shelf", `
		SELECT sp.product_id, p.title FROM live_session_products sp JOIN products p ON p.id = sp.product_id
		WHERE sp.session_id = $1`, []any{sessionID}, func(rows *sql.Rows) error {
		var id, title string
		if err := rows.Scan(&id, &title); err != nil {
			return err
		}
		get(id, title)
		return nil
	})
	if err != nil {
		return r, err
	}
	err = s.each(ctx, "session report clicks", `
		SELECT a.product_id, COALESCE(p.title, ''), a.clicks FROM analytics_room_products a LEFT JOIN products p ON p.id = a.product_id
		WHERE a.session_id = $1`, []any{sessionID}, func(rows *sql.Rows) error {
		var id, title string
		var clicks int64
		if err := rows.Scan(&id, &title, &clicks); err != nil {
			return err
		}
		get(id, title).Clicks = clicks
		return nil
	})
	if err != nil {
		return r, err
	}
	err = s.each(ctx, "session report product sales", `
		SELECT l.product_id, p.title, COUNT(DISTINCT o.id), SUM(l.quantity), SUM(l.line_total_minor)`+fromPaidLines+`
		JOIN products p ON p.id = l.product_id
		WHERE l.room_id = $1 AND o.status IN ('paid', 'shipped', 'delivered', 'completed')
		GROUP BY l.product_id, p.title`, []any{sessionID}, func(rows *sql.Rows) error {
		var id, title string
		var orders, units, gmv int64
		if err := rows.Scan(&id, &title, &orders, &units, &gmv); err != nil {
			return err
		}
		p := get(id, title)
		p.PaidOrders, p.Units, p.GMVMinor = orders, units, gmv
		return nil
	})
	if err != nil {
		return r, err
	}
	r.Products = make([]report.SessionProduct, 0, len(products))
	for _, p := range products {
		r.Products = append(r.Products, *p)
	}
	return r, nil
}

// HostReport implements report.Repo.
func (s *Store) HostReport(ctx context.Context, hostID string, rg report.Range) (report.HostReport, error) {
	r := report.HostReport{HostID: hostID}
	if err := s.rq.QueryRowContext(ctx, `SELECT display_name FROM users WHERE id = $1`, hostID).Scan(&r.HostName); err != nil {
		return r, notFound(err, "host")
	}
	err := s.each(ctx, "host report sessions", `
		SELECT s.started_at / 86400000, COUNT(*), COALESCE(SUM(t.views), 0)
		FROM live_sessions s LEFT JOIN analytics_room_totals t ON t.session_id = s.id
		WHERE s.host_id = $1 AND s.started_at >= $2 AND s.started_at < $3
		GROUP BY s.started_at / 86400000`, []any{hostID, rg.StartMillis(), rg.EndMillis()}, func(rows *sql.Rows) error {
		var day int64
		var d report.HostDay
		if err := rows.Scan(&day, &d.Sessions, &d.Views); err != nil {
			return err
		}
		d.Day = report.DayString(day)
		r.Days = append(r.Days, d)
		return nil
	})
	if err != nil {
		return r, err
	}
	err = s.each(ctx, "host report sales", `
		SELECT o.paid_at / 86400000, COUNT(DISTINCT o.id), SUM(l.line_total_minor), SUM(l.host_commission_minor), SUM(l.mcn_share_minor),
			MIN(o.currency)`+fromPaidLines+`
		WHERE l.host_id = $1 AND `+paidLines(2)+`
		GROUP BY o.paid_at / 86400000`, []any{hostID, rg.StartMillis(), rg.EndMillis()}, func(rows *sql.Rows) error {
		var day int64
		var d report.HostDay
		if err := rows.Scan(&day, &d.Orders, &d.GMVMinor, &d.CommissionMinor, &d.MCNShareMinor, &r.Currency); err != nil {
			return err
		}
		d.Day = report.DayString(day)
		r.Days = append(r.Days, d)
		return nil
	})
	return r, err
}

// ShopReport implements report.Repo.
func (s *Store) ShopReport(ctx context.Context, shopID string, rg report.Range) (report.ShopReport, error) {
	r := report.ShopReport{ShopID: shopID}
	if err := s.rq.QueryRowContext(ctx, `SELECT name FROM shops WHERE id = $1`, shopID).Scan(&r.ShopName); err != nil {
		return r, notFound(err, "shop")
	}
	args := []any{shopID, rg.StartMillis(), rg.EndMillis()}
	err := s.each(ctx, "shop report days", `
		SELECT o.paid_at / 86400000, COUNT(DISTINCT o.id), SUM(l.quantity), SUM(l.line_total_minor), SUM(l.platform_fee_minor),
			SUM(l.host_commission_minor + l.mcn_share_minor), SUM(l.merchant_net_minor), MIN(o.currency)`+fromPaidLines+`
		WHERE o.shop_id = $1 AND `+paidLines(2)+`
		GROUP BY o.paid_at / 86400000`, args, func(rows *sql.Rows) error {
		var day int64
		var d report.ShopDay
		if err := rows.Scan(&day, &d.Orders, &d.Units, &d.GMVMinor, &d.PlatformFeeMinor, &d.CommissionMinor, &d.MerchantNetMinor, &r.Currency); err != nil {
			return err
		}
		d.Day = report.DayString(day)
		r.Days = append(r.Days, d)
		return nil
	})
	if err != nil {
		return r, err
	}
	err = s.each(ctx, "shop report products", `
		SELECT l.product_id, p.title, COUNT(DISTINCT o.id), SUM(l.quantity), SUM(l.line_total_minor)`+fromPaidLines+`
		JOIN products p ON p.id = l.product_id
		WHERE o.shop_id = $1 AND `+paidLines(2)+`
		GROUP BY l.product_id, p.title`, args, func(rows *sql.Rows) error {
		var p report.ProductSales
		if err := rows.Scan(&p.ProductID, &p.Title, &p.Orders, &p.Units, &p.GMVMinor); err != nil {
			return err
		}
		r.TopProducts = append(r.TopProducts, p)
		return nil
	})
	if err != nil {
		return r, err
	}
	// Sessions started in the range, then the sales of every session that
	// sold in it (it may have started earlier).
	sessions := map[string]*report.SessionSales{}
	scanSession := func(rows *sql.Rows, extra ...any) (*report.SessionSales, error) {
		var ss report.SessionSales
		var started sql.NullInt64
		if err := rows.Scan(append([]any{&ss.SessionID, &ss.Title, &ss.Status, &ss.HostID, &started}, extra...)...); err != nil {
			return nil, err
		}
		ss.StartedAt = fromNullMillis(started)
		if cur := sessions[ss.SessionID]; cur != nil {
			return cur, nil
		}
		sessions[ss.SessionID] = &ss
		return &ss, nil
	}
	err = s.each(ctx, "shop report sessions", `
		SELECT id, title, status, COALESCE(host_id, ''), started_at FROM live_sessions
		WHERE shop_id = $1 AND started_at >= $2 AND started_at < $3`, args, func(rows *sql.Rows) error {
		_, err := scanSession(rows)
		return err
	})
	if err != nil {
		return r, err
	}
	err = s.each(ctx, "shop report session sales", `
		SELECT s.id, s.title, s.status, COALESCE(s.host_id, ''), s.started_at, COUNT(DISTINCT o.id), SUM(l.line_total_minor)`+fromPaidLines+`
		JOIN live_sessions s ON s.id = l.room_id
		WHERE o.shop_id = $1 AND `+paidLines(2)+`
		GROUP BY s.id, s.title, s.status, s.host_id, s.started_at`, args, func(rows *sql.Rows) error {
		var orders, gmv int64
		ss, err := scanSession(rows, &orders, &gmv)
		if err != nil {
			return err
		}
		ss.Orders, ss.GMVMinor = orders, gmv
		return nil
	})
	if err != nil {
		return r, err
	}
	for _, ss := range sessions {
		r.Sessions = append(r.Sessions, *ss)
	}
	return r, nil
}

// MCNReport implements report.Repo.
func (s *Store) MCNReport(ctx context.Context, mcnID string, rg report.Range) (report.MCNReport, error) {
	r := report.MCNReport{MCNID: mcnID}
	if err := s.rq.QueryRowContext(ctx, `SELECT name FROM mcns WHERE id = $1`, mcnID).Scan(&r.Name); err != nil {
		return r, notFound(err, "agency")
	}
	args := []any{mcnID, rg.StartMillis(), rg.EndMillis()}
	err := s.each(ctx, "agency report days", `
		SELECT o.paid_at / 86400000, COUNT(DISTINCT o.id), SUM(l.line_total_minor), SUM(l.host_commission_minor), SUM(l.mcn_share_minor),
			MIN(o.currency)`+fromPaidLines+`
		WHERE l.mcn_id = $1 AND `+paidLines(2)+`
		GROUP BY o.paid_at / 86400000`, args, func(rows *sql.Rows) error {
		var day int64
		var d report.MCNDay
		if err := rows.Scan(&day, &d.Orders, &d.GMVMinor, &d.HostCommissionMinor, &d.MCNShareMinor, &r.Currency); err != nil {
			return err
		}
		d.Day = report.DayString(day)
		r.Days = append(r.Days, d)
		return nil
	})
	if err != nil {
		return r, err
	}
	err = s.each(ctx, "agency report hosts", `
		SELECT l.host_id, u.display_name, COUNT(DISTINCT o.id), SUM(l.line_total_minor), SUM(l.host_commission_minor), SUM(l.mcn_share_minor)`+fromPaidLines+`
		JOIN users u ON u.id = l.host_id
		WHERE l.mcn_id = $1 AND `+paidLines(2)+`
		GROUP BY l.host_id, u.display_name`, args, func(rows *sql.Rows) error {
		var h report.MCNHost
		if err := rows.Scan(&h.HostID, &h.HostName, &h.Orders, &h.GMVMinor, &h.HostCommissionMinor, &h.MCNShareMinor); err != nil {
			return err
		}
		r.Hosts = append(r.Hosts, h)
		return nil
	})
	return r, err
}

// PlatformReport implements report.Repo.
func (s *Store) PlatformReport(ctx context.Context, rg report.Range) (report.PlatformData, error) {
	d := report.PlatformData{WatchByDim: map[string]int64{}}
	days := []any{rg.FirstDay(), rg.LastDay()}
	times := []any{rg.StartMillis(), rg.EndMillis()}
	dayRow := func(what, query string, args []any, set func(*report.PlatformDay, *sql.Rows) error) error {
		return s.each(ctx, what, query, args, func(rows *sql.Rows) error {
			var row report.PlatformDay
			if err := set(&row, rows); err != nil {
				return err
			}
			d.Days = append(d.Days, row)
			return nil
		})
	}
	scanDay := func(row *report.PlatformDay, rows *sql.Rows, dest ...any) error {
		var day int64
		if err := rows.Scan(append([]any{&day}, dest...)...); err != nil {
			return err
		}
		row.Day = report.DayString(day)
		return nil
	}
	err := dayRow("platform report active users", `
		SELECT day, COUNT(*) FROM analytics_daily_users WHERE day >= $1 AND day <= $2 GROUP BY day`, days,
		func(row *report.PlatformDay, rows *sql.Rows) error { return scanDay(row, rows, &row.ActiveUsers) })
	if err != nil {
		return d, err
	}
	err = dayRow("platform report watch time", `
		SELECT day, value FROM analytics_daily WHERE metric = 'watch_seconds' AND dim = '' AND day >= $1 AND day <= $2`, days,
		func(row *report.PlatformDay, rows *sql.Rows) error { return scanDay(row, rows, &row.WatchSeconds) })
	if err != nil {
		return d, err
	}
	err = dayRow("platform report sessions", `
		SELECT started_at / 86400000, COUNT(*) FROM live_sessions WHERE started_at >= $1 AND started_at < $2
		GROUP BY started_at / 86400000`, times,
		func(row *report.PlatformDay, rows *sql.Rows) error { return scanDay(row, rows, &row.SessionsStarted) })
	if err != nil {
		return d, err
	}
	err = dayRow("platform report sales", `
		SELECT o.paid_at / 86400000, COUNT(DISTINCT o.id), SUM(l.line_total_minor), MIN(o.currency)`+fromPaidLines+`
		WHERE `+paidLines(1)+`
		GROUP BY o.paid_at / 86400000`, times,
		func(row *report.PlatformDay, rows *sql.Rows) error {
			return scanDay(row, rows, &row.Orders, &row.GMVMinor, &d.Currency)
		})
	if err != nil {
		return d, err
	}
	err = s.each(ctx, "platform report sales by shop kind", `
		SELECT sh.category, sh.programme, COUNT(DISTINCT o.id), SUM(l.line_total_minor)`+fromPaidLines+`
		JOIN shops sh ON sh.id = o.shop_id
		WHERE `+paidLines(1)+`
		GROUP BY sh.category, sh.programme`, times, func(rows *sql.Rows) error {
		var k report.ShopKindSales
		if err := rows.Scan(&k.Category, &k.Programme, &k.Orders, &k.GMVMinor); err != nil {
			return err
		}
		d.ShopKinds = append(d.ShopKinds, k)
		return nil
	})
	if err != nil {
		return d, err
	}
	err = s.each(ctx, "platform report watch time by dim", `
		SELECT dim, SUM(value) FROM analytics_daily
		WHERE metric = 'watch_seconds' AND dim <> '' AND day >= $1 AND day <= $2 GROUP BY dim`, days, func(rows *sql.Rows) error {
		var dim string
		var secs int64
		if err := rows.Scan(&dim, &secs); err != nil {
			return err
		}
		d.WatchByDim[dim] += secs
		return nil
	})
	return d, err
}
