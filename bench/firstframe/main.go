// Command firstframe measures where the time goes between opening the live
// room page and its first video frame (issue 8), on loopback: it boots
// `liveshop demo` (the demo room live with its ffmpeg test pattern), waits
// for the room to be live, then runs web/scripts/firstframe.mjs, which
// opens the room in N fresh headless-Chromium contexts and times each
// phase from navigation start. It prints the median and p90 of every
// phase as a Markdown table for docs/BENCHMARKS.md.
//
// Given -bin more than once (e.g. the binary of an earlier commit and the
// current one), it boots one server per binary and alternates the page
// loads between them (one load each, -runs rounds), so that every build
// meets the same machine load, and prints them side by side.
//
//	go run ./bench/firstframe -bin ./bin/liveshop -runs 15
//	go run ./bench/firstframe -bin /tmp/before/liveshop -label before -bin ./bin/liveshop -label after
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/liveshop/liveshop/bench/internal/benchsrv"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var bins, labels list
	flag.Var(&bins, "bin", "liveshop binary to measure (repeatable)")
	flag.Var(&labels, "label", "name of the matching -bin in the report (default its path)")
	runs := flag.Int("runs", 15, "fresh page loads per binary")
	warmup := flag.Int("warmup", 2, "page loads before the measured ones, not counted (browser and server caches)")
	chromium := flag.String("chromium", "/usr/bin/chromium", "Chromium executable")
	flag.Parse()
	if len(bins) == 0 {
		bins = list{"./bin/liveshop"}
	}
	web, err := webDir()
	if err != nil {
		fail(err)
	}
	results, err := measure(bins, web, *chromium, *runs, *warmup)
	if err != nil {
		fail(err)
	}
	for i := range results {
		results[i].Label = bins[i]
		if i < len(labels) {
			results[i].Label = labels[i]
		}
	}
	report(os.Stdout, results, *runs)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "firstframe:", err)
	os.Exit(1)
}

// webDir finds web/ (with node_modules) from this source file or the working directory.
func webDir() (string, error) {
	_, file, _, _ := runtime.Caller(0)
	for _, d := range []string{filepath.Join(filepath.Dir(file), "..", "..", "web"), "web"} {
		if _, err := os.Stat(filepath.Join(d, "node_modules", "playwright-core")); err == nil {
			return filepath.Abs(d)
		}
	}
	return "", errors.New("web/node_modules/playwright-core not found (run make web)")
}

// phase is one step of the way to the first frame, as firstframe.mjs names it.
type phase struct{ key, name string }

var phases = []phase{
	{"script", "entry script running"},
	{"offer", "WHEP offer POSTed"},
	{"answer", "WHEP answer received"},
	{"ice", "ICE connected"},
	{"dtls", "DTLS connected"},
	{"rtp", "first video RTP"},
	{"frame", "first frame presented"},
	{"decoded", "framesDecoded > 0 (getStats, 10 ms poll)"},
}

type stat struct {
	Median *float64 `json:"median"`
	P90    *float64 `json:"p90"`
}

type result struct {
	Label   string
	Load    string           // /proc/loadavg when the measured runs began
	Target  int              `json:"target"` // which server (-bin), in order
	Runs    []map[string]any `json:"runs"`
	Summary map[string]stat  `json:"summary"`
}

func measure(bins []string, web, chromium string, runs, warmup int) ([]result, error) {
	var bases []string
	for _, bin := range bins {
		fmt.Fprintf(os.Stderr, "firstframe: starting %s\n", bin)
		srv, err := boot(bin)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", bin, err)
		}
		defer srv.stop()
		bases = append(bases, srv.base)
	}
	if warmup > 0 {
		if _, err := runScript(web, chromium, bases, warmup); err != nil {
			return nil, fmt.Errorf("warm-up: %w", err)
		}
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Fprintf(os.Stderr, "firstframe: %d rounds of %d loads\n", runs, len(bases))
	results, err := runScript(web, chromium, bases, runs)
	if f := strings.Fields(string(load)); len(f) >= 3 {
		for i := range results {
			results[i].Load = strings.Join(f[:3], " ")
		}
	}
	return results, err
}

