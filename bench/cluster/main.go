// Command cluster runs the room, video and flash-sale benchmarks against
// three liveshop nodes: it starts a private PostgreSQL, a three-server
// NATS cluster (JetStream, three replicas) and three `liveshop serve`
// nodes sharing one data directory, all on 127.0.0.1 under a temp dir,
// and stops them all at the end, on error, on Ctrl-C or at -timeout.
//
//	go run ./bench/cluster -bin ./bin/liveshop
//	go run ./bench/cluster -viewers 6000 -hls 600 -rounds 3
//
// It prints a Markdown report and puts it into docs/BENCHMARKS.md
// between the cluster-bench markers (-write "" leaves the file alone).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type opts struct {
	bin           string
	extra         []string
	rounds        int
	viewers       int // WebSocket viewers
	senders       int
	chats         int // a second
	hls           int // LL-HLS viewers
	buyers        int
	selloutBuyers int
	stock         int
	accounts      int
	warmup        time.Duration
	window        time.Duration
	flashWindow   time.Duration
	loadBefore    string // load average at the start
}

func main() {
	var o opts
	flag.StringVar(&o.bin, "bin", "./bin/liveshop", "liveshop binary")
	flag.IntVar(&o.rounds, "rounds", 1, "repeat every measurement this many times and report medians (1–9)")
	flag.IntVar(&o.viewers, "viewers", 3000, "WebSocket viewers in the room, spread evenly over the three nodes")
	flag.IntVar(&o.senders, "senders", 20, "signed-in chat senders on node 1")
	flag.IntVar(&o.chats, "chats", 20, "chats a second in the room (from the senders, at most one a second each)")
	flag.IntVar(&o.hls, "hls", 300, "LL-HLS viewers, spread evenly over the three nodes (two thirds relayed)")
	flag.IntVar(&o.buyers, "buyers", 200, "closed-loop buyers of the throughput flash sale, spread over the nodes")
	flag.IntVar(&o.selloutBuyers, "sellout-buyers", 2000, "buyers of the sell-out, each its own account, at the same moment")
	flag.IntVar(&o.stock, "stock", 100, "units of the sell-out")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "unmeasured time before each window")
	flag.DurationVar(&o.window, "duration", 10*time.Second, "measured window of the room and video phases")
	flag.DurationVar(&o.flashWindow, "flash-duration", 5*time.Second, "measured window of the flash sale")
	serveFlags := flag.String("serve-flags", "", "extra flags for every liveshop serve")
	write := flag.String("write", "docs/BENCHMARKS.md", "put the report into this file between the cluster-bench markers (\"\": don't)")
	timeout := flag.Duration("timeout", 20*time.Minute, "stop everything after this long, whatever happens")
	flag.Parse()
	o.extra = strings.Fields(*serveFlags)
	o.accounts = max(o.selloutBuyers, o.senders, 1)
	if o.rounds < 1 || o.rounds > 9 || o.viewers < 0 || o.hls < 0 || o.buyers < 1 || o.senders < 1 || o.chats < 1 ||
		o.chats > o.senders || o.stock < 1 || o.selloutBuyers < o.stock || o.window < time.Second || o.flashWindow < time.Second {
		fail(errors.New("-rounds 1–9, -viewers/-hls ≥ 0, -buyers ≥ 1, 1 ≤ -chats ≤ -senders, -sellout-buyers ≥ -stock ≥ 1, windows ≥ 1s"))
	}
	raiseFileLimit()
	o.loadBefore = loadAvg()

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	ctx, stopSignals := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stopSignals()
	st := &stack{}
	type result struct {
		rounds []metrics
		err    error
	}
	done := make(chan result, 1)
	started := time.Now()
	go func() {
		r, err := run(ctx, o, st)
		done <- result{r, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-ctx.Done():
		// Give the run a moment to notice; then stop everything regardless.
		select {
		case res = <-done:
		case <-time.After(30 * time.Second):
			res.err = fmt.Errorf("stopped: %w", context.Cause(ctx))
		}
	}
	st.close()
	if res.err != nil && len(res.rounds) == 0 {
		fail(res.err)
	}
	block := report(o, res.rounds, time.Since(started))
	fmt.Print(block)
	if res.err != nil {
		fail(res.err) // a partial report is printed, never written
	}
	if *write != "" {
		doc, err := os.ReadFile(*write)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			fail(err)
		}
		out, err := replaceBlock(string(doc), block)
		if err != nil {
			fail(fmt.Errorf("%s: %w", *write, err))
		}
		if err := os.WriteFile(*write, []byte(out), 0o644); err != nil {
			fail(err)
		}
		progress("report written into %s", *write)
	}
}

