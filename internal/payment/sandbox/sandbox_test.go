package sandbox

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/order"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func testPayment() order.Payment {
	return order.Payment{ID: "pay_1", OrderID: "ord_1", Provider: Name, AmountMinor: 1990, Currency: "CNY", Status: order.PaymentPending}
}

// shop is a fake liveshop server: it mounts the pay page and answers the
// webhook with a fixed status, verifying each event with the provider.
type shop struct {
	t      *testing.T
	srv    *httptest.Server
	p      *Provider
	status int

	mu     sync.Mutex
	events []order.ProviderEvent
	bodies []Event
}

func newShop(t *testing.T, status int) *shop {
	t.Helper()
	s := &shop{t: t, status: status}
	mux := http.NewServeMux()
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	s.p = New(Config{Secret: []byte("test-secret"), PublicURL: s.srv.URL + "/", Client: s.srv.Client(), Now: func() time.Time { return testNow }})
	mux.HandleFunc("GET /sandbox/pay/{paymentID}", s.p.PayPage)
	mux.HandleFunc("POST /sandbox/pay/{paymentID}", s.p.Confirm)
	mux.HandleFunc("POST "+WebhookPath, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ev, err := s.p.VerifyWebhook(r.Header, body)
		if err != nil {
			t.Errorf("webhook from Confirm does not verify: %v", err)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var raw Event
		_ = json.Unmarshal(body, &raw)
		s.mu.Lock()
		s.events = append(s.events, ev)
		s.bodies = append(s.bodies, raw)
		s.mu.Unlock()
		w.WriteHeader(s.status)
	})
	return s
}

// client does not follow redirects, so tests see the 303.
func (s *shop) client() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (s *shop) begin(returnURL string) string {
	s.t.Helper()
	link, err := s.p.Begin(context.Background(), testPayment(), returnURL)
	if err != nil {
		s.t.Fatal(err)
	}
	return link
}

func get(t *testing.T, c *http.Client, link string) (int, string) {
	t.Helper()
	res, err := c.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// confirmForm is what the pay page's form posts for a link.
func confirmForm(t *testing.T, link, outcome string) (string, url.Values) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	form := u.Query()
	form.Set("outcome", outcome)
	u.RawQuery = ""
	return u.String(), form
}

func TestBegin(t *testing.T) {
	p := New(Config{Secret: []byte("k"), PublicURL: "https://shop.example/"})
	tests := []struct {
		name       string
		returnURL  string
		wantReturn string
	}{
		{"local path kept", "/orders/ord_1?tab=pay", "/orders/ord_1?tab=pay"},
		{"empty", "", "/orders/ord_1"},
		{"absolute URL", "https://evil.example/", "/orders/ord_1"},
		{"protocol-relative", "//evil.example/x", "/orders/ord_1"},
		{"backslash", "/\\evil.example", "/orders/ord_1"},
		{"relative without slash", "orders/ord_1", "/orders/ord_1"},
		{"javascript", "javascript:alert(1)", "/orders/ord_1"},
		{"control character", "/orders\n/x", "/orders/ord_1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			link, err := p.Begin(context.Background(), testPayment(), tt.returnURL)
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(link)
			if err != nil {
				t.Fatal(err)
			}
			if u.Scheme+"://"+u.Host+u.Path != "https://shop.example/sandbox/pay/pay_1" {
				t.Errorf("link = %s", link)
			}
			q := u.Query()
			if q.Get("return") != tt.wantReturn || q.Get("amount") != "1990" || q.Get("currency") != "CNY" || q.Get("order") != "ord_1" || q.Get("sig") == "" {
				t.Errorf("query = %v", q)
			}
		})
	}
}

