// Command media measures liveshop's live video against a freshly started
// server: glass-to-glass latency (RTMP in, WHEP and LL-HLS out), and what
// WHEP and LL-HLS viewers cost the server.
//
//	go run ./bench/media -bin ./bin/liveshop -mode all
//	go run ./bench/media -mode latency -runs 3 -duration 10s
//	go run ./bench/media -mode whep -viewers 250,500,1000
//	go run ./bench/media -mode hls -viewers 2000
//
// The publisher is this process: a 1 Mbit/s 720p25 H.264 + AAC clip made
// by ffmpeg, looped in real time over RTMP, with an SEI in every video
// access unit carrying its send time, so every viewer can tell how late
// each frame is and which frames it missed. Viewers are in-process pion
// peers and Go HTTP clients. Everything listens on 127.0.0.1, every step
// is bounded and the server is stopped at the end.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"
)

// benchEnv is what every mode works with: a booted server, its merchant,
// the clip and the clients.
type benchEnv struct {
	srv      *server
	merchant *merchant
	clip     *clip
	whep     *whepClient
	hls      *http.Client
	// loadBefore is the machine's load average when the mode started:
	// other work on the machine skews every figure.
	loadBefore string
}

func main() {
	bin := flag.String("bin", "./bin/liveshop", "liveshop binary")
	mode := flag.String("mode", "all", "latency, whep, hls or all")
	var viewers, whepViewers, hlsViewers viewerList
	whepViewers.Set("250,500")
	hlsViewers.Set("1000")
	flag.Var(&viewers, "viewers", "viewer counts for -mode whep or hls, e.g. 250,500,1000")
	flag.Var(&whepViewers, "whep-viewers", "WHEP viewer counts when -viewers is not given")
	flag.Var(&hlsViewers, "hls-viewers", "LL-HLS viewer counts when -viewers is not given")
	duration := flag.Duration("duration", 10*time.Second, "measured window of each latency run and load step")
	warmup := flag.Duration("warmup", 3*time.Second, "unmeasured time before each load step's window")
	runs := flag.Int("runs", 3, "latency runs (fresh session each); samples are pooled")
	joins := flag.Int("joins", 20, "sequential new WHEP viewers timed per latency run")
	ramp := flag.Duration("ramp", 2*time.Second, "LL-HLS viewers start spread over this long")
	kbps := flag.Int("kbps", 1000, "video bitrate of the published clip")
	serveFlags := flag.String("serve-flags", "", "extra flags for liveshop serve")
	flag.Parse()

	modes := map[string]bool{}
	switch *mode {
	case "all":
		modes = map[string]bool{"latency": true, "whep": true, "hls": true}
		if len(viewers) > 0 {
			fail(fmt.Errorf("-viewers needs -mode whep or hls; use -whep-viewers and -hls-viewers with -mode all"))
		}
	case "latency", "whep", "hls":
		modes[*mode] = true
		if len(viewers) > 0 {
			whepViewers, hlsViewers = viewers, viewers
		}
	default:
		fail(fmt.Errorf("-mode %q must be latency, whep, hls or all", *mode))
	}
	if *runs < 1 || *duration < time.Second || *duration > 10*time.Minute || *joins < 0 || *joins > 1000 {
		fail(fmt.Errorf("-runs ≥ 1, -duration between 1s and 10m, -joins ≤ 1000"))
	}

	fmt.Printf("media benchmark; go run ./bench/media %s\n\n", strings.Join(os.Args[1:], " "))
	dir, err := os.MkdirTemp("", "liveshop-bench-clip")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	c, err := makeClip(dir, 10, 25, *kbps)
	if err != nil {
		os.RemoveAll(dir)
		fail(err)
	}
	fmt.Printf("clip: 1280x720 H.264 at 25 fps, IDR every 1 s, %.0f kbit/s measured; AAC %d Hz; a timestamp SEI in every access unit\n\n",
		c.bitrate/1000, c.audioConf.SampleRate)

	extra := strings.Fields(*serveFlags)
	lo := loadOpts{warmup: *warmup, duration: *duration, ramp: *ramp}
	ok := true
	if modes["latency"] {
		ok = withEnv(*bin, extra, c, 64, func(env *benchEnv) error {
			res, err := runLatency(env, latencyOpts{runs: *runs, duration: *duration, joins: *joins})
			if len(res.firstPacket) > 0 || len(res.firstPart) > 0 {
				fmt.Printf("### Latency (%d runs of %s, %d joins each; samples pooled; load average before: %s)\n\n%s\n",
					*runs, *duration, *joins, env.loadBefore, res.table())
			}
			if res.firstErr != nil {
				fmt.Printf("first viewer-join error: %v\n\n", res.firstErr)
			}
			return err
		}) && ok
	}
	if modes["whep"] {
		lo.viewers = whepViewers
		ok = withEnv(*bin, extra, c, 2*maxOf(whepViewers)+64, func(env *benchEnv) error {
			t, err := runWHEPLoad(env, lo)
			printLoad("WHEP viewers", lo, t, env.loadBefore)
			return err
		}) && ok
	}
	if modes["hls"] {
		lo.viewers = hlsViewers
		ok = withEnv(*bin, extra, c, 3*maxOf(hlsViewers)+64, func(env *benchEnv) error {
			t, err := runHLSLoad(env, lo)
			printLoad("LL-HLS viewers", lo, t, env.loadBefore)
			return err
		}) && ok
	}
	if !ok {
		os.Exit(1)
	}
}

func printLoad(what string, o loadOpts, t *table, load string) {
	if t == nil {
		return
	}
	fmt.Printf("### %s (one stream; %s warm-up, %s window per step; per-viewer figures are above the no-viewer baseline; load average before: %s)\n\n%s\n",
		what, o.warmup, o.duration, load, t)
}

// withEnv boots a fresh server for one mode, runs f and stops the server.
// It reports failures on stderr and returns whether f succeeded.
func withEnv(bin string, extra []string, c *clip, conns int, f func(*benchEnv) error) bool {
	hc := &http.Client{Timeout: 30 * time.Second}
	srv, err := bootServer(bin, extra, hc)
	if err != nil {
		fmt.Fprintf(os.Stderr, "media bench: boot: %v\n", err)
		return false
	}
	defer srv.stop()
	m, err := setupMerchant(srv)
	if err != nil {
		fmt.Fprintf(os.Stderr, "media bench: setup: %v\n", err)
		return false
	}
	w, err := newWHEPClient(srv.Base, hc)
	if err != nil {
		fmt.Fprintf(os.Stderr, "media bench: %v\n", err)
		return false
	}
	hlsClient := &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: 30 * time.Second}}
	defer hlsClient.CloseIdleConnections()
	env := &benchEnv{srv: srv, merchant: m, clip: c, whep: w, hls: hlsClient, loadBefore: loadAvg()}
	if err := f(env); err != nil {
		fmt.Fprintf(os.Stderr, "media bench: %v\n", err)
		if !srv.Alive() {
			fmt.Fprintln(os.Stderr, "media bench: the server exited")
		}
		return false
	}
	return true
}

// loadAvg is the 1, 5 and 15 minute load averages.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

func maxOf(v []int) int {
	m := 0
	for _, n := range v {
		m = max(m, n)
	}
	return m
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "media bench: %v\n", err)
	os.Exit(2)
}
