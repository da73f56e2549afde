package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/liveshop/liveshop/bench/internal/benchsrv"
)

// liveshop is a freshly started server with an approved shop, a product
// with one SKU per sale the run needs, and the buyers' tokens.
type liveshop struct {
	*benchsrv.Server
	merchant string
	shopID   string
	product  string
	skus     []string
	tokens   []string

	cleanup []func()
}

// sale is the part of a FlashSale the benchmark reads.
type sale struct {
	ID        string    `json:"id"`
	Stock     int       `json:"stock"`
	Remaining int       `json:"remaining"`
	Sold      int       `json:"sold"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Status    string    `json:"status"`
}

// bootLiveshop starts bin on db (sqlite, or postgres in a schema of its
// own under pgBase) with a client keeping conns idle connections, and
// makes the shop and a product with nSKUs SKUs of skuStock each. The
// buyers come with signUp.
func bootLiveshop(o opts, conns, nSKUs, skuStock int) (_ *liveshop, err error) {
	l := &liveshop{}
	defer func() {
		if err != nil {
			l.stop()
		}
	}()
	data, err := os.MkdirTemp("", "liveshop-bench-flash")
	if err != nil {
		return nil, err
	}
	l.cleanup = append(l.cleanup, func() { os.RemoveAll(data) })
	var dbFlags []string
	switch o.db {
	case "sqlite":
	case "postgres":
		schema := fmt.Sprintf("bench_flash_%d", time.Now().UnixNano())
		admin, err := sql.Open("pgx", o.pg)
		if err != nil {
			return nil, err
		}
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			admin.Close()
			return nil, fmt.Errorf("postgres at %s: %w", o.pg, err)
		}
		l.cleanup = append(l.cleanup, func() { _, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE"); admin.Close() })
		sep := "?"
		if strings.Contains(o.pg, "?") {
			sep = "&"
		}
		dbFlags = []string{"--db", o.pg + sep + "search_path=" + schema}
	default:
		return nil, fmt.Errorf("-db %q must be sqlite or postgres", o.db)
	}
	if out, err := exec.Command(o.bin, append([]string{"admin", "create-user", "--email", benchsrv.AdminEmail,
		"--password", benchsrv.AdminPassword, "--admin", "--data", data, "--log-level", "warn"}, dbFlags...)...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("create admin: %v: %s", err, out)
	}
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: 5 * time.Minute}}
	srv, err := benchsrv.Boot(o.bin, data, append(append(dbFlags, "--log-level", "warn"), o.extra...), hc)
	if err != nil {
		return nil, fmt.Errorf("boot: %w", err)
	}
	l.Server = srv
	if err := l.setupShop(nSKUs, skuStock); err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	return l, nil
}

func (l *liveshop) stop() {
	if l.Server != nil {
		l.Stop()
	}
	for i := len(l.cleanup) - 1; i >= 0; i-- {
		l.cleanup[i]()
	}
}

// setupShop signs a merchant up, has the admin approve its shop and adds
// a product with n SKUs.
func (l *liveshop) setupShop(n, stock int) error {
	adminTok, err := l.APIToken("/api/v1/auth/signin", http.StatusOK, benchsrv.AdminEmail, benchsrv.AdminPassword)
	if err != nil {
		return fmt.Errorf("admin sign-in: %w", err)
	}
	tok, err := l.APIToken("/api/v1/auth/signup", http.StatusCreated, "merchant@bench.test", "bench-merchant-pw")
	if err != nil {
		return fmt.Errorf("merchant sign-up: %w", err)
	}
	var shop struct{ ID string }
	if err := l.Call("POST", "/api/v1/shops", tok, map[string]any{"name": "Bench Flash", "category": "food",
		"region": "Zhejiang"}, &shop); err != nil {
		return err
	}
	if err := l.Call("POST", "/api/v1/admin/shops/"+shop.ID+"/approve", adminTok, nil, nil); err != nil {
		return err
	}
	skus := make([]map[string]any, n)
	for i := range skus {
		skus[i] = map[string]any{"code": fmt.Sprintf("HOT%02d", i), "price_minor": 9900, "stock": stock}
	}
	var prod struct {
		ID   string
		SKUs []struct{ ID string } `json:"skus"`
	}
	if err := l.Call("POST", "/api/v1/shops/"+shop.ID+"/products", tok, map[string]any{"title": "Bench rice cooker",
		"category": "home", "skus": skus}, &prod); err != nil {
		return err
	}
	if len(prod.SKUs) != n {
		return fmt.Errorf("product has %d SKUs, want %d", len(prod.SKUs), n)
	}
	l.merchant, l.shopID, l.product = tok, shop.ID, prod.ID
	for _, s := range prod.SKUs {
		l.skus = append(l.skus, s.ID)
	}
	return nil
}

// signUp creates n buyer accounts with an API token each.
func (l *liveshop) signUp(n int) error {
	toks, err := l.SignUpMany("buyer", n)
	if err != nil {
		return err
	}
	l.tokens = toks
	return nil
}

var limitRange = regexp.MustCompile(`between 1 and (\d+)`)

// perUserCap is the highest per-buyer limit up to want that the server
// takes: it creates a sale of one unit of sku with want, and on a
// refusal naming per_user_limit ("between 1 and N") retries with N. The
// probe sale is ended at once.
func (l *liveshop) perUserCap(sku string, want int) (int, error) {
	s, err := l.newSale(sku, 1, want, 10*time.Minute)
	if err != nil && strings.Contains(err.Error(), `"field":"per_user_limit"`) {
		m := limitRange.FindStringSubmatch(err.Error())
		if m == nil {
			return 0, err
		}
		if want, err = strconv.Atoi(m[1]); err != nil {
			return 0, err
		}
		s, err = l.newSale(sku, 1, want, 10*time.Minute)
	}
	if err != nil {
		return 0, err
	}
	return want, l.Call("POST", "/api/v1/flash-sales/"+s.ID+"/end", l.merchant, nil, nil)
}

// newSale schedules a live session with the product on its shelf and
// creates a flash sale of stock units of sku on it, starting in 10 s.
func (l *liveshop) newSale(sku string, stock, perUser int, duration time.Duration) (sale, error) {
	var studio struct {
		Session struct {
			ID string `json:"id"`
		} `json:"session"`
	}
	if err := l.Call("POST", "/api/v1/shops/"+l.shopID+"/live-sessions", l.merchant,
		map[string]any{"title": "Flash sale bench", "product_ids": []string{l.product}}, &studio); err != nil {
		return sale{}, err
	}
	var s sale
	err := l.Call("POST", "/api/v1/live-sessions/"+studio.Session.ID+"/flash-sales", l.merchant, map[string]any{
		"sku_id": sku, "price_minor": 4900, "stock": stock, "per_user_limit": perUser,
		"countdown_seconds": 10, "duration_seconds": int(duration.Seconds()), "payment_window_seconds": 1800}, &s)
	if err == nil && s.ID == "" {
		err = fmt.Errorf("flash sale: the answer has no id")
	}
	return s, err
}

func (l *liveshop) sale(id string) (sale, error) {
	var s sale
	err := l.Call("GET", "/api/v1/flash-sales/"+id, "", nil, &s)
	return s, err
}

// waitRunning waits for the sale's starts_at, then polls until its status
// is running.
func (l *liveshop) waitRunning(ctx context.Context, s sale) error {
	if d := time.Until(s.StartsAt); d > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
		}
	}
	for {
		cur, err := l.sale(s.ID)
		if err == nil && cur.Status == "running" {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("flash sale %s did not start (status %q, %v): %w", s.ID, cur.Status, err, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// reserve is the reserveFunc of the sale: one unit, buyer's token.
func (l *liveshop) reserve(saleID string) reserveFunc {
	body := []byte(`{"quantity":1}`)
	return httpReserve(l.HTTP, l.Base+"/api/v1/flash-sales/"+saleID+"/reservations",
		func(int) []byte { return body }, func(b int) string { return l.tokens[b%len(l.tokens)] })
}

// warm opens a connection for a buyer with a cheap read of the sale.
func (l *liveshop) warm(saleID string) func(int) error {
	return func(int) error { _, err := l.sale(saleID); return err }
}

// check verifies a sale after its run: sold + remaining = stock, sold
// never above stock, and sold equals the 201s the buyers got (lost
// requests got no answer and may or may not have reserved).
func (l *liveshop) check(id string, created, lost int) (string, bool) {
	s, err := l.sale(id)
	if err != nil {
		return "cannot read the sale: " + err.Error(), false
	}
	switch {
	case s.Sold > s.Stock || s.Remaining < 0 || created > s.Stock:
		return fmt.Sprintf("OVERSOLD: stock %d, sold %d, remaining %d, %d × 201", s.Stock, s.Sold, s.Remaining, created), false
	case s.Sold+s.Remaining != s.Stock:
		return fmt.Sprintf("MISMATCH: sold %d + remaining %d ≠ stock %d", s.Sold, s.Remaining, s.Stock), false
	case created > s.Sold || created+lost < s.Sold:
		return fmt.Sprintf("MISMATCH: sold %d, %d × 201 (%d unanswered)", s.Sold, created, lost), false
	}
	return fmt.Sprintf("ok: sold %d = %d × 201, %d left", s.Sold, created, s.Remaining), true
}