func TestBeginRefusesBadPayments(t *testing.T) {
	p := New(Config{Secret: []byte("k"), PublicURL: "http://x"})
	tests := []struct {
		name  string
		edit  func(*order.Payment)
		field string
	}{
		{"no id", func(p *order.Payment) { p.ID = "" }, "payment_id"},
		{"zero amount", func(p *order.Payment) { p.AmountMinor = 0 }, "amount_minor"},
		{"negative amount", func(p *order.Payment) { p.AmountMinor = -1 }, "amount_minor"},
		{"unknown currency", func(p *order.Payment) { p.Currency = "XXX" }, "currency"},
	}
	for _, tt := range tests {
		pay := testPayment()
		tt.edit(&pay)
		_, err := p.Begin(context.Background(), pay, "/")
		if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || e.Field != tt.field {
			t.Errorf("%s: err = %v, want Invalid on %s", tt.name, err, tt.field)
		}
	}
}

func TestPayPage(t *testing.T) {
	s := newShop(t, http.StatusOK)
	link := s.begin("/orders/ord_1")
	tamper := func(key, value string) string {
		u, _ := url.Parse(link)
		q := u.Query()
		if value == "" {
			q.Del(key)
		} else {
			q.Set(key, value)
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	tests := []struct {
		name       string
		link       string
		wantStatus int
		want       []string
		notWant    []string
	}{
		{"signed link", link, 200, []string{"liveshop sandbox payment", "¥19.90", "ord_1", `data-testid="sandbox-pay"`, "Pay ¥19.90", `data-testid="sandbox-decline"`, "Decline", `method="post"`}, nil},
		{"amount changed", tamper("amount", "1"), 400, []string{"tampered"}, []string{"¥0.01", "sandbox-pay"}},
		{"currency changed", tamper("currency", "JPY"), 400, []string{"tampered"}, nil},
		{"return changed", tamper("return", "/evil"), 400, []string{"tampered"}, nil},
		{"signature missing", tamper("sig", ""), 400, []string{"tampered"}, nil},
		{"signature garbage", tamper("sig", "zz"), 400, []string{"tampered"}, nil},
		{"other payment id", strings.Replace(link, "/pay_1?", "/pay_2?", 1), 400, []string{"tampered"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(t, s.client(), tt.link)
			if status != tt.wantStatus {
				t.Fatalf("status = %d, want %d\n%s", status, tt.wantStatus, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("page shows %q", w)
				}
			}
		})
	}
}

func TestPayPageEscapes(t *testing.T) {
	s := newShop(t, http.StatusOK)
	pay := testPayment()
	pay.OrderID = `<script>alert(1)</script>`
	link, err := s.p.Begin(context.Background(), pay, "")
	if err != nil {
		t.Fatal(err)
	}
	status, body := get(t, s.client(), link)
	if status != 200 || strings.Contains(body, "<script>alert") {
		t.Errorf("status %d, unescaped order id in page", status)
	}
}

func TestConfirm(t *testing.T) {
	tests := []struct {
		name          string
		outcome       string
		webhookStatus int
		wantStatus    int
		wantLocation  string
		wantType      string
	}{
		{"pay", "succeed", 200, 303, "/orders/ord_1?payment=succeeded&tab=x", EventSucceeded},
		{"decline", "decline", 204, 303, "/orders/ord_1?payment=failed&tab=x", EventFailed},
		{"already processed", "succeed", 409, 303, "/orders/ord_1?payment=succeeded&tab=x", EventSucceeded},
		{"shop error", "succeed", 500, 502, "", EventSucceeded},
		{"shop unauthorized", "succeed", 401, 502, "", EventSucceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShop(t, tt.webhookStatus)
			action, form := confirmForm(t, s.begin("/orders/ord_1?tab=x"), tt.outcome)
			res, err := s.client().PostForm(action, form)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d\n%s", res.StatusCode, tt.wantStatus, body)
			}
			if got := res.Header.Get("Location"); got != tt.wantLocation {
				t.Errorf("Location = %q, want %q", got, tt.wantLocation)
			}
			if tt.wantStatus == 502 && !strings.Contains(string(body), http.StatusText(tt.webhookStatus)) {
				t.Errorf("error page does not name the status %d:\n%s", tt.webhookStatus, body)
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if len(s.events) != 1 {
				t.Fatalf("webhooks delivered = %d, want 1", len(s.events))
			}
			ev, raw := s.events[0], s.bodies[0]
			if ev.PaymentID != "pay_1" || ev.Succeeded != (tt.wantType == EventSucceeded) || !ev.At.Equal(testNow) || !strings.HasPrefix(ev.ID, "evt_") {
				t.Errorf("event = %+v", ev)
			}
			if raw.Type != tt.wantType || raw.AmountMinor != 1990 || raw.Currency != "CNY" || raw.Created != testNow.Unix() {
				t.Errorf("body = %+v", raw)
			}
		})
	}
}

func TestConfirmRefuses(t *testing.T) {
	s := newShop(t, http.StatusOK)
	link := s.begin("/orders/ord_1")
	tests := []struct {
		name       string
		edit       func(url.Values)
		wantStatus int
	}{
		{"amount changed", func(v url.Values) { v.Set("amount", "1") }, 400},
		{"signature missing", func(v url.Values) { v.Del("sig") }, 400},
		{"unknown outcome", func(v url.Values) { v.Set("outcome", "refund") }, 400},
		{"no outcome", func(v url.Values) { v.Del("outcome") }, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			action, form := confirmForm(t, link, "succeed")
			tt.edit(form)
			res, err := s.client().PostForm(action, form)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", res.StatusCode, tt.wantStatus)
			}
		})
	}
	t.Run("GET on Confirm", func(t *testing.T) {
		rec := httptest.NewRecorder()
		s.p.Confirm(rec, httptest.NewRequest(http.MethodGet, link, nil))
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" {
			t.Errorf("status = %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
		}
	})
	t.Run("signed params only in the query", func(t *testing.T) {
		// Confirm reads the body, not the URL: a link alone cannot pay.
		res, err := s.client().PostForm(link, url.Values{"outcome": {"succeed"}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 400 {
			t.Errorf("status = %d, want 400", res.StatusCode)
		}
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.events) != 0 {
		t.Errorf("refused confirmations delivered %d webhooks", len(s.events))
	}
}

func TestConfirmWebhookUnreachable(t *testing.T) {
	p := New(Config{Secret: []byte("k"), PublicURL: "http://127.0.0.1:1", Now: func() time.Time { return testNow }})
	link, err := p.Begin(context.Background(), testPayment(), "/orders/ord_1")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(link)
	form := u.Query()
	form.Set("outcome", "succeed")
	req := httptest.NewRequest(http.MethodPost, u.Path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetPathValue("paymentID", "pay_1")
	rec := httptest.NewRecorder()
	p.Confirm(rec, req)
	if rec.Code != http.StatusBadGateway || !strings.Contains(rec.Body.String(), "could not deliver") {
		t.Errorf("status = %d\n%s", rec.Code, rec.Body)
	}
}

func TestVerifyWebhook(t *testing.T) {
	p := New(Config{Secret: []byte("right"), Now: func() time.Time { return testNow }})
	other := New(Config{Secret: []byte("wrong")})
	body := []byte(`{"id":"evt_1","type":"payment.succeeded","payment_id":"pay_1","amount_minor":1990,"currency":"CNY","created":` + itoa64(testNow.Unix()) + `}`)
	good := p.SignEvent(body, testNow)
	_, goodMAC, _ := strings.Cut(good, ",")
	header := func(v string) http.Header {
		h := http.Header{}
		if v != "" {
			h.Set(SignatureHeader, v)
		}
		return h
	}
	tests := []struct {
		name     string
		header   string
		body     []byte
		wantCode string
		wantMsg  string
	}{
		{"good", good, body, "", ""},
		{"within tolerance", p.SignEvent(body, testNow.Add(-4*time.Minute)), body, "", ""},
		{"rotating secrets", good + ",v1=" + strings.Repeat("ab", 32), body, "", ""},
		{"wrong secret", other.SignEvent(body, testNow), body, apperr.Unauthorized, "does not match"},
		{"body changed", good, []byte(strings.Replace(string(body), "succeeded", "failed", 1)), apperr.Unauthorized, "does not match"},
		{"stale", p.SignEvent(body, testNow.Add(-6*time.Minute)), body, apperr.Unauthorized, "tolerance"},
		{"from the future", p.SignEvent(body, testNow.Add(6*time.Minute)), body, apperr.Unauthorized, "tolerance"},
		{"timestamp swapped", "t=" + itoa64(testNow.Unix()+1) + "," + goodMAC, body, apperr.Unauthorized, "does not match"},
		{"missing", "", body, apperr.Unauthorized, "missing"},
		{"no t", goodMAC, body, apperr.Unauthorized, "malformed"},
		{"no v1", "t=" + itoa64(testNow.Unix()), body, apperr.Unauthorized, "malformed"},
		{"not key=value", "garbage", body, apperr.Unauthorized, "malformed"},
		{"non-numeric t", "t=now," + goodMAC, body, apperr.Unauthorized, "malformed"},
		{"bad JSON", p.SignEvent([]byte("{"), testNow), []byte("{"), apperr.Invalid, "JSON"},
		{"unknown type", p.SignEvent([]byte(`{"id":"e","type":"x","payment_id":"p"}`), testNow), []byte(`{"id":"e","type":"x","payment_id":"p"}`), apperr.Invalid, "unknown"},
		{"no payment id", p.SignEvent([]byte(`{"id":"e","type":"payment.failed"}`), testNow), []byte(`{"id":"e","type":"payment.failed"}`), apperr.Invalid, "no event or payment id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := p.VerifyWebhook(header(tt.header), tt.body)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("VerifyWebhook: %v", err)
				}
				want := order.ProviderEvent{ID: "evt_1", PaymentID: "pay_1", Succeeded: true, At: testNow}
				if ev != want {
					t.Errorf("event = %+v, want %+v", ev, want)
				}
				return
			}
			e, ok := apperr.As(err)
			if !ok || e.Code != tt.wantCode || !strings.Contains(e.Message, tt.wantMsg) {
				t.Errorf("err = %v, want %s containing %q", err, tt.wantCode, tt.wantMsg)
			}
		})
	}
}

