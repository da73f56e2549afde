package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gohlslib/v2/pkg/playlist"

	"github.com/liveshop/liveshop/bench/internal/benchsrv"
)

// hlsGroup is what the viewers of one kind (direct on the ingest node,
// or relayed by another node) measure.
type hlsGroup struct {
	part hist // part fetch: request → last byte
	lag  hist // a part first listed to any viewer → listed to this one
	errs atomic.Int64
}

// ledger records when each part was first listed to any viewer, so
// every viewer is scored against every part that existed.
type ledger struct {
	mu       sync.Mutex
	first    map[string]int64
	firstErr error
}

func (l *ledger) seen(u string, now int64) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	t, ok := l.first[u]
	if !ok {
		t = now
		l.first[u] = t
	}
	return t
}

func (l *ledger) between(from, to int64) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, t := range l.first {
		if t >= from && t < to {
			n++
		}
	}
	return n
}

func (l *ledger) noteErr(err error) {
	l.mu.Lock()
	if l.firstErr == nil {
		l.firstErr = err
	}
	l.mu.Unlock()
}

// hlsViewer follows the video playlist of one node with blocking
// reloads and fetches every part it adds.
type hlsViewer struct {
	hc       *http.Client
	g        *hlsGroup
	led      *ledger
	from, to *atomic.Int64 // the window, unix nanos
	parts    atomic.Int64  // parts first listed inside the window that it fetched
}

func (v *hlsViewer) in(t int64) bool { return t >= v.from.Load() && t < v.to.Load() }

func (v *hlsViewer) get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := v.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %d", u, resp.StatusCode)
	}
	return b, err
}

func (v *hlsViewer) fail(ctx context.Context, err error) {
	if ctx.Err() == nil && v.in(time.Now().UnixNano()) {
		v.g.errs.Add(1)
		v.led.noteErr(err)
	}
}

// run plays index (the room's multivariant playlist) until ctx ends.
func (v *hlsViewer) run(ctx context.Context, index string) {
	var media *url.URL
	for ctx.Err() == nil && media == nil {
		b, err := v.get(ctx, index)
		var pl playlist.Playlist
		if err == nil {
			pl, err = playlist.Unmarshal(b)
		}
		if err == nil {
			media, _ = url.Parse(index)
			if mv, ok := pl.(*playlist.Multivariant); ok {
				if len(mv.Variants) == 0 {
					err = fmt.Errorf("hls: %s lists no variant", index)
				} else if r, perr := url.Parse(mv.Variants[0].URI); perr == nil {
					media = media.ResolveReference(r)
				}
			}
		}
		if err != nil {
			media = nil
			v.fail(ctx, err)
			sleepCtx(ctx, 200*time.Millisecond)
		}
	}
	if media == nil {
		return
	}
	u := media.String()
	var lastPart string
	msn, part := -1, 0
	initDone := false
	for ctx.Err() == nil {
		pu := u
		if msn >= 0 {
			pu = u + "?_HLS_msn=" + strconv.Itoa(msn) + "&_HLS_part=" + strconv.Itoa(part)
		}
		b, err := v.get(ctx, pu)
		var m playlist.Media
		if err == nil {
			err = m.Unmarshal(b)
		}
		if err != nil {
			v.fail(ctx, err)
			msn, lastPart = -1, ""
			sleepCtx(ctx, 200*time.Millisecond)
			continue
		}
		now := time.Now().UnixNano()
		if !initDone && m.Map != nil {
			if _, err := v.fetch(ctx, media, m.Map.URI); err != nil {
				v.fail(ctx, err)
				continue
			}
			initDone = true
		}
		var parts []*playlist.MediaPart
		for _, s := range m.Segments {
			parts = append(parts, s.Parts...)
		}
		parts = append(parts, m.Parts...)
		first := make([]int64, len(parts))
		start := len(parts) - 1 // a new or lost viewer starts at the live edge
		for i, p := range parts {
			first[i] = v.led.seen(p.URI, now)
			if p.URI == lastPart {
				start = i + 1
			}
		}
		for i := max(start, 0); i < len(parts); i++ {
			if lastPart != "" && v.in(first[i]) {
				v.g.lag.record(time.Duration(now - first[i]))
			}
			t0 := time.Now()
			if _, err := v.fetch(ctx, media, parts[i].URI); err != nil {
				v.fail(ctx, err)
				break
			}
			lastPart = parts[i].URI
			if v.in(first[i]) {
				v.parts.Add(1)
				v.g.part.record(time.Since(t0))
			}
		}
		msn, part = m.MediaSequence+len(m.Segments), len(m.Parts)
	}
}

