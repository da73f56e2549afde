package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/analytics"
	"github.com/liveshop/liveshop/internal/bus"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/social"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/webhook"
	"github.com/prometheus/client_golang/prometheus"
)

// socialConfig holds the flags of follows and notifications.
type socialConfig struct {
	VAPIDPublic   string
	VAPIDPrivate  string
	VAPIDSubject  string
	PushAllowHTTP bool
}

func socialFlags(fs *flag.FlagSet, c *socialConfig) {
	fs.StringVar(&c.VAPIDPublic, "vapid-public", "", "Web Push VAPID public key, base64url (default: generated into <data>/vapid.json); all nodes must share the pair")
	fs.StringVar(&c.VAPIDPrivate, "vapid-private", "", "Web Push VAPID private key, base64url; give it with --vapid-public")
	fs.StringVar(&c.VAPIDSubject, "vapid-subject", "", "contact for push services: an https URL or an email address (default: --public-url when https)")
	fs.BoolVar(&c.PushAllowHTTP, "push-allow-http", false, "accept http://127.0.0.1 push endpoints and let pushes reach private addresses (tests only)")
}

// vapidKeys returns the keys from the flags, or the ones kept in the data
// directory (generated the first time).
func vapidKeys(c *config) (social.VAPIDKeys, error) {
	s := c.Social
	switch {
	case s.VAPIDPublic != "" && s.VAPIDPrivate != "":
		return social.VAPIDKeys{PublicKey: s.VAPIDPublic, PrivateKey: s.VAPIDPrivate}, nil
	case s.VAPIDPublic != "" || s.VAPIDPrivate != "":
		return social.VAPIDKeys{}, usageError{"give both --vapid-public and --vapid-private, or neither"}
	}
	return social.LoadOrCreateVAPID(filepath.Join(c.Data, "vapid.json"))
}

// liveNotifyQueue bounds the sessions waiting for their live fan-out.
const liveNotifyQueue = 1024

// startSocial builds the social service with its Web Push sender, fans
// out a `live` notification for every room.{id}.live message (every node
// hears it; the database keeps each notification to one writer, and that
// node pushes it), and sweeps for sessions starting soon every 30 s. All
// of it stops when ctx ends; wg covers it, the pusher's drain included.
func startSocial(ctx context.Context, wg *sync.WaitGroup, c *config, st *store.Store, rooms *room.Service, events bus.Bus,
	rec analytics.Recorder, reg *prometheus.Registry, log *slog.Logger) (*social.Service, error) {
	keys, err := vapidKeys(c)
	if err != nil {
		return nil, err
	}
	subject := c.Social.VAPIDSubject
	if subject == "" && strings.HasPrefix(c.PublicURL, "https://") {
		subject = c.PublicURL
	} else if subject == "" {
		subject = "push@liveshop.invalid"
	}
	pusher := social.NewPusher(social.PushConfig{Repo: st, VAPIDPublicKey: keys.PublicKey, VAPIDPrivateKey: keys.PrivateKey,
		Subject: subject, Client: webhook.NewClient(10*time.Second, c.Social.PushAllowHTTP), AllowHTTP: c.Social.PushAllowHTTP, Log: log})
	svc := social.NewService(social.Config{Repo: st, Rooms: rooms, Analytics: rec, Push: pusher, Now: time.Now, Log: log})
	registerPushMetrics(reg, pusher)

	// The bus calls a subscriber one message at a time; fan-outs run on
	// their own goroutines so a large audience never holds up the bus.
	live := make(chan string, liveNotifyQueue)
	unsubscribe, err := events.Subscribe("room.*.live", func(m bus.Message) {
		parts := strings.Split(m.Subject, ".")
		if len(parts) != 3 {
			return
		}
		select {
		case live <- parts[1]:
		default:
			log.Error("social: live notifications queue full; session skipped", "room", parts[1])
		}
	})
	if err != nil {
		pusher.Close()
		return nil, fmt.Errorf("social: subscribe to live sessions: %w", err)
	}
	var workers sync.WaitGroup
	for range 2 {
		workers.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case id := <-live:
					if n, err := svc.NotifyLive(ctx, id); err != nil && ctx.Err() == nil {
						log.Error("social: live notifications", "room", id, "err", err)
					} else if n > 0 {
						log.Info("social: live notifications written", "room", id, "count", n)
					}
				}
			}
		})
	}
	workers.Go(func() { svc.Run(ctx, 30*time.Second) })
	wg.Go(func() {
		<-ctx.Done()
		unsubscribe()
		workers.Wait()
		pusher.Close()
	})
	return svc, nil
}

// registerPushMetrics exports the Web Push sender's counters.
func registerPushMetrics(reg *prometheus.Registry, p *social.Pusher) {
	counter := func(name, help string, read func(social.PushStats) int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help},
			func() float64 { return float64(read(p.Stats())) })
	}
	reg.MustRegister(
		counter("liveshop_push_sent_total", "Web Push messages accepted by push services.", func(s social.PushStats) int64 { return s.Sent }),
		counter("liveshop_push_failed_total", "Web Push messages that failed.", func(s social.PushStats) int64 { return s.Failed }),
		counter("liveshop_push_gone_total", "Push subscriptions deleted because the push service said they are gone.", func(s social.PushStats) int64 { return s.Gone }),
		counter("liveshop_push_dropped_total", "Batches of pushes dropped because the queue was full.", func(s social.PushStats) int64 { return s.Dropped }),
	)
}
