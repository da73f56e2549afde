package main

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// opts configures a run.
type opts struct {
	bin      string
	extra    []string // flags for liveshop serve
	chats    []int
	likes    int
	users    int // chat senders, one connection each
	warmup   time.Duration
	window   time.Duration
	rampRate int // new connections a second
	sources  int // loopback source addresses
}

// member is one open connection and its latency histogram.
type member struct {
	c *websocket.Conn
	h *hist
}

// report collects the tables of every step.
type report struct {
	idle, loaded table
}

// liveRoom is a fresh server process with one live room.
type liveRoom struct {
	srv     *server
	id      string
	pubDone <-chan error
	cancel  context.CancelFunc // stops the publisher
}

// startRoom boots a server on the fixture's data directory and makes a
// new room live.
func startRoom(o opts, fx *fixture) (_ *liveRoom, err error) {
	srv, err := bootServer(o.bin, fx.data, o.extra, &http.Client{Timeout: 60 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("boot: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	lr := &liveRoom{srv: srv, cancel: cancel}
	defer func() {
		if err != nil {
			lr.stop()
		}
	}()
	id, key, err := newSession(srv, fx)
	if err != nil {
		return nil, err
	}
	lr.id = id
	if lr.pubDone, err = startPublisher(ctx, srv.RTMP, key); err != nil {
		return nil, err
	}
	lctx, lcancel := context.WithTimeout(ctx, 20*time.Second)
	defer lcancel()
	if err := srv.waitLive(lctx, id); err != nil {
		return nil, err
	}
	return lr, nil
}

func (lr *liveRoom) stop() {
	lr.cancel()
	lr.srv.Stop()
}

// runViewers measures one viewer count against a fresh server: memory of
// idle connections first, then each chat rate in turn.
func runViewers(o opts, fx *fixture, n int, rep *report) error {
	lr, err := startRoom(o, fx)
	if err != nil {
		return err
	}
	defer lr.stop()
	srv, ctx := lr.srv, context.Background()
	time.Sleep(time.Second) // let start-up garbage settle before the baseline
	base, err := sampleProc(srv.PID())
	if err != nil {
		return err
	}

	d := newDialer(srv.Base, lr.id, o.sources)
	t := newTally()
	var wg sync.WaitGroup
	var viewers, senders []*member
	defer func() {
		t.closing.Store(true)
		closeMembers(viewers)
		closeMembers(senders)
		wg.Wait()
	}()
	rampStart := time.Now()
	viewers, failed, firstErr := connectAll(ctx, d, n, o.rampRate, nil, t, &wg)
	rampTook := time.Since(rampStart)
	time.Sleep(time.Second) // handshakes' garbage and the first snapshots settle
	settled, err := sampleProc(srv.PID())
	if err != nil {
		return err
	}
	time.Sleep(2 * time.Second)
	idle, err := sampleProc(srv.PID())
	if err != nil {
		return err
	}
	if len(viewers) == 0 {
		return fmt.Errorf("no viewer could connect: %v", firstErr)
	}
	perConn := float64(idle.rss-base.rss) / float64(len(viewers))
	rep.idle.add(strconv.Itoa(n), strconv.Itoa(len(viewers)), strconv.Itoa(failed), fmt.Sprintf("%.1f", rampTook.Seconds()),
		mib(base.rss), mib(idle.rss), fmt.Sprintf("%.1f", perConn/1024),
		pct((idle.cpu-settled.cpu).Seconds()/idle.at.Sub(settled.at).Seconds(), 1),
		strconv.FormatInt(t.open.Load(), 10), t.closeSummary())
	if firstErr != nil {
		fmt.Printf("(%d viewers: %d failed to connect; first error: %v)\n", n, failed, firstErr)
	}

	senders, sfailed, serr := connectAll(ctx, d, len(fx.toks), o.rampRate, fx.toks, t, &wg)
	if sfailed > 0 {
		return fmt.Errorf("%d of %d chat senders could not connect: %v", sfailed, len(fx.toks), serr)
	}
	all := append(append([]*member{}, viewers...), senders...)
	for _, m := range o.chats {
		select {
		case err := <-lr.pubDone:
			return fmt.Errorf("the publisher stopped: %v", err)
		default:
		}
		if err := measureLoad(srv, o, m, n, senders, all, t, base, rep); err != nil {
			return err
		}
	}
	return nil
}

// measureLoad runs chats/s plus o.likes likes/s, waits out the warm-up
// and measures one window.
func measureLoad(srv *server, o opts, chats, n int, senders, all []*member, t *tally, base procSample, rep *report) error {
	l := &load{chats: chats, likes: o.likes}
	conns := make([]*websocket.Conn, len(senders))
	for i, s := range senders {
		conns[i] = s.c
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { l.run(ctx, conns); close(done) }()
	defer func() { stop(); <-done; time.Sleep(time.Second) }() // let the room drain between rates

	time.Sleep(o.warmup)
	t.reset()
	p0, err := sampleProc(srv.PID())
	if err != nil {
		return err
	}
	g0, chats0, likes0 := selfCPU(), l.sentChats.Load(), l.sentLikes.Load()
	t.measuring.Store(true)
	time.Sleep(o.window)
	t.measuring.Store(false)
	p1, err := sampleProc(srv.PID())
	if err != nil {
		return fmt.Errorf("the server exited: %w", err)
	}
	wall := p1.at.Sub(p0.at).Seconds()
	gen := (selfCPU() - g0).Seconds() / wall
	sentChats, sentLikes := float64(l.sentChats.Load()-chats0)/wall, float64(l.sentLikes.Load()-likes0)/wall
	time.Sleep(200 * time.Millisecond) // readers past their measuring check finish recording
	var q quantiles
	for _, m := range all {
		m.h.mergeInto(&q)
	}

	conns0 := int(t.open.Load())
	envs := float64(t.envs.Load())
	cpu := (p1.cpu - p0.cpu).Seconds()
	chatDeliv := float64(t.chats.Load()) / wall
	rep.loaded.add(strconv.Itoa(n), strconv.Itoa(conns0), strconv.Itoa(chats),
		fmt.Sprintf("%.0f", sentChats), fmt.Sprintf("%.0f", sentLikes),
		fmt.Sprintf("%.0f", envs/wall), fmt.Sprintf("%.0f (%s)", chatDeliv, pct(chatDeliv, sentChats*float64(conns0))),
		fmt.Sprintf("%.0f", float64(t.frames.Load())/wall),
		ms(q.at(0.5)), ms(q.at(0.99)), ms(q.at(1)),
		pct(cpu/wall, 1), usPer(cpu, envs), mib(p1.rss), fmt.Sprintf("%.1f", float64(p1.rss-base.rss)/float64(conns0)/1024),
		pct(gen, 1), strings.Fields(loadAvg())[0], t.problems(l))
	return nil
}

// connectAll opens n connections at up to rate a second (signed in with
// toks[i] when toks is given), each with a reader counting into t.
func connectAll(ctx context.Context, d *dialer, n, rate int, toks []string, t *tally, wg *sync.WaitGroup) ([]*member, int, error) {
	members := make([]*member, n)
	var failed atomic.Int64
	var mu sync.Mutex
	var firstErr error
	var dials sync.WaitGroup
	sem := make(chan struct{}, 256) // dials in flight
	start := time.Now()
	for i := range n {
		if !sleepUntil(ctx, start.Add(time.Duration(i)*time.Second/time.Duration(rate))) {
			break
		}
		sem <- struct{}{}
		dials.Add(1)
		go func() {
			defer func() { <-sem; dials.Done() }()
			tok, anon := "", "bench-"+strconv.Itoa(i)
			if toks != nil {
				tok = toks[i]
			}
			c, err := d.dial(ctx, tok, anon)
			if err != nil {
				failed.Add(1)
				mu.Lock()
				firstErr = cmp.Or(firstErr, err)
				mu.Unlock()
				return
			}
			m := &member{c: c, h: &hist{}}
			members[i] = m
			wg.Add(1)
			go func() { defer wg.Done(); readLoop(c, t, m.h) }()
		}()
	}
	dials.Wait()
	var open []*member
	for _, m := range members {
		if m != nil {
			open = append(open, m)
		}
	}
	return open, int(failed.Load()), firstErr
}

// closeMembers drops every connection at once (the server sees resets
// and EOFs, as from viewers closing their tabs).
func closeMembers(ms []*member) {
	for _, m := range ms {
		_ = m.c.CloseNow()
	}
}
