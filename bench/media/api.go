package main

import (
	"fmt"
	"net/http"

	"github.com/liveshop/liveshop/bench/internal/benchsrv"
)

const (
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
	adminTok, err := s.APIToken("/api/v1/auth/signin", http.StatusOK, benchsrv.AdminEmail, benchsrv.AdminPassword)
	if err != nil {
		return nil, fmt.Errorf("admin sign-in: %w", err)
	}
	tok, err := s.APIToken("/api/v1/auth/signup", http.StatusCreated, merchantEmail, merchantPassword)
	if err != nil {
		return nil, fmt.Errorf("merchant sign-up: %w", err)
	}
	m := &merchant{s: s, token: tok}
	var shop struct{ ID string }
	if err := s.Call("POST", "/api/v1/shops", tok, map[string]any{"name": "Bench Studio", "category": "home",
		"region": "Zhejiang", "programme": "standard"}, &shop); err != nil {
		return nil, err
	}
	if err := s.Call("POST", "/api/v1/admin/shops/"+shop.ID+"/approve", adminTok, nil, nil); err != nil {
		return nil, err
	}
	var prod struct{ ID string }
	if err := s.Call("POST", "/api/v1/shops/"+shop.ID+"/products", tok, map[string]any{"title": "Bench lamp",
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
	if err := m.s.Call("POST", "/api/v1/shops/"+m.shopID+"/live-sessions", m.token,
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
	return "rtmp://" + m.s.RTMP + "/live#" + ls.key
}
