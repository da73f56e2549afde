package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/liveshop/liveshop/bench/internal/benchsrv"
)

// roomNode is what the viewers of one node count.
type roomNode struct {
	lat     hist
	chats   atomic.Int64 // chat deliveries in the window
	open    atomic.Int64
	dropped atomic.Int64 // connections that ended before we closed them
	viewers int
}

// runRoom measures the room's WebSocket fan-out across the nodes:
// o.viewers anonymous viewers spread evenly, o.chats chats a second from
// signed-in senders on node 1, each chat carrying its scheduled send
// time so every receiver knows how late it is.
func runRoom(ctx context.Context, o opts, c *cluster, roomID string, m metrics) error {
	nodes := make([]*roomNode, len(c.nodes))
	for i := range nodes {
		nodes[i] = &roomNode{}
	}
	var measuring, closing atomic.Bool
	var conns []*websocket.Conn
	var mu sync.Mutex
	var readers sync.WaitGroup
	defer func() {
		closing.Store(true)
		mu.Lock()
		for _, cn := range conns {
			_ = cn.CloseNow()
		}
		mu.Unlock()
		readers.Wait()
	}()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 10}}
	dial := func(node int, token, anon string) (*websocket.Conn, error) {
		u := "ws" + c.nodes[node].Base[len("http"):] + "/ws/rooms/" + roomID
		h := http.Header{}
		if token != "" {
			h.Set("Authorization", "Bearer "+token)
		} else {
			u += "?anon=" + anon
		}
		dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		cn, _, err := websocket.Dial(dctx, u, &websocket.DialOptions{HTTPClient: hc, HTTPHeader: h})
		if err != nil {
			return nil, err
		}
		cn.SetReadLimit(1 << 22)
		mu.Lock()
		conns = append(conns, cn)
		mu.Unlock()
		n := nodes[node]
		n.open.Add(1)
		readers.Add(1)
		go func() {
			defer readers.Done()
			defer n.open.Add(-1)
			buf := make([]byte, 0, 4096)
			for {
				_, r, err := cn.Reader(context.Background())
				if err == nil {
					buf, err = readAll(r, buf[:0])
				}
				if err != nil {
					if !closing.Load() {
						n.dropped.Add(1)
					}
					return
				}
				if measuring.Load() {
					now := time.Now().UnixNano()
					for _, sent := range chatTimes(buf) {
						n.chats.Add(1)
						n.lat.record(time.Duration(now - sent))
					}
				}
			}
		}()
		return cn, nil
	}

	progress("room: %d viewers over %d nodes", o.viewers, len(c.nodes))
	var firstErr error
	var dials sync.WaitGroup
	var failed [3]atomic.Int64
	sem := make(chan struct{}, 64)
	start := time.Now()
	for v := range o.viewers {
		if !sleepCtx(ctx, time.Until(start.Add(time.Duration(v)*time.Second/1000))) {
			return ctx.Err()
		}
		node := v % len(c.nodes)
		nodes[node].viewers++
		sem <- struct{}{}
		dials.Go(func() {
			defer func() { <-sem }()
			if _, err := dial(node, "", "cb-"+strconv.Itoa(v)); err != nil {
				failed[node].Add(1)
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	dials.Wait()
	senders := make([]*websocket.Conn, o.senders)
	for i := range senders {
		cn, err := dial(0, c.buyers[i%len(c.buyers)], "")
		if err != nil {
			return fmt.Errorf("chat sender %d: %w", i, err)
		}
		senders[i] = cn
	}
	if !sleepCtx(ctx, 3*time.Second) { // handshakes and snapshots settle
		return ctx.Err()
	}
	idle := make([]benchsrv.Sample, len(c.nodes))
	for i, s := range c.nodes {
		var err error
		if idle[i], err = benchsrv.SampleProc(s.PID()); err != nil {
			return err
		}
	}

	lctx, stop := context.WithCancel(ctx)
	var sent atomic.Int64
	var sendErrs atomic.Int64
	var sending sync.WaitGroup
	for i, cn := range senders {
		every := time.Duration(float64(time.Second) * float64(o.senders) / float64(o.chats))
		sending.Go(func() {
			next := time.Now().Add(time.Duration(i) * every / time.Duration(o.senders))
			for seq := 0; ; seq++ {
				if !sleepCtx(lctx, time.Until(next)) {
					return
				}
				msg := fmt.Sprintf(`{"type":"chat","id":"cb%d-%d","data":{"text":"t=%d cluster bench"}}`, i, seq, next.UnixNano())
				if err := cn.Write(lctx, websocket.MessageText, []byte(msg)); err != nil {
					if lctx.Err() == nil {
						sendErrs.Add(1)
					}
					return
				}
				sent.Add(1)
				next = next.Add(every)
			}
		})
	}
	defer func() { stop(); sending.Wait() }()
	if !sleepCtx(ctx, o.warmup) {
		return ctx.Err()
	}
	p0 := make([]benchsrv.Sample, len(c.nodes))
	for i, s := range c.nodes {
		p0[i], _ = benchsrv.SampleProc(s.PID())
	}
	sent0, g0 := sent.Load(), benchsrv.SelfCPU()
	measuring.Store(true)
	if !sleepCtx(ctx, o.window) {
		return ctx.Err()
	}
	measuring.Store(false)
	p1 := make([]benchsrv.Sample, len(c.nodes))
	for i, s := range c.nodes {
		var err error
		if p1[i], err = benchsrv.SampleProc(s.PID()); err != nil {
			return fmt.Errorf("node %d exited: %w", i+1, err)
		}
	}
	wall := p1[0].At.Sub(p0[0].At).Seconds()
	sentRate := float64(sent.Load()-sent0) / wall
	time.Sleep(200 * time.Millisecond)
	m["ws.chats_sent"] = sentRate
	m["ws.gen_cpu"] = 100 * (benchsrv.SelfCPU() - g0).Seconds() / wall
	m["ws.send_errors"] = float64(sendErrs.Load())
	for i, n := range nodes {
		k := "ws." + strconv.Itoa(i+1) + "."
		snap := n.lat.snapshot()
		conns := float64(n.open.Load())
		m[k+"viewers"] = float64(n.viewers)
		m[k+"failed"] = float64(failed[i].Load())
		m[k+"dropped"] = float64(n.dropped.Load())
		m[k+"conns"] = conns
		m[k+"p50"] = quantile(snap, 0.5)
		m[k+"p99"] = quantile(snap, 0.99)
		m[k+"deliv"] = float64(n.chats.Load()) / wall
		if ideal := sentRate * wall * conns; ideal > 0 {
			m[k+"share"] = 100 * float64(n.chats.Load()) / ideal
		}
		cpu := (p1[i].CPU - p0[i].CPU).Seconds() / p1[i].At.Sub(p0[i].At).Seconds()
		m[k+"cpu"] = 100 * cpu
		m[k+"rss"] = float64(p1[i].RSS) / (1 << 20)
		if conns > 0 {
			// The whole RSS over the connections is an upper bound: the
			// difference over the RSS before the viewers came is lost in
			// the garbage collector's noise (the sign-ups' argon2id memory
			// is still being returned then), and can come out negative.
			m[k+"kib_per_conn"] = float64(p1[i].RSS) / 1024 / conns
			m[k+"idle_kib_per_conn"] = float64(idle[i].RSS) / 1024 / conns
			m[k+"cpu_per_1k"] = 100 * cpu / conns * 1000
			m[k+"cpu_us_per_deliv"] = 1e6 * cpu / max(m[k+"deliv"], 1)
		}
	}
	if firstErr != nil {
		fmt.Printf("(room: some viewers failed to connect; first error: %v)\n", firstErr)
	}
	return nil
}

// chatTimes is the send times ("t=<unix ns>" at the start of a chat's
// text) in a message of one or more envelopes. Only this benchmark's
// chats start with "t=", so a byte search is enough, and cheap at tens
// of thousands of deliveries a second.
func chatTimes(msg []byte) []int64 {
	var out []int64
	tag := []byte(`"text":"t=`)
	for {
		i := bytes.Index(msg, tag)
		if i < 0 {
			return out
		}
		msg = msg[i+len(tag):]
		j := 0
		for j < len(msg) && msg[j] >= '0' && msg[j] <= '9' {
			j++
		}
		if v, err := strconv.ParseInt(string(msg[:j]), 10, 64); err == nil {
			out = append(out, v)
		}
		msg = msg[j:]
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
