// Package benchsrv is what the load generators under bench/ share: a
// liveshop server booted on a temporary data directory with all of its
// listeners on 127.0.0.1, its public API, and the CPU and memory of a
// process read from /proc.
package benchsrv

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

// The admin account NewDataDir creates.
const (
	AdminEmail    = "admin@bench.test"
	AdminPassword = "bench-admin-pw"
)

// Server is a running `liveshop serve`.
type Server struct {
	Base string // http://127.0.0.1:P
	RTMP string // 127.0.0.1:R
	HTTP *http.Client

	cmd  *exec.Cmd
	done chan struct{} // closed when the process exits
}

// NewDataDir makes a temporary data directory (named after prefix) with
// an admin account. The caller removes it.
func NewDataDir(bin, prefix string) (string, error) {
	data, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", err
	}
	if out, err := exec.Command(bin, "admin", "create-user", "--email", AdminEmail, "--password", AdminPassword,
		"--admin", "--data", data, "--log-level", "warn").CombinedOutput(); err != nil {
		os.RemoveAll(data)
		return "", fmt.Errorf("create admin: %v: %s", err, out)
	}
	return data, nil
}

// LimitsOff turns off the per-client rate limits and connection caps: a
// load generator is one client at 127.0.0.1 sending what thousands would.
var LimitsOff = []string{"--rate-ip", "0", "--rate-user", "0", "--max-inflight", "0", "--ws-per-ip", "0", "--ws-per-user", "0", "--ws-max", "0"}

// Boot starts the server on data with extra flags (a flag given twice
// takes its last value) and waits for /readyz. The caller must Stop it.
func Boot(bin, data string, extra []string, hc *http.Client) (*Server, error) {
	httpAddr, err1 := FreePort("tcp")
	rtmpAddr, err2 := FreePort("tcp")
	udpAddr, err3 := FreePort("udp")
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, err
	}
	args := []string{"serve", "--http", httpAddr, "--data", data, "--rtmp", rtmpAddr, "--webrtc-udp", udpAddr,
		"--log-level", "warn", "--live-grace", "30s", "--demo-stream=false"}
	args = append(args, LimitsOff...) // before extra, so that a bench can turn a limit back on
	cmd := exec.Command(bin, append(args, extra...)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &Server{Base: "http://" + httpAddr, RTMP: rtmpAddr, HTTP: hc, cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()
	if err := s.waitReady(30 * time.Second); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// PID is the server's process id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

func (s *Server) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if !s.Alive() {
			return errors.New("server exited during start-up")
		}
		if resp, err := s.HTTP.Get(s.Base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("server not ready in %s", limit)
}

// Stop interrupts the server and kills it if it has not left within 10 s.
func (s *Server) Stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.done
	}
}

// Alive reports whether the server process is still running.
func (s *Server) Alive() bool {
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// FreePort returns a 127.0.0.1 address ("tcp" or "udp") that was free a
// moment ago.
func FreePort(network string) (string, error) {
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
