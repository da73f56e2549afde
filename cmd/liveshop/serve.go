package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/bus"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/demo"
	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/imagestore"
	"github.com/liveshop/liveshop/internal/mcn"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/payment/sandbox"
	"github.com/liveshop/liveshop/internal/realtime"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/web"
	"github.com/liveshop/liveshop/internal/webhook"
)

// services is the wired application.
type services struct {
	store    *store.Store
	accounts *account.Service
	catalog  *catalog.Service
	orders   *order.Service
	mcns     *mcn.Service
	webhooks *webhook.Service
	images   *imagestore.Store
	sandbox  *sandbox.Provider
}

func wire(ctx context.Context, c *config, log *slog.Logger) (*services, error) {
	st, err := openStore(ctx, c)
	if err != nil {
		return nil, err
	}
	images, err := imagestore.New(filepath.Join(c.Data, "media", "images"), 5<<20)
	if err != nil {
		st.Close()
		return nil, err
	}
	secret, err := sandboxSecret(c)
	if err != nil {
		st.Close()
		return nil, err
	}
	pay := sandbox.New(sandbox.Config{Secret: secret, PublicURL: c.PublicURL, Client: &http.Client{Timeout: 10 * time.Second}, Now: time.Now, Log: log})
	return &services{
		store:    st,
		accounts: account.NewService(st, time.Now).WithThrottle(account.NewSignInThrottle(10, 15*time.Minute)),
		catalog:  catalog.NewService(st, images, time.Now),
		orders:   order.NewService(order.Config{Repo: st, Providers: []order.PaymentProvider{pay}, PaymentWindow: c.PaymentWindow, Now: time.Now}),
		mcns:     mcn.NewService(st, time.Now),
		webhooks: webhook.NewService(st, time.Now),
		images:   images,
		sandbox:  pay,
	}, nil
}

