package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/webhook"
)

// enqueueWebhook writes an event to the outbox for every active endpoint
// of the shop subscribed to it, inside the caller's transaction.
func enqueueWebhook(ctx context.Context, tx *dbtx, ev *order.WebhookEvent, at time.Time) error {
	st, ok := webhookStep(ev, at)
	if !ok {
		return nil
	}
	if _, err := tx.ExecContext(ctx, st.query, st.args...); err != nil {
		return fmt.Errorf("store: enqueue webhook: %w", err)
	}
	return nil
}

// webhookStep is the statement that queues ev: one statement for all
// subscribed endpoints; each delivery's id is the event's time-ordered id
// plus the endpoint's, so it stays unique and sorted.
func webhookStep(ev *order.WebhookEvent, at time.Time) (step, bool) {
	if ev == nil || ev.Type == "" {
		return step{}, false
	}
	return step{query: `
		INSERT INTO webhook_deliveries (id, endpoint_id, event_type, payload, status, next_attempt_at, created_at)
		SELECT $1 || '.' || id, id, $2, $3, 'pending', $4, $4
		FROM webhook_endpoints WHERE shop_id = $5 AND active AND events LIKE $6`,
		args: []any{ids.New("whd"), ev.Type, string(ev.Payload), millis(at), ev.ShopID, "%," + ev.Type + ",%"}}, true
}

