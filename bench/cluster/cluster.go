package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/liveshop/liveshop/bench/internal/benchsrv"
	"github.com/liveshop/liveshop/internal/testcluster"
)

// stack is everything a run started, stopped in reverse order by close,
// at most once, whoever calls it (the end of the run, a failure, a
// signal or the run's deadline).
type stack struct {
	mu   sync.Mutex
	fns  []func()
	once sync.Once
}

func (s *stack) push(f func()) {
	s.mu.Lock()
	s.fns = append(s.fns, f)
	s.mu.Unlock()
}

func (s *stack) close() {
	s.once.Do(func() {
		s.mu.Lock()
		fns := s.fns
		s.mu.Unlock()
		for i := len(fns) - 1; i >= 0; i-- {
			fns[i]()
		}
	})
}

// cluster is PostgreSQL, a three-server NATS cluster and three liveshop
// nodes sharing one data directory, plus the accounts the phases use.
type cluster struct {
	nodes    []*benchsrv.Server
	merchant string
	shopID   string
	product  string
	skus     []string
	buyers   []string // tokens
}

// the sandbox payment secret the nodes share.
const sandboxSecret = "bench-cluster-sandbox-secret-0123456789"

// startCluster brings everything up under a new temp dir; st stops it.
func startCluster(ctx context.Context, o opts, st *stack) (*cluster, error) {
	dir, err := os.MkdirTemp("", "liveshop-bench-cluster")
	if err != nil {
		return nil, err
	}
	st.push(func() { os.RemoveAll(dir) })
	progress("postgres")
	pg, err := testcluster.StartPostgres(dir)
	if err != nil {
		return nil, err
	}
	st.push(pg.Close)
	if err := pg.CreateDatabase("liveshop"); err != nil {
		return nil, err
	}
	dsn := pg.DSN("liveshop")
	progress("nats: three servers")
	nc, err := testcluster.StartNATS(o.bin, dir, 3)
	if err != nil {
		return nil, err
	}
	st.push(nc.Close)
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, err
	}
	if out, err := exec.CommandContext(ctx, o.bin, "admin", "create-user", "--email", benchsrv.AdminEmail, "--password",
		benchsrv.AdminPassword, "--admin", "--data", data, "--db", dsn, "--log-level", "warn").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("create admin: %v: %s", err, out)
	}
	hc := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 4000, MaxIdleConnsPerHost: 2100, IdleConnTimeout: 5 * time.Minute}}
	extra := append([]string{"--db", dsn, "--nats", nc.URLs(), "--nats-replicas", "3", "--sandbox-secret", sandboxSecret,
		"--payment-window", "1h"}, o.extra...)
	c := &cluster{}
	// Node 1 first: it migrates the database and makes the shared keys.
	for i := range 3 {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		progress("liveshop node %d", i+1)
		// A NATS cluster that has just elected its meta leader may not
		// place a three-replica stream yet ("no suitable peers"): the
		// node exits, and a second try a moment later succeeds.
		var s *benchsrv.Server
		for try := 1; ; try++ {
			if s, err = benchsrv.Boot(o.bin, data, extra, hc); err == nil {
				break
			}
			if try == 5 || !sleepCtx(ctx, 2*time.Second) {
				return nil, fmt.Errorf("node %d: %w", i+1, err)
			}
			progress("node %d did not start (%v); again", i+1, err)
		}
		st.push(s.Stop)
		c.nodes = append(c.nodes, s)
	}
	if err := c.setupShop(); err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	progress("signing up %d buyers over the three nodes", o.accounts)
	if c.buyers, err = c.signUp(o.accounts); err != nil {
		return nil, err
	}
	return c, nil
}

// setupShop signs a merchant up on node 1, has the admin approve its
// shop and adds a product with a few SKUs (one per sale).
func (c *cluster) setupShop() error {
	s := c.nodes[0]
	adminTok, err := s.APIToken("/api/v1/auth/signin", http.StatusOK, benchsrv.AdminEmail, benchsrv.AdminPassword)
	if err != nil {
		return fmt.Errorf("admin sign-in: %w", err)
	}
	tok, err := s.APIToken("/api/v1/auth/signup", http.StatusCreated, "merchant@bench.test", "bench-merchant-pw")
	if err != nil {
		return fmt.Errorf("merchant sign-up: %w", err)
	}
	var shop struct{ ID string }
	if err := s.Call("POST", "/api/v1/shops", tok, map[string]any{"name": "Bench Cluster", "category": "home",
		"region": "Zhejiang", "programme": "standard"}, &shop); err != nil {
		return err
	}
	if err := s.Call("POST", "/api/v1/admin/shops/"+shop.ID+"/approve", adminTok, nil, nil); err != nil {
		return err
	}
	skus := make([]map[string]any, 20)
	for i := range skus {
		skus[i] = map[string]any{"code": fmt.Sprintf("C%02d", i), "price_minor": 9900, "stock": 1_000_000}
	}
	var prod struct {
		ID   string
		SKUs []struct{ ID string } `json:"skus"`
	}
	if err := s.Call("POST", "/api/v1/shops/"+shop.ID+"/products", tok, map[string]any{"title": "Bench lamp",
		"category": "home", "skus": skus}, &prod); err != nil {
		return err
	}
	c.merchant, c.shopID, c.product = tok, shop.ID, prod.ID
	for _, k := range prod.SKUs {
		c.skus = append(c.skus, k.ID)
	}
	if len(c.skus) != len(skus) {
		return fmt.Errorf("product has %d SKUs, want %d", len(c.skus), len(skus))
	}
	return nil
}

