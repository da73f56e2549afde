package webrtc

import (
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/media"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

const (
	// pliEvery asks the browser for a keyframe this often: browsers
	// otherwise send one only when asked, and HLS segments need them.
	pliEvery = 2 * time.Second
	// pliMinGap rate-limits the extra keyframe requests sent after loss.
	pliMinGap = 500 * time.Millisecond
	// reorderWait is how long a missing video packet is waited for
	// (NACK retransmissions take the generator interval plus a round trip).
	reorderWait = 200 * time.Millisecond
)

// publisher is one WHIP ingest session: a peer connection whose H.264
// and Opus tracks become frames of one media.Stream.
type publisher struct {
	id          string
	keyHash     keyHash
	remoteUfrag string
	srv         *Server
	pc          *webrtc.PeerConnection
	log         *slog.Logger

	ready     chan struct{} // closed once stream is set
	stream    *media.Stream
	connected chan struct{}
	connOnce  sync.Once
	done      chan struct{}
	closeOnce sync.Once
	clock     sessionClock

	pliMu   sync.Mutex
	lastPLI time.Time
}

func newPublisher(s *Server, pc *webrtc.PeerConnection, id string, kh keyHash, ufrag string) *publisher {
	p := &publisher{id: id, keyHash: kh, remoteUfrag: ufrag, srv: s, pc: pc, log: s.log.With("whip", id),
		ready: make(chan struct{}), connected: make(chan struct{}), done: make(chan struct{})}
	pc.OnTrack(p.onTrack)
	pc.OnConnectionStateChange(func(st webrtc.PeerConnectionState) {
		switch st {
		case webrtc.PeerConnectionStateConnected:
			p.connOnce.Do(func() { close(p.connected) })
		case webrtc.PeerConnectionStateFailed:
			go p.close(false, "connection failed")
		case webrtc.PeerConnectionStateClosed:
			go p.close(false, "connection closed")
		}
	})
	return p
}

// start attaches the hub's stream, registers the session and watches
// for the ends that do not come through pion: no connection in time, or
// the hub closing the stream (key rotated, session ended, shutdown).
func (p *publisher) start(stream *media.Stream) {
	p.stream = stream
	p.srv.mu.Lock()
	p.srv.publishers[p.id] = p
	p.srv.mu.Unlock()
	close(p.ready)
	select {
	case <-p.done:
		// The connection failed while the hub was admitting us; close
		// saw no stream yet, so finish its job.
		p.srv.mu.Lock()
		delete(p.srv.publishers, p.id)
		p.srv.mu.Unlock()
		stream.Close(false)
		return
	default:
	}
	p.log.Info("whip publisher accepted", "room", stream.RoomID)
	go func() {
		t := time.NewTimer(p.srv.cfg.ConnectTimeout)
		defer t.Stop()
		select {
		case <-p.connected:
		case <-t.C:
			p.close(false, "no connection in time")
			return
		case <-p.done:
			return
		}
		select {
		case <-stream.Done():
			p.close(false, "stream closed by the hub")
		case <-p.done:
		}
	}()
}

// close ends the session once. ended says the publisher asked to end the
// live session (WHIP DELETE) rather than dropping out.
func (p *publisher) close(ended bool, reason string) {
	p.closeOnce.Do(func() {
		close(p.done)
		p.srv.mu.Lock()
		delete(p.srv.publishers, p.id)
		p.srv.mu.Unlock()
		room := ""
		select {
		case <-p.ready: // the stream is set
			room = p.stream.RoomID
			p.stream.Close(ended)
		default: // start will close the stream when it sees done
		}
		if err := p.pc.Close(); err != nil {
			p.log.Warn("whip: close peer connection", "err", err)
		}
		p.log.Info("whip publisher gone", "room", room, "reason", reason, "ended", ended)
	})
}

func (p *publisher) onTrack(track *webrtc.TrackRemote, receiver *webrtc.RTPReceiver) {
	select {
	case <-p.ready:
	case <-p.done:
		return
	}
	go drainRTCP(receiver)
	mime := strings.ToLower(track.Codec().MimeType)
	switch {
	case mime == strings.ToLower(webrtc.MimeTypeH264):
		p.readVideo(track)
	case mime == strings.ToLower(webrtc.MimeTypeOpus) && p.stream.Tracks().Audio != nil:
		p.readAudio(track)
	default:
		p.log.Warn("whip: ignoring track", "codec", track.Codec().MimeType)
		for {
			if _, _, err := track.ReadRTP(); err != nil {
				return
			}
		}
	}
}

// drainRTCP reads the sender reports so pion's interceptors see them.
func drainRTCP(r *webrtc.RTPReceiver) {
	for {
		if _, _, err := r.ReadRTCP(); err != nil {
			return
		}
	}
}

// readVideo reorders, depacketises and writes the publisher's H.264.
func (p *publisher) readVideo(track *webrtc.TrackRemote) {
	ssrc := uint32(track.SSRC())
	go p.requestKeyframes(ssrc)
	reorder := newReorderBuffer(reorderWait)
	asm := newH264Assembler()
	clock := newRTPClock(90000)
	var now time.Time
	writeAU := func(au accessUnit) {
		pts := clock.pts(au.timestamp, now, &p.clock)
		f := &media.Frame{Codec: media.H264, PTS: pts, DTS: pts, Key: au.key, NALUs: au.nalus, Ingest: now}
		p.write(f)
	}
	depacketise := func(pkt *rtp.Packet, lost bool) { asm.push(pkt, lost, writeAU) }
	for {
		pkt, _, err := track.ReadRTP()
		if err != nil {
			return
		}
		now = time.Now()
		reorder.push(pkt, now, depacketise)
		if asm.needKey {
			p.requestKeyframe(ssrc, false)
		}
	}
}

// readAudio writes each Opus packet as a frame. Opus conceals a lost
// packet by itself, so late ones are simply dropped.
func (p *publisher) readAudio(track *webrtc.TrackRemote) {
	clock := newRTPClock(48000)
	var last uint16
	started := false
	for {
		pkt, _, err := track.ReadRTP()
		if err != nil {
			return
		}
		if started && int16(pkt.SequenceNumber-last) <= 0 {
			continue
		}
		started, last = true, pkt.SequenceNumber
		if len(pkt.Payload) == 0 {
			continue
		}
		now := time.Now()
		pts := clock.pts(pkt.Timestamp, now, &p.clock)
		p.write(&media.Frame{Codec: media.Opus, PTS: pts, DTS: pts, Payload: append([]byte(nil), pkt.Payload...),
			Samples: media.OpusSamples(pkt.Payload), Ingest: now})
	}
}

// write hands f to the hub; a closed stream means the hub cut the
// publisher off, so the peer connection goes too.
func (p *publisher) write(f *media.Frame) {
	if err := p.stream.WriteFrame(f); errors.Is(err, media.ErrClosed) {
		go p.close(false, "stream closed by the hub")
	}
}

// requestKeyframes sends a PLI at once and then every pliEvery.
func (p *publisher) requestKeyframes(ssrc uint32) {
	p.requestKeyframe(ssrc, true)
	t := time.NewTicker(pliEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.requestKeyframe(ssrc, true)
		case <-p.done:
			return
		}
	}
}

// requestKeyframe sends a PLI; unless forced, at most one per pliMinGap.
func (p *publisher) requestKeyframe(ssrc uint32, force bool) {
	p.pliMu.Lock()
	now := time.Now()
	if !force && now.Sub(p.lastPLI) < pliMinGap {
		p.pliMu.Unlock()
		return
	}
	p.lastPLI = now
	p.pliMu.Unlock()
	if err := p.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: ssrc}}); err != nil {
		p.log.Debug("whip: send PLI", "err", err)
	}
}