// run brings the cluster up and runs every round.
func run(ctx context.Context, o opts, st *stack) ([]metrics, error) {
	c, err := startCluster(ctx, o, st)
	if err != nil {
		return nil, err
	}
	// Two live rooms, both ingested on node 1: a tiny stream keeps the
	// chat room live at next to no cost; the video room carries a
	// 640x360 30 fps stream with audio.
	pctx, stopPub := context.WithCancel(ctx)
	st.push(stopPub)
	chatRoom, chatKey, err := c.newSession("Cluster chat")
	if err != nil {
		return nil, err
	}
	chatPub, err := publish(pctx, c.nodes[0].RTMP, chatKey, "160x90", 10, "100k", false)
	if err != nil {
		return nil, err
	}
	videoRoom, videoKey, err := c.newSession("Cluster video")
	if err != nil {
		return nil, err
	}
	videoPub, err := publish(pctx, c.nodes[0].RTMP, videoKey, "640x360", 30, "800k", true)
	if err != nil {
		return nil, err
	}
	for _, id := range []string{chatRoom, videoRoom} {
		if err := c.waitLive(ctx, id); err != nil {
			return nil, err
		}
	}
	var rounds []metrics
	for r := range o.rounds {
		m := metrics{}
		for _, pub := range []<-chan error{chatPub, videoPub} {
			select {
			case err := <-pub:
				return rounds, fmt.Errorf("a publisher stopped: %v", err)
			default:
			}
		}
		progress("round %d of %d", r+1, o.rounds)
		if o.viewers > 0 {
			if err := runRoom(ctx, o, c, chatRoom, m); err != nil {
				return rounds, fmt.Errorf("room: %w", err)
			}
		}
		if o.hls > 0 {
			if err := runVideo(ctx, o, c, videoRoom, m); err != nil {
				return rounds, fmt.Errorf("video: %w", err)
			}
		}
		fo := o
		fo.window = o.flashWindow
		if err := runFlash(ctx, fo, c, r, m); err != nil {
			return rounds, fmt.Errorf("flash sale: %w", err)
		}
		err := runSellout(ctx, o, c, r, m)
		rounds = append(rounds, m)
		if err != nil {
			return rounds, err
		}
	}
	return rounds, nil
}

// raiseFileLimit lifts the soft descriptor limit to the hard one: the
// generator holds a descriptor per connection, and the nodes it starts
// inherit the limit.
func raiseFileLimit() {
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) == nil && rl.Cur < rl.Max {
		rl.Cur = rl.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
	}
}

func loadAvg() string {
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		return strings.Join(strings.Fields(string(b))[:3], " ")
	}
	return "?"
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "cluster: %v\n", err)
	os.Exit(1)
}

