package webrtc

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/media"
)

// BenchmarkWHEPFanout sends synthetic 1.5 Mbit/s video (30 fps, ~6 KB
// frames, a keyframe a second) and 20 ms audio to 50 pion viewers over
// loopback. The viewers run in this process too, so to see the server's
// share profile it and look at (*viewer).send:
//
//	go test -run XXX -bench WHEPFanout -benchtime 300x -o /tmp/webrtc.test -cpuprofile /tmp/cpu.out ./internal/media/webrtc
//	go tool pprof -top -focus 'viewer..send' /tmp/cpu.out
func BenchmarkWHEPFanout(b *testing.B) {
	const viewers = 50
	h := newHarness(b)
	stream, err := h.hub.Publish(context.Background(), "key-1", media.WHIP, media.Tracks{
		Video: &media.VideoInfo{Codec: media.H264}, Audio: &media.AudioInfo{Codec: media.Opus, SampleRate: 48000, Channels: 2}})
	if err != nil {
		b.Fatal(err)
	}
	key := &media.Frame{Codec: media.H264, Key: true, NALUs: [][]byte{testSPS, testPPS, idr(20000)}}
	if err := stream.WriteFrame(key); err != nil {
		b.Fatal(err)
	}
	for range viewers {
		h.watch(b, "room-1")
	}
	eventually(b, "viewers subscribed", func() bool { return stream.Viewers()[media.WHEP] == viewers })
	delta := bytes.Repeat([]byte{0x41, 0x9a}, 3000)
	opus := bytes.Repeat([]byte{0xfc}, 120)
	frameEvery := time.Second / 30
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		pts := time.Duration(i+1) * frameEvery
		f := &media.Frame{Codec: media.H264, PTS: pts, DTS: pts, NALUs: [][]byte{delta}}
		if i%30 == 29 {
			f = &media.Frame{Codec: media.H264, PTS: pts, DTS: pts, Key: true, NALUs: [][]byte{testSPS, testPPS, idr(20000)}}
		}
		_ = stream.WriteFrame(f)
		for a := range 2 {
			at := pts + time.Duration(a)*20*time.Millisecond
			_ = stream.WriteFrame(&media.Frame{Codec: media.Opus, PTS: at, DTS: at, Payload: opus, Samples: 960})
		}
		time.Sleep(time.Until(start.Add(pts)))
	}
	b.StopTimer()
	stream.Close(true)
}

// BenchmarkWHEPFirstPacket times a new viewer on loopback, the server's
// share of a browser's first frame (issue 8; bench/firstframe measures
// the whole page): POST of the offer → answer, and → the first video RTP
// packet, which must open the stream's last keyframe (SPS first).
//
//	go test -run XXX -bench WHEPFirstPacket -benchtime 50x ./internal/media/webrtc
func BenchmarkWHEPFirstPacket(b *testing.B) {
	h := newHarness(b)
	stream, err := h.hub.Publish(context.Background(), "key-1", media.WHIP, media.Tracks{Video: &media.VideoInfo{Codec: media.H264}})
	if err != nil {
		b.Fatal(err)
	}
	defer stream.Close(true)
	key := &media.Frame{Codec: media.H264, Key: true, NALUs: [][]byte{testSPS, testPPS, idr(20000)}}
	if err := stream.WriteFrame(key); err != nil {
		b.Fatal(err)
	}
	var answer, first time.Duration
	for range b.N {
		start := time.Now()
		v := h.watch(b, "room-1")
		answered := time.Now()
		var got time.Time
		eventually(b, "the first video packet", func() bool {
			v.mu.Lock()
			defer v.mu.Unlock()
			got = v.firstVideo
			return v.video > 0
		})
		v.mu.Lock()
		nal := v.firstNAL
		v.mu.Unlock()
		if nal != 7 {
			b.Fatalf("the first video packet carries NAL type %d, want 7 (SPS of the keyframe)", nal)
		}
		answer += answered.Sub(start)
		first += got.Sub(start)
		_ = v.pc.Close()
	}
	b.ReportMetric(float64(answer.Microseconds())/float64(b.N)/1000, "ms-answer")
	b.ReportMetric(float64(first.Microseconds())/float64(b.N)/1000, "ms-first-rtp")
}
