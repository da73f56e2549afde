// Package e2e boots the real liveshop binary against real databases and
// drives it through its public API, the sandbox pay page and a browser.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// binary returns the liveshop binary: $LIVESHOP_BIN, or one built once per run.
func binary(t *testing.T) string {
	t.Helper()
	if b := os.Getenv("LIVESHOP_BIN"); b != "" {
		if _, err := os.Stat(b); err == nil {
			return b
		}
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "liveshop-e2e-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "liveshop")
		_, file, _, _ := runtime.Caller(0)
		cmd := exec.Command("go", "build", "-o", builtBin, "./cmd/liveshop")
		cmd.Dir = filepath.Join(filepath.Dir(file), "..")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// Server is a running liveshop process.
type Server struct {
	t       *testing.T
	URL     string
	RTMP    string // host:port of the RTMP listener
	UDP     string // host:port of the WebRTC media port
	Data    string
	DSN     string
	bin     string
	cmd     *exec.Cmd
	logs    *bytes.Buffer
	logMu   sync.Mutex
	done    chan struct{}
	exitErr error
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func freeUDPPort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// Start boots `liveshop serve` on a fresh database of dialect d.
func Start(t *testing.T, d store.Dialect, extra ...string) *Server {
	t.Helper()
	return StartCommand(t, "serve", d, extra...)
}

// StartCommand boots `liveshop <command>` (serve or demo).
func StartCommand(t *testing.T, command string, d store.Dialect, extra ...string) *Server {
	t.Helper()
	s := &Server{t: t, bin: binary(t), Data: t.TempDir(), DSN: storetest.DSN(t, d)}
	return s.boot(command, extra...)
}

// StartCommandOn boots a new process on a stopped server's data and database.
func StartCommandOn(t *testing.T, prev *Server, command string, extra ...string) *Server {
	t.Helper()
	s := &Server{t: t, bin: prev.bin, Data: prev.Data, DSN: prev.DSN}
	return s.boot(command, extra...)
}

// StartOn boots `liveshop <command>` on a given data directory and
// database, as one node of a cluster.
func StartOn(t *testing.T, command, data, dsn string, extra ...string) *Server {
	t.Helper()
	s := &Server{t: t, bin: binary(t), Data: data, DSN: dsn}
	return s.boot(command, extra...)
}

// limitsOff turns off the per-client rate limits and connection caps:
// the tests drive thousands of requests and sockets from 127.0.0.1.
var limitsOff = []string{"--rate-ip", "0", "--rate-user", "0", "--max-inflight", "0", "--ws-per-ip", "0", "--ws-per-user", "0", "--ws-max", "0"}

// Kill ends the process with SIGKILL, as a crash would.
func (s *Server) Kill() {
	s.cmd.Process.Kill()
	<-s.done
}

func (s *Server) boot(command string, extra ...string) *Server {
	t := s.t
	t.Helper()
	s.logs, s.done = &bytes.Buffer{}, make(chan struct{})
	port := freePort(t)
	s.URL = fmt.Sprintf("http://127.0.0.1:%d", port)
	s.RTMP = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	s.UDP = fmt.Sprintf("127.0.0.1:%d", freeUDPPort(t))
	args := append([]string{command, "--http", fmt.Sprintf("127.0.0.1:%d", port), "--data", s.Data, "--db", s.DSN,
		"--public-url", s.URL, "--rtmp", s.RTMP, "--webrtc-udp", s.UDP}, limitsOff...)
	args = append(args, extra...) // after limitsOff, so that a test can turn a limit on
	s.cmd = exec.Command(s.bin, args...)
	s.cmd.Stdout = s.logWriter()
	s.cmd.Stderr = s.logWriter()
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.exitErr = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("server logs:\n%s", s.Logs())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		select {
		case <-s.done:
			t.Fatalf("liveshop exited during start: %v\n%s", s.exitErr, s.Logs())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("liveshop not ready after 30s\n%s", s.Logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type lockedWriter struct{ s *Server }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.s.logMu.Lock()
	defer w.s.logMu.Unlock()
	return w.s.logs.Write(p)
}

func (s *Server) logWriter() io.Writer { return lockedWriter{s} }

// Logs returns what the server printed so far.
func (s *Server) Logs() string {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return s.logs.String()
}

// Stop sends SIGTERM and waits for a graceful exit.
func (s *Server) Stop() {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
		s.t.Errorf("liveshop did not stop within 20s of SIGINT")
	}
}

// Run runs a liveshop subcommand against this server's data and database.
func (s *Server) Run(args ...string) (string, error) {
	args = append(args, "--data", s.Data, "--db", s.DSN)
	out, err := exec.Command(s.bin, args...).CombinedOutput()
	return string(out), err
}

// Client is an API client with its own cookie jar (a browser session) or a bearer token.
type Client struct {
	t      *testing.T
	base   string
	http   *http.Client
	CSRF   string
	Bearer string
}

// Client returns a fresh, signed-out client.
func (s *Server) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: s.t, base: s.URL, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Response is a decoded API answer.
type Response struct {
	Status int
	Body   []byte
	Header http.Header
}

// JSON decodes the body into v.
func (r Response) JSON(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body as an object.
func (r Response) Map(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// ErrorField returns the error's code and field.
func (r Response) ErrorField(t *testing.T) (code, field string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Message, Field string } `json:"error"`
	}
	r.JSON(t, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("not an error body: %s", r.Body)
	}
	return e.Error.Code, e.Error.Field
}

// Do sends a request; body may be nil, a []byte, or a value to encode as JSON.
func (c *Client) Do(method, path string, body any, headers ...string) Response {
	c.t.Helper()
	var rdr io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rdr = bytes.NewReader(b)
	case upload:
		rdr, ct = b.body, b.contentType
	default:
		buf, _ := json.Marshal(b)
		rdr = bytes.NewReader(buf)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rdr)
	if err != nil {
		c.t.Fatal(err)
	}
	if rdr != nil {
		req.Header.Set("Content-Type", ct)
	}
	if c.CSRF != "" {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	if c.Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.Bearer)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Body: b, Header: resp.Header}
}

// Must sends a request and fails the test unless the status is want.
func (c *Client) Must(want int, method, path string, body any, headers ...string) Response {
	c.t.Helper()
	r := c.Do(method, path, body, headers...)
	if r.Status != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, want, r.Body)
	}
	return r
}

// SignUp creates an account and keeps its session and CSRF token.
func (c *Client) SignUp(email, password string) {
	c.t.Helper()
	r := c.Must(201, "POST", "/api/v1/auth/signup", map[string]string{"email": email, "password": password})
	c.CSRF = r.Map(c.t)["csrf_token"].(string)
}

// SignIn signs in and keeps the session.
func (c *Client) SignIn(email, password string) {
	c.t.Helper()
	r := c.Must(200, "POST", "/api/v1/auth/signin", map[string]string{"email": email, "password": password})
	c.CSRF = r.Map(c.t)["csrf_token"].(string)
}

type upload struct {
	body        io.Reader
	contentType string
}

func uniqueEmail(prefix string) string {
	return fmt.Sprintf("%s.%d@example.com", prefix, time.Now().UnixNano())
}
