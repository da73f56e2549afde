package httpapi

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ratelimit"
)

// Limits bound what one client, one user and the whole node may ask of
// the server. Zero fields are off.
type Limits struct {
	// RateIP is requests a second per client IP, BurstIP its bucket.
	RateIP  float64
	BurstIP int
	// RateUser is requests a second per signed-in session or API token,
	// BurstUser its bucket.
	RateUser  float64
	BurstUser int
	// MaxInFlight is the requests served at once; beyond it the node
	// sheds with 503 instead of queueing work it cannot finish in time.
	MaxInFlight int
	// TrustProxy takes the client IP from the left-most X-Forwarded-For
	// entry: set it only behind a proxy that rewrites that header.
	TrustProxy bool
}

// limiter applies Limits to every request.
type limiter struct {
	cfg      Limits
	ip, user *ratelimit.Limiter
	inflight atomic.Int64

	limited       *prometheus.CounterVec
	shed          prometheus.Counter
	inflightGauge prometheus.Gauge
	now           func() time.Time
}

func newLimiter(l Limits, reg prometheus.Registerer) *limiter {
	m := &limiter{
		cfg:  l,
		ip:   ratelimit.New(ratelimit.Config{Rate: l.RateIP, Burst: l.BurstIP}),
		user: ratelimit.New(ratelimit.Config{Rate: l.RateUser, Burst: l.BurstUser}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liveshop_http_rate_limited_total", Help: "HTTP requests refused with 429 by rate limit scope (ip, user).",
		}, []string{"scope"}),
		shed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "liveshop_http_shed_total", Help: "HTTP requests refused with 503 because the node had too many in flight.",
		}),
		inflightGauge: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "liveshop_http_inflight", Help: "HTTP requests being served that count against --max-inflight.",
		}),
		now: time.Now,
	}
	m.limited.WithLabelValues("ip")
	m.limited.WithLabelValues("user")
	reg.MustRegister(m.limited, m.shed, m.inflightGauge)
	return m
}

// requestClass says which limits a request is subject to.
type requestClass int

const (
	classNormal    requestClass = iota
	classOps                    // health, readiness, metrics: never limited, or a flood would fail the probes
	classLongLived              // WebSocket, LL-HLS, WHIP/WHEP: rate limited, but hold no in-flight slot
)

func classify(r *http.Request) requestClass {
	p := r.URL.Path
	if r.Method == http.MethodGet && (p == "/healthz" || p == "/readyz" || p == "/metrics") {
		return classOps
	}
	// A room WebSocket lives for hours, an LL-HLS playlist request blocks
	// until the next part, and WHIP/WHEP sessions are negotiated by the
	// media engine with its own limits: holding an in-flight slot for
	// them would let viewers starve the API.
	if strings.HasPrefix(p, "/ws/") || strings.HasPrefix(p, "/live/") || p == "/whip" || strings.HasPrefix(p, "/whip/") {
		return classLongLived
	}
	return classNormal
}

// withLimits refuses a request over its client's or user's rate (429)
// or when the node is saturated (503). It runs before everything else,
// request ids and access logs included: refusing must be the cheapest
// thing the server does, or a flood still falls over on the refusals.
// The refusals are counted in their own metrics instead.
func (a *API) withLimits(next http.Handler) http.Handler {
	m := a.limits
	if m.ip == nil && m.user == nil && m.cfg.MaxInFlight <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		class := classify(r)
		if class == classOps {
			next.ServeHTTP(w, r)
			return
		}
		now := m.now()
		if m.ip != nil {
			key := ratelimit.ClientKey(r.RemoteAddr, r.Header.Get("X-Forwarded-For"), m.cfg.TrustProxy)
			if ok, wait := m.ip.Allow(key, now); !ok {
				m.limited.WithLabelValues("ip").Inc()
				refuse(w, r, a, wait, &apperr.Error{Code: apperr.RateLimited, Field: "rate_ip",
					Message: "too many requests from your address; retry after the Retry-After seconds"})
				return
			}
		}
		if m.user != nil {
			// The credential's hash stands for the user: it maps 1:1 to a
			// session or API token and costs no database query, where
			// resolving the user here would double the cost of every
			// authenticated request.
			if key, ok := credentialKey(r); ok {
				if ok, wait := m.user.Allow(string(key[:16]), now); !ok {
					m.limited.WithLabelValues("user").Inc()
					refuse(w, r, a, wait, &apperr.Error{Code: apperr.RateLimited, Field: "rate_user",
						Message: "too many requests for your account; retry after the Retry-After seconds"})
					return
				}
			}
		}
		if m.cfg.MaxInFlight > 0 && class == classNormal {
			if m.inflight.Add(1) > int64(m.cfg.MaxInFlight) {
				m.inflight.Add(-1)
				m.shed.Inc()
				refuse(w, r, a, time.Second, &apperr.Error{Code: apperr.Unavailable, Field: "max_inflight",
					Message: "the server is busy; retry after the Retry-After seconds"})
				return
			}
			m.inflightGauge.Inc()
			defer func() {
				m.inflightGauge.Dec()
				m.inflight.Add(-1)
			}()
		}
		next.ServeHTTP(w, r)
	})
}

// refuse answers a limited request with Retry-After in whole seconds
// (at least 1: a client reading 0 would retry at once).
func refuse(w http.ResponseWriter, r *http.Request, a *API, wait time.Duration, err *apperr.Error) {
	secs := max(1, int64(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	// The client is being turned away before its body is read: close the
	// connection rather than drain a body it may still be sending.
	if r.ContentLength != 0 {
		w.Header().Set("Connection", "close")
	}
	writeError(w, r, a.log, err)
}