func (v *hlsViewer) fetch(ctx context.Context, base *url.URL, ref string) (int, error) {
	r, err := url.Parse(ref)
	if err != nil {
		return 0, err
	}
	b, err := v.get(ctx, base.ResolveReference(r).String())
	return len(b), err
}

// runVideo measures LL-HLS across the nodes: the stream is ingested on
// node 1, o.hls viewers are spread over the three nodes, so that two
// thirds of them are served by a node relaying from node 1.
func runVideo(ctx context.Context, o opts, c *cluster, roomID string, m metrics) error {
	progress("video: %d LL-HLS viewers over %d nodes", o.hls, len(c.nodes))
	led := &ledger{first: map[string]int64{}}
	groups := map[bool]*hlsGroup{false: {}, true: {}} // relayed?
	var from, to atomic.Int64
	from.Store(1<<62 - 1)
	to.Store(1<<62 - 1)
	tr := &http.Transport{MaxIdleConns: 2 * o.hls, MaxIdleConnsPerHost: o.hls, IdleConnTimeout: time.Minute}
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	vctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { stop(); wg.Wait(); tr.CloseIdleConnections() }()
	viewers := make([]*hlsViewer, o.hls)
	for i := range viewers {
		node := i % len(c.nodes)
		v := &hlsViewer{hc: hc, g: groups[node != 0], led: led, from: &from, to: &to}
		viewers[i] = v
		wg.Go(func() { v.run(vctx, c.nodes[node].Base+"/live/"+roomID+"/index.m3u8") })
		if !sleepCtx(ctx, 10*time.Millisecond) {
			return ctx.Err()
		}
	}
	if !sleepCtx(ctx, o.warmup+2*time.Second) {
		return ctx.Err()
	}
	p0 := make([]benchsrv.Sample, len(c.nodes))
	for i, s := range c.nodes {
		p0[i], _ = benchsrv.SampleProc(s.PID())
	}
	g0 := benchsrv.SelfCPU()
	now := time.Now().UnixNano()
	from.Store(now)
	to.Store(now + int64(o.window))
	if !sleepCtx(ctx, o.window) {
		return ctx.Err()
	}
	p1 := make([]benchsrv.Sample, len(c.nodes))
	for i, s := range c.nodes {
		var err error
		if p1[i], err = benchsrv.SampleProc(s.PID()); err != nil {
			return fmt.Errorf("node %d exited: %w", i+1, err)
		}
	}
	m["hls.gen_cpu"] = 100 * (benchsrv.SelfCPU() - g0).Seconds() / p1[0].At.Sub(p0[0].At).Seconds()
	// Parts listed near the end of the window are fetched after it.
	if !sleepCtx(ctx, 3*time.Second) {
		return ctx.Err()
	}
	total := led.between(from.Load(), to.Load())
	m["hls.parts"] = float64(total)
	for _, relayed := range []bool{false, true} {
		k := map[bool]string{false: "hls.direct.", true: "hls.relayed."}[relayed]
		g := groups[relayed]
		var n, all, got float64
		for i, v := range viewers {
			if (i%len(c.nodes) != 0) != relayed {
				continue
			}
			n++
			got += float64(min(int(v.parts.Load()), total))
			if int(v.parts.Load()) >= total {
				all++
			}
		}
		if n > 0 && total > 0 {
			m[k+"share"] = 100 * got / n / float64(total)
		}
		part, lag := g.part.snapshot(), g.lag.snapshot()
		m[k+"viewers"] = n
		m[k+"all_parts"] = all
		m[k+"part_p50"], m[k+"part_p99"] = quantile(part, 0.5), quantile(part, 0.99)
		m[k+"lag_p50"], m[k+"lag_p99"] = quantile(lag, 0.5), quantile(lag, 0.99)
		m[k+"errors"] = float64(g.errs.Load())
	}
	for i := range c.nodes {
		wall := p1[i].At.Sub(p0[i].At).Seconds()
		m["hls."+strconv.Itoa(i+1)+".cpu"] = 100 * (p1[i].CPU - p0[i].CPU).Seconds() / wall
		m["hls."+strconv.Itoa(i+1)+".rss"] = float64(p1[i].RSS) / (1 << 20)
	}
	if led.firstErr != nil {
		fmt.Printf("(video: first viewer error in the window: %v)\n", led.firstErr)
	}
	return nil
}
