package webhook

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// Dispatcher sends due deliveries. Several nodes may run one each: a
// delivery is leased before it is sent, so it goes out once per attempt.
type Dispatcher struct {
	Repo     Repo
	Client   *http.Client
	Log      *slog.Logger
	Now      func() time.Time
	Interval time.Duration
	// Backoff is the wait before each retry; after the last the delivery fails.
	Backoff []time.Duration
}

// DefaultBackoff spreads eight retries over about a day.
var DefaultBackoff = []time.Duration{10 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute,
	30 * time.Minute, time.Hour, 3 * time.Hour, 12 * time.Hour}

// Run delivers until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	t := time.NewTicker(d.Interval)
	defer t.Stop()
	for {
		if _, err := d.Tick(ctx); err != nil && ctx.Err() == nil {
			d.Log.Error("webhook dispatch failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick sends what is due now and returns how many attempts it made.
func (d *Dispatcher) Tick(ctx context.Context) (int, error) {
	due, err := d.Repo.ClaimDue(ctx, d.Now(), time.Minute, 50)
	if err != nil {
		return 0, err
	}
	for _, del := range due {
		a := d.send(ctx, del)
		if err := d.Repo.RecordAttempt(ctx, a); err != nil {
			return 0, err
		}
	}
	return len(due), nil
}

func (d *Dispatcher) send(ctx context.Context, del Delivery) Attempt {
	now := d.Now()
	a := Attempt{DeliveryID: del.ID, At: now}
	body := []byte(del.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, del.URL, bytes.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "liveshop-webhooks/1")
		req.Header.Set("Liveshop-Event", del.EventType)
		req.Header.Set("Liveshop-Delivery", del.ID)
		req.Header.Set("Liveshop-Signature", Sign(del.Secret, now, body))
		var resp *http.Response
		resp, err = d.Client.Do(req)
		if err == nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			a.StatusCode = resp.StatusCode
			if resp.StatusCode >= 200 && resp.StatusCode < 300 {
				a.Delivered = true
				return a
			}
			a.Error = "endpoint answered " + strconv.Itoa(resp.StatusCode)
		}
	}
	if err != nil {
		a.Error = err.Error()
	}
	if del.Attempts >= len(d.Backoff) {
		a.GiveUp = true
	} else {
		a.NextAttempt = now.Add(d.Backoff[del.Attempts])
	}
	d.Log.Warn("webhook delivery failed", "delivery", del.ID, "attempt", del.Attempts+1, "err", a.Error)
	return a
}
