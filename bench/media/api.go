package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

const (
	adminEmail       = "admin@bench.test"
	adminPassword    = "bench-admin-pw"
	merchantEmail    = "merchant@bench.test"
	merchantPassword = "bench-merchant-pw"
)

// merchant is an approved shop with one product, able to schedule live
// sessions.
type merchant struct {
	s       *server
	token   string
	shopID  string
	product string
}

// liveSession is a scheduled session: its id is the room id.
type liveSession struct {
	id  string
	key string
}

// setupMerchant signs a merchant up, has the admin approve its shop and
// adds a product for the sessions' shelf.
func setupMerchant(s *server) (*merchant, error) {
	adminTok, err := s.apiToken("/api/v1/auth/signin", http.StatusOK, adminEmail, adminPassword)
	if err != nil {
		return nil, fmt.Errorf("admin sign-in: %w", err)
	}
	tok, err := s.apiToken("/api/v1/auth/signup", http.StatusCreated, merchantEmail, merchantPassword)
	if err != nil {
		return nil, fmt.Errorf("merchant sign-up: %w", err)
	}
	m := &merchant{s: s, token: tok}
	var shop struct{ ID string }
	if err := s.call("POST", "/api/v1/shops", tok, map[string]any{"name": "Bench Studio", "category": "home",
		"region": "Zhejiang", "programme": "standard"}, &shop); err != nil {
		return nil, err
	}
	if err := s.call("POST", "/api/v1/admin/shops/"+shop.ID+"/approve", adminTok, nil, nil); err != nil {
		return nil, err
	}
	var prod struct{ ID string }
	if err := s.call("POST", "/api/v1/shops/"+shop.ID+"/products", tok, map[string]any{"title": "Bench lamp",
		"category": "home", "skus": []map[string]any{{"code": "L1", "price_minor": 9900, "stock": 1000}}}, &prod); err != nil {
		return nil, err
	}
	m.shopID, m.product = shop.ID, prod.ID
	return m, nil
}

// newSession schedules a live session with the merchant's product.
func (m *merchant) newSession(title string) (liveSession, error) {
	var studio struct {
		Session struct {
			ID string `json:"id"`
		} `json:"session"`
		StreamKey string `json:"stream_key"`
	}
	if err := m.s.call("POST", "/api/v1/shops/"+m.shopID+"/live-sessions", m.token,
		map[string]any{"title": title, "product_ids": []string{m.product}}, &studio); err != nil {
		return liveSession{}, err
	}
	if studio.Session.ID == "" || studio.StreamKey == "" {
		return liveSession{}, fmt.Errorf("live session: the answer has no session id or stream key")
	}
	return liveSession{id: studio.Session.ID, key: studio.StreamKey}, nil
}

// rtmpURL is the session's publish URL in gortmplib's form: the key
// travels as the publish name, as OBS sends it.
func (m *merchant) rtmpURL(ls liveSession) string {
	return "rtmp://" + m.s.rtmp + "/live#" + ls.key
}

// call sends JSON with a bearer token and decodes the answer into out.
// Errors never include the request body (it may hold a stream key).
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
