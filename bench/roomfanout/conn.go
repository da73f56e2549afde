package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// dialer opens WebSocket connections to one room, spreading them over
// several loopback source addresses so that 20,000 of them (and those
// still in TIME_WAIT from the previous step) do not run out of
// ephemeral ports: Linux routes all of 127/8 to lo.
type dialer struct {
	url    string // ws://127.0.0.1:P/ws/rooms/ID
	client *http.Client
	next   atomic.Uint32
}

func newDialer(base, roomID string, sources int) *dialer {
	d := &dialer{url: "ws" + base[len("http"):] + "/ws/rooms/" + roomID}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			n := d.next.Add(1)
			src := &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(1+int(n)%sources))}
			nd := net.Dialer{LocalAddr: src, Timeout: 10 * time.Second}
			return nd.DialContext(ctx, network, addr)
		},
	}
	d.client = &http.Client{Transport: tr}
	return d
}

// dial opens one connection; token signs it in, anon names an anonymous
// viewer.
func (d *dialer) dial(ctx context.Context, token, anon string) (*websocket.Conn, error) {
	u := d.url
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	} else {
		u += "?anon=" + anon
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	c, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPClient: d.client, HTTPHeader: h})
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("dial: HTTP %d: %w", resp.StatusCode, err)
		}
		return nil, fmt.Errorf("dial: %w", err)
	}
	c.SetReadLimit(1 << 22) // the snapshot carries the last 50 chats
	return c, nil
}

// tally is what every connection counts while a window is open.
type tally struct {
	measuring atomic.Bool
	frames    atomic.Int64 // WebSocket messages
	envs      atomic.Int64 // envelopes in them
	chats     atomic.Int64
	likes     atomic.Int64
	counts    atomic.Int64
	badJSON   atomic.Int64
	open      atomic.Int64 // connections being read
	closing   atomic.Bool  // we are closing them: read errors are ours

	mu     sync.Mutex
	errs   map[string]int // error frames by code, to senders
	closes map[string]int // connections the server closed, by reason
}

func newTally() *tally { return &tally{errs: map[string]int{}, closes: map[string]int{}} }

func (t *tally) noteErr(code string) {
	t.mu.Lock()
	t.errs[code]++
	t.mu.Unlock()
}

func (t *tally) noteClose(err error) {
	reason := "read error"
	if s := websocket.CloseStatus(err); s != -1 {
		reason = "close " + strconv.Itoa(int(s))
	} else if errors.Is(err, io.EOF) {
		reason = "EOF"
	}
	t.mu.Lock()
	t.closes[reason]++
	t.mu.Unlock()
}

// bufPool holds read buffers: messages are processed as soon as read, so
// 20,000 idle viewers need no buffer of their own.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// readLoop reads c until it fails, counting what arrives into t and the
// latency of chats into h. Senders read too: they are in the room like
// everyone else. Reads take no cancellable context (each would register
// with its parent, 20,000 readers on one mutex); closing the connection
// ends the loop.
func readLoop(c *websocket.Conn, t *tally, h *hist) {
	ctx := context.Background()
	t.open.Add(1)
	defer t.open.Add(-1)
	for {
		_, r, err := c.Reader(ctx)
		if err != nil {
			if !t.closing.Load() {
				t.noteClose(err)
			}
			return
		}
		bp := bufPool.Get().(*[]byte)
		msg, err := readAll(r, (*bp)[:0])
		if err != nil {
			*bp = msg
			bufPool.Put(bp)
			if !t.closing.Load() {
				t.noteClose(err)
			}
			return
		}
		handle(msg, time.Now().UnixNano(), t, h)
		*bp = msg
		bufPool.Put(bp)
	}
}

func readAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// handle counts one message's envelopes; h records chat latencies.
func handle(msg []byte, now int64, t *tally, h *hist) {
	measuring := t.measuring.Load()
	var envs, chats, likes, counts int64
	err := forEachEnvelope(msg, func(env []byte) {
		envs++
		switch string(envelopeType(env)) {
		case "chat":
			chats++
			if sent, ok := chatSentAt(env); ok && measuring {
				h.record(time.Duration(now - sent))
			}
		case "likes":
			likes++
		case "counts":
			counts++
		case "error":
			t.noteErr(errorCode(env))
		}
	})
	if !measuring {
		return
	}
	if err != nil {
		t.badJSON.Add(1)
	}
	t.frames.Add(1)
	t.envs.Add(envs)
	t.chats.Add(chats)
	t.likes.Add(likes)
	t.counts.Add(counts)
}
