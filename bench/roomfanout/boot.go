package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// server is a `liveshop serve` on a temporary data directory, all of its
// listeners on 127.0.0.1.
type server struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:P
	rtmp string // 127.0.0.1:R
	http *http.Client
	done chan struct{} // closed when the process exits
}

const (
	adminEmail    = "admin@bench.test"
	adminPassword = "bench-admin-pw"
)

// newDataDir makes a temporary data directory with an admin account.
// The caller removes it.
func newDataDir(bin string) (string, error) {
	data, err := os.MkdirTemp("", "liveshop-bench-room")
	if err != nil {
		return "", err
	}
	if out, err := exec.Command(bin, "admin", "create-user", "--email", adminEmail, "--password", adminPassword,
		"--admin", "--data", data, "--log-level", "warn").CombinedOutput(); err != nil {
		os.RemoveAll(data)
		return "", fmt.Errorf("create admin: %v: %s", err, out)
	}
	return data, nil
}

// bootServer starts the server on data, waiting for /readyz. The caller
// must call stop.
func bootServer(bin, data string, extra []string, hc *http.Client) (*server, error) {
	httpAddr, err1 := freePort("tcp")
	rtmpAddr, err2 := freePort("tcp")
	udpAddr, err3 := freePort("udp")
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, err
	}
	args := []string{"serve", "--http", httpAddr, "--data", data, "--rtmp", rtmpAddr, "--webrtc-udp", udpAddr,
		"--log-level", "warn", "--live-grace", "30s", "--demo-stream=false"}
	cmd := exec.Command(bin, append(args, extra...)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &server{cmd: cmd, base: "http://" + httpAddr, rtmp: rtmpAddr, http: hc, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()
	if err := s.waitReady(30 * time.Second); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if !s.alive() {
			return errors.New("server exited during start-up")
		}
		if resp, err := s.http.Get(s.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("server not ready in %s", limit)
}

// stop interrupts the server and kills it if it has not left within 10 s.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.done
	}
}

// alive reports whether the server process is still running.
func (s *server) alive() bool {
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// freePort returns a 127.0.0.1 address that was free a moment ago.
func freePort(network string) (string, error) {
	if network == "udp" {
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return "", err
		}
		defer c.Close()
		return c.LocalAddr().String(), nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startPublisher keeps the room live: chat needs a live session, and a
// session goes live when its stream arrives. ffmpeg sends a tiny test
// pattern (160x90, 10 fps) so the video costs next to nothing next to
// the chat being measured. It runs until ctx ends.
func startPublisher(ctx context.Context, rtmpAddr, key string) (<-chan error, error) {
	path, err := exec.LookPath("ffmpeg")
	if err != nil {
		return nil, fmt.Errorf("publisher: ffmpeg is needed to make the room live: %w", err)
	}
	cmd := exec.CommandContext(ctx, path, "-hide_banner", "-loglevel", "error", "-re",
		"-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10",
		"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
		"-g", "10", "-b:v", "100k", "-f", "flv", "rtmp://"+rtmpAddr+"/live/"+key)
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("publisher: start ffmpeg: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return done, nil
}
