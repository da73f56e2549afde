package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// latencyResult pools one or more runs' samples.
type latencyResult struct {
	firstPacket []time.Duration // RTMP AU written → its SEI packet out of WHEP
	wholeAU     []time.Duration // RTMP AU written → its last (marker) packet
	join        []time.Duration // WHEP POST → first complete IDR access unit
	joinFails   int
	firstPart   []time.Duration // RTMP connect → LL-HLS playlist with a part
	firstErr    error
}

// latencyOpts configures the latency mode.
type latencyOpts struct {
	runs     int
	duration time.Duration
	joins    int
}

// runLatency measures glass-to-glass latency through the server on one
// freshly booted instance: each run schedules a session, publishes over
// RTMP and watches over WHEP and LL-HLS.
func runLatency(env *benchEnv, o latencyOpts) (*latencyResult, error) {
	res := &latencyResult{}
	for i := 0; i < o.runs; i++ {
		if err := latencyRun(env, o, res, i); err != nil {
			return res, fmt.Errorf("latency run %d: %w", i+1, err)
		}
	}
	return res, nil
}

func latencyRun(env *benchEnv, o latencyOpts, res *latencyResult, n int) error {
	ls, err := env.merchant.newSession(fmt.Sprintf("Latency run %d", n+1))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pub := &publisher{clip: env.clip}
	t0 := time.Now()
	pubDone := runPublisher(ctx, pub, env.merchant.rtmpURL(ls), nil)

	partCtx, partCancel := context.WithTimeout(ctx, 20*time.Second)
	firstPart, err := waitFirstPart(partCtx, env.hls, env.srv.Base, ls.id)
	partCancel()
	if err != nil {
		return pubErr(pubDone, fmt.Errorf("first LL-HLS part: %w", err))
	}
	res.firstPart = append(res.firstPart, firstPart.Sub(t0))

	// One viewer watches for the whole window, timing every access unit.
	var mu sync.Mutex
	var measuring bool
	var seiTS uint32
	var seiSent int64
	onPacket := func(kind webrtc.RTPCodecType, p *rtp.Packet, _ int, at time.Time) {
		if kind != webrtc.RTPCodecTypeVideo {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if sent, ok := packetSEI(p.Payload); ok {
			seiTS, seiSent = p.Timestamp, sent
			if measuring {
				res.firstPacket = append(res.firstPacket, time.Duration(at.UnixNano()-sent))
			}
		}
		if p.Marker && seiSent != 0 && p.Timestamp == seiTS {
			if measuring {
				res.wholeAU = append(res.wholeAU, time.Duration(at.UnixNano()-seiSent))
			}
			seiSent = 0
		}
	}
	dctx, dcancel := context.WithTimeout(ctx, 20*time.Second)
	v, err := env.whep.dial(dctx, ls.id, onPacket)
	if err == nil {
		err = v.waitConnected(dctx)
	}
	dcancel()
	if err != nil {
		return pubErr(pubDone, err)
	}
	time.Sleep(time.Second) // let the viewer's first GOP burst pass
	mu.Lock()
	measuring = true
	mu.Unlock()
	if err := sleepOrFail(pubDone, o.duration); err != nil {
		v.close()
		return err
	}
	mu.Lock()
	measuring = false
	mu.Unlock()
	v.close()

	for i := 0; i < o.joins; i++ {
		d, err := timeJoin(env.whep, ls.id)
		if err != nil {
			res.joinFails++
			if res.firstErr == nil {
				res.firstErr = err
			}
			continue
		}
		res.join = append(res.join, d)
	}
	cancel()
	if err := <-pubDone; err != nil {
		return err
	}
	return nil
}

// timeJoin starts a WHEP viewer and returns the time from its POST to
// its first complete IDR access unit.
func timeJoin(c *whepClient, room string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	gotKey := make(chan time.Time, 1)
	var asm auAssembler
	onPacket := func(kind webrtc.RTPCodecType, p *rtp.Packet, _ int, at time.Time) {
		if kind != webrtc.RTPCodecTypeVideo {
			return
		}
		payload := append([]byte(nil), p.Payload...) // the assembler keeps it; p is reused
		aus, _ := asm.push(p.SequenceNumber, p.Timestamp, p.Marker, payload)
		for _, au := range aus {
			if au.complete && isKey(au.nalus) {
				select {
				case gotKey <- at:
				default:
				}
			}
		}
	}
	start := time.Now()
	v, err := c.dial(ctx, room, onPacket)
	if err != nil {
		return 0, err
	}
	defer v.close()
	select {
	case at := <-gotKey:
		return at.Sub(start), nil
	case <-v.failed:
		return 0, errors.New("whep: peer connection failed before a keyframe")
	case <-ctx.Done():
		return 0, errors.New("whep: no complete keyframe within 10 s")
	}
}

// pubErr prefers the publisher's own failure, which usually explains err.
func pubErr(pubDone <-chan error, err error) error {
	select {
	case perr := <-pubDone:
		if perr != nil {
			return perr
		}
	case <-time.After(100 * time.Millisecond):
	}
	return err
}

// sleepOrFail waits d, failing early when the publisher stops.
func sleepOrFail(pubDone <-chan error, d time.Duration) error {
	select {
	case err := <-pubDone:
		if err == nil {
			err = errors.New("publisher stopped")
		}
		return err
	case <-time.After(d):
		return nil
	}
}

func (r *latencyResult) table() *table {
	t := &table{head: []string{"measurement", "samples", "p50 ms", "p90 ms", "p99 ms", "max ms", "target"}}
	row := func(name string, v []time.Duration, target string) {
		d := newDist(v)
		t.add(name, fmt.Sprint(len(d)), ms(d.pct(.5)), ms(d.pct(.9)), ms(d.pct(.99)), ms(d.max()), target)
	}
	row("RTMP access unit in → its first WHEP RTP packet out", r.firstPacket, "p99 ≤ 20 ms")
	row("RTMP access unit in → its last WHEP RTP packet out", r.wholeAU, "")
	name := "new WHEP viewer (POST) → first complete IDR"
	if r.joinFails > 0 {
		name += fmt.Sprintf(" (%d failed)", r.joinFails)
	}
	row(name, r.join, "p50 ≤ 300 ms")
	row("RTMP publish start → LL-HLS playlist with a part", r.firstPart, "")
	return t
}
