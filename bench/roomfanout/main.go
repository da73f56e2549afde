// Command roomfanout measures the live room's real-time fan-out against a
// freshly started server: one live room, N anonymous WebSocket viewers,
// M chats a second from signed-in senders plus a stream of likes. It
// reports deliveries a second, chat delivery latency, server CPU per
// delivery and server memory per connection.
//
//	go run ./bench/roomfanout -bin ./bin/liveshop            # the quick set
//	go run ./bench/roomfanout -viewers 2000,10000,20000 -chats 50,200,1000 -likes 2000 -duration 10s
//
// Every chat carries its scheduled send time in its text ("t=<unix ns>
// …"), so every receiver knows how late it is; generator and server
// share the clock. Each viewer count gets a fresh server (so its memory
// figures start clean) with a tiny ffmpeg stream keeping the room live.
// Everything listens on 127.0.0.1 and every step is bounded in time.
package main

import (
	"cmp"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"time"
)

func main() {
	o := opts{}
	var viewers intList
	flag.StringVar(&o.bin, "bin", "./bin/liveshop", "liveshop binary")
	flag.Var(&viewers, "viewers", "viewer counts, one fresh server each (default: 2000,10000,20000; -quick: 2000,10000)")
	flag.Var((*intList)(&o.chats), "chats", "chat rates a second, for the whole room (default: 50,200,1000; -quick: 50,200)")
	flag.IntVar(&o.likes, "likes", 2000, "like taps a second, for the whole room")
	flag.IntVar(&o.users, "users", 0, "signed-in chat senders, one connection each (0: one per chat a second, at least 50, "+
		"so none exceeds the 1/s per-user chat limit)")
	duration := flag.Duration("duration", 0, "measured window per chat rate (default: 10s; -quick: 5s)")
	warmup := flag.Duration("warmup", 0, "unmeasured time at each chat rate before its window (default: 3s; -quick: 2s)")
	flag.IntVar(&o.rampRate, "ramp-rate", 2000, "new connections a second while ramping up")
	flag.IntVar(&o.sources, "sources", 4, "loopback source addresses to dial from (127.0.0.1…)")
	quick := flag.Bool("quick", true, "smaller default set that ends in about 2 minutes; any of -viewers, -chats, -duration, -warmup overrides it")
	serveFlags := flag.String("serve-flags", "", "extra flags for liveshop serve")
	cpuProfile := flag.String("cpuprofile", "", "write this generator's CPU profile here (is the generator the bottleneck?)")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fail(err)
		}
		defer pprof.StopCPUProfile()
	}

	if *quick && !flagSet("viewers") && !flagSet("chats") && !flagSet("duration") && !flagSet("warmup") {
		viewers, o.chats, o.window, o.warmup = intList{2000, 10000}, []int{50, 200}, 5*time.Second, 2*time.Second
	}
	viewers = defaulted(viewers, 2000, 10000, 20000)
	o.chats = defaulted(o.chats, 50, 200, 1000)
	o.window = cmp.Or(*duration, o.window, 10*time.Second)
	o.warmup = cmp.Or(*warmup, o.warmup, 3*time.Second)
	if o.users == 0 {
		o.users = max(50, maxOf(o.chats))
	}
	if o.window < time.Second || o.window > 5*time.Minute || o.warmup > time.Minute || o.likes < 0 ||
		o.rampRate < 10 || o.sources < 1 || o.sources > 250 || o.users > 5000 {
		fail(fmt.Errorf("-duration 1s–5m, -warmup ≤ 1m, -likes ≥ 0, -ramp-rate ≥ 10, -sources 1–250, -users ≤ 5000"))
	}
	o.extra = strings.Fields(*serveFlags)

	// Both this process and the server it starts (which inherits the
	// limit) hold one descriptor per connection.
	// Without CAP_SYS_RESOURCE the hard limit stays (20,000 in this
	// project's container), so the largest step is cut to what fits,
	// keeping fdReserve for the server's own files, listeners and bus.
	const fdReserve = 512
	need := uint64(maxOf(viewers)+o.users) + fdReserve
	fdLimit := raiseFileLimit(need)
	var notes []string
	for i, n := range viewers {
		if fit := int(fdLimit) - fdReserve - o.users; n > fit {
			viewers[i] = max(fit, 1)
			notes = append(notes, fmt.Sprintf("%d viewers cut to %d: RLIMIT_NOFILE is %d here and cannot be raised, "+
				"and the server holds a descriptor for each of the %d senders too", n, viewers[i], fdLimit, o.users))
		}
	}

	fmt.Printf("room fan-out benchmark; go run ./bench/roomfanout %s\n", strings.Join(os.Args[1:], " "))
	fmt.Printf("viewers %v, chats/s %v, likes/s %d, %d chat senders, %s warm-up + %s window per rate; load average before: %s\n\n",
		viewers, o.chats, o.likes, o.users, o.warmup, o.window, loadAvg())
	for _, n := range notes {
		fmt.Printf("Note: %s.\n\n", n)
	}
	rep := &report{
		idle: table{head: []string{"viewers", "connected", "failed", "ramp s", "server RSS before MiB", "RSS idle MiB",
			"KiB per idle connection", "server CPU idle", "still open", "closed by server"}},
		loaded: table{head: []string{"viewers", "connections", "chats/s target", "chats/s sent", "likes/s sent",
			"deliveries/s", "chat deliveries/s (of ideal)", "WS messages/s", "p50 ms", "p99 ms", "max ms",
			"server CPU", "CPU µs per delivery", "server RSS MiB", "KiB per connection", "generator CPU", "load avg", "problems"}},
	}
	setupStart := time.Now()
	fx, err := prepare(o)
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(fx.data)
	fmt.Fprintf(os.Stderr, "roomfanout: shop and %d chat senders set up in %s\n", o.users, time.Since(setupStart).Round(time.Second))
	ok := true
	for _, n := range viewers {
		start := time.Now()
		if err := runViewers(o, fx, n, rep); err != nil {
			fmt.Fprintf(os.Stderr, "roomfanout: %d viewers: %v\n", n, err)
			ok = false
		}
		fmt.Fprintf(os.Stderr, "roomfanout: %d viewers done in %s\n", n, time.Since(start).Round(time.Second))
	}
	fmt.Printf("### Idle connections (anonymous viewers, no chat; RSS delta over the server before any WebSocket)\n\n%s\n", &rep.idle)
	fmt.Printf("### Under load (connections = viewers + chat senders, all receiving; deliveries = envelopes received, "+
		"of every type; latency = chat scheduled send → receipt, every connection; per-connection RSS is over the "+
		"pre-WebSocket baseline)\n\n%s\n", &rep.loaded)
	if !ok {
		pprof.StopCPUProfile()
		os.RemoveAll(fx.data)
		os.Exit(1)
	}
}

func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func defaulted(v []int, def ...int) []int {
	if len(v) == 0 {
		return def
	}
	return v
}

func maxOf(v []int) int {
	m := 0
	for _, n := range v {
		m = max(m, n)
	}
	return m
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "roomfanout: %v\n", err)
	os.Exit(2)
}
