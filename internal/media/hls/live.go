package hls

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/bluenviron/gohlslib/v2"
	"github.com/bluenviron/gohlslib/v2/pkg/codecs"

	"github.com/liveshop/liveshop/internal/media"
)

// Muxer settings. LL-HLS parts of ~200 ms give players a ~1 s delay
// behind the publisher; the CDN muxer's 2 s segments are what a CDN can
// cache well and what players without LL-HLS expect. Segments end at a
// keyframe, so their length is a whole number of the publisher's GOPs.
const (
	partDuration       = 200 * time.Millisecond
	llSegmentDuration  = time.Second
	cdnSegmentDuration = 2 * time.Second
	// segmentCount is how many segments each muxer keeps; LL-HLS needs
	// at least 7.
	segmentCount = 7
	// keyframeSlack is taken off a segment's minimum length: keyframes
	// meant to be exactly 1 s apart arrive a frame early or late after
	// millisecond rounding (RTMP) or DTS reconstruction, and a segment
	// must not grow by a whole GOP because of that.
	keyframeSlack = 100 * time.Millisecond
)

// liveSession is one stream's pair of muxers as the handlers see it.
type liveSession struct {
	stream *media.Stream
	// ready is closed once the muxers run, or once the stream ended
	// without ever starting them (ll and cdn stay nil then).
	ready   chan struct{}
	ll, cdn *gohlslib.Muxer
	// done is closed when the stream has ended, just before the muxers
	// close (which fails requests blocked in them).
	done chan struct{}
}

func newLiveSession(st *media.Stream) *liveSession {
	return &liveSession{stream: st, ready: make(chan struct{}), done: make(chan struct{})}
}

// readyWait bounds how long a playlist request waits for a stream that
// has not sent its first keyframe yet.
const readyWait = 10 * time.Second

// waitReady waits until the muxers run; it reports false when the stream
// ended first, the wait timed out or the client went away.
func (l *liveSession) waitReady(ctx context.Context) bool {
	t := time.NewTimer(readyWait)
	defer t.Stop()
	select {
	case <-l.ready:
		return l.ll != nil
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}

// closed reports whether the stream has ended.
func (l *liveSession) closed() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}

// livePackager feeds one stream's frames to the LL-HLS and CDN muxers.
type livePackager struct {
	stream     *media.Stream
	muxers     []*gohlslib.Muxer
	videoInfo  *media.VideoInfo // nil for audio-only streams
	audioInfo  *audioTrack      // nil for streams without audio
	audioClock audioClock
	errs       *errorLog
}

// runLive packages the frames of r until its stream ends.
func (s *Service) runLive(sess *liveSession, r *media.Reader) {
	defer r.Close()
	st := sess.stream
	log := s.log.With("room", st.RoomID)
	var p *livePackager
	defer func() {
		close(sess.done)
		if p != nil {
			for _, m := range p.muxers {
				m.Close()
			}
		}
		select {
		case <-sess.ready:
		default:
			close(sess.ready)
		}
	}()
	for {
		f, err := r.Read(context.Background())
		if err != nil {
			if !errors.Is(err, io.EOF) {
				log.Error("hls: read stream", "err", err)
			}
			return
		}
		if p == nil {
			if !startFrame(st, f) {
				continue
			}
			p, err = s.startLive(st)
			if err != nil {
				log.Error("hls: start muxers", "err", err)
				return
			}
			sess.ll, sess.cdn = p.muxers[0], p.muxers[1]
			close(sess.ready)
			go s.logFirstPlaylist(sess, p)
		}
		p.write(f)
	}
}

