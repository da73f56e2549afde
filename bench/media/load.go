package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// loadOpts configures the WHEP and LL-HLS load modes.
type loadOpts struct {
	viewers  []int
	warmup   time.Duration
	duration time.Duration
	ramp     time.Duration // LL-HLS viewers start spread over this long
}

// liveStream is a session with a publisher running in the background.
type liveStream struct {
	ls      liveSession
	pub     *publisher
	cancel  context.CancelFunc
	pubDone <-chan error
}

// startStream schedules a session, publishes the clip into it and waits
// until its LL-HLS playlist lists a part (the stream is fully up).
func startStream(env *benchEnv, title string) (*liveStream, error) {
	ls, err := env.merchant.newSession(title)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	st := &liveStream{ls: ls, pub: &publisher{clip: env.clip}, cancel: cancel}
	st.pubDone = runPublisher(ctx, st.pub, env.merchant.rtmpURL(ls), nil)
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	if _, err := waitFirstPart(wctx, env.hls, env.srv.Base, ls.id); err != nil {
		cancel()
		return nil, pubErr(st.pubDone, fmt.Errorf("stream did not come up: %w", err))
	}
	return st, nil
}

func (st *liveStream) stop() error { st.cancel(); return <-st.pubDone }

// measure waits out the warm-up, then measures the server over a window
// of d, whose bounds it stores in win (unix nanos).
func measure(env *benchEnv, st *liveStream, warmup, d time.Duration, win *window) (usage, error) {
	if err := sleepOrFail(st.pubDone, warmup); err != nil {
		return usage{}, err
	}
	m, err := startMeter(env.srv.PID())
	if err != nil {
		return usage{}, err
	}
	win.to.Store(1<<63 - 1)
	win.from.Store(time.Now().UnixNano())
	if err := sleepOrFail(st.pubDone, d); err != nil {
		return usage{}, err
	}
	win.to.Store(time.Now().UnixNano())
	u, err := m.stop()
	if err != nil {
		return usage{}, err
	}
	time.Sleep(time.Second) // let media sent in the window arrive
	return u, nil
}

// whepStats counts one viewer's media; video is scored per access unit,
// by the send time in its SEI, against what the publisher sent.
type whepStats struct {
	win                       *window
	packets, bytes            atomic.Int64 // every track, arrived in the window
	videoPackets, videoFrames atomic.Int64 // of access units sent in the window

	// seqLost counts video packets missing from the sequence numbers,
	// in the window: lost between the server's send and our read. A
	// frame missing without a gap was never sent (the server skipped it).
	seqLost atomic.Int64

	// owned by the video track's read goroutine
	curTS    uint32
	curCount int64
	curIn    bool
	lastSeq  uint16
	seqSeen  bool
}

func (s *whepStats) onPacket(kind webrtc.RTPCodecType, p *rtp.Packet, size int, at time.Time) {
	if s.win.in(at.UnixNano()) {
		s.packets.Add(1)
		s.bytes.Add(int64(size))
	}
	if kind != webrtc.RTPCodecTypeVideo {
		return
	}
	if gap := p.SequenceNumber - s.lastSeq - 1; s.seqSeen && gap != 0 && gap < 1<<15 && s.win.in(at.UnixNano()) {
		s.seqLost.Add(int64(gap))
	}
	s.lastSeq, s.seqSeen = p.SequenceNumber, true
	if p.Timestamp != s.curTS {
		if s.curIn {
			s.videoPackets.Add(s.curCount)
		}
		s.curTS, s.curCount, s.curIn = p.Timestamp, 0, false
	}
	s.curCount++
	if sent, ok := packetSEI(p.Payload); ok && s.win.in(sent) {
		s.curIn = true
		s.videoFrames.Add(1)
	}
}

// runWHEPLoad measures the server with N WHEP viewers of one stream, for
// each N in turn, against a no-viewer baseline.
func runWHEPLoad(env *benchEnv, o loadOpts) (*table, error) {
	st, err := startStream(env, "WHEP load")
	if err != nil {
		return nil, err
	}
	defer st.stop()
	t := &table{head: []string{"viewers", "connected", "server CPU", "CPU ms/s per viewer", "server RSS MiB",
		"RSS KiB per viewer", "video packets received", "frames received", "viewers < 90 % frames", "RTP seq gaps", "Mbit/s per viewer", "kernel UDP drops", "generator CPU"}}
	var base0 window
	base, err := measure(env, st, o.warmup, o.duration/2, &base0)
	if err != nil {
		return nil, err
	}
	t.add("0", "–", pctStr(base.serverCPU, 1), "–", mb(base.serverRSS), "–", "–", "–", "–", "–", "–", "–", pctStr(base.genCPU, 1))
	for _, n := range o.viewers {
		if err := whepStep(env, st, o, n, base, t); err != nil {
			return t, fmt.Errorf("%d WHEP viewers: %w", n, err)
		}
	}
	return t, nil
}