func TestRefund(t *testing.T) {
	p := New(Config{Secret: []byte("k")})
	pay := testPayment()
	pay.Status = order.PaymentSucceeded
	if err := p.Refund(context.Background(), pay); err != nil {
		t.Errorf("Refund of a succeeded payment: %v", err)
	}
	pay.Status = order.PaymentPending
	if err := p.Refund(context.Background(), pay); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("Refund of a pending payment: err = %v, want Conflict", err)
	}
}

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		minor    int64
		currency string
		want     string
	}{
		{1990, "CNY", "¥19.90"},
		{5, "CNY", "¥0.05"},
		{1000, "JPY", "¥1000"},
		{1999, "USD", "$19.99"},
		{250, "EUR", "€2.50"},
		{100, "HKD", "HK$1.00"},
		{-150, "USD", "-$1.50"},
		{100, "XYZ", "XYZ 1.00"},
	}
	for _, tt := range tests {
		if got := formatAmount(tt.minor, tt.currency); got != tt.want {
			t.Errorf("formatAmount(%d, %s) = %q, want %q", tt.minor, tt.currency, got, tt.want)
		}
	}
}

func TestNewDefaults(t *testing.T) {
	p := New(Config{})
	if p.Name() != "sandbox" || len(p.secret) != 32 || p.tolerance != DefaultTolerance || p.client == nil || p.now == nil || p.log == nil {
		t.Errorf("defaults not applied: %+v", p)
	}
	// A random secret still round-trips within the process.
	body := []byte(`{"id":"e","type":"payment.failed","payment_id":"p"}`)
	h := http.Header{SignatureHeader: {p.SignEvent(body, time.Now())}}
	if _, err := p.VerifyWebhook(h, body); err != nil {
		t.Errorf("VerifyWebhook with a random secret: %v", err)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
