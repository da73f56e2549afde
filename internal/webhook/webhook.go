// Package webhook delivers merchant webhooks: order events written to an
// outbox in the same transaction as the change, then POSTed, HMAC-signed,
// to the shop's endpoints with retries and a delivery log.
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/order"
)

// Events a merchant can subscribe to.
var Events = []string{order.EventOrderPaid, order.EventOrderShipped, order.EventOrderDelivered,
	order.EventOrderCompleted, order.EventOrderCancelled, order.EventOrderRefunded,
	order.EventRefundRequested, order.EventRefundDeclined, order.EventRefundWithdrawn}

// Endpoint is a merchant URL that receives events.
type Endpoint struct {
	ID        string    `json:"id"`
	ShopID    string    `json:"shop_id"`
	URL       string    `json:"url"`
	Secret    string    `json:"secret,omitempty"` // shown when created
	Events    []string  `json:"events"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
}

// Delivery statuses.
const (
	Pending   = "pending"
	Delivered = "delivered"
	Failed    = "failed"
)

// Delivery is one event for one endpoint, with its attempts so far.
type Delivery struct {
	ID             string     `json:"id"`
	EndpointID     string     `json:"endpoint_id"`
	EventType      string     `json:"event_type"`
	Payload        string     `json:"payload"`
	Status         string     `json:"status"`
	Attempts       int        `json:"attempts"`
	NextAttemptAt  time.Time  `json:"next_attempt_at"`
	LastStatusCode int        `json:"last_status_code"`
	LastError      string     `json:"last_error,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	DeliveredAt    *time.Time `json:"delivered_at,omitempty"`

	URL    string `json:"-"`
	Secret string `json:"-"`
}

// Attempt is the outcome of one POST.
type Attempt struct {
	DeliveryID  string
	Delivered   bool
	GiveUp      bool
	StatusCode  int
	Error       string
	NextAttempt time.Time
	At          time.Time
}

// Repo stores endpoints and the outbox.
type Repo interface {
	CreateEndpoint(ctx context.Context, e Endpoint) error
	ListEndpoints(ctx context.Context, shopID string) ([]Endpoint, error)
	EndpointByID(ctx context.Context, id string) (Endpoint, error)
	DeleteEndpoint(ctx context.Context, id string) error
	// ClaimDue leases up to limit due deliveries so that no other node
	// sends them until the lease ends.
	ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Delivery, error)
	RecordAttempt(ctx context.Context, a Attempt) error
	ListDeliveries(ctx context.Context, endpointID, cursor string, limit int) ([]Delivery, error)
	// Redeliver queues a delivery again now.
	Redeliver(ctx context.Context, id string, now time.Time) error
	DeliveryByID(ctx context.Context, id string) (Delivery, error)
}

// Sign returns the signature header value for body sent at t:
// "t=<unix>,v1=<hex HMAC-SHA256 of "<unix>.<body>">".
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a signature header against body, refusing signatures
// older than tolerance. Receivers use it; so do our tests.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sig == "" {
		return apperr.New(apperr.Unauthorized, "malformed signature header")
	}
	t := time.Unix(sec, 0)
	if now.Sub(t) > tolerance || t.Sub(now) > tolerance {
		return apperr.New(apperr.Unauthorized, "signature timestamp outside the %s tolerance", tolerance)
	}
	want := Sign(secret, t, body)
	if !hmac.Equal([]byte(want), []byte("t="+ts+",v1="+sig)) {
		return apperr.New(apperr.Unauthorized, "signature does not match")
	}
	return nil
}

// Service manages a shop's endpoints.
type Service struct {
	repo Repo
	now  func() time.Time
}

// NewService returns a webhook service.
func NewService(repo Repo, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{repo: repo, now: now}
}

// EndpointInput registers an endpoint.
type EndpointInput struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// Create registers an endpoint for the shop; the owner only. The secret
// is returned once.
func (s *Service) Create(ctx context.Context, a account.Actor, shopID string, in EndpointInput) (Endpoint, error) {
	if err := administer(a, shopID); err != nil {
		return Endpoint{}, err
	}
	u, err := url.Parse(strings.TrimSpace(in.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(in.URL) > 500 {
		return Endpoint{}, apperr.Field("url", "url must be an absolute http(s) URL")
	}
	if len(in.Events) == 0 {
		in.Events = Events
	}
	for _, ev := range in.Events {
		if !known(ev) {
			return Endpoint{}, apperr.Field("events", "unknown event %q; known: %s", ev, strings.Join(Events, ", "))
		}
	}
	e := Endpoint{ID: ids.New("whe"), ShopID: shopID, URL: u.String(), Secret: "whsec_" + ids.Token(24), Events: in.Events, Active: true, CreatedAt: s.now().UTC()}
	if err := s.repo.CreateEndpoint(ctx, e); err != nil {
		return Endpoint{}, fmt.Errorf("webhook: create endpoint: %w", err)
	}
	return e, nil
}

func known(ev string) bool {
	for _, k := range Events {
		if k == ev {
			return true
		}
	}
	return false
}

func administer(a account.Actor, shopID string) error {
	if a.Anonymous() {
		return apperr.New(apperr.Unauthorized, "sign in first")
	}
	if !catalog.CanAdminister(a, shopID) {
		return apperr.New(apperr.Forbidden, "only the owner of shop %s manages its webhooks", shopID)
	}
	return nil
}

// List returns the shop's endpoints, without secrets.
func (s *Service) List(ctx context.Context, a account.Actor, shopID string) ([]Endpoint, error) {
	if err := administer(a, shopID); err != nil {
		return nil, err
	}
	eps, err := s.repo.ListEndpoints(ctx, shopID)
	for i := range eps {
		eps[i].Secret = ""
	}
	return eps, err
}

func (s *Service) endpoint(ctx context.Context, a account.Actor, id string) (Endpoint, error) {
	e, err := s.repo.EndpointByID(ctx, id)
	if err != nil {
		return Endpoint{}, err
	}
	if err := administer(a, e.ShopID); err != nil {
		return Endpoint{}, err
	}
	return e, nil
}

// Delete removes an endpoint and its log.
func (s *Service) Delete(ctx context.Context, a account.Actor, id string) error {
	if _, err := s.endpoint(ctx, a, id); err != nil {
		return err
	}
	return s.repo.DeleteEndpoint(ctx, id)
}

// Deliveries lists an endpoint's delivery log, newest first.
func (s *Service) Deliveries(ctx context.Context, a account.Actor, endpointID, cursor string, limit int) ([]Delivery, error) {
	if _, err := s.endpoint(ctx, a, endpointID); err != nil {
		return nil, err
	}
	return s.repo.ListDeliveries(ctx, endpointID, cursor, limit)
}

// Redeliver queues a delivery again.
func (s *Service) Redeliver(ctx context.Context, a account.Actor, deliveryID string) error {
	d, err := s.repo.DeliveryByID(ctx, deliveryID)
	if err != nil {
		return err
	}
	if _, err := s.endpoint(ctx, a, d.EndpointID); err != nil {
		return err
	}
	return s.repo.Redeliver(ctx, deliveryID, s.now().UTC())
}
