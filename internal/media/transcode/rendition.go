package transcode

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts/codecs"

	"github.com/liveshop/liveshop/internal/media"
)

// audioBacklog bounds the parent's audio held back for a rendition whose
// video lags (ffmpeg's latency, or a stall).
const audioBacklog = 256

// renditionOut is one rung's output: it reads ffmpeg's MPEG-TS and writes
// a rendition stream, registered with the hub at its first keyframe (so
// its tracks are complete from the start) and kept across ffmpeg restarts.
type renditionOut struct {
	rung     Rendition
	portrait bool
	audio    *media.AudioInfo // the parent's AAC track, copied into the rendition

	mu      sync.Mutex
	stream  *media.Stream
	queued  []*media.Frame // parent audio waiting for video to catch up
	needKey bool
	lastDTS time.Duration
	wrote   bool
}

// restart prepares for a new ffmpeg: video resumes at a keyframe.
func (o *renditionOut) restart() {
	o.mu.Lock()
	o.needKey = true
	o.mu.Unlock()
}

// queueAudio holds a parent audio frame until the rendition's video has
// reached it, so the rendition interleaves like a publisher's stream.
func (o *renditionOut) queueAudio(f *media.Frame) {
	if o.audio == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.queued) == audioBacklog {
		o.queued = append(o.queued[:0], o.queued[1:]...)
	}
	c := *f // frames are shared: copy before marking it the rendition's own
	c.Derived = false
	o.queued = append(o.queued, &c)
}

// read turns ffmpeg's MPEG-TS into rendition frames until EOF.
func (o *renditionOut) read(hub *media.Hub, parent *media.Stream, r io.Reader) error {
	ts := &mpegts.Reader{R: bufio.NewReaderSize(r, 64<<10)}
	if err := ts.Initialize(); err != nil {
		return fmt.Errorf("%s: %w", o.rung.Name, noEOF(err))
	}
	var track *mpegts.Track
	for _, t := range ts.Tracks() {
		if _, ok := t.Codec.(*codecs.H264); ok {
			track = t
		}
	}
	if track == nil {
		return fmt.Errorf("%s: ffmpeg wrote no H.264", o.rung.Name)
	}
	var dec mpegts.TimeDecoder
	var base int64
	started := false
	ts.OnDataH264(track, func(pts, dts int64, au [][]byte) error {
		if !started {
			base, started = dts, true
		}
		d := base + dec.Decode(dts)
		p := d + (pts-dts)&0x1ffffffff
		f := &media.Frame{Codec: media.H264, NALUs: au, Key: h264.IsRandomAccess(au),
			DTS: fromTS(d), PTS: fromTS(p), Ingest: time.Now()}
		return o.write(hub, parent, f)
	})
	for {
		if err := ts.Read(); err != nil {
			if errors.Is(err, io.EOF) { // ffmpeg exited
				return io.EOF
			}
			return fmt.Errorf("%s: %w", o.rung.Name, err)
		}
	}
}

func fromTS(t int64) time.Duration { return time.Duration(t)*time.Second/90000 - tsOffset }

// write writes one video frame of the rendition, with the audio that
// comes before it.
func (o *renditionOut) write(hub *media.Hub, parent *media.Stream, f *media.Frame) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.needKey && !f.Key || o.wrote && f.DTS <= o.lastDTS {
		return nil
	}
	o.needKey = false
	if o.stream == nil {
		v, err := videoInfo(f)
		if err != nil {
			return fmt.Errorf("%s: %w", o.rung.Name, err)
		}
		s, err := hub.PublishRendition(parent, o.rung.Name, media.Tracks{Video: v, Audio: o.audio})
		if err != nil {
			return errStreamClosed // the parent ended meanwhile
		}
		o.stream = s
		// Audio from before the first picture would start the rendition
		// with sound and no video.
		n := 0
		for n < len(o.queued) && o.queued[n].PTS < f.DTS {
			n++
		}
		o.queued = append(o.queued[:0], o.queued[n:]...)
	}
	n := 0
	for n < len(o.queued) && o.queued[n].PTS <= f.DTS {
		if err := o.stream.WriteFrame(o.queued[n]); err != nil {
			return errStreamClosed
		}
		n++
	}
	o.queued = append(o.queued[:0], o.queued[n:]...)
	o.lastDTS, o.wrote = f.DTS, true
	if err := o.stream.WriteFrame(f); err != nil {
		return errStreamClosed
	}
	return nil
}

// videoInfo describes a rendition from its first keyframe.
func videoInfo(f *media.Frame) (*media.VideoInfo, error) {
	v := &media.VideoInfo{Codec: media.H264}
	for _, u := range f.NALUs {
		if len(u) == 0 {
			continue
		}
		switch h264.NALUType(u[0] & 0x1f) {
		case h264.NALUTypeSPS:
			v.SPS = u
		case h264.NALUTypePPS:
			v.PPS = u
		}
	}
	if v.SPS == nil || v.PPS == nil {
		return nil, fmt.Errorf("keyframe without SPS and PPS")
	}
	var sps h264.SPS
	if err := sps.Unmarshal(v.SPS); err != nil {
		return nil, fmt.Errorf("rendition SPS: %w", err)
	}
	v.Width, v.Height = sps.Width(), sps.Height()
	return v, nil
}

func (o *renditionOut) close() {
	o.mu.Lock()
	s := o.stream
	o.mu.Unlock()
	if s != nil {
		s.Close(false)
	}
}
