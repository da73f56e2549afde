package media

import (
	"errors"
	"sync"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
)

// ErrClosed is returned to a publisher whose stream was closed under it
// (key rotated, session ended, shutdown).
var ErrClosed = errors.New("media: stream closed")

// gopLimit bounds the frames kept since the last keyframe, so a publisher
// that never sends one cannot grow memory without end.
const gopLimit = 1500

// Stream is one room's live media on this node.
type Stream struct {
	RoomID   string
	Protocol Protocol
	Started  time.Time

	hub    *Hub
	done   chan struct{}
	health *healthMeter
	parent *Stream // set for renditions (rendition.go)

	mu      sync.RWMutex
	tracks  Tracks
	extra   []*AudioInfo // audio added by transcoders
	readers map[*Reader]struct{}
	gop     []*Frame // frames since the last keyframe, for new readers
	closed  bool
	note    string // what a viewer or host should know (e.g. a transcoder missing)
	nextID  int
}

func newStream(h *Hub, roomID string, p Protocol, t Tracks) *Stream {
	return &Stream{RoomID: roomID, Protocol: p, Started: h.now(), hub: h, done: make(chan struct{}),
		health: newHealthMeter(h.now), tracks: t, readers: map[*Reader]struct{}{}}
}

// Tracks returns the publisher's tracks; SPS/PPS and the picture size are
// updated from the latest keyframe.
func (s *Stream) Tracks() Tracks {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tracks
}

// Audio returns the stream's audio track in one of codecs (the
// publisher's own first, then tracks added by transcoders), or nil.
func (s *Stream) Audio(codecs ...Codec) *AudioInfo {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, c := range codecs {
		if s.tracks.Audio != nil && s.tracks.Audio.Codec == c {
			return s.tracks.Audio
		}
		for _, a := range s.extra {
			if a.Codec == c {
				return a
			}
		}
	}
	return nil
}

// AddAudio declares an audio track made from the publisher's (by a
// transcoder), whose frames it then writes with WriteFrame.
func (s *Stream) AddAudio(a *AudioInfo) {
	s.mu.Lock()
	s.extra = append(s.extra, a)
	s.mu.Unlock()
}

// SetNote records a message for hosts and viewers about this stream
// ("ffmpeg is not installed: WebRTC viewers will not hear AAC audio").
func (s *Stream) SetNote(msg string) {
	s.mu.Lock()
	if s.note == "" {
		s.note = msg
	} else {
		s.note += "; " + msg
	}
	s.mu.Unlock()
}

// Note returns what SetNote recorded.
func (s *Stream) Note() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.note
}

// Done is closed when the stream ends.
func (s *Stream) Done() <-chan struct{} { return s.done }

// WriteFrame hands f to every reader without blocking. It returns
// ErrClosed once the stream has been closed.
func (s *Stream) WriteFrame(f *Frame) error {
	if f.Codec.Video() && f.Key {
		s.learnVideo(f)
	}
	if !f.Derived {
		s.health.observe(f)
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	if f.Codec.Video() && f.Key {
		s.gop = s.gop[:0]
	}
	if len(s.gop) < gopLimit && (len(s.gop) > 0 || (f.Codec.Video() && f.Key) || s.tracks.Video == nil) {
		s.gop = append(s.gop, f)
	}
	for r := range s.readers {
		r.offer(f)
	}
	s.mu.Unlock()
	return nil
}

// learnVideo keeps SPS, PPS and the picture size of the latest keyframe.
func (s *Stream) learnVideo(f *Frame) {
	var sps, pps []byte
	for _, u := range f.NALUs {
		if len(u) == 0 {
			continue
		}
		switch h264.NALUType(u[0] & 0x1f) {
		case h264.NALUTypeSPS:
			sps = u
		case h264.NALUTypePPS:
			pps = u
		}
	}
	if sps == nil || pps == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.tracks.Video
	if v == nil {
		v = &VideoInfo{Codec: H264}
	}
	if string(v.SPS) == string(sps) && string(v.PPS) == string(pps) && v.Width > 0 {
		return
	}
	nv := &VideoInfo{Codec: H264, SPS: append([]byte(nil), sps...), PPS: append([]byte(nil), pps...)}
	var p h264.SPS
	if err := p.Unmarshal(sps); err == nil {
		nv.Width, nv.Height = p.Width(), p.Height()
	}
	s.tracks.Video = nv
}

// Subscribe returns a reader of the stream. With fromKeyframe the reader
// first gets the frames since the last keyframe, so a new viewer sees a
// picture at once. queue bounds its backlog in frames.
func (s *Stream) Subscribe(p Protocol, queue int, fromKeyframe bool) *Reader {
	if queue < 16 {
		queue = 16
	}
	r := &Reader{stream: s, Protocol: p, ch: make(chan *Frame, queue), done: make(chan struct{})}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	r.id = s.nextID
	if s.closed {
		close(r.ch)
		return r
	}
	if fromKeyframe {
		for _, f := range s.gop {
			r.offer(f)
		}
	} else {
		r.needKey = s.tracks.Video != nil
	}
	s.readers[r] = struct{}{}
	return r
}

func (s *Stream) unsubscribe(r *Reader) {
	s.mu.Lock()
	if _, ok := s.readers[r]; ok {
		delete(s.readers, r)
		close(r.ch)
	}
	s.mu.Unlock()
}

// Close ends the stream because its publisher went away. ended says the
// publisher asked to end the session rather than dropping out.
func (s *Stream) Close(ended bool) { s.close(ended, false) }

func (s *Stream) close(ended, kicked bool) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	for r := range s.readers {
		delete(s.readers, r)
		close(r.ch)
	}
	s.gop = nil
	s.mu.Unlock()
	close(s.done)
	s.hub.remove(s)
	if s.parent == nil { // a rendition is not a publisher: the Gate never knew it
		s.hub.gate.Stopped(s.RoomID, ended)
	}
	s.hub.log.Info("stream stopped", "room", s.RoomID, "ended", ended, "kicked", kicked)
}

// Viewers counts readers per protocol.
func (s *Stream) Viewers() map[Protocol]int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := map[Protocol]int{}
	for r := range s.readers {
		if r.Protocol == WHEP || r.Protocol == HLS {
			out[r.Protocol]++
		}
	}
	return out
}
