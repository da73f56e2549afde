package httpapi

import (
	"crypto/sha256"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/account"
)

// Hot routes (a flash-sale reservation, a bid, a coupon grab) are what
// thousands of buyers send in the same second. They need only who the
// buyer is, so their callers are remembered for hotAuthTTL instead of
// being loaded from the database on every request, which cost more than
// the reservation itself. The price: on hot routes only, a token revoked
// or a session ended on another node still works for up to hotAuthTTL (on
// this node they are forgotten at once).
const (
	hotAuthTTL = 3 * time.Second
	// hotAuthMax bounds the cache; when full it starts again empty.
	hotAuthMax = 200_000
)

type hotCaller struct {
	actor     account.Actor
	viaCookie bool
	csrf      string
	expires   time.Time
}

type hotAuth struct {
	mu      sync.Mutex
	callers map[[32]byte]hotCaller
}

func newHotAuth() *hotAuth { return &hotAuth{callers: map[[32]byte]hotCaller{}} }

// credentialKey identifies the request's credential (bearer token or
// session cookie) without keeping the secret itself.
func credentialKey(r *http.Request) ([32]byte, bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			return [32]byte{}, false
		}
		return sha256.Sum256([]byte("t:" + token)), true
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		return sha256.Sum256([]byte("c:" + c.Value)), true
	}
	return [32]byte{}, false
}

// authenticateHot is authenticate with a short memory of signed-in callers.
func (a *API) authenticateHot(r *http.Request) (account.Actor, bool, string, error) {
	key, ok := credentialKey(r)
	if !ok {
		return a.authenticate(r)
	}
	now := time.Now()
	h := a.hot
	h.mu.Lock()
	c, found := h.callers[key]
	h.mu.Unlock()
	if found && now.Before(c.expires) {
		return c.actor, c.viaCookie, c.csrf, nil
	}
	actor, viaCookie, csrf, err := a.authenticate(r)
	if err != nil || actor.Anonymous() {
		return actor, viaCookie, csrf, err
	}
	h.mu.Lock()
	if len(h.callers) >= hotAuthMax {
		h.callers = map[[32]byte]hotCaller{}
	}
	h.callers[key] = hotCaller{actor: actor, viaCookie: viaCookie, csrf: csrf, expires: now.Add(hotAuthTTL)}
	h.mu.Unlock()
	return actor, viaCookie, csrf, nil
}

// forget drops the request's own credential (a sign-out).
func (h *hotAuth) forget(r *http.Request) {
	if key, ok := credentialKey(r); ok {
		h.mu.Lock()
		delete(h.callers, key)
		h.mu.Unlock()
	}
}

// forgetAll drops every remembered caller (a token was revoked).
func (h *hotAuth) forgetAll() {
	h.mu.Lock()
	h.callers = map[[32]byte]hotCaller{}
	h.mu.Unlock()
}
