package realtime

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ratelimit"
)

// Limits cap the room WebSockets this node holds; zero fields are off.
// A refused upgrade is answered before the WebSocket handshake, as JSON
// in the API's error shape: 429 for a client or user over its cap, 503
// when the node is full (another node behind the balancer may have room).
type Limits struct {
	PerIP   int // sockets at once from one client IP (IPv6: one /64)
	PerUser int // sockets at once of one signed-in user
	Max     int // sockets at once on this node
	// TrustProxy takes the client IP from the left-most X-Forwarded-For
	// entry, as the API does with the same flag.
	TrustProxy bool
}

// connLimits counts open sockets by client IP and by user.
type connLimits struct {
	cfg    Limits
	mu     sync.Mutex
	total  int
	byIP   map[string]int
	byUser map[string]int
}

func newConnLimits(l Limits) *connLimits {
	return &connLimits{cfg: l, byIP: map[string]int{}, byUser: map[string]int{}}
}

// admitClient takes a node slot and one of the client's before the
// caller is authenticated, so that a refused flood costs no database
// query. The release func gives them back; it is nil when refused.
func (l *connLimits) admitClient(r *http.Request) (func(), *apperr.Error) {
	if l == nil || l.cfg.Max <= 0 && l.cfg.PerIP <= 0 {
		return func() {}, nil
	}
	ip := ""
	if l.cfg.PerIP > 0 {
		ip = ratelimit.ClientKey(r.RemoteAddr, r.Header.Get("X-Forwarded-For"), l.cfg.TrustProxy)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cfg.Max > 0 && l.total >= l.cfg.Max {
		return nil, &apperr.Error{Code: apperr.Unavailable, Field: "ws_max", Message: "this server holds as many live room connections as it can; retry later"}
	}
	if l.cfg.PerIP > 0 && l.byIP[ip] >= l.cfg.PerIP {
		return nil, &apperr.Error{Code: apperr.RateLimited, Field: "ws_per_ip", Message: "too many live room connections from your address"}
	}
	l.total++
	if ip != "" {
		l.byIP[ip]++
	}
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.total--
		if ip != "" {
			if l.byIP[ip]--; l.byIP[ip] <= 0 {
				delete(l.byIP, ip) // keep the map the size of the open sockets
			}
		}
	}, nil
}

// admitUser takes one of a signed-in user's slots; anonymous viewers
// ("" user) are bounded by their IP only.
func (l *connLimits) admitUser(userID string) (func(), *apperr.Error) {
	if l == nil || l.cfg.PerUser <= 0 || userID == "" {
		return func() {}, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byUser[userID] >= l.cfg.PerUser {
		return nil, &apperr.Error{Code: apperr.RateLimited, Field: "ws_per_user", Message: "too many live room connections for your account; close another tab or device"}
	}
	l.byUser[userID]++
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.byUser[userID]--; l.byUser[userID] <= 0 {
			delete(l.byUser, userID)
		}
	}, nil
}

// refuseUpgrade answers a refused upgrade with the API's error shape. A
// cap frees up when a socket closes, not on a clock: Retry-After asks
// the client to back off a few seconds rather than reconnect at once.
func refuseUpgrade(w http.ResponseWriter, e *apperr.Error) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Retry-After", "5")
	w.WriteHeader(apperr.HTTPStatus(e.Code))
	type detail struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	}
	_ = json.NewEncoder(w).Encode(struct {
		Error detail `json:"error"`
	}{detail{e.Code, e.Message, e.Field}})
}
