// Command flashsale measures a flash sale's reservation endpoint under
// load: one hot SKU, buyers hammering it over HTTP on 127.0.0.1,
// liveshop's reservation engine side by side with the industry-standard
// design, a Redis + Lua stock gate behind an HTTP handler in this
// process (Redis at 127.0.0.1:6379), with the same load generator in the
// same run.
//
//	go run ./bench/flashsale -bin ./bin/liveshop                       # both, 3 alternating rounds
//	go run ./bench/flashsale -mode redis -duration 3s                   # the Redis + Lua baseline alone
//	go run ./bench/flashsale -mode sellout -stock 100 -buyers 2000      # 2,000 buyers at once for 100 units
//
// Throughput modes are closed-loop: -buyers workers, one buyer (its own
// account) each, each sending its next reservation when the last one is
// answered, on keep-alive connections. Rounds alternate redis, liveshop,
// redis, liveshop…; the table shows each metric's median over rounds.
// Every sale is checked after its round: nothing oversold, and what was
// sold equals the 201s the buyers got. The command exits non-zero when a
// check fails.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type opts struct {
	bin, db, pg    string
	redisAddr      string
	mode           string
	pool           int
	buyers         int
	users          int
	perUser        int
	rounds         int
	stock          int
	window, warmup time.Duration
	direct         bool
	sellout        []string
	extra          []string
}

func main() {
	var o opts
	flag.StringVar(&o.bin, "bin", "./bin/liveshop", "liveshop binary")
	flag.StringVar(&o.db, "db", "sqlite", "liveshop's database: sqlite or postgres")
	flag.StringVar(&o.pg, "postgres", cmp.Or(os.Getenv("LIVESHOP_TEST_POSTGRES"), "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"),
		"PostgreSQL base URL (-db postgres runs in a schema of its own, dropped after)")
	flag.StringVar(&o.redisAddr, "redis", "127.0.0.1:6379", "Redis for the Redis + Lua baseline")
	flag.StringVar(&o.mode, "mode", "both", "both (redis and liveshop, alternating), redis, liveshop, or sellout")
	flag.IntVar(&o.pool, "pool", 200, "Redis connection pool of the baseline's handler")
	flag.IntVar(&o.buyers, "buyers", 0, "concurrent buyers, each its own account (default 200; -mode sellout: 2000)")
	flag.IntVar(&o.users, "users", 0, "distinct accounts the buyers take turns speaking for (default: -buyers, or, when the "+
		"per-buyer limit would bind, enough that it does not before stock/limit, at most 5,000)")
	flag.IntVar(&o.perUser, "per-user", 0, "per-buyer limit of each sale (default: the stock, or the highest liveshop takes)")
	flag.IntVar(&o.rounds, "rounds", 3, "measured rounds per target; the table shows medians")
	flag.IntVar(&o.stock, "stock", 0, "units for sale (default 1,000,000, so a run does not sell out; -mode sellout: 100)")
	flag.DurationVar(&o.window, "duration", 10*time.Second, "measured window per round")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured load before each window")
	flag.BoolVar(&o.direct, "direct", true, "also measure the Lua script called straight from the Go client, without HTTP (the anchor's setting)")
	selloutOn := flag.String("sellout-targets", "redis,liveshop", "-mode sellout: which of redis, liveshop")
	serveFlags := flag.String("serve-flags", "", "extra flags for liveshop serve")
	cpuProfile := flag.String("cpuprofile", "", "write this process's CPU profile here (load generator and Redis handler)")
	flag.Parse()
	o.extra = strings.Fields(*serveFlags)
	o.sellout = strings.Split(*selloutOn, ",")
	if o.buyers == 0 {
		o.buyers = map[bool]int{true: 2000, false: 200}[o.mode == "sellout"]
	}
	if o.stock == 0 {
		o.stock = map[bool]int{true: 100, false: 1_000_000}[o.mode == "sellout"]
	}
	if o.buyers < 1 || o.buyers > 5000 || o.users < 0 || o.users > 20000 || o.perUser < 0 || o.rounds < 1 || o.rounds > 9 || o.stock < 1 || o.stock > 1_000_000 ||
		o.window < time.Second || o.window > 5*time.Minute || o.warmup < 0 || o.warmup > time.Minute || o.pool < 1 {
		fail(fmt.Errorf("-buyers 1–5000, -users ≤ 20,000, -rounds 1–9, -stock 1–1,000,000, -duration 1s–5m, -warmup 0–1m, -pool ≥ 1"))
	}
	// Each buyer holds a connection here and one in the server (which, in
	// the Redis case, is this process too).
	raiseFileLimit(uint64(3*o.buyers + o.pool + 512))

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fail(err)
		}
	}
	var ok bool
	var err error
	switch o.mode {
	case "both", "redis", "liveshop":
		ok, err = throughput(o)
	case "sellout":
		ok, err = sellout(o)
	default:
		err = fmt.Errorf("-mode %q: want both, redis, liveshop or sellout", o.mode)
	}
	pprof.StopCPUProfile()
	if err != nil {
		fail(err)
	}
	if !ok {
		fmt.Println("\nFAILED: a sale check failed (see above).")
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "flashsale bench:", err)
	os.Exit(2)
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// newClient is the load generator's HTTP client: keep-alive, one idle
// connection per buyer.
func newClient(conns int) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: 5 * time.Minute}}
}

