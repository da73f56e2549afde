package transcode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// exitGrace is how long ffmpeg may take to flush and exit once its input
// is closed before it is killed.
const exitGrace = 500 * time.Millisecond

// process is one running ffmpeg with its stdin and stdout as pipes and
// the tail of its stderr kept for the log.
type process struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout io.ReadCloser
	stderr *tailBuffer
	// outputs are the read ends of pipes ffmpeg writes as pipe:3, pipe:4…
	outputs []*os.File
	err     error // Wait's result, set by stop
}

// startProcess runs ffmpeg with args and extra output pipes as file
// descriptors 3 and up. Cancelling ctx kills it.
func startProcess(ctx context.Context, ffmpeg string, args []string, extra int) (*process, error) {
	cmd := exec.CommandContext(ctx, ffmpeg, args...)
	cmd.WaitDelay = time.Second // stop waiting on stderr if something else holds it open
	p := &process{cmd: cmd, stderr: &tailBuffer{max: 2048}}
	cmd.Stderr = p.stderr
	var err error
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("transcode: stdin pipe: %w", err)
	}
	if p.stdout, err = cmd.StdoutPipe(); err != nil {
		return nil, fmt.Errorf("transcode: stdout pipe: %w", err)
	}
	var writeEnds []*os.File
	closeAll := func() {
		for _, f := range append(p.outputs, writeEnds...) {
			f.Close()
		}
	}
	for range extra {
		r, w, err := os.Pipe()
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("transcode: output pipe: %w", err)
		}
		p.outputs, writeEnds = append(p.outputs, r), append(writeEnds, w)
	}
	cmd.ExtraFiles = writeEnds
	err = cmd.Start()
	for _, w := range writeEnds {
		w.Close() // the child has its copies; ours would hide its exit
	}
	if err != nil {
		for _, r := range p.outputs {
			r.Close()
		}
		return nil, fmt.Errorf("transcode: start %s: %w", ffmpeg, err)
	}
	return p, nil
}

// stop closes ffmpeg's input, gives it exitGrace to finish, kills it if
// it has not, and reaps it. It must be called once, after stdout has been
// read to its end or abandoned.
func (p *process) stop() error {
	p.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	t := time.NewTimer(exitGrace)
	defer t.Stop()
	var err error
	select {
	case err = <-done:
	case <-t.C:
		p.cmd.Process.Kill()
		err = <-done
	}
	p.err = err
	for _, r := range p.outputs {
		r.Close()
	}
	return err
}

// describe explains how ffmpeg ended, with the end of what it printed.
func (p *process) describe() string {
	msg := "exited"
	if p.err != nil {
		msg = p.err.Error()
		var ee *exec.ExitError
		if errors.As(p.err, &ee) {
			msg = ee.ProcessState.String()
		}
	}
	if tail := strings.TrimSpace(p.stderr.String()); tail != "" {
		msg += ": " + tail
	}
	return msg
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max int
	mu  sync.Mutex
	buf []byte
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(b), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