func runScript(web, chromium string, bases []string, runs int) ([]result, error) {
	cmd := exec.Command("node", "scripts/firstframe.mjs")
	cmd.Dir = web
	cmd.Env = append(os.Environ(), "BASE_URLS="+strings.Join(bases, ","), "SESSION_ID=demo", fmt.Sprintf("RUNS=%d", runs), "CHROMIUM="+chromium)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	res := make([]result, len(bases))
	found := 0
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "FIRSTFRAME_RESULT "):
			var r result
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "FIRSTFRAME_RESULT ")), &r); err != nil {
				return nil, fmt.Errorf("parse result: %w", err)
			}
			if r.Target < 0 || r.Target >= len(res) {
				return nil, fmt.Errorf("result for server %d of %d", r.Target, len(res))
			}
			res[r.Target] = r
			found++
		case strings.HasPrefix(line, "FIRSTFRAME_RUN "):
			fmt.Fprintln(os.Stderr, "  ", strings.TrimPrefix(line, "FIRSTFRAME_RUN "))
		default:
			fmt.Fprintln(os.Stderr, "  ", line)
		}
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("firstframe.mjs: %w", err)
	}
	if found != len(bases) {
		return nil, fmt.Errorf("firstframe.mjs printed %d results for %d servers", found, len(bases))
	}
	return res, nil
}

func report(w io.Writer, results []result, runs int) {
	fmt.Fprintf(w, "\nFirst frame of the live room on loopback, %d fresh page loads each: ms from navigation start, median / p90\n\n", runs)
	head := "| phase |"
	rule := "|---|"
	for _, r := range results {
		head += " " + r.Label + " |"
		rule += "---:|"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, rule)
	for _, p := range phases {
		line := "| " + p.name + " |"
		for _, r := range results {
			s := r.Summary[p.key]
			line += " " + num(s.Median) + " / " + num(s.P90) + " |"
		}
		fmt.Fprintln(w, line)
	}
	for _, r := range results {
		paths := map[string]int{}
		for _, run := range r.Runs {
			p, _ := run["path"].(string)
			paths[p]++
		}
		fmt.Fprintf(w, "\n%s: played via %v; load average before: %s\n", r.Label, paths, r.Load)
	}
}

func num(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.0f", *v)
}

// server is a running `liveshop demo` on a temporary data directory.
type server struct {
	base string
	cmd  *exec.Cmd
	data string
	done chan struct{}
}

// boot starts `liveshop demo` as the end-to-end tests do and waits until the demo room is live.
func boot(bin string) (*server, error) {
	data, err := os.MkdirTemp("", "firstframe")
	if err != nil {
		return nil, err
	}
	httpAddr, err1 := benchsrv.FreePort("tcp")
	rtmpAddr, err2 := benchsrv.FreePort("tcp")
	udpAddr, err3 := benchsrv.FreePort("udp")
	if err := errors.Join(err1, err2, err3); err != nil {
		os.RemoveAll(data)
		return nil, err
	}
	s := &server{base: "http://" + httpAddr, data: data, done: make(chan struct{})}
	s.cmd = exec.Command(bin, "demo", "--http", httpAddr, "--data", data, "--public-url", s.base, "--rtmp", rtmpAddr,
		"--webrtc-udp", udpAddr, "--log-level", "warn", "--rate-ip", "0", "--rate-user", "0", "--max-inflight", "0",
		"--demo-key", "firstframe-bench-key-0123456789")
	s.cmd.Stdout, s.cmd.Stderr = io.Discard, os.Stderr
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(data)
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() { _ = s.cmd.Wait(); close(s.done) }()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := s.waitLive(ctx); err != nil {
		s.stop()
		return nil, err
	}
	// A few keyframes into the stream, as a viewer arriving at a running room finds it.
	time.Sleep(3 * time.Second)
	return s, nil
}

func (s *server) waitLive(ctx context.Context) error {
	for {
		select {
		case <-s.done:
			return errors.New("liveshop exited during start-up")
		case <-ctx.Done():
			return errors.New("the demo room did not go live within 60 s")
		case <-time.After(200 * time.Millisecond):
		}
		resp, err := http.Get(s.base + "/api/v1/live-sessions/demo")
		if err != nil {
			continue
		}
		var body struct {
			Status string `json:"status"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if body.Status == "live" {
			return nil
		}
	}
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.done
	}
	os.RemoveAll(s.data)
}