// CreateEndpoint registers a webhook endpoint.
func (s *Store) CreateEndpoint(ctx context.Context, e webhook.Endpoint) error {
	_, err := s.wq.ExecContext(ctx, `
		INSERT INTO webhook_endpoints (id, shop_id, url, secret, events, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		e.ID, e.ShopID, e.URL, e.Secret, ","+strings.Join(e.Events, ",")+",", e.Active, millis(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: create endpoint: %w", err)
	}
	return nil
}

func scanEndpoint(row interface{ Scan(...any) error }) (webhook.Endpoint, error) {
	var e webhook.Endpoint
	var events string
	var created int64
	if err := row.Scan(&e.ID, &e.ShopID, &e.URL, &e.Secret, &events, &e.Active, &created); err != nil {
		return webhook.Endpoint{}, err
	}
	e.Events = strings.Split(strings.Trim(events, ","), ",")
	e.CreatedAt = fromMillis(created)
	return e, nil
}

// ListEndpoints lists a shop's endpoints.
func (s *Store) ListEndpoints(ctx context.Context, shopID string) ([]webhook.Endpoint, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT id, shop_id, url, secret, events, active, created_at FROM webhook_endpoints WHERE shop_id = $1 ORDER BY id`, shopID)
	if err != nil {
		return nil, fmt.Errorf("store: list endpoints: %w", err)
	}
	defer rows.Close()
	out := []webhook.Endpoint{}
	for rows.Next() {
		e, err := scanEndpoint(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list endpoints: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EndpointByID returns an endpoint.
func (s *Store) EndpointByID(ctx context.Context, id string) (webhook.Endpoint, error) {
	e, err := scanEndpoint(s.rq.QueryRowContext(ctx, `
		SELECT id, shop_id, url, secret, events, active, created_at FROM webhook_endpoints WHERE id = $1`, id))
	return e, notFound(err, "webhook endpoint")
}

// DeleteEndpoint removes an endpoint and its deliveries.
func (s *Store) DeleteEndpoint(ctx context.Context, id string) error {
	return execOne(ctx, s.wq, "webhook endpoint", `DELETE FROM webhook_endpoints WHERE id = $1`, id)
}

// ClaimDue leases due deliveries. PostgreSQL skips rows another node is
// claiming; SQLite has a single writer, so the plain UPDATE is already exclusive.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]webhook.Delivery, error) {
	skipLocked := ""
	if s.dialect == Postgres {
		skipLocked = "FOR UPDATE SKIP LOCKED"
	}
	var out []webhook.Delivery
	err := s.tx(ctx, func(tx *dbtx) error {
		rows, err := tx.QueryContext(ctx, `
			UPDATE webhook_deliveries SET locked_until = $1
			WHERE id IN (SELECT id FROM webhook_deliveries
			             WHERE status = 'pending' AND next_attempt_at <= $2 AND locked_until <= $2
			             ORDER BY next_attempt_at LIMIT $3 `+skipLocked+`)
			  AND locked_until <= $2
			RETURNING id`, millis(now.Add(lease)), millis(now), limit)
		if err != nil {
			return fmt.Errorf("store: claim deliveries: %w", err)
		}
		var claimed []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("store: claim deliveries: %w", err)
			}
			claimed = append(claimed, id)
		}
		rows.Close()
		for _, id := range claimed {
			d, err := scanDelivery(tx.QueryRowContext(ctx, `SELECT `+deliveryColumns+`, e.url, e.secret
				FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = $1`, id), true)
			if err != nil {
				return fmt.Errorf("store: claim deliveries: %w", err)
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

const deliveryColumns = `d.id, d.endpoint_id, d.event_type, d.payload, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, d.created_at, d.delivered_at`

func scanDelivery(row interface{ Scan(...any) error }, withTarget bool) (webhook.Delivery, error) {
	var d webhook.Delivery
	var next, created int64
	var delivered sql.NullInt64
	dest := []any{&d.ID, &d.EndpointID, &d.EventType, &d.Payload, &d.Status, &d.Attempts, &next, &d.LastStatusCode, &d.LastError, &created, &delivered}
	if withTarget {
		dest = append(dest, &d.URL, &d.Secret)
	}
	if err := row.Scan(dest...); err != nil {
		return webhook.Delivery{}, err
	}
	d.NextAttemptAt, d.CreatedAt, d.DeliveredAt = fromMillis(next), fromMillis(created), fromNullMillis(delivered)
	return d, nil
}

// RecordAttempt stores the outcome of one POST.
func (s *Store) RecordAttempt(ctx context.Context, a webhook.Attempt) error {
	status, next, delivered := webhook.Pending, millis(a.NextAttempt), sql.NullInt64{}
	switch {
	case a.Delivered:
		status, next, delivered = webhook.Delivered, millis(a.At), sql.NullInt64{Int64: millis(a.At), Valid: true}
	case a.GiveUp:
		status, next = webhook.Failed, millis(a.At)
	}
	_, err := s.wq.ExecContext(ctx, `
		UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, next_attempt_at = $2, locked_until = 0,
			last_status_code = $3, last_error = $4, delivered_at = $5
		WHERE id = $6`, status, next, a.StatusCode, truncate(a.Error, 500), delivered, a.DeliveryID)
	if err != nil {
		return fmt.Errorf("store: record attempt: %w", err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// ListDeliveries lists an endpoint's log, newest first.
func (s *Store) ListDeliveries(ctx context.Context, endpointID, cursor string, limit int) ([]webhook.Delivery, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT `+deliveryColumns+` FROM webhook_deliveries d
		WHERE d.endpoint_id = $1 AND ($2 = '' OR d.id < $2) ORDER BY d.id DESC LIMIT $3`, endpointID, cursor, pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: list deliveries: %w", err)
	}
	defer rows.Close()
	out := []webhook.Delivery{}
	for rows.Next() {
		d, err := scanDelivery(rows, false)
		if err != nil {
			return nil, fmt.Errorf("store: list deliveries: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeliveryByID returns a delivery.
func (s *Store) DeliveryByID(ctx context.Context, id string) (webhook.Delivery, error) {
	d, err := scanDelivery(s.rq.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries d WHERE d.id = $1`, id), false)
	return d, notFound(err, "webhook delivery")
}

// Redeliver queues a delivery again now.
func (s *Store) Redeliver(ctx context.Context, id string, now time.Time) error {
	return execOne(ctx, s.wq, "webhook delivery", `
		UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1, locked_until = 0 WHERE id = $2`, millis(now), id)
}

var _ webhook.Repo = (*Store)(nil)
