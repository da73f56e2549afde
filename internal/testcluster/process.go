// Package testcluster runs the infrastructure of a multi-node liveshop
// on loopback, for the cluster tests and benchmarks: a NATS cluster of
// `liveshop nats` processes and a private PostgreSQL server that can be
// restarted without disturbing anyone else's database. Everything it
// starts is a real process that can be killed with SIGKILL.
package testcluster

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Process is a child process and what it printed.
type Process struct {
	cmd     *exec.Cmd
	mu      sync.Mutex
	logs    bytes.Buffer
	done    chan struct{}
	exitErr error
}

// Start runs bin with args, its output kept for Logs.
func Start(bin string, args ...string) (*Process, error) {
	p := &Process{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Stdout = lockedWriter{p}
	p.cmd.Stderr = lockedWriter{p}
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("testcluster: start %s: %w", bin, err)
	}
	go func() { p.exitErr = p.cmd.Wait(); close(p.done) }()
	return p, nil
}

type lockedWriter struct{ p *Process }

func (w lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.logs.Write(b)
}

// Logs is what the process printed so far.
func (p *Process) Logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// Exited reports whether the process has ended, and how.
func (p *Process) Exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.exitErr
	default:
		return false, nil
	}
}

// Kill ends the process at once (SIGKILL) and waits for it.
func (p *Process) Kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// Stop asks the process to stop (SIGINT) and kills it after limit.
func (p *Process) Stop(limit time.Duration) error {
	select {
	case <-p.done:
		return nil
	default:
	}
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
		return nil
	case <-time.After(limit):
		p.Kill()
		return fmt.Errorf("testcluster: %s did not stop within %s of SIGINT", p.cmd.Path, limit)
	}
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
