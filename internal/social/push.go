package social

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	webpush "github.com/SherClockHolmes/webpush-go"
)

// Web Push settings (RFC 8030 headers).
const (
	pushTTL         = 3600 // seconds a push service keeps an undelivered message
	pushSendTimeout = 10 * time.Second
	// pushDrainGrace is how long Close lets queued pushes go out.
	pushDrainGrace = 5 * time.Second
)

// PushConfig gives a Pusher its keys and limits. Repo and the VAPID keys
// are required; Client should refuse private addresses in production
// (endpoints are URLs browsers hand us). Workers defaults to 4 and Queue
// (batches waiting) to 256.
type PushConfig struct {
	Repo            Repo
	VAPIDPublicKey  string
	VAPIDPrivateKey string
	// Subject identifies the sender to push services: an https URL or an
	// email address (mailto: is added).
	Subject string
	Client  *http.Client
	// AllowHTTP accepts http://127.0.0.1 endpoints, for tests.
	AllowHTTP bool
	Workers   int
	Queue     int
	Log       *slog.Logger
}

// PushStats count what the pusher did since it started.
type PushStats struct {
	Sent    int64 `json:"sent"`
	Failed  int64 `json:"failed"`
	Gone    int64 `json:"gone"`    // subscriptions the push service said no longer exist (deleted)
	Dropped int64 `json:"dropped"` // batches refused because the queue was full
}

// Pusher sends Web Push messages on a few workers fed by a bounded queue,
// so that whoever writes notifications never waits on the network.
//
// Lifecycle: NewPusher starts the workers; Close stops taking batches,
// gives the queued ones pushDrainGrace to go out, and waits.
type Pusher struct {
	repo      Repo
	opts      webpush.Options
	allowHTTP bool
	log       *slog.Logger

	mu     sync.RWMutex // guards closed against Enqueue sending on a closed channel
	closed bool
	jobs   chan []Notification
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	sent, failed, gone, dropped atomic.Int64
}

// NewPusher starts a pusher.
func NewPusher(c PushConfig) *Pusher {
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.Queue <= 0 {
		c.Queue = 256
	}
	if c.Client == nil {
		c.Client = &http.Client{Timeout: pushSendTimeout}
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Pusher{repo: c.Repo, allowHTTP: c.AllowHTTP, log: c.Log, jobs: make(chan []Notification, c.Queue), ctx: ctx, cancel: cancel,
		opts: webpush.Options{HTTPClient: c.Client, Subscriber: c.Subject, TTL: pushTTL, Urgency: webpush.UrgencyHigh,
			VAPIDPublicKey: c.VAPIDPublicKey, VAPIDPrivateKey: c.VAPIDPrivateKey}}
	for range c.Workers {
		p.wg.Go(p.work)
	}
	return p
}

// PublicKey is the VAPID public key browsers subscribe with.
func (p *Pusher) PublicKey() string { return p.opts.VAPIDPublicKey }

// Stats returns the counters.
func (p *Pusher) Stats() PushStats {
	return PushStats{Sent: p.sent.Load(), Failed: p.failed.Load(), Gone: p.gone.Load(), Dropped: p.dropped.Load()}
}

// Enqueue hands notifications to the workers without waiting: a full
// queue drops the batch (counted), as does a closed pusher. The in-app
// notifications are stored already; only their pushes are lost.
func (p *Pusher) Enqueue(ns []Notification) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		p.dropped.Add(1)
		return
	}
	select {
	case p.jobs <- ns:
	default:
		p.dropped.Add(1)
		p.log.Warn("social: push queue full; batch dropped", "notifications", len(ns))
	}
}

// Close stops the pusher (see Pusher).
func (p *Pusher) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	close(p.jobs)
	p.mu.Unlock()
	t := time.AfterFunc(pushDrainGrace, p.cancel)
	p.wg.Wait()
	t.Stop()
	p.cancel()
}

func (p *Pusher) work() {
	for ns := range p.jobs {
		p.sendBatch(ns)
	}
}

// payload is what the service worker receives, decrypted.
type payload struct {
	Title string `json:"title"`
	Body  string `json:"body"`
	URL   string `json:"url"`
}

// sendBatch pushes each notification to every subscription of its user.
func (p *Pusher) sendBatch(ns []Notification) {
	users := make([]string, 0, len(ns))
	seen := make(map[string]bool, len(ns))
	for _, n := range ns {
		if !seen[n.UserID] {
			seen[n.UserID] = true
			users = append(users, n.UserID)
		}
	}
	subs, err := p.repo.PushSubscriptionsOf(p.ctx, users)
	if err != nil {
		if p.ctx.Err() == nil {
			p.log.Error("social: load push subscriptions", "err", err)
		}
		p.failed.Add(int64(len(ns)))
		return
	}
	byUser := make(map[string][]PushSubscription, len(subs))
	for _, s := range subs {
		byUser[s.UserID] = append(byUser[s.UserID], s)
	}
	for _, n := range ns {
		bodies := map[string][]byte{} // by locale: a user's browsers may speak different languages
		for _, s := range byUser[n.UserID] {
			if p.ctx.Err() != nil {
				p.failed.Add(1)
				continue
			}
			body, ok := bodies[s.Locale]
			if !ok {
				title, text := localized(n, s.Locale)
				body, _ = json.Marshal(payload{Title: title, Body: text, URL: n.URL})
				bodies[s.Locale] = body
			}
			p.send(body, s)
		}
	}
}

// send pushes one message and records the outcome on the subscription: a
// 404 or 410 means the browser unsubscribed, so it is deleted.
func (p *Pusher) send(body []byte, s PushSubscription) {
	ctx, cancel := context.WithTimeout(p.ctx, pushSendTimeout)
	defer cancel()
	opts := p.opts
	resp, err := webpush.SendNotificationWithContext(ctx, body, &webpush.Subscription{Endpoint: s.Endpoint,
		Keys: webpush.Keys{Auth: s.Keys.Auth, P256dh: s.Keys.P256dh}}, &opts)
	var msg string
	switch {
	case err != nil:
		msg = err.Error()
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		resp.Body.Close()
		p.gone.Add(1)
		if err := p.repo.DropPushEndpoint(context.WithoutCancel(ctx), s.Endpoint); err != nil {
			p.log.Error("social: drop push subscription", "subscription", s.ID, "err", err)
		}
		return
	case resp.StatusCode >= 300:
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		resp.Body.Close()
		msg = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(snippet)))
	default:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
		p.sent.Add(1)
		return
	}
	p.failed.Add(1)
	if len(msg) > 300 {
		msg = msg[:300]
	}
	// The subscription id, not its endpoint: endpoints are capability URLs.
	p.log.Warn("social: web push failed", "subscription", s.ID, "err", msg)
	if err := p.repo.SetPushError(context.WithoutCancel(ctx), s.Endpoint, msg); err != nil {
		p.log.Error("social: record push error", "subscription", s.ID, "err", err)
	}
}
