package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/liveshop/liveshop/bench/internal/benchsrv"
)

// fixture is what every server of a run shares through its data
// directory: an approved shop with a product, and the chat senders'
// tokens (signing up hashes a password with argon2id, so 1,000 senders
// take a while: they are made once).
type fixture struct {
	data     string
	merchant string // token
	shopID   string
	product  string
	toks     []string
}

// prepare fills a new fixture on a server of its own, so that no step's
// server carries the sign-ups' memory (argon2id takes 19 MiB a hash).
func prepare(o opts) (_ *fixture, err error) {
	data, err := benchsrv.NewDataDir(o.bin, "liveshop-bench-room")
	if err != nil {
		return nil, err
	}
	fx := &fixture{data: data}
	defer func() {
		if err != nil {
			os.RemoveAll(data)
		}
	}()
	srv, err := bootServer(o.bin, data, o.extra, &http.Client{Timeout: 60 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("boot: %w", err)
	}
	defer srv.Stop()
	if err := setupShop(srv, fx); err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	if fx.toks, err = srv.SignUpMany("chatter", o.users); err != nil {
		return nil, err
	}
	return fx, nil
}

// setupShop signs a merchant up, has the admin approve its shop and adds
// a product.
func setupShop(s *server, fx *fixture) error {
	adminTok, err := s.APIToken("/api/v1/auth/signin", http.StatusOK, benchsrv.AdminEmail, benchsrv.AdminPassword)
	if err != nil {
		return fmt.Errorf("admin sign-in: %w", err)
	}
	tok, err := s.APIToken("/api/v1/auth/signup", http.StatusCreated, "merchant@bench.test", "bench-merchant-pw")
	if err != nil {
		return fmt.Errorf("merchant sign-up: %w", err)
	}
	var shop struct{ ID string }
	if err := s.Call("POST", "/api/v1/shops", tok, map[string]any{"name": "Bench Studio", "category": "home",
		"region": "Zhejiang", "programme": "standard"}, &shop); err != nil {
		return err
	}
	if err := s.Call("POST", "/api/v1/admin/shops/"+shop.ID+"/approve", adminTok, nil, nil); err != nil {
		return err
	}
	var prod struct{ ID string }
	if err := s.Call("POST", "/api/v1/shops/"+shop.ID+"/products", tok, map[string]any{"title": "Bench lamp",
		"category": "home", "skus": []map[string]any{{"code": "L1", "price_minor": 9900, "stock": 1000}}}, &prod); err != nil {
		return err
	}
	fx.merchant, fx.shopID, fx.product = tok, shop.ID, prod.ID
	return nil
}

// newSession schedules a live session with the shop's product and
// returns its id (the room id) and stream key (never printed).
func newSession(s *server, fx *fixture) (id, key string, err error) {
	var studio struct {
		Session struct {
			ID string `json:"id"`
		} `json:"session"`
		StreamKey string `json:"stream_key"`
	}
	if err := s.Call("POST", "/api/v1/shops/"+fx.shopID+"/live-sessions", fx.merchant,
		map[string]any{"title": "Chat fan-out", "product_ids": []string{fx.product}}, &studio); err != nil {
		return "", "", err
	}
	if studio.Session.ID == "" || studio.StreamKey == "" {
		return "", "", fmt.Errorf("live session: the answer has no session id or stream key")
	}
	return studio.Session.ID, studio.StreamKey, nil
}

// waitLive polls the session until its status is live.
func (s *server) waitLive(ctx context.Context, roomID string) error {
	for {
		var sess struct {
			Status string `json:"status"`
		}
		if err := s.Call("GET", "/api/v1/live-sessions/"+roomID, "", nil, &sess); err == nil && sess.Status == "live" {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("session did not go live: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}
