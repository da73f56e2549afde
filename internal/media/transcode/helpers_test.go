package transcode

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/media"
)

// openGate lets every key publish to the room of the same name.
type openGate struct{}

func (openGate) Authorize(_ context.Context, key string, _ media.Protocol) (string, error) {
	return key, nil
}
func (openGate) Started(context.Context, string, media.Protocol) error { return nil }
func (openGate) Stopped(string, bool)                                  {}

func testLogger(t *testing.T) *slog.Logger {
	w := &testWriter{t: t}
	t.Cleanup(w.stop)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// testWriter logs into the test until it ends: a stream's goroutines may
// still log (a closed stream says so) after the test has returned, and
// testing forbids logging then.
type testWriter struct {
	mu    sync.Mutex
	t     *testing.T
	ended bool
}

func (w *testWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.ended {
		w.t.Log(strings.TrimSpace(string(b)))
	}
	return len(b), nil
}

func (w *testWriter) stop() {
	w.mu.Lock()
	w.ended = true
	w.mu.Unlock()
}

func needFFmpeg(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Fatal("ffmpeg is not installed: `make test` installs it (scripts/install-deps.sh)")
	}
}

// ffmpegFile runs ffmpeg with args, writing to name in a temp dir, and
// returns the file's bytes.
func ffmpegFile(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	cmd := exec.Command("ffmpeg", append(append([]string{"-hide_banner", "-loglevel", "error", "-y"}, args...), out)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %v: %v\n%s", args, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sineAAC makes seconds of a 440 Hz tone as AAC-LC access units with the
// track's AudioSpecificConfig, as an RTMP publisher would send them.
func sineAAC(t *testing.T, seconds float64, rate int) (config []byte, aus [][]byte) {
	b := ffmpegFile(t, "sine.aac", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate="+itoa(rate),
		"-t", ftoa(seconds), "-c:a", "aac", "-f", "adts")
	r := newADTSReader(bytes.NewReader(b))
	for {
		f, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if config == nil {
			if config, err = f.header.config(); err != nil {
				t.Fatal(err)
			}
		}
		aus = append(aus, f.au)
	}
	return config, aus
}

// sineOpus makes seconds of a tone as 20 ms Opus packets, as a WHIP
// publisher would send them.
func sineOpus(t *testing.T, seconds float64) [][]byte {
	b := ffmpegFile(t, "sine.ogg", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
		"-t", ftoa(seconds), "-c:a", "libopus", "-frame_duration", "20", "-ac", "2", "-f", "ogg")
	r := newOggReader(bytes.NewReader(b))
	var pkts [][]byte
	for {
		p, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if bytes.HasPrefix(p, []byte("OpusHead")) || bytes.HasPrefix(p, []byte("OpusTags")) {
			continue
		}
		pkts = append(pkts, p)
	}
	return pkts
}

func itoa(n int) string     { return strconv.Itoa(n) }
func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func waitFor(t *testing.T, what string, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// children lists this process's child processes, zombies included.
func children(t *testing.T) []string {
	t.Helper()
	tasks, _ := filepath.Glob("/proc/self/task/*/children")
	var out []string
	for _, f := range tasks {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		out = append(out, strings.Fields(string(b))...)
	}
	return out
}

// checkClean waits for goroutines to settle near before and for every
// child process to be reaped.
func checkClean(t *testing.T, before int) {
	t.Helper()
	waitFor(t, "child processes to be reaped", 3*time.Second, func() bool { return len(children(t)) == 0 })
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before+2 {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// fakeFFmpeg writes a shell script standing in for ffmpeg: it answers
// the encoder probe with failure and otherwise runs body.
func fakeFFmpeg(t *testing.T, body string) string {
	path := filepath.Join(t.TempDir(), "ffmpeg")
	script := "#!/bin/sh\nif [ \"$2\" = -encoders ]; then exit 1; fi\n" + body + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
