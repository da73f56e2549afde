// Package httpapi is liveshop's HTTP front door: the REST API under
// /api/v1, its OpenAPI document, operations endpoints, and the mounting
// of the web app, media and payment pages that other packages serve.
//
// Lifecycle: New builds the router once from the route table (routes.go);
// Handler returns it wrapped in request ids, access logs, metrics and
// panic recovery. The API holds no state of its own beyond its services.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/analytics"
	"github.com/liveshop/liveshop/internal/auction"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/coupon"
	"github.com/liveshop/liveshop/internal/draw"
	"github.com/liveshop/liveshop/internal/feed"
	"github.com/liveshop/liveshop/internal/flashsale"
	"github.com/liveshop/liveshop/internal/funnel"
	"github.com/liveshop/liveshop/internal/mcn"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/report"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/search"
	"github.com/liveshop/liveshop/internal/social"
	"github.com/liveshop/liveshop/internal/webhook"
)

// Mount is a handler served by another package at a mux pattern.
type Mount struct {
	Pattern string
	Handler http.Handler
}

// Pinger reports whether a dependency is ready.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Config gives the API its services.
type Config struct {
	Accounts   *account.Service
	Catalog    *catalog.Service
	Orders     *order.Service
	MCNs       *mcn.Service
	Webhooks   *webhook.Service
	Imports    *catalog.Importer
	Rooms      *room.Service
	FlashSales *flashsale.Service
	Auctions   *auction.Service
	Draws      *draw.Service
	Funnel     *funnel.Service
	Coupons    *coupon.Service
	Analytics  *analytics.Service
	Search     *search.Service
	Feed       *feed.Service
	Reports    *report.Service
	Social     *social.Service

	Log      *slog.Logger
	Registry *prometheus.Registry
	Ready    []Pinger
	// Unavailable tells errors that mean a dependency is down (answered
	// 503 with Retry-After) from failures of the code (500); nil: none.
	Unavailable func(error) bool
	// SecureCookies marks cookies Secure (when served over https).
	SecureCookies bool
	Version       string
	// Mounts are served beside the API (media, sandbox pages).
	Mounts []Mount
	// Fallback serves everything else: the web app.
	Fallback http.Handler
	// Limits are the per-client rate limits and the in-flight cap (limits.go).
	Limits Limits
}

// API is the HTTP server's handler.
type API struct {
	cfg     Config
	log     *slog.Logger
	mux     *http.ServeMux
	routes  []route
	metrics *httpMetrics
	hot     *hotAuth
	limits  *limiter
}

// New builds the router.
func New(cfg Config) *API {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	a := &API{cfg: cfg, log: cfg.Log, mux: http.NewServeMux(), metrics: newHTTPMetrics(cfg.Registry), hot: newHotAuth(),
		limits: newLimiter(cfg.Limits, cfg.Registry)}
	a.routes = a.table()
	for _, rt := range a.routes {
		a.mux.Handle(rt.Method+" "+rt.Path, a.endpoint(rt))
	}
	a.mux.HandleFunc("GET /api/v1/openapi.json", a.openAPI)
	a.mux.HandleFunc("/api/", a.notFound)
	a.mux.HandleFunc("GET /healthz", a.healthz)
	a.mux.HandleFunc("GET /readyz", a.readyz)
	a.mux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{Registry: cfg.Registry}))
	for _, m := range cfg.Mounts {
		a.mux.Handle(m.Pattern, m.Handler)
	}
	if cfg.Fallback != nil {
		a.mux.Handle("/", cfg.Fallback)
	}
	return a
}

// Handler returns the router with its middleware.
func (a *API) Handler() http.Handler {
	return a.withLimits(a.withRequestID(a.withAccessLog(a.withRecover(a.mux))))
}

func (a *API) notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, a.log, notFoundErr(r))
}

func (a *API) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": a.cfg.Version})
}

func (a *API) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	for _, p := range a.cfg.Ready {
		if err := p.Ping(ctx); err != nil {
			a.log.Warn("not ready", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// clientIP is used only in logs.
func clientIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	return host
}
