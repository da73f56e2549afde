package webrtc

import (
	"sync"

	"github.com/liveshop/liveshop/internal/media"
)

// rtpPayloadSize keeps packets under common path MTUs after SRTP and
// header extensions.
const rtpPayloadSize = 1200

// packetizeH264 splits an access unit into RTP payloads (RFC 6184): NAL
// units that fit go as single NAL unit packets, larger ones as FU-A
// fragments. The last payload carries the marker bit.
func packetizeH264(nalus [][]byte, mtu int) [][]byte {
	var out [][]byte
	for _, u := range nalus {
		if len(u) == 0 {
			continue
		}
		if t := u[0] & 0x1f; t == naluAUD || t == naluFiller {
			continue
		}
		if len(u) <= mtu {
			out = append(out, u) // frames are immutable: share, do not copy
			continue
		}
		indicator := u[0]&0xe0 | naluFUA
		typ := u[0] & 0x1f
		data := u[1:]
		for first := true; len(data) > 0; first = false {
			n := min(len(data), mtu-2)
			header := typ
			if first {
				header |= 0x80
			}
			if n == len(data) {
				header |= 0x40
			}
			p := make([]byte, 2+n)
			p[0], p[1] = indicator, header
			copy(p[2:], data[:n])
			out = append(out, p)
			data = data[n:]
		}
	}
	return out
}

// cacheRotate bounds one generation of the packet cache when keyframes
// are rare.
const cacheRotate = 1024

// packetCache packetises each video frame of one stream once, however
// many viewers send it. It keeps the current and the previous GOP's
// packets, so a new viewer starting at the last keyframe, and a viewer a
// little behind, find theirs ready.
type packetCache struct {
	mu        sync.Mutex
	cur, prev map[*media.Frame]*packetized
}

type packetized struct {
	once     sync.Once
	payloads [][]byte
}

func newPacketCache() *packetCache {
	return &packetCache{cur: map[*media.Frame]*packetized{}}
}

// video returns f's RTP payloads, packetising on first use.
func (c *packetCache) video(f *media.Frame) [][]byte {
	c.mu.Lock()
	e := c.cur[f]
	if e == nil {
		e = c.prev[f]
	}
	if e == nil {
		if f.Key || len(c.cur) >= cacheRotate {
			c.prev, c.cur = c.cur, map[*media.Frame]*packetized{}
		}
		e = &packetized{}
		c.cur[f] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.payloads = packetizeH264(f.NALUs, rtpPayloadSize) })
	return e.payloads
}

// packetsFor returns stream's packet cache, dropping it when the
// stream ends.
func (s *Server) packetsFor(stream *media.Stream) *packetCache {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.packets[stream]
	if c == nil {
		c = newPacketCache()
		s.packets[stream] = c
		go func() {
			<-stream.Done()
			s.mu.Lock()
			delete(s.packets, stream)
			s.mu.Unlock()
		}()
	}
	return c
}
