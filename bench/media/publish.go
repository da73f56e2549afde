package main

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/bluenviron/gortmplib"
	"github.com/bluenviron/gortmplib/pkg/codecs"
)

// publisher plays a clip over RTMP in real time, looping it, with a
// timestamp SEI in every video access unit. It remembers when each
// access unit was sent and how many RTP packets the server will make of
// it, so viewers can be scored against what was really published.
type publisher struct {
	clip *clip

	mu   sync.Mutex
	sent []sentAU // in send order
}

// sentAU is one published video access unit.
type sentAU struct {
	at      int64 // unix nanos, the value in its SEI
	packets int   // RTP packets it becomes (see rtpPackets)
}

// publish connects to rtmpURL (rtmp://HOST:PORT/live#KEY) and sends until
// ctx ends. started is called once the RTMP publish has been accepted,
// before the first frame. Returns nil when ctx ends.
func (p *publisher) publish(ctx context.Context, rtmpURL string, started func()) error {
	u, err := url.Parse(rtmpURL)
	if err != nil {
		return fmt.Errorf("publish: url: %w", err)
	}
	c := &gortmplib.Client{URL: u, Publish: true}
	ictx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := c.Initialize(ictx); err != nil {
		return fmt.Errorf("publish: rtmp connect: %w", err)
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, c.Close) // unblock a write stuck on a stalled server
	defer stop()

	video := &gortmplib.Track{Codec: &codecs.H264{SPS: p.clip.sps, PPS: p.clip.pps}}
	audio := &gortmplib.Track{Codec: &codecs.MPEG4Audio{Config: p.clip.audioConf}}
	w := &gortmplib.Writer{Conn: c, Tracks: []*gortmplib.Track{video, audio}}
	if err := w.Initialize(); err != nil {
		return fmt.Errorf("publish: rtmp headers: %w", err)
	}
	if started != nil {
		started()
	}

	start := time.Now()
	vd, ad := p.clip.frameDur(), p.clip.audioDur()
	var vi, ai int // frames sent so far
	for ctx.Err() == nil {
		vpts, apts := time.Duration(vi)*vd, time.Duration(ai)*ad
		next := min(vpts, apts)
		if wait := time.Until(start.Add(next)); wait > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(wait):
			}
		}
		if apts < vpts {
			if err := w.WriteMPEG4Audio(audio, apts, p.clip.audio[ai%len(p.clip.audio)]); err != nil {
				return p.writeErr(ctx, err)
			}
			ai++
			continue
		}
		now := time.Now().UnixNano()
		au := withTimestampSEI(p.clip.video[vi%len(p.clip.video)], now)
		if err := w.WriteH264(video, vpts, vpts, au); err != nil {
			return p.writeErr(ctx, err)
		}
		p.mu.Lock()
		p.sent = append(p.sent, sentAU{at: now, packets: rtpPackets(au)})
		p.mu.Unlock()
		vi++
	}
	return nil
}

func (p *publisher) writeErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("publish: rtmp write: %w", err)
}

// sentBetween counts the access units sent in [from, to) and the RTP
// packets they make.
func (p *publisher) sentBetween(from, to int64) (aus, packets int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.sent {
		if s.at >= from && s.at < to {
			aus++
			packets += s.packets
		}
	}
	return aus, packets
}

// serverPayload is the RTP payload limit the server packetises H.264 to
// (internal/media/webrtc rtpPayloadSize); the expected packet count
// follows it, so change both together.
const serverPayload = 1200

// rtpPackets is how many RTP packets an access unit becomes under RFC
// 6184 packetization mode 1 as the server does it: a NAL unit that fits
// goes alone, a larger one as FU-A fragments of serverPayload-2 bytes;
// AUDs are dropped.
func rtpPackets(au [][]byte) int {
	n := 0
	for _, u := range au {
		switch {
		case len(u) == 0 || u[0]&0x1f == naluAUD:
		case len(u) <= serverPayload:
			n++
		default:
			n += (len(u) - 1 + serverPayload - 3) / (serverPayload - 2)
		}
	}
	return n
}

// runPublisher publishes in the background until ctx ends; the returned
// channel yields the publisher's error (nil after a clean stop).
func runPublisher(ctx context.Context, p *publisher, rtmpURL string, started func()) <-chan error {
	done := make(chan error, 1)
	go func() { done <- p.publish(ctx, rtmpURL, started) }()
	return done
}