// redisBodies are the baseline's request bodies, one per buyer.
func redisBodies(n int) func(int) []byte {
	b := make([][]byte, n)
	for i := range b {
		b[i] = []byte(`{"user":"u` + strconv.Itoa(i) + `","quantity":1}`)
	}
	return func(i int) []byte { return b[i%n] }
}

// row is one target's rounds.
type row struct {
	name   string
	outs   []*outcome
	checks []string
	passed bool
}

func (r *row) addRound(o *outcome, check string, ok bool) {
	if len(r.outs) == 0 {
		r.passed = true
	}
	r.outs = append(r.outs, o)
	r.checks = append(r.checks, check)
	r.passed = r.passed && ok
}

func medianOf(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

func (r *row) rate(i int) float64 { return float64(r.outs[i].ok) / r.outs[i].window.Seconds() }

func (r *row) med(f func(*outcome) float64) float64 {
	v := make([]float64, len(r.outs))
	for i, o := range r.outs {
		v[i] = f(o)
	}
	return medianOf(v)
}

func (r *row) okRate() float64 {
	v := make([]float64, len(r.outs))
	for i := range r.outs {
		v[i] = r.rate(i)
	}
	return medianOf(v)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (r *row) pct(p float64) float64 {
	return r.med(func(o *outcome) float64 { return ms(o.lat.at(p)) })
}

func (r *row) markdown() string {
	errs := map[string]int{}
	var ok int
	var maxLat time.Duration
	for _, o := range r.outs {
		ok += o.ok
		maxLat = max(maxLat, o.lat.at(1))
		for k, v := range o.errs {
			errs[k] += v
		}
	}
	check := "ok"
	for _, c := range r.checks {
		if !strings.HasPrefix(c, "ok") {
			check = c
		}
	}
	if check == "ok" && len(r.checks) > 0 {
		check = fmt.Sprintf("ok (%d sales): %s", len(r.checks), strings.TrimPrefix(r.checks[len(r.checks)-1], "ok: "))
	}
	return fmt.Sprintf("| %s | %.0f | %.2f | %.2f | %.2f | %.1f | %d | %s | %s |", r.name, r.okRate(),
		r.pct(0.50), r.pct(0.99), r.pct(0.999), ms(maxLat), ok, errSummary(errs), check)
}

func (r *row) rates() string {
	parts := make([]string, len(r.outs))
	for i := range r.outs {
		parts[i] = fmt.Sprintf("%.0f", r.rate(i))
	}
	return strings.Join(parts, ", ")
}

func header(o opts, what string) {
	var la string
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		la = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	fmt.Printf("flash-sale benchmark (%s); go run ./bench/flashsale %s\n", what, strings.Join(os.Args[1:], " "))
	fmt.Printf("%d CPUs, %s, load average before %s\n\n", runtime.NumCPU(), runtime.Version(), la)
}

// throughput runs the alternating rounds and prints the table.
func throughput(o opts) (bool, error) {
	withRedis, withLive := o.mode != "liveshop", o.mode != "redis"
	header(o, fmt.Sprintf("one hot SKU, %d buyers closed-loop over HTTP/1.1 keep-alive on 127.0.0.1, %d rounds of %s warm-up + %s, stock %d",
		o.buyers, o.rounds, o.warmup, o.window, o.stock))
	perUser := cmp.Or(o.perUser, o.stock) // by default never the limit: each buyer may buy the lot

	var gate *redisGate
	var redisBase string
	if withRedis {
		var err error
		if gate, err = newRedisGate(o.redisAddr, o.pool); err != nil {
			return false, err
		}
		defer func() {
			if err := gate.cleanup(); err != nil {
				progress("redis cleanup: %v", err)
			}
		}()
		var stop func()
		if redisBase, stop, err = gate.serve(); err != nil {
			return false, err
		}
		defer stop()
		fmt.Printf("Redis %s at %s, pool %d, handler at %s/reserve (one EVALSHA per request).\n", gate.version(), o.redisAddr, o.pool, redisBase)
	}
	var ls *liveshop
	var sales []sale
	if withLive {
		progress("starting liveshop on %s", o.db)
		var err error
		if ls, err = bootLiveshop(o, o.buyers, o.rounds+1, o.stock); err != nil {
			return false, err
		}
		defer ls.stop()
		// The same per-buyer limit on both sides: the highest liveshop takes.
		if perUser, err = ls.perUserCap(ls.skus[o.rounds], perUser); err != nil {
			return false, fmt.Errorf("flash sale: %w", err)
		}
	}
	users := o.users
	if users == 0 {
		users = o.buyers
		if perUser < o.stock {
			users = min(5000, max(o.buyers, (o.stock+perUser-1)/perUser))
		}
	}
	fmt.Printf("%d buyers (connections) take turns speaking for %d accounts; per-buyer limit %d.\n", o.buyers, users, perUser)
	if cap := users * perUser; cap < o.stock {
		fmt.Printf("Note: with that limit a sale can sell at most %d units before every account reaches it "+
			"(then answers are 409 \"above the limit\"): more -users raise it.\n", cap)
	}
	if withLive {
		progress("signing up %d buyers", users)
		t0 := time.Now()
		if err := ls.signUp(users); err != nil {
			return false, err
		}
		progress("signed up in %s", time.Since(t0).Round(time.Second))
		// Every round sells a sale of its own (its own SKU and session),
		// created now so that their countdowns run together.
		targets := 1 + btoi(withRedis) + btoi(withRedis && o.direct)
		life := 10*time.Second + time.Duration(o.rounds*targets)*(o.warmup+o.window+5*time.Second) + time.Minute
		if life > time.Hour {
			return false, fmt.Errorf("the run would outlast a flash sale's longest duration (1 h): fewer -rounds or a shorter -duration")
		}
		for r := range o.rounds {
			s, err := ls.newSale(ls.skus[r], o.stock, perUser, life)
			if err != nil {
				return false, fmt.Errorf("flash sale: %w", err)
			}
			sales = append(sales, s)
		}
		progress("waiting for the sales to start (%s)", sales[len(sales)-1].StartsAt.Format(time.TimeOnly))
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for _, s := range sales {
			if err := ls.waitRunning(ctx, s); err != nil {
				return false, err
			}
		}
		fmt.Printf("liveshop on %s at %s, %d flash sales of %d units (one per round).\n", o.db, ls.Base, len(sales), o.stock)
	}
	fmt.Println()

	hc := newClient(o.buyers)
	bodies := redisBodies(users)
	redisRow := &row{name: "Redis + Lua, HTTP handler (baseline)"}
	liveRow := &row{name: "liveshop (" + o.db + ")"}
	directRow := &row{name: "Redis + Lua, Go client direct, no HTTP (reference)"}
	for r := range o.rounds {
		if withRedis {
			k, err := gate.newSale(int64(o.stock), int64(perUser))
			if err != nil {
				return false, err
			}
			gate.sale.Store(k)
			out := closedLoop(o.buyers, users, o.warmup, o.window, fmt.Sprintf("r%d-", r), httpReserve(hc, redisBase+"/reserve", bodies, nil))
			check, ok := gate.check(k, out.created, out.lost)
			redisRow.addRound(out, check, ok)
			progress("round %d redis: %.0f ok/s, p99 %.2f ms, %s", r+1, redisRow.rate(r), ms(out.lat.at(0.99)), check)
		}
		if withLive {
			out := closedLoop(o.buyers, users, o.warmup, o.window, fmt.Sprintf("r%d-", r), ls.reserve(sales[r].ID))
			check, ok := ls.check(sales[r].ID, out.created, out.lost)
			liveRow.addRound(out, check, ok)
			progress("round %d liveshop: %.0f ok/s, p99 %.2f ms, %s", r+1, liveRow.rate(r), ms(out.lat.at(0.99)), check)
		}
		if withRedis && o.direct {
			k, err := gate.newSale(int64(o.stock), int64(perUser))
			if err != nil {
				return false, err
			}
			out := closedLoop(o.buyers, users, o.warmup, o.window, fmt.Sprintf("d%d-", r), gate.direct(k))
			check, ok := gate.check(k, out.created, out.lost)
			directRow.addRound(out, check, ok)
			progress("round %d redis direct: %.0f ok/s, p99 %.2f ms, %s", r+1, directRow.rate(r), ms(out.lat.at(0.99)), check)
		}
	}

	fmt.Println("| target | reservations/s | p50 ms | p99 ms | p99.9 ms | max ms | 201s measured | errors | oversell check |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	var rows []*row
	for _, r := range []*row{redisRow, liveRow, directRow} {
		if len(r.outs) > 0 {
			rows = append(rows, r)
			fmt.Println(r.markdown())
		}
	}
	fmt.Println()
	for _, r := range rows {
		fmt.Printf("- %s, reservations/s by round: %s\n", r.name, r.rates())
	}
	if withRedis && withLive {
		ratio := liveRow.okRate() / redisRow.okRate()
		fmt.Printf("\nliveshop / Redis + Lua over HTTP: %.2f× (target ≥ 1.5×); liveshop p99 %.2f ms (target ≤ 50 ms)\n",
			ratio, liveRow.pct(0.99))
	}
	passed := true
	for _, r := range rows {
		passed = passed && r.passed
	}
	if passed {
		fmt.Println("\nOversell: none (every sale: nothing below zero, sold = 201s).")
	}
	return passed, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sellout has every buyer (each its own account) ask for one unit at the
// same moment; exactly min(stock, buyers) must succeed and everybody
// else must hear "sold out".
func sellout(o opts) (bool, error) {
	header(o, fmt.Sprintf("sell-out: %d buyers, each its own account, one reservation each at the same moment, for %d units", o.buyers, o.stock))
	want := min(o.stock, o.buyers)
	type line struct {
		name  string
		out   *outcome
		check string
		ok    bool
	}
	var lines []line
	judge := func(name string, out *outcome, check string, ok bool) {
		soldOut := out.errs["409 sold out"]
		other := len(out.errs) - btoi(soldOut > 0)
		if out.created != want || soldOut != o.buyers-want || other > 0 {
			ok = false
			check = fmt.Sprintf("WRONG: %d × 201 (want %d), %d × sold out (want %d); %s", out.created, want, soldOut, o.buyers-want, check)
		}
		lines = append(lines, line{name, out, check, ok})
		progress("%s: %d × 201, %s", name, out.created, check)
	}
	for _, t := range o.sellout {
		switch strings.TrimSpace(t) {
		case "redis":
			gate, err := newRedisGate(o.redisAddr, o.pool)
			if err != nil {
				return false, err
			}
			base, stop, err := gate.serve()
			if err != nil {
				gate.cleanup()
				return false, err
			}
			k, err := gate.newSale(int64(o.stock), 1)
			if err != nil {
				stop()
				gate.cleanup()
				return false, err
			}
			gate.sale.Store(k)
			hc := newClient(o.buyers)
			warm := func(int) error {
				resp, err := hc.Get(base + "/healthz")
				if err == nil {
					resp.Body.Close()
				}
				return err
			}
			out, err := burst(o.buyers, "s-", warm, httpReserve(hc, base+"/reserve", redisBodies(o.buyers), nil))
			if err == nil {
				check, ok := gate.check(k, out.created, out.lost)
				judge("Redis + Lua, HTTP handler", out, check, ok)
			}
			stop()
			if cerr := gate.cleanup(); cerr != nil {
				progress("redis cleanup: %v", cerr)
			}
			if err != nil {
				return false, err
			}
		case "liveshop":
			progress("starting liveshop on %s, signing up %d buyers", o.db, o.buyers)
			ls, err := bootLiveshop(o, o.buyers, 1, o.stock)
			if err == nil {
				if err = ls.signUp(o.buyers); err != nil {
					ls.stop()
				}
			}
			if err != nil {
				return false, err
			}
			out, check, ok, err := liveSellout(ls, o)
			ls.stop()
			if err != nil {
				return false, err
			}
			judge("liveshop ("+o.db+")", out, check, ok)
		default:
			return false, fmt.Errorf("-sellout-targets %q: want redis and/or liveshop", t)
		}
	}
	fmt.Println("| target | buyers | stock | 201 | 409 sold out | other answers | p50 ms | p99 ms | max ms | check |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|")
	passed := true
	for _, l := range lines {
		others := map[string]int{}
		for k, v := range l.out.errs {
			if k != "409 sold out" {
				others[k] = v
			}
		}
		fmt.Printf("| %s | %d | %d | %d | %d | %s | %.2f | %.2f | %.1f | %s |\n", l.name, o.buyers, o.stock, l.out.created,
			l.out.errs["409 sold out"], errSummary(others), ms(l.out.lat.at(0.5)), ms(l.out.lat.at(0.99)), ms(l.out.lat.at(1)), l.check)
		passed = passed && l.ok
	}
	if passed {
		fmt.Printf("\nExactly %d succeeded everywhere; everybody else heard \"sold out\"; nothing oversold.\n", want)
	}
	return passed, nil
}

func liveSellout(ls *liveshop, o opts) (*outcome, string, bool, error) {
	s, err := ls.newSale(ls.skus[0], o.stock, 1, 5*time.Minute)
	if err != nil {
		return nil, "", false, fmt.Errorf("flash sale: %w", err)
	}
	progress("waiting for the sale to start (%s)", s.StartsAt.Format(time.TimeOnly))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := ls.waitRunning(ctx, s); err != nil {
		return nil, "", false, err
	}
	out, err := burst(o.buyers, "s-", ls.warm(s.ID), ls.reserve(s.ID))
	if err != nil {
		return nil, "", false, err
	}
	check, ok := ls.check(s.ID, out.created, out.lost)
	return out, check, ok, nil
}

// raiseFileLimit lifts RLIMIT_NOFILE towards want (up to the hard limit)
// for this process and the server it starts, which inherits it.
func raiseFileLimit(want uint64) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur >= want {
		return
	}
	lim.Cur = min(want, lim.Max)
	_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
}