// report is the Markdown of the rounds: medians when there are several.
func report(o opts, rounds []metrics, took time.Duration) string {
	var b strings.Builder
	args := []string{"go", "run", "./bench/cluster"}
	for _, a := range os.Args[1:] {
		if a == "" || strings.ContainsAny(a, " \"'") {
			a = fmt.Sprintf("%q", a)
		}
		args = append(args, a)
	}
	cmd := strings.Join(args, " ")
	fmt.Fprintf(&b, "`%s` — %s, %s, %d round(s)%s, took %s.\n\n", cmd,
		time.Now().UTC().Format("2006-01-02"), runtime.Version(), len(rounds),
		map[bool]string{true: " (medians over the rounds)", false: ""}[len(rounds) > 1], took.Round(time.Second))
	fmt.Fprintf(&b, "Machine: %d vCPUs, shared by everything: the load generator, PostgreSQL, three NATS servers, "+
		"three liveshop nodes and ffmpeg, all on 127.0.0.1 (load average at the start %s, at the end %s). The figures are what one small "+
		"machine gives a whole cluster, not what three machines would; per-node CPU is of one core (100 %% = a core).\n\n",
		runtime.NumCPU(), o.loadBefore, loadAvg())
	if la, err := strconv.ParseFloat(strings.Fields(o.loadBefore + " x")[0], 64); err == nil && la > float64(runtime.NumCPU()) {
		fmt.Fprintf(&b, "Other work was running on the machine when the run started (load average above the CPU count): "+
			"every figure here is a low bound.\n\n")
	}

	fmt.Fprintf(&b, "**Room fan-out.** One live room; %d anonymous WebSocket viewers spread evenly over the nodes, "+
		"%d chats/s from %d signed-in senders on node 1 (%s warm-up, %s window). Latency: the chat's scheduled send "+
		"time → receipt by a viewer of that node. Deliveries count in the window whenever their chat was sent, so a "+
		"backlog draining shows as more than 100 %% of the ideal. CPU per 1k: the node's CPU over its connections, per 1,000. RSS per "+
		"connection: the node's whole RSS over its connections (idle: after they connected, before the chat; loaded: at the "+
		"end of the window), an upper bound.\n\n",
		o.viewers, o.chats, o.senders, o.warmup, o.window)
	ws := table{head: []string{"node", "connections", "failed / dropped", "chat deliveries/s (of ideal)", "p50 ms", "p99 ms",
		"CPU", "CPU per 1k connections", "CPU µs per delivery", "RSS MiB", "RSS KiB per connection idle / loaded"}}
	for i := 1; i <= 3; i++ {
		k := fmt.Sprintf("ws.%d.", i)
		ws.add(fmt.Sprint(i), cell(rounds, k+"conns", "%.0f"), cell(rounds, k+"failed", "%.0f")+" / "+cell(rounds, k+"dropped", "%.0f"),
			cell(rounds, k+"deliv", "%.0f")+" ("+cell(rounds, k+"share", "%.1f")+" %)",
			cell(rounds, k+"p50", "%.1f"), cell(rounds, k+"p99", "%.1f"), cell(rounds, k+"cpu", "%.0f")+" %",
			cell(rounds, k+"cpu_per_1k", "%.1f")+" %", cell(rounds, k+"cpu_us_per_deliv", "%.1f"), cell(rounds, k+"rss", "%.0f"),
			cell(rounds, k+"idle_kib_per_conn", "%.0f")+" / "+cell(rounds, k+"kib_per_conn", "%.0f"))
	}
	fmt.Fprintf(&b, "%s\nConnections: the node's viewers, plus the chat senders on node 1. Chats sent: %s/s. Node 1 also takes the chat senders and both RTMP streams; nodes 2 and 3 get "+
		"the chats over NATS. The load generator used %s %% of a core in the window.\n\n", ws.String(),
		cell(rounds, "ws.chats_sent", "%.1f"), cell(rounds, "ws.gen_cpu", "%.0f"))

	fmt.Fprintf(&b, "**Video.** ffmpeg publishes a 640x360 30 fps test pattern with AAC audio over RTMP to node 1; %d "+
		"LL-HLS viewers (blocking playlist reloads, every part fetched) spread evenly over the nodes, so two thirds are "+
		"served by nodes 2 and 3 relaying from node 1. Part fetch: request → last byte. Listing lag: a part first listed "+
		"to any viewer → listed to this one. %s parts were published in the %s window.\n\n", o.hls, cell(rounds, "hls.parts", "%.0f"), o.window)
	vt := table{head: []string{"viewers", "count", "got every part", "parts received (mean)", "part fetch p50 ms", "p99 ms", "listing lag p50 ms", "p99 ms", "errors"}}
	for _, g := range []string{"direct", "relayed"} {
		k := "hls." + g + "."
		vt.add(g+map[string]string{"direct": " (node 1)", "relayed": " (nodes 2, 3)"}[g], cell(rounds, k+"viewers", "%.0f"),
			cell(rounds, k+"all_parts", "%.0f"), cell(rounds, k+"share", "%.1f")+" %", cell(rounds, k+"part_p50", "%.1f"), cell(rounds, k+"part_p99", "%.1f"),
			cell(rounds, k+"lag_p50", "%.1f"), cell(rounds, k+"lag_p99", "%.1f"), cell(rounds, k+"errors", "%.0f"))
	}
	fmt.Fprintf(&b, "%s\nNode CPU while the viewers played: node 1 (ingest) %s %%, node 2 %s %%, node 3 %s %%; RSS %s / %s / %s MiB; "+
		"the load generator %s %%.\n\n", vt.String(), cell(rounds, "hls.1.cpu", "%.0f"), cell(rounds, "hls.2.cpu", "%.0f"), cell(rounds, "hls.3.cpu", "%.0f"),
		cell(rounds, "hls.1.rss", "%.0f"), cell(rounds, "hls.2.rss", "%.0f"), cell(rounds, "hls.3.rss", "%.0f"),
		cell(rounds, "hls.gen_cpu", "%.0f"))

	fmt.Fprintf(&b, "**Flash sale.** %d buyers closed-loop over HTTP/1.1 keep-alive, spread evenly over the nodes, for %s "+
		"after %s, one sale with ample stock created on (and owned by) node 1, so reservations on nodes 2 and 3 are forwarded "+
		"to it; per-buyer limit %s, %d accounts taking turns.\n\n", o.buyers, o.flashWindow, o.warmup,
		cell(rounds, "flash.per_user", "%.0f"), o.accounts)
	ft := table{head: []string{"buyers on", "reservations/s", "p50 ms", "p99 ms"}}
	for i := 1; i <= 3; i++ {
		k := fmt.Sprintf("flash.%d.", i)
		name := fmt.Sprintf("node %d", i)
		if i > 1 {
			name += " (forwarded)"
		}
		ft.add(name, cell(rounds, k+"rps", "%.0f"), cell(rounds, k+"p50", "%.1f"), cell(rounds, k+"p99", "%.1f"))
	}
	ft.add("**all**", "**"+cell(rounds, "flash.rps", "%.0f")+"**", cell(rounds, "flash.p50", "%.1f"), cell(rounds, "flash.p99", "%.1f"))
	fmt.Fprintf(&b, "%s\nOther answers in the window: %s (non-201, e.g. a buyer at the limit); unanswered: %s; sale's sold − 201s "+
		"received: %s.\n\n", ft.String(), cell(rounds, "flash.other", "%.0f"), cell(rounds, "flash.lost", "%.0f"),
		cell(rounds, "flash.sold_mismatch", "%.0f"))

	fmt.Fprintf(&b, "**Sell-out.** %s buyers, each its own account, spread over the nodes, one reservation each at the same "+
		"moment for %s units: %s × 201, %s refused as sold out, %s unanswered, %s other; the sale says sold %s. "+
		"**oversold: %s**. All answered in %s ms (p50 %s ms, p99 %s ms).\n",
		cell(rounds, "sellout.buyers", "%.0f"), cell(rounds, "sellout.stock", "%.0f"), cell(rounds, "sellout.ok", "%.0f"),
		cell(rounds, "sellout.refused", "%.0f"), cell(rounds, "sellout.lost", "%.0f"), cell(rounds, "sellout.other", "%.0f"),
		cell(rounds, "sellout.sold", "%.0f"), cell(rounds, "sellout.oversold", "%.0f"), cell(rounds, "sellout.ms", "%.0f"),
		cell(rounds, "sellout.p50", "%.1f"), cell(rounds, "sellout.p99", "%.1f"))
	return b.String()
}
