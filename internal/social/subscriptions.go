package social

import (
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
)

// maxEndpoint bounds a push endpoint URL.
const maxEndpoint = 2048

func pushOff() error {
	return apperr.New(apperr.Unavailable, "web push is not configured on this server")
}

// VAPIDPublicKey returns the key browsers subscribe with. Unavailable
// when Web Push is off. Public.
func (s *Service) VAPIDPublicKey() (VAPIDPublicKey, error) {
	if s.push == nil {
		return VAPIDPublicKey{}, pushOff()
	}
	return VAPIDPublicKey{PublicKey: s.push.PublicKey()}, nil
}

// SubscribePush stores a browser's push subscription for the actor (an
// endpoint already stored moves to the actor). Invalid with field
// endpoint (an https URL; http://127.0.0.1 only when the pusher allows
// it), keys.p256dh (a P-256 public key), keys.auth (16 bytes) or locale
// (en or zh-CN, the language of its pushes; "" is English);
// Unauthorized; Unavailable when Web Push is off.
func (s *Service) SubscribePush(ctx context.Context, a account.Actor, in PushSubscriptionInput) (PushSubscription, error) {
	if err := signedIn(a); err != nil {
		return PushSubscription{}, err
	}
	if s.push == nil {
		return PushSubscription{}, pushOff()
	}
	in.Endpoint = strings.TrimSpace(in.Endpoint)
	if err := checkEndpoint(in.Endpoint, s.push.allowHTTP); err != nil {
		return PushSubscription{}, err
	}
	if k, err := decodeKey(in.Keys.P256dh); err != nil || len(k) != 65 {
		return PushSubscription{}, apperr.Field("keys.p256dh", "keys.p256dh must be a base64url P-256 public key")
	} else if _, err := ecdh.P256().NewPublicKey(k); err != nil {
		return PushSubscription{}, apperr.Field("keys.p256dh", "keys.p256dh is not a point on P-256")
	}
	if k, err := decodeKey(in.Keys.Auth); err != nil || len(k) != 16 {
		return PushSubscription{}, apperr.Field("keys.auth", "keys.auth must be 16 bytes, base64url")
	}
	locale, ok := normalizeLocale(in.Locale)
	if !ok {
		return PushSubscription{}, apperr.Field("locale", "locale must be en or zh-CN")
	}
	p := PushSubscription{ID: ids.New("psb"), UserID: a.ID(), Endpoint: in.Endpoint, Keys: in.Keys, Locale: locale,
		CreatedAt: s.now().UTC().Truncate(time.Millisecond)}
	if err := s.repo.SavePushSubscription(ctx, p); err != nil {
		return PushSubscription{}, fmt.Errorf("social: save push subscription of %s: %w", a.ID(), err)
	}
	return p, nil
}

// UnsubscribePush deletes the actor's subscription to endpoint; none is
// no error. Invalid (field endpoint), Unauthorized.
func (s *Service) UnsubscribePush(ctx context.Context, a account.Actor, endpoint string) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if endpoint == "" || len(endpoint) > maxEndpoint {
		return apperr.Field("endpoint", "endpoint is required")
	}
	if err := s.repo.DeletePushSubscription(ctx, a.ID(), endpoint); err != nil {
		return fmt.Errorf("social: delete push subscription of %s: %w", a.ID(), err)
	}
	return nil
}

// checkEndpoint accepts https URLs with a host, and http URLs on
// 127.0.0.1 when allowHTTP (tests run a push service on loopback).
func checkEndpoint(endpoint string, allowHTTP bool) error {
	bad := func(msg string) error { return apperr.Field("endpoint", "%s", msg) }
	if endpoint == "" {
		return bad("endpoint is required")
	}
	if len(endpoint) > maxEndpoint {
		return bad(fmt.Sprintf("endpoint is longer than %d characters", maxEndpoint))
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || u.User != nil {
		return bad("endpoint must be an https URL")
	}
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && allowHTTP && u.Hostname() == "127.0.0.1":
		return nil
	}
	return bad("endpoint must be an https URL")
}

// decodeKey reads base64url with or without padding (browsers send it
// unpadded; some libraries pad).
func decodeKey(v string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(v, "="))
}