// signUp makes n buyer accounts, a third on each node (signing up
// hashes a password with argon2id: the nodes share the work).
func (c *cluster) signUp(n int) ([]string, error) {
	parts := make([][]string, len(c.nodes))
	errs := make([]error, len(c.nodes))
	var wg sync.WaitGroup
	for i, s := range c.nodes {
		k := n / len(c.nodes)
		if i < n%len(c.nodes) {
			k++
		}
		wg.Go(func() { parts[i], errs[i] = s.SignUpMany("buyer"+strconv.Itoa(i+1)+"-", k) })
	}
	wg.Wait()
	var out []string
	for i := range parts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, parts[i]...)
	}
	return out, nil
}

// newSession schedules a live session on node 1 and returns its id (the
// room id) and stream key (never printed).
func (c *cluster) newSession(title string) (id, key string, err error) {
	var studio struct {
		Session struct {
			ID string `json:"id"`
		} `json:"session"`
		StreamKey string `json:"stream_key"`
	}
	if err := c.nodes[0].Call("POST", "/api/v1/shops/"+c.shopID+"/live-sessions", c.merchant,
		map[string]any{"title": title, "product_ids": []string{c.product}}, &studio); err != nil {
		return "", "", err
	}
	if studio.Session.ID == "" || studio.StreamKey == "" {
		return "", "", fmt.Errorf("live session: the answer has no session id or stream key")
	}
	return studio.Session.ID, studio.StreamKey, nil
}

// waitLive polls the session (on node 3, so the state has crossed the
// cluster) until it is live.
func (c *cluster) waitLive(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		var sess struct {
			Status string `json:"status"`
		}
		if err := c.nodes[2].Call("GET", "/api/v1/live-sessions/"+id, "", nil, &sess); err == nil && sess.Status == "live" {
			return nil
		}
		if !sleepCtx(ctx, 100*time.Millisecond) {
			return fmt.Errorf("session %s did not go live: %w", id, ctx.Err())
		}
	}
}

// publish runs ffmpeg sending a test pattern over RTMP to rtmpAddr until
// ctx ends. size is WxH; audio adds a tone.
func publish(ctx context.Context, rtmpAddr, key, size string, fps int, bitrate string, audio bool) (<-chan error, error) {
	path, err := exec.LookPath("ffmpeg")
	if err != nil {
		return nil, fmt.Errorf("ffmpeg is needed to make a room live: %w", err)
	}
	args := []string{"-hide_banner", "-loglevel", "error", "-re",
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc2=size=%s:rate=%d", size, fps)}
	if audio {
		args = append(args, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100")
	}
	args = append(args, "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
		"-g", strconv.Itoa(fps), "-b:v", bitrate)
	if audio {
		args = append(args, "-c:a", "aac", "-b:a", "64k")
	}
	args = append(args, "-f", "flv", "rtmp://"+rtmpAddr+"/live/"+key)
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start ffmpeg: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return done, nil
}

var limitRange = regexp.MustCompile(`between 1 and (\d+)`)

// newSale creates a flash sale of stock units of sku on a new session
// (through node 1, which owns it), starting in 10 s. A per-buyer limit
// the server refuses ("between 1 and N") is lowered to N.
func (c *cluster) newSale(sku string, stock, perUser int, life time.Duration) (sale, int, error) {
	id, _, err := c.newSession("Flash sale bench")
	if err != nil {
		return sale{}, 0, err
	}
	for try := 0; ; try++ {
		var s sale
		err := c.nodes[0].Call("POST", "/api/v1/live-sessions/"+id+"/flash-sales", c.merchant, map[string]any{
			"sku_id": sku, "price_minor": 4900, "stock": stock, "per_user_limit": perUser,
			"countdown_seconds": 10, "duration_seconds": int(life.Seconds()), "payment_window_seconds": 1800}, &s)
		if err != nil && try == 0 && strings.Contains(err.Error(), "per_user_limit") {
			if m := limitRange.FindStringSubmatch(err.Error()); m != nil {
				perUser, _ = strconv.Atoi(m[1])
				continue
			}
		}
		if err == nil && s.ID == "" {
			err = fmt.Errorf("flash sale: the answer has no id")
		}
		return s, perUser, err
	}
}

// sale is the part of a flash sale the benchmark reads.
type sale struct {
	ID        string    `json:"id"`
	Stock     int       `json:"stock"`
	Remaining int       `json:"remaining"`
	Sold      int       `json:"sold"`
	StartsAt  time.Time `json:"starts_at"`
	Status    string    `json:"status"`
}

// waitRunning waits until every node sees the sale running.
func (c *cluster) waitRunning(ctx context.Context, s sale) error {
	if d := time.Until(s.StartsAt); d > 0 && !sleepCtx(ctx, d) {
		return ctx.Err()
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for _, n := range c.nodes {
		for {
			var cur sale
			err := n.Call("GET", "/api/v1/flash-sales/"+s.ID, "", nil, &cur)
			if err == nil && cur.Status == "running" {
				break
			}
			if !sleepCtx(ctx, 50*time.Millisecond) {
				return fmt.Errorf("flash sale %s did not start on %s (status %q, %v)", s.ID, n.Base, cur.Status, err)
			}
		}
	}
	return nil
}

// sleepCtx sleeps d, false when ctx ended first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  cluster: "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
