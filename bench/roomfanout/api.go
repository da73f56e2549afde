package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
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
	data, err := newDataDir(o.bin)
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
	defer srv.stop()
	if err := setupShop(srv, fx); err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	if fx.toks, err = signUpUsers(srv, o.users); err != nil {
		return nil, err
	}
	return fx, nil
}

// setupShop signs a merchant up, has the admin approve its shop and adds
// a product.
func setupShop(s *server, fx *fixture) error {
	adminTok, err := s.apiToken("/api/v1/auth/signin", http.StatusOK, adminEmail, adminPassword)
	if err != nil {
		return fmt.Errorf("admin sign-in: %w", err)
	}
	tok, err := s.apiToken("/api/v1/auth/signup", http.StatusCreated, "merchant@bench.test", "bench-merchant-pw")
	if err != nil {
		return fmt.Errorf("merchant sign-up: %w", err)
	}
	var shop struct{ ID string }
	if err := s.call("POST", "/api/v1/shops", tok, map[string]any{"name": "Bench Studio", "category": "home",
		"region": "Zhejiang", "programme": "standard"}, &shop); err != nil {
		return err
	}
	if err := s.call("POST", "/api/v1/admin/shops/"+shop.ID+"/approve", adminTok, nil, nil); err != nil {
		return err
	}
	var prod struct{ ID string }
	if err := s.call("POST", "/api/v1/shops/"+shop.ID+"/products", tok, map[string]any{"title": "Bench lamp",
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
	if err := s.call("POST", "/api/v1/shops/"+fx.shopID+"/live-sessions", fx.merchant,
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
		if err := s.call("GET", "/api/v1/live-sessions/"+roomID, "", nil, &sess); err == nil && sess.Status == "live" {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("session did not go live: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// signUpUsers creates n viewer accounts with an API token each, a few at
// a time (every sign-up hashes a password with argon2id).
func signUpUsers(s *server, n int) ([]string, error) {
	toks := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			email := fmt.Sprintf("chatter%04d@bench.test", i)
			toks[i], errs[i] = s.apiToken("/api/v1/auth/signup", http.StatusCreated, email, "bench-chatter-pw")
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("sign up chatters: %w", err)
		}
	}
	return toks, nil
}

// call sends JSON with a bearer token and decodes the answer into out.
func (s *server) call(method, path, token string, body, out any) error {
	var rdr io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rdr = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.base+path, rdr)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(b))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: decode: %w", method, path, err)
		}
	}
	return nil
}

// apiToken authenticates at path as a browser would, then creates a
// bearer token with the session cookie and CSRF token.
func (s *server) apiToken(path string, want int, email, password string) (string, error) {
	req, _ := http.NewRequest("POST", s.base+path, strings.NewReader(fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.http.Do(req)
	if err != nil {
		return "", err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		return "", fmt.Errorf("%s %s: %d %s", path, email, resp.StatusCode, bytes.TrimSpace(b))
	}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	_ = json.Unmarshal(b, &me)
	req, _ = http.NewRequest("POST", s.base+"/api/v1/me/tokens", strings.NewReader(`{"name":"bench"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", me.CSRF)
	for _, ck := range resp.Cookies() {
		req.AddCookie(ck)
	}
	resp, err = s.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok struct {
		Secret string `json:"secret"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.Secret == "" {
		return "", fmt.Errorf("token for %s: %d", email, resp.StatusCode)
	}
	return tok.Secret, nil
}
