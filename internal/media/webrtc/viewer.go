package webrtc

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/media"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// viewer is one WHEP playback session. It reads the stream through its
// own media.Reader (so a slow viewer skips to the next keyframe without
// holding anyone up) and sends the stream's shared, packetised frames
// with its own sequence numbers.
type viewer struct {
	id, roomID  string
	remoteUfrag string
	srv         *Server
	pc          *webrtc.PeerConnection
	stream      *media.Stream
	video       *webrtc.TrackLocalStaticRTP
	audio       *webrtc.TrackLocalStaticRTP // nil: video only
	log         *slog.Logger

	connected chan struct{}
	connOnce  sync.Once
	done      chan struct{}
	closeOnce sync.Once

	mu     sync.Mutex
	reader *media.Reader
}

func newViewer(s *Server, pc *webrtc.PeerConnection, stream *media.Stream, id, ufrag string, withAudio bool) (*viewer, error) {
	v := &viewer{id: id, roomID: stream.RoomID, remoteUfrag: ufrag, srv: s, pc: pc, stream: stream,
		log: s.log.With("whep", id, "room", stream.RoomID), connected: make(chan struct{}), done: make(chan struct{})}
	var err error
	v.video, err = webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{
		MimeType: webrtc.MimeTypeH264, ClockRate: 90000,
		SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=" + profileLevelID(stream.Tracks().Video),
	}, "video", "liveshop")
	if err != nil {
		return nil, fmt.Errorf("webrtc: video track: %w", err)
	}
	if err := v.addTrack(v.video); err != nil {
		return nil, err
	}
	if withAudio {
		v.audio, err = webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2,
		}, "audio", "liveshop")
		if err != nil {
			return nil, fmt.Errorf("webrtc: audio track: %w", err)
		}
		if err := v.addTrack(v.audio); err != nil {
			return nil, err
		}
	}
	pc.OnConnectionStateChange(func(st webrtc.PeerConnectionState) {
		switch st {
		case webrtc.PeerConnectionStateConnected:
			v.connOnce.Do(func() { close(v.connected) })
		case webrtc.PeerConnectionStateFailed:
			go v.close("connection failed")
		case webrtc.PeerConnectionStateClosed:
			go v.close("connection closed")
		}
	})
	return v, nil
}

func (v *viewer) addTrack(t *webrtc.TrackLocalStaticRTP) error {
	sender, err := v.pc.AddTrack(t)
	if err != nil {
		return fmt.Errorf("webrtc: add %s track: %w", t.Kind(), err)
	}
	// Reading RTCP is what runs the NACK responder and the reports.
	go func() {
		buf := make([]byte, 1500)
		for {
			if _, _, err := sender.Read(buf); err != nil {
				return
			}
		}
	}()
	return nil
}

// run waits for the connection, then sends frames until the stream or
// the viewer ends. Subscribing only once connected matters: pion drops
// what is written before then, and the first thing a viewer must get is
// the keyframe the reader starts at.
func (v *viewer) run() {
	t := time.NewTimer(v.srv.cfg.ConnectTimeout)
	defer t.Stop()
	select {
	case <-v.connected:
	case <-t.C:
		v.close("no connection in time")
		return
	case <-v.stream.Done():
		v.close("stream ended")
		return
	case <-v.done:
		return
	}
	reader := v.stream.Subscribe(media.WHEP, v.srv.cfg.ViewerQueue, true)
	v.mu.Lock()
	v.reader = reader
	v.mu.Unlock()
	select {
	case <-v.done: // closed while subscribing
		reader.Close()
		return
	default:
	}
	v.send(reader)
	v.close("stream ended")
}

func (v *viewer) send(reader *media.Reader) {
	cache := v.srv.packetsFor(v.stream)
	vseq, aseq := uint16(random32()), uint16(random32())
	vbase, abase := random32(), random32()
	pkt := &rtp.Packet{}
	for f := range reader.C() {
		switch {
		case f.Codec == media.H264:
			payloads := cache.video(f)
			ts := vbase + rtpTime(f.PTS, 90000)
			for i, p := range payloads {
				pkt.Header = rtp.Header{Version: 2, Marker: i == len(payloads)-1, SequenceNumber: vseq, Timestamp: ts}
				pkt.Payload = p
				vseq++
				// A write fails only as the connection closes, which the
				// state callback handles.
				_ = v.video.WriteRTP(pkt)
			}
		case f.Codec == media.Opus && v.audio != nil:
			pkt.Header = rtp.Header{Version: 2, SequenceNumber: aseq, Timestamp: abase + rtpTime(f.PTS, 48000)}
			pkt.Payload = f.Payload
			aseq++
			_ = v.audio.WriteRTP(pkt)
		}
	}
}

// close ends the session once: the reader, the peer connection and the
// server's record of it.
func (v *viewer) close(reason string) {
	v.closeOnce.Do(func() {
		close(v.done)
		v.srv.mu.Lock()
		delete(v.srv.viewers, v.id)
		v.srv.mu.Unlock()
		v.mu.Lock()
		r := v.reader
		v.mu.Unlock()
		if r != nil {
			r.Close()
		}
		if err := v.pc.Close(); err != nil {
			v.log.Warn("whep: close peer connection", "err", err)
		}
		v.log.Debug("whep viewer gone", "reason", reason)
	})
}

// profileLevelID names the stream's H.264 profile as SDP does, so the
// answer announces the profile the viewer will really get when it
// offered it (browsers decode other profiles too, but some check).
// Before the first keyframe it says constrained baseline.
func profileLevelID(v *media.VideoInfo) string {
	if v == nil || len(v.SPS) < 4 {
		return "42e01f"
	}
	return hex.EncodeToString(v.SPS[1:4])
}

// rtpTime converts a stream time to RTP clock ticks (wrapping, as RTP
// timestamps do).
func rtpTime(d time.Duration, rate int64) uint32 {
	us := int64(d / time.Microsecond)
	return uint32(us/1_000_000*rate + us%1_000_000*rate/1_000_000)
}

// random32 gives RTP's random initial sequence numbers and timestamps.
func random32() uint32 {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return binary.BigEndian.Uint32(b[:])
}
