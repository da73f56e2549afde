// Command checkout measures checkout throughput: an order created and paid
// through the public API (POST /orders, POST /orders/{id}/payments, then the
// payment provider's signed webhook), at a fixed arrival rate, against a
// freshly started liveshop on SQLite and on PostgreSQL, side by side.
//
//	go run ./bench/checkout -bin ./bin/liveshop -db sqlite -db postgres -rate 1000 -duration 10s
//
// Latency is measured from each checkout's scheduled start, so a stalled
// server cannot hide queueing (no coordinated omission).
package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/liveshop/liveshop/bench/internal/benchsrv"
)

const secret = "bench-sandbox-secret-0123456789abcdef"

type dbList []string

func (d *dbList) String() string     { return strings.Join(*d, ",") }
func (d *dbList) Set(v string) error { *d = append(*d, v); return nil }

func main() {
	var dbs dbList
	bin := flag.String("bin", "./bin/liveshop", "liveshop binary")
	flag.Var(&dbs, "db", "sqlite or postgres (repeatable)")
	pg := flag.String("postgres", envOr("LIVESHOP_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "PostgreSQL base URL")
	rate := flag.Int("rate", 1000, "checkouts started per second")
	duration := flag.Duration("duration", 10*time.Second, "measured run length")
	warmup := flag.Duration("warmup", 2*time.Second, "unmeasured run before measuring")
	buyers := flag.Int("buyers", 50, "distinct buyer accounts")
	workers := flag.Int("workers", 256, "maximum checkouts in flight")
	runs := flag.Int("runs", 3, "measured windows per database; the table shows each metric's median")
	serveFlags := flag.String("serve-flags", "", "extra flags for liveshop serve, e.g. --debug-http 127.0.0.1:6060")
	flag.Parse()
	if len(dbs) == 0 {
		dbs = dbList{"sqlite", "postgres"}
	}
	fmt.Printf("checkout benchmark: %d checkouts/s, %d windows of %s (after %s warm-up), %d buyers, 100 SKUs; go run ./bench/checkout %s\n\n",
		*rate, *runs, *duration, *warmup, *buyers, strings.Join(os.Args[1:], " "))
	fmt.Println("| database | target/s | achieved/s | ok | errors | p50 ms | p90 ms | p99 ms | max ms |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	for _, db := range dbs {
		res, err := runOne(*bin, db, *pg, *rate, *duration, *warmup, *buyers, *workers, *runs, strings.Fields(*serveFlags))
		if err != nil {
			fmt.Fprintf(os.Stderr, "checkout bench on %s: %v\n", db, err)
			os.Exit(1)
		}
		fmt.Println(res)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

type result struct {
	db            string
	target        int
	achieved      float64
	ok, errs      int
	p50, p90, p99 time.Duration
	maxLat        time.Duration
	firstErr      string
}

func (r result) String() string {
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) }
	s := fmt.Sprintf("| %s | %d | %.0f | %d | %d | %s | %s | %s | %s |", r.db, r.target, r.achieved, r.ok, r.errs, ms(r.p50), ms(r.p90), ms(r.p99), ms(r.maxLat))
	if r.firstErr != "" {
		s += "\n\nfirst error on " + r.db + ": " + r.firstErr
	}
	return s
}

func runOne(bin, db, pgBase string, rate int, duration, warmup time.Duration, nBuyers, workers, runs int, extra []string) (result, error) {
	data, err := os.MkdirTemp("", "liveshop-bench")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(data)
	dsn := filepath.Join(data, "liveshop.db")
	if db == "postgres" {
		schema := fmt.Sprintf("bench_%d", time.Now().UnixNano())
		admin, err := sql.Open("pgx", pgBase)
		if err != nil {
			return result{}, err
		}
		defer admin.Close()
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			return result{}, fmt.Errorf("postgres at %s: %w", pgBase, err)
		}
		defer admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		sep := "?"
		if strings.Contains(pgBase, "?") {
			sep = "&"
		}
		dsn = pgBase + sep + "search_path=" + schema
	} else if db != "sqlite" {
		return result{}, fmt.Errorf("-db %q must be sqlite or postgres", db)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr
	common := []string{"--data", data, "--db", dsn, "--log-level", "warn"}
	if out, err := exec.Command(bin, append([]string{"admin", "create-user", "--email", "admin@bench.test", "--password", "bench-admin-pw", "--admin"}, common...)...).CombinedOutput(); err != nil {
		return result{}, fmt.Errorf("create admin: %v: %s", err, out)
	}
	args := append([]string{"serve", "--http", addr, "--public-url", base, "--sandbox-secret", secret, "--payment-window", "1h"}, common...)
	args = append(args, benchsrv.LimitsOff...) // one client sending what thousands would
	cmd := exec.Command(bin, append(args, extra...)...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}, Timeout: 30 * time.Second}
	if err := waitReady(c, base); err != nil {
		return result{}, err
	}
	skuIDs, tokens, err := setup(c, base, nBuyers)
	if err != nil {
		return result{}, fmt.Errorf("setup: %w", err)
	}
	run(c, base, skuIDs, tokens, rate, warmup, workers) // warm-up, discarded
	var rs []result
	for i := 0; i < max(runs, 1); i++ {
		rs = append(rs, run(c, base, skuIDs, tokens, rate, duration, workers))
	}
	r := median(rs)
	r.db, r.target = db, rate
	return r, nil
}

func waitReady(c *http.Client, base string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := c.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("server not ready in 30s")
}

// call sends JSON with a bearer token and decodes the answer into out.
func call(c *http.Client, method, url, token string, body any, out any, headers ...string) error {
	var rdr io.Reader
	if b, ok := body.([]byte); ok {
		rdr = bytes.NewReader(b)
	} else if body != nil {
		buf, _ := json.Marshal(body)
		rdr = bytes.NewReader(buf)
	}
	req, _ := http.NewRequest(method, url, rdr)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, strings.TrimPrefix(url, "http://"), resp.StatusCode, bytes.TrimSpace(b))
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// signup creates an account and returns an API token for it.
func signup(c *http.Client, base, email, password string) (string, error) {
	return apiToken(c, base, "/api/v1/auth/signup", http.StatusCreated, email, password)
}

// signinToken signs in and returns an API token.
func signinToken(c *http.Client, base, email, password string) (string, error) {
	return apiToken(c, base, "/api/v1/auth/signin", http.StatusOK, email, password)
}

// apiToken authenticates at path as a browser would, then creates a
// bearer token with the session cookie and CSRF token.
func apiToken(c *http.Client, base, path string, want int, email, password string) (string, error) {
	req, _ := http.NewRequest("POST", base+path, strings.NewReader(fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		return "", fmt.Errorf("%s %s: %d %s", path, email, resp.StatusCode, b)
	}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	json.Unmarshal(b, &me)
	var cookie string
	for _, ck := range resp.Cookies() {
		if ck.Name == "liveshop_session" {
			cookie = ck.Value
		}
	}
	req, _ = http.NewRequest("POST", base+"/api/v1/me/tokens", strings.NewReader(`{"name":"bench"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", me.CSRF)
	req.AddCookie(&http.Cookie{Name: "liveshop_session", Value: cookie})
	resp, err = c.Do(req)
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

func setup(c *http.Client, base string, nBuyers int) ([]string, []string, error) {
	adminTok, err := signinToken(c, base, "admin@bench.test", "bench-admin-pw")
	if err != nil {
		return nil, nil, err
	}
	merchant, err := signup(c, base, "merchant@bench.test", "bench-merchant-pw")
	if err != nil {
		return nil, nil, err
	}
	var shop struct{ ID string }
	if err := call(c, "POST", base+"/api/v1/shops", merchant, map[string]any{"name": "Bench Farm", "category": "food", "region": "Zhejiang"}, &shop); err != nil {
		return nil, nil, err
	}
	if err := call(c, "POST", base+"/api/v1/admin/shops/"+shop.ID+"/approve", adminTok, nil, nil); err != nil {
		return nil, nil, err
	}
	var prod struct {
		SKUs []struct{ ID string } `json:"skus"`
	}
	if err := call(c, "POST", base+"/api/v1/shops/"+shop.ID+"/products", merchant, map[string]any{
		"title": "Bench rice", "skus": benchSKUs()}, &prod); err != nil {
		return nil, nil, err
	}
	skuIDs := make([]string, len(prod.SKUs))
	for i, s := range prod.SKUs {
		skuIDs[i] = s.ID
	}
	tokens := make([]string, nBuyers)
	for i := range tokens {
		if tokens[i], err = signup(c, base, fmt.Sprintf("buyer%d@bench.test", i), "bench-buyer-pw"); err != nil {
			return nil, nil, err
		}
	}
	return skuIDs, tokens, nil
}

var seq atomic.Int64

// checkout creates an order, starts a payment and delivers the provider's
// signed success webhook, as the sandbox would.
func checkout(c *http.Client, base, skuID, token string) error {
	n := seq.Add(1)
	var o struct{ ID string }
	if err := call(c, "POST", base+"/api/v1/orders", token, map[string]any{
		"items":   []map[string]any{{"sku_id": skuID, "quantity": 1}},
		"address": map[string]string{"name": "Bench", "phone": "1", "line1": "1 Road", "city": "Hangzhou", "region": "Zhejiang"},
	}, &o, "Idempotency-Key", "o"+strconv.FormatInt(n, 10)); err != nil {
		return err
	}
	var p struct {
		ID          string `json:"id"`
		AmountMinor int64  `json:"amount_minor"`
	}
	if err := call(c, "POST", base+"/api/v1/orders/"+o.ID+"/payments", token, map[string]string{"provider": "sandbox"}, &p); err != nil {
		return err
	}
	now := time.Now()
	body, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("evt_bench_%d", n), "type": "payment.succeeded",
		"payment_id": p.ID, "amount_minor": p.AmountMinor, "currency": "CNY", "created": now.Unix()})
	m := hmac.New(sha256.New, []byte(secret))
	ts := strconv.FormatInt(now.Unix(), 10)
	m.Write([]byte(ts + "."))
	m.Write(body)
	return call(c, "POST", base+"/api/v1/payments/sandbox/webhook", "", body, nil, "Sandbox-Signature", "t="+ts+",v1="+hex.EncodeToString(m.Sum(nil)))
}

func run(c *http.Client, base string, skuIDs []string, tokens []string, rate int, d time.Duration, workers int) result {
	total := int(float64(rate) * d.Seconds())
	interval := time.Second / time.Duration(rate)
	lat := make([]time.Duration, 0, total)
	var mu sync.Mutex
	var errs int
	var firstErr string
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), d+30*time.Second)
	defer cancel()
	for i := 0; i < total && ctx.Err() == nil; i++ {
		scheduled := start.Add(time.Duration(i) * interval)
		if wait := time.Until(scheduled); wait > 0 {
			time.Sleep(wait)
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			err := checkout(c, base, skuIDs[i%len(skuIDs)], tokens[i%len(tokens)])
			took := time.Since(scheduled)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs++
				if firstErr == "" {
					firstErr = err.Error()
				}
				return
			}
			lat = append(lat, took)
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	r := result{achieved: float64(len(lat)) / elapsed.Seconds(), ok: len(lat), errs: errs, firstErr: firstErr,
		p50: pct(0.50), p90: pct(0.90), p99: pct(0.99)}
	if len(lat) > 0 {
		r.maxLat = lat[len(lat)-1]
	}
	return r
}

// median takes each metric's median over the runs; counts are summed.
func median(rs []result) result {
	pick := func(f func(result) time.Duration) time.Duration {
		v := make([]time.Duration, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		sort.Slice(v, func(a, b int) bool { return v[a] < v[b] })
		return v[len(v)/2]
	}
	ach := make([]float64, len(rs))
	var out result
	for i, r := range rs {
		ach[i] = r.achieved
		out.ok += r.ok
		out.errs += r.errs
		if out.firstErr == "" {
			out.firstErr = r.firstErr
		}
	}
	sort.Float64s(ach)
	out.achieved = ach[len(ach)/2]
	out.p50 = pick(func(r result) time.Duration { return r.p50 })
	out.p90 = pick(func(r result) time.Duration { return r.p90 })
	out.p99 = pick(func(r result) time.Duration { return r.p99 })
	out.maxLat = pick(func(r result) time.Duration { return r.maxLat })
	return out
}

// benchSKUs are the variants orders spread over: a store's everyday
// checkout touches many SKUs; a single hot SKU is the flash-sale
// benchmark's job.
func benchSKUs() []map[string]any {
	skus := make([]map[string]any, 100)
	for i := range skus {
		skus[i] = map[string]any{"code": fmt.Sprintf("R%03d", i), "price_minor": 5990 + i, "stock": 1_000_000}
	}
	return skus
}