func whepStep(env *benchEnv, st *liveStream, o loadOpts, n int, base usage, t *table) error {
	win := &window{}
	stats := make([]*whepStats, n)
	viewers := make([]*whepViewer, n)
	var failed atomic.Int64
	var firstErr error
	var errOnce sync.Once
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	parallel(n, 32, func(i int) {
		stats[i] = &whepStats{win: win}
		v, err := env.whep.dial(ctx, st.ls.id, stats[i].onPacket)
		if err == nil {
			if err = v.waitConnected(ctx); err != nil {
				v.close()
			}
		}
		if err != nil {
			failed.Add(1)
			errOnce.Do(func() { firstErr = err })
			return
		}
		viewers[i] = v
	})
	cancel()
	defer closeAll(viewers)
	connected := n - int(failed.Load())
	if connected == 0 {
		return fmt.Errorf("no viewer connected: %w", firstErr)
	}
	u, err := measure(env, st, o.warmup, o.duration, win)
	if err != nil {
		return err
	}
	aus, expPackets := st.pub.sentBetween(win.from.Load(), win.to.Load())
	var packets, bytes, vpk, frames, gaps int64
	poor := 0 // viewers that missed more than a tenth of the frames
	for i, s := range stats {
		if viewers[i] == nil {
			continue
		}
		if float64(s.videoFrames.Load()) < 0.9*float64(aus) {
			poor++
		}
		packets += s.packets.Load()
		gaps += s.seqLost.Load()
		bytes += s.bytes.Load()
		vpk += s.videoPackets.Load()
		frames += s.videoFrames.Load()
	}
	secs := u.window.Seconds()
	perViewer := func(x float64) string { return strconv.FormatFloat(x/float64(connected), 'f', 2, 64) }
	conn := fmt.Sprintf("%d/%d", connected, n)
	if firstErr != nil {
		conn += " (" + firstErr.Error() + ")"
	}
	t.add(strconv.Itoa(n), conn, pctStr(u.serverCPU, 1), perViewer(1000*(u.serverCPU-base.serverCPU)),
		mb(u.serverRSS), perViewer(float64(u.serverRSS-base.serverRSS)/1024),
		pctStr(float64(vpk), float64(expPackets)*float64(connected)), pctStr(float64(frames), float64(aus)*float64(connected)),
		strconv.Itoa(poor), strconv.FormatInt(gaps, 10), perViewer(float64(bytes)*8/secs/1e6), strconv.FormatInt(u.udpDrops, 10), pctStr(u.genCPU, 1))
	return nil
}

// closeAll ends every viewer's session, a few at a time, then gives the
// server a moment to drop them before the next step.
func closeAll(viewers []*whepViewer) {
	parallel(len(viewers), 32, func(i int) {
		if viewers[i] != nil {
			viewers[i].close()
		}
	})
	time.Sleep(2 * time.Second)
}

// parallel runs f(0..n-1) with at most width calls at once.
func parallel(n, width int, f func(i int)) {
	sem := make(chan struct{}, width)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func() { defer func() { <-sem; wg.Done() }(); f(i) }()
	}
	wg.Wait()
}

// runHLSLoad measures the server with N LL-HLS viewers of one stream.
func runHLSLoad(env *benchEnv, o loadOpts) (*table, error) {
	st, err := startStream(env, "LL-HLS load")
	if err != nil {
		return nil, err
	}
	defer st.stop()
	t := &table{head: []string{"viewers", "server CPU", "CPU ms/s per viewer", "server RSS MiB", "RSS KiB per viewer",
		"parts fetched", "playlist reloads/s per viewer", "Mbit/s per viewer", "errors", "generator CPU"}}
	var base0 window
	base, err := measure(env, st, o.warmup, o.duration/2, &base0)
	if err != nil {
		return nil, err
	}
	t.add("0", pctStr(base.serverCPU, 1), "–", mb(base.serverRSS), "–", "–", "–", "–", "–", pctStr(base.genCPU, 1))
	index := env.srv.Base + "/live/" + st.ls.id + "/index.m3u8"
	for _, n := range o.viewers {
		if err := hlsStep(env, st, o, n, index, base, t); err != nil {
			return t, fmt.Errorf("%d LL-HLS viewers: %w", n, err)
		}
	}
	return t, nil
}

func hlsStep(env *benchEnv, st *liveStream, o loadOpts, n int, index string, base usage, t *table) error {
	win := &window{}
	ledger := &partLedger{first: map[string]int64{}}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	viewers := make([]*hlsViewer, n)
	for i := range viewers {
		viewers[i] = &hlsViewer{hc: env.hls, ledger: ledger, win: win}
		wg.Add(1)
		go func() { defer wg.Done(); viewers[i].run(ctx, index) }()
		time.Sleep(o.ramp / time.Duration(n))
	}
	u, err := measure(env, st, o.warmup, o.duration, win)
	cancel()
	wg.Wait()
	env.hls.CloseIdleConnections()
	time.Sleep(2 * time.Second)
	if err != nil {
		return err
	}
	expected := ledger.between(win.from.Load(), win.to.Load())
	var parts, reloads, bytes, errs int64
	for _, v := range viewers {
		parts += v.parts.Load()
		reloads += v.reloads.Load()
		bytes += v.bytes.Load()
		errs += v.errs.Load()
	}
	secs := u.window.Seconds()
	per := func(x float64) string { return strconv.FormatFloat(x/float64(n), 'f', 2, 64) }
	t.add(strconv.Itoa(n), pctStr(u.serverCPU, 1), per(1000*(u.serverCPU-base.serverCPU)), mb(u.serverRSS),
		per(float64(u.serverRSS-base.serverRSS)/1024), pctStr(float64(parts), float64(expected)*float64(n)),
		per(float64(reloads)/secs), per(float64(bytes)*8/secs/1e6), errText(errs, ledger.firstErr), pctStr(u.genCPU, 1))
	return nil
}

// errText is an error count with the first error, for a table cell.
func errText(n int64, first error) string {
	s := strconv.FormatInt(n, 10)
	if first != nil {
		s += " (first: " + strings.ReplaceAll(first.Error(), "|", "/") + ")"
	}
	return s
}