func serve(ctx context.Context, args []string, withDemo bool) error {
	var c config
	name := "serve"
	if withDemo {
		name = "demo"
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	serveFlags(fs, &c)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := c.resolve(); err != nil {
		return err
	}
	if err := c.Limits.resolve(); err != nil {
		return err
	}
	log, err := newLogger(&c)
	if err != nil {
		return err
	}
	svc, err := wire(ctx, &c, log)
	if err != nil {
		return err
	}
	defer svc.store.Close()
	events, closeBus, err := openBus(ctx, &c, log)
	if err != nil {
		return err
	}
	defer closeBus()
	live, err := newLive(ctx, &c, svc.store, events, log)
	if err != nil {
		return err
	}
	liveClosed := false
	closeLive := func() {
		if !liveClosed {
			liveClosed = true
			live.close()
		}
	}
	defer closeLive()

	var logins []demo.Login
	if withDemo {
		logins, err = demo.Seed(ctx, demo.Deps{Accounts: svc.accounts, Catalog: svc.catalog, Orders: svc.orders, MCNs: svc.mcns, Store: svc.store, Sandbox: svc.sandbox, Log: log,
			Notifications: svc.store,
			OrdersAt: func(now func() time.Time) *order.Service {
				return order.NewService(order.Config{Repo: svc.store, Providers: []order.PaymentProvider{svc.sandbox}, PaymentWindow: c.PaymentWindow, Now: now})
			}})
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	demoKey := c.DemoKey
	if withDemo {
		if demoKey == "" {
			demoKey = "sk_" + ids.Token(20)
		}
		ensure := func(ctx context.Context, shopID, hostID, title, key string, productIDs []string) error {
			_, err := live.rooms.EnsureDemoRoom(ctx, shopID, hostID, title, key, productIDs)
			return err
		}
		if err := demo.SeedLive(ctx, demo.Deps{Accounts: svc.accounts, Catalog: svc.catalog}, ensure, demoKey); err != nil {
			return fmt.Errorf("demo live room: %w", err)
		}
	}
	if err := live.start(ctx); err != nil {
		return err
	}

	searcher := startSearch(ctx, svc.store, log)
	if n, err := svc.store.FailInterruptedImports(ctx, time.Now()); err != nil {
		return err
	} else if n > 0 {
		log.Warn("imports interrupted by an earlier stop marked failed", "count", n)
	}
	ln, err := net.Listen("tcp", c.HTTP)
	if err != nil {
		return usageError{fmt.Sprintf("--http %s: %v", c.HTTP, err)}
	}
	// Background work outlives the signal context so that it can finish
	// after the HTTP server has drained.
	bg, stopBG := context.WithCancel(context.Background())
	defer stopBG()
	var wg sync.WaitGroup
	imports := catalog.NewImporter(bg, svc.catalog, svc.store, log)
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), newStatsCollector(svc.store, log),
		newMediaCollector(live.hub, mediaView{hub: live.hub, hls: live.hls}.hlsViewers))
	sell := newSelling(svc.store, events, live.rooms, svc.orders, log)
	an, err := startAnalytics(ctx, svc.store, events, live.rooms, svc.orders, sell.funnel, reg, log)
	if err != nil {
		return err
	}
	defer an.close() // after the shutdown below: the producers have stopped
	feeds := startFeed(bg, &wg, svc.store, log)
	socials, err := startSocial(bg, &wg, &c, svc.store, live.rooms, events, an.emitter, reg, log)
	if err != nil {
		return err
	}
	socials.OnFollowsChanged(feeds.Forget)
	// A buyer's order notifications are written with the order change;
	// their Web Push goes out after the commit, best-effort.
	svc.orders.UseNotifier(func(ctx context.Context, n order.Notice) {
		if err := socials.PushNotification(ctx, n.UserID, n.ID); err != nil {
			log.Warn("order notification push", "notification", n.ID, "err", err)
		}
	})
	if withDemo {
		if err := demo.SeedDiscovery(ctx, demo.Deps{Accounts: svc.accounts, Catalog: svc.catalog},
			demo.Discovery{Rooms: live.rooms, Social: socials, Now: time.Now}); err != nil {
			return fmt.Errorf("demo schedule and follows: %w", err)
		}
	}
	var api *httpapi.API
	room, err := realtime.New(realtime.Config{Rooms: realtime.RoomService(live.rooms), Bus: realtime.BusOf(events),
		Auth: func(r *http.Request) (account.Actor, error) { return api.Authenticate(r) }, Log: log, Now: time.Now,
		Analytics: an.realtime(), Dashboards: an.dashboards(), Limits: c.Limits.realtime()})
	if err != nil {
		return err
	}
	api = httpapi.New(httpapi.Config{
		Accounts: svc.accounts, Catalog: svc.catalog, Orders: svc.orders, MCNs: svc.mcns, Webhooks: svc.webhooks, Imports: imports, Rooms: live.rooms,
		FlashSales: sell.flash, Coupons: sell.coupons, Draws: sell.draws, Auctions: sell.auctions, Funnel: sell.funnel, Feed: feeds,
		Search:    searcher,
		Reports:   newReports(svc.store, live.rooms, svc.mcns),
		Social:    socials,
		Analytics: an.service,
		Log:       log, Registry: reg, Ready: readiness(svc.store, events), Version: version,
		Unavailable:   store.IsUnavailable,
		SecureCookies: len(c.PublicURL) > 8 && c.PublicURL[:8] == "https://",
		Mounts: append([]httpapi.Mount{
			{Pattern: "GET /media/images/{id}", Handler: http.HandlerFunc(svc.images.ServeOriginal)},
			{Pattern: "GET /media/images/{id}/thumb", Handler: http.HandlerFunc(svc.images.ServeThumb)},
			{Pattern: "GET /sandbox/pay/{paymentID}", Handler: http.HandlerFunc(svc.sandbox.PayPage)},
			{Pattern: "POST /sandbox/pay/{paymentID}", Handler: http.HandlerFunc(svc.sandbox.Confirm)},
			{Pattern: "GET /ws/rooms/{roomID}", Handler: room},
		}, live.mounts()...),
		Fallback: web.Handler(),
		Limits:   c.Limits.api(),
	})

	// ReadTimeout bounds reading one whole request, so a client trickling
	// a body cannot hold a connection (and an in-flight slot) forever; it
	// must fit the largest upload (10 MiB imports, 8 MiB images) on a slow
	// uplink: 2 minutes is ~0.7 Mbit/s. It does not cut WebSockets: net/http
	// clears the connection's deadlines when the handler hijacks it. Nor
	// long LL-HLS or WHEP answers: once a body is read the deadline is
	// lifted while the handler runs. No WriteTimeout for the same reason:
	// a blocking playlist request or a replay download may rightly take
	// long, and a WriteTimeout would also cut them.
	srv := &http.Server{Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: c.Limits.ReadTimeout,
		IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}

	wg.Go(func() { svc.orders.RunExpiry(bg, 10*time.Second, log.Info) })
	sell.run(bg, &wg)
	dispatcher := &webhook.Dispatcher{Repo: svc.store, Client: webhook.NewClient(10*time.Second, c.WebhooksPrivate), Log: log,
		Now: time.Now, Interval: 2 * time.Second, Backoff: webhook.DefaultBackoff}
	wg.Go(func() { dispatcher.Run(bg) })

	if c.DebugHTTP != "" {
		go serveDebug(c.DebugHTTP, log)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("liveshop listening", "http", ln.Addr().String(), "public_url", c.PublicURL, "db", string(svc.store.Dialect()), "version", version)
	if withDemo {
		printDemo(c.PublicURL, logins)
		printDemoLive(c, demoKey)
		if c.DemoPattern && c.RTMP != "" {
			wg.Go(func() { demoStream(bg, c.FFmpeg, rtmpLocalURL(live.rtmpLn.Addr().String(), demoKey), log) })
		}
	}

	select {
	case err := <-errc:
		stopBG()
		wg.Wait()
		sell.close()
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	room.Close(shutCtx)
	err = srv.Shutdown(shutCtx)
	stopBG()
	closeLive()
	wg.Wait()
	sell.close()
	imports.Wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// readiness lists what a node needs to take traffic: its database and,
// when the bus is NATS, its NATS connection.
func readiness(db httpapi.Pinger, events bus.Bus) []httpapi.Pinger {
	ready := []httpapi.Pinger{db}
	if p, ok := events.(httpapi.Pinger); ok {
		ready = append(ready, p)
	}
	return ready
}

func printDemo(url string, logins []demo.Login) {
	if logins == nil {
		return
	}
	fmt.Printf("\nliveshop demo is running at %s\n\nDemo logins (password for all: %s):\n", url, demo.Password)
	for _, l := range logins {
		fmt.Printf("  %-28s %s\n", l.Email, l.Role)
	}
	fmt.Println()
}
