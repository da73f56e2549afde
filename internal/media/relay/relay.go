// Package relay lets any node serve a live stream that another node
// ingests: a viewer's HLS or WHEP request for a room whose publisher is not
// on this node is proxied to the node that has it, found through the
// stream placement. Viewers never need to know where a stream was
// published, and a CDN can pull from any node.
package relay

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/media"
)

// Header marks a request one node relays to another. A relayed request is
// always served where it lands, so two nodes with stale placements cannot
// bounce a request between them.
const Header = "X-Liveshop-Relay"

// Locator finds the node that ingests a room.
type Locator interface {
	Locate(ctx context.Context, roomID string) (nodeURL string, ok bool, err error)
}

// Config gives a Relay its dependencies.
type Config struct {
	// IsLocal reports whether a room's stream runs on this node.
	IsLocal func(roomID string) bool
	Locator Locator
	// Self is this node's own URL, as other nodes reach it.
	Self string
	// Transport carries relayed requests; default a pooled transport
	// with bounded dial and header timeouts.
	Transport http.RoundTripper
	Log       *slog.Logger
}

// Relay sends requests for streams on other nodes to those nodes.
type Relay struct {
	cfg Config

	mu      sync.Mutex
	proxies map[string]*httputil.ReverseProxy // node URL → proxy to it
	where   map[string]located                // room → its ingest node, for locateFor
}

// New returns a relay.
func New(cfg Config) *Relay {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Transport == nil {
		cfg.Transport = &http.Transport{
			Proxy:                 nil,
			DialContext:           (&netDialer).DialContext,
			MaxIdleConnsPerHost:   256,
			IdleConnTimeout:       90 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second, // an LL-HLS blocking reload waits for up to a few parts
			ExpectContinueTimeout: time.Second,
		}
	}
	return &Relay{cfg: cfg, proxies: map[string]*httputil.ReverseProxy{}, where: map[string]located{}}
}

// Wrap serves a /live/{roomID}/… route with local when the room's stream
// runs here (or nowhere), and on the ingest node otherwise.
func (h *Relay) Wrap(local http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.serve(local, w, r) })
}

func (h *Relay) serve(local http.Handler, w http.ResponseWriter, r *http.Request) {
	roomID, _, _ := strings.Cut(r.PathValue("roomID"), media.RenditionSeparator)
	if roomID == "" || r.Header.Get(Header) != "" || h.cfg.IsLocal(roomID) {
		local.ServeHTTP(w, r)
		return
	}
	node, ok, err := h.locate(r.Context(), roomID)
	if err != nil && r.Context().Err() == nil {
		h.cfg.Log.Warn("relay: locate stream", "room", roomID, "err", err)
	}
	if err != nil || !ok || node == h.cfg.Self {
		local.ServeHTTP(w, r) // not live anywhere we know of: the local answer (404) says so
		return
	}
	h.proxy(node).ServeHTTP(w, r)
}

// locateFor is how long a node remembers where a stream is. A viewer's
// player asks several times a second; a stream that moves is found again
// within it (and a request the old node cannot serve is retried by the
// player anyway).
const locateFor = time.Second

type located struct {
	node  string
	ok    bool
	until time.Time
}

// locate finds roomID's ingest node, from memory when recently asked.
func (h *Relay) locate(ctx context.Context, roomID string) (string, bool, error) {
	now := time.Now()
	h.mu.Lock()
	l, cached := h.where[roomID]
	h.mu.Unlock()
	if cached && now.Before(l.until) {
		return l.node, l.ok, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	node, ok, err := h.cfg.Locator.Locate(ctx, roomID)
	if err != nil {
		return "", false, err
	}
	h.mu.Lock()
	if len(h.where) >= maxRemembered {
		for id, old := range h.where {
			if now.After(old.until) {
				delete(h.where, id)
			}
		}
	}
	if len(h.where) < maxRemembered {
		h.where[roomID] = located{node: node, ok: ok, until: now.Add(locateFor)}
	}
	h.mu.Unlock()
	return node, ok, nil
}

// maxRemembered bounds the placement cache (one entry per room asked about).
const maxRemembered = 100_000

// proxy returns the reverse proxy to node, made on first use.
func (h *Relay) proxy(node string) *httputil.ReverseProxy {
	h.mu.Lock()
	defer h.mu.Unlock()
	if p := h.proxies[node]; p != nil {
		return p
	}
	target, err := url.Parse(node)
	if err != nil {
		target = &url.URL{}
	}
	p := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			// Keep the chain of addresses the request came through, so
			// that behind a proxy (--trust-proxy) the ingest node still
			// limits each viewer, not the relaying node as a whole.
			if prior := pr.In.Header.Values("X-Forwarded-For"); len(prior) > 0 {
				pr.Out.Header["X-Forwarded-For"] = prior
			}
			pr.SetXForwarded()
			pr.Out.Header.Set(Header, h.cfg.Self)
		},
		Transport:     h.cfg.Transport,
		FlushInterval: -1, // LL-HLS parts and WHEP answers go out as they come
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if r.Context().Err() != nil {
				return // the viewer left (a player dropping a blocking reload): nothing to answer
			}
			h.cfg.Log.Warn("relay: ingest node unreachable", "node", node, "path", r.URL.Path, "err", err)
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusBadGateway)
			json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{
				"code": "unavailable", "message": "the node serving this live stream cannot be reached; retry shortly"}})
		},
	}
	h.proxies[node] = p
	return p
}

var netDialer = net.Dialer{Timeout: 3 * time.Second, KeepAlive: 30 * time.Second}
