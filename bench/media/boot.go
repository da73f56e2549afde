package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// server is a fresh `liveshop serve` on a temporary data directory, all
// of its listeners on 127.0.0.1.
type server struct {
	cmd  *exec.Cmd
	data string
	base string // http://127.0.0.1:P
	rtmp string // 127.0.0.1:R
	http *http.Client
	done chan struct{} // closed when the process exits
}

// bootServer creates an admin account and starts the server, waiting for
// /readyz. The caller must call stop.
func bootServer(bin string, extra []string, hc *http.Client) (*server, error) {
	data, err := os.MkdirTemp("", "liveshop-bench-media")
	if err != nil {
		return nil, err
	}
	httpAddr, err1 := freePort("tcp")
	rtmpAddr, err2 := freePort("tcp")
	udpAddr, err3 := freePort("udp")
	if err := errors.Join(err1, err2, err3); err != nil {
		os.RemoveAll(data)
		return nil, err
	}
	if out, err := exec.Command(bin, "admin", "create-user", "--email", adminEmail, "--password", adminPassword,
		"--admin", "--data", data, "--log-level", "warn").CombinedOutput(); err != nil {
		os.RemoveAll(data)
		return nil, fmt.Errorf("create admin: %v: %s", err, out)
	}
	args := []string{"serve", "--http", httpAddr, "--data", data, "--rtmp", rtmpAddr, "--webrtc-udp", udpAddr,
		"--log-level", "warn", "--live-grace", "5s", "--demo-stream=false"}
	cmd := exec.Command(bin, append(args, extra...)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		os.RemoveAll(data)
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &server{cmd: cmd, data: data, base: "http://" + httpAddr, rtmp: rtmpAddr, http: hc, done: make(chan struct{})}
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
		select {
		case <-s.done:
			return errors.New("server exited during start-up")
		default:
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

// stop interrupts the server, kills it if it has not left within 10 s,
// and removes its data directory.
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