// startLive creates and starts the two muxers for st's current tracks.
func (s *Service) startLive(st *media.Stream) (*livePackager, error) {
	p := &livePackager{stream: st, errs: newErrorLog(s.log.With("room", st.RoomID), "hls: mux")}
	p.videoInfo = st.Tracks().Video
	if !videoReady(p.videoInfo) {
		p.videoInfo = nil
	}
	if info := chooseAudio(context.Background(), st, s.aacWait); info != nil {
		a, err := newAudioTrack(info)
		if err != nil {
			return nil, err
		}
		p.audioInfo = a
		p.audioClock = audioClock{rate: a.clockRate()}
	}
	if p.videoInfo == nil && p.audioInfo == nil {
		return nil, errors.New("hls: the stream has no video or audio to package")
	}
	for _, v := range []struct {
		variant gohlslib.MuxerVariant
		segment time.Duration
	}{{gohlslib.MuxerVariantLowLatency, llSegmentDuration - keyframeSlack}, {gohlslib.MuxerVariantFMP4, cdnSegmentDuration - keyframeSlack}} {
		m := &gohlslib.Muxer{Tracks: p.newTracks(), Variant: v.variant, SegmentCount: segmentCount,
			SegmentMinDuration: v.segment, PartMinDuration: partDuration, OnEncodeError: p.errs.log}
		if err := m.Start(); err != nil {
			for _, started := range p.muxers {
				started.Close()
			}
			return nil, fmt.Errorf("hls: start muxer: %w", err)
		}
		p.muxers = append(p.muxers, m)
	}
	return p, nil
}

// newTracks returns fresh gohlslib tracks, video first, for one muxer
// (a muxer updates its tracks' codec parameters, so they are not shared).
func (p *livePackager) newTracks() []*gohlslib.Track {
	var out []*gohlslib.Track
	if v := p.videoInfo; v != nil {
		out = append(out, &gohlslib.Track{Codec: &codecs.H264{SPS: v.SPS, PPS: v.PPS}, ClockRate: videoClockRate})
	}
	if a := p.audioInfo; a != nil {
		if a.info.Codec == media.AAC {
			out = append(out, &gohlslib.Track{Codec: &codecs.MPEG4Audio{Config: a.aac}, ClockRate: a.clockRate()})
		} else {
			out = append(out, &gohlslib.Track{Codec: &codecs.Opus{ChannelCount: opusChannels(a.info)}, ClockRate: 48000})
		}
	}
	return out
}

// write hands f to both muxers, converting timestamps to track clocks.
func (p *livePackager) write(f *media.Frame) {
	ntp := p.stream.Started.Add(f.PTS)
	switch {
	case f.Codec.Video():
		if p.videoInfo == nil {
			return
		}
		pts := ticks(f.PTS, videoClockRate)
		for _, m := range p.muxers {
			if err := m.WriteH264(m.Tracks[0], ntp, pts, f.NALUs); err != nil {
				p.errs.log(err)
			}
		}
	case p.audioInfo != nil && f.Codec == p.audioInfo.info.Codec:
		pts := p.audioClock.stamp(f.PTS, p.audioInfo.samples(f))
		for _, m := range p.muxers {
			t := m.Tracks[len(m.Tracks)-1]
			var err error
			if f.Codec == media.AAC {
				err = m.WriteMPEG4Audio(t, ntp, pts, [][]byte{f.Payload})
			} else {
				err = m.WriteOpus(t, ntp, pts, [][]byte{f.Payload})
			}
			if err != nil {
				p.errs.log(err)
			}
		}
	}
}

// logFirstPlaylist logs how long after the publisher started the first
// LL-HLS playlist (with its first parts) could be served: the delay a
// viewer who opens the room at once waits.
func (s *Service) logFirstPlaylist(sess *liveSession, p *livePackager) {
	name := "audio1_stream.m3u8"
	if p.videoInfo != nil {
		name = "video1_stream.m3u8"
	}
	req, err := http.NewRequest(http.MethodGet, "/"+name, nil)
	if err != nil {
		return
	}
	w := newCaptureWriter()
	sess.ll.Handle(w, req) // blocks until the first segment is complete
	if w.status() == http.StatusOK {
		s.log.Info("hls: first LL-HLS playlist ready", "room", sess.stream.RoomID,
			"after_ms", s.now().Sub(sess.stream.Started).Milliseconds())
	}
}
