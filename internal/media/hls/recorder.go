package hls

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4/seekablebuffer"
	mp4codecs "github.com/bluenviron/mediacommon/v2/pkg/formats/mp4/codecs"

	"github.com/liveshop/liveshop/internal/media"
)

// Recording segments are cut at the first keyframe at least
// recSegmentDuration after the segment's start (by time alone for audio),
// or once a segment holds maxSegmentBytes, so that a publisher that never
// sends a keyframe cannot grow memory without end.
const (
	recSegmentDuration = 2 * time.Second
	maxSegmentBytes    = 64 << 20
)

// recorder writes one room's recording: fMP4 init and media segments and
// a playlist, in dir. A recording has one generation per publisher
// connection (and per change of picture parameters): each has its own
// init segment and follows the previous one on one continuous timeline,
// with a discontinuity between them in the playlist.
type recorder struct {
	dir    string
	roomID string
	log    *slog.Logger
	errs   *errorLog

	mu        sync.Mutex
	loaded    bool
	pl        recPlaylist
	timeline  time.Duration // where the recording ends (the next generation starts)
	nextSeg   int
	nextGen   int
	gen       *generation
	finalised bool
}

func newRecorder(dir, roomID string, log *slog.Logger) *recorder {
	log = log.With("room", roomID)
	return &recorder{dir: dir, roomID: roomID, log: log, errs: newErrorLog(log, "hls: record")}
}

// generation is the part of a recording made from one publisher
// connection. Times are recording times: the generation's source
// timestamp origin maps to offset.
type generation struct {
	id         int
	init       string
	streamDone <-chan struct{}
	done       chan struct{} // closed when the generation has been flushed
	video      *media.VideoInfo
	audio      *audioTrack
	videoID    int
	audioID    int
	origin     time.Duration
	offset     time.Duration

	seg          openSegment
	pending      *videoSample // the latest video frame, until the next one tells its duration
	videoStep    int64        // the last video frame interval, for the final frame
	audioNext    int64
	audioStarted bool
	pos          time.Duration // recording time reached by the latest frame
}

type videoSample struct {
	dts    int64
	sample *fmp4.Sample
}

// openSegment is the segment being collected.
type openSegment struct {
	start     time.Duration
	video     []*fmp4.Sample
	videoBase int64
	audio     []*fmp4.Sample
	audioBase int64
	bytes     int
}

func (g *generation) recTime(src time.Duration) time.Duration { return g.offset + src - g.origin }

// load reads back what an earlier process recorded for this room, so a
// session that continues after a restart appends to it; called with
// r.mu held.
func (r *recorder) load() {
	if r.loaded {
		return
	}
	r.loaded, r.nextSeg, r.nextGen = true, 1, 1
	data, err := os.ReadFile(filepath.Join(r.dir, playlistName))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		r.log.Warn("hls: read recording playlist; starting a new one", "err", err)
	default:
		pl, err := parseRecPlaylist(data)
		if err != nil {
			r.log.Warn("hls: unreadable recording playlist; starting a new one, old segments stay on disk", "err", err)
			break
		}
		if pl.Ended {
			r.log.Warn("hls: appending to a finalised recording")
			pl.Ended = false
		}
		r.pl, r.timeline = pl, pl.duration()
		r.nextSeg, r.nextGen = pl.nextNumbers()
	}
	// Never reuse a name that is on disk, even one the playlist lost.
	entries, _ := os.ReadDir(r.dir)
	for _, e := range entries {
		var n int
		switch {
		case segmentName.MatchString(e.Name()):
			fmt.Sscanf(e.Name(), "seg-%d.m4s", &n)
			r.nextSeg = max(r.nextSeg, n+1)
		case initName.MatchString(e.Name()):
			fmt.Sscanf(e.Name(), "init-%d.mp4", &n)
			r.nextGen = max(r.nextGen, n+1)
		}
	}
}

// start begins a generation for st whose first frame has source time
// origin; it returns nil once the recording has been finalised.
func (r *recorder) start(st *media.Stream, video *media.VideoInfo, audio *media.AudioInfo, origin time.Duration) (*generation, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.finalised {
		return nil, nil
	}
	r.load()
	if r.gen != nil {
		r.endLocked() // the previous connection's packager is still draining
	}
	return r.startLocked(st.Done(), video, audio, origin)
}

// startLocked begins a generation; called with r.mu held.
func (r *recorder) startLocked(streamDone <-chan struct{}, video *media.VideoInfo, audio *media.AudioInfo, origin time.Duration) (*generation, error) {
	g := &generation{id: r.nextGen, init: initFile(r.nextGen), streamDone: streamDone, done: make(chan struct{}),
		origin: origin, offset: r.timeline, pos: r.timeline}
	g.seg.start = g.offset
	var init fmp4.Init
	if videoReady(video) {
		g.video = video
		g.videoID = len(init.Tracks) + 1
		init.Tracks = append(init.Tracks, &fmp4.InitTrack{ID: g.videoID, TimeScale: videoClockRate,
			Codec: &mp4codecs.H264{SPS: video.SPS, PPS: video.PPS}})
	}
	if audio != nil {
		a, err := newAudioTrack(audio)
		if err != nil {
			return nil, err
		}
		g.audio = a
		g.audioID = len(init.Tracks) + 1
		var c mp4codecs.Codec = &mp4codecs.Opus{ChannelCount: opusChannels(audio)}
		if audio.Codec == media.AAC {
			c = &mp4codecs.MPEG4Audio{Config: a.aac}
		}
		init.Tracks = append(init.Tracks, &fmp4.InitTrack{ID: g.audioID, TimeScale: uint32(a.clockRate()), Codec: c})
	}
	if len(init.Tracks) == 0 {
		return nil, errors.New("hls: nothing to record")
	}
	var buf seekablebuffer.Buffer
	if err := init.Marshal(&buf); err != nil {
		return nil, fmt.Errorf("hls: init segment: %w", err)
	}
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		return nil, fmt.Errorf("hls: recording directory: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(r.dir, g.init), buf.Bytes()); err != nil {
		return nil, err
	}
	r.nextGen++
	r.gen = g
	r.log.Info("hls: recording generation started", "generation", g.id, "at", g.offset)
	return g, nil
}

// write adds f to generation g and returns the generation that goes on
// (a new one when the picture parameters changed), or nil once g is over.
func (r *recorder) write(g *generation, f *media.Frame) *generation {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gen != g || g == nil {
		return nil
	}
	switch {
	case f.Codec.Video():
		if g.video == nil {
			return g
		}
		if f.Key && parametersChanged(g.video, f) {
			return r.restartLocked(g, f)
		}
		r.writeVideo(g, f)
	case g.audio != nil && f.Codec == g.audio.info.Codec:
		r.writeAudio(g, f)
	}
	return g
}

// restartLocked ends g and starts a generation with the new picture
// parameters carried by keyframe f.
func (r *recorder) restartLocked(g *generation, f *media.Frame) *generation {
	r.endLocked()
	v := parametersOf(f)
	var a *media.AudioInfo
	if g.audio != nil {
		a = g.audio.info
	}
	ng, err := r.startLocked(g.streamDone, v, a, f.DTS)
	if err != nil {
		r.errs.log(err)
		return nil
	}
	r.writeVideo(ng, f)
	return ng
}

func (r *recorder) writeVideo(g *generation, f *media.Frame) {
	dts := ticks(g.recTime(f.DTS), videoClockRate)
	if g.pending != nil && dts <= g.pending.dts {
		dts = g.pending.dts + 1 // keep decode order strictly increasing
	}
	payload, err := avcc(f.NALUs)
	if err != nil {
		r.errs.log(err)
		return
	}
	if p := g.pending; p != nil {
		g.videoStep = dts - p.dts
		p.sample.Duration = uint32(g.videoStep)
		if len(g.seg.video) == 0 {
			g.seg.videoBase = p.dts
		}
		g.seg.video = append(g.seg.video, p.sample)
		g.seg.bytes += len(p.sample.Payload)
		if (f.Key && fromTicks(dts, videoClockRate)-g.seg.start >= recSegmentDuration-keyframeSlack) || g.seg.bytes >= maxSegmentBytes {
			r.flush(g, fromTicks(dts, videoClockRate))
		}
	}
	g.pending = &videoSample{dts: dts, sample: &fmp4.Sample{PTSOffset: int32(ticks(g.recTime(f.PTS), videoClockRate) - dts),
		IsNonSyncSample: !f.Key, Payload: payload}}
	g.pos = max(g.pos, fromTicks(dts, videoClockRate))
}

func (r *recorder) writeAudio(g *generation, f *media.Frame) {
	at := g.recTime(f.PTS)
	if at < g.offset {
		return // before the generation's first picture
	}
	rate := g.audio.clockRate()
	t, n := ticks(at, rate), g.audio.samples(f)
	switch {
	case !g.audioStarted:
		g.audioNext, g.audioStarted = t, true
	case t-g.audioNext > ticks(resyncAfter, rate):
		// A gap in the audio: stretch the last sample over it, so the
		// track stays contiguous and later samples keep their time.
		if k := len(g.seg.audio); k > 0 {
			g.seg.audio[k-1].Duration += uint32(t - g.audioNext)
		}
		g.audioNext = t
	}
	ts := g.audioNext
	g.audioNext += n
	if g.video == nil && len(g.seg.audio) > 0 && fromTicks(ts, rate)-g.seg.start >= recSegmentDuration {
		r.flush(g, fromTicks(ts, rate))
	}
	if len(g.seg.audio) == 0 {
		g.seg.audioBase = ts
	}
	g.seg.audio = append(g.seg.audio, &fmp4.Sample{Duration: uint32(n), Payload: f.Payload})
	g.seg.bytes += len(f.Payload)
	g.pos = max(g.pos, fromTicks(ts+n, rate))
}

// flush writes the open segment, which ends at recording time end, and
// the playlist; called with r.mu held.
func (r *recorder) flush(g *generation, end time.Duration) {
	seg := g.seg
	g.seg = openSegment{start: end}
	if len(seg.video) == 0 && len(seg.audio) == 0 {
		return
	}
	dur := end - seg.start
	if dur < time.Millisecond {
		dur = time.Millisecond
	}
	part := fmp4.Part{SequenceNumber: uint32(r.nextSeg)}
	if len(seg.video) > 0 {
		part.Tracks = append(part.Tracks, &fmp4.PartTrack{ID: g.videoID, BaseTime: uint64(seg.videoBase), Samples: seg.video})
	}
	if len(seg.audio) > 0 {
		part.Tracks = append(part.Tracks, &fmp4.PartTrack{ID: g.audioID, BaseTime: uint64(seg.audioBase), Samples: seg.audio})
	}
	var buf seekablebuffer.Buffer
	if err := part.Marshal(&buf); err != nil {
		r.errs.log(fmt.Errorf("hls: segment: %w", err))
		return
	}
	name := segmentFile(r.nextSeg)
	if err := writeFileAtomic(filepath.Join(r.dir, name), buf.Bytes()); err != nil {
		r.errs.log(err)
		return
	}
	r.nextSeg++
	r.pl.Segments = append(r.pl.Segments, recSegment{Duration: dur, Name: name, Init: g.init})
	r.timeline = end
	if err := r.writePlaylist(); err != nil {
		r.errs.log(err)
	}
}

func (r *recorder) writePlaylist() error {
	return writeFileAtomic(filepath.Join(r.dir, playlistName), r.pl.marshal())
}

// end flushes generation g when its publisher has gone.
func (r *recorder) end(g *generation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gen == g && g != nil {
		r.endLocked()
	}
}

// endLocked flushes the current generation; called with r.mu held.
func (r *recorder) endLocked() {
	g := r.gen
	end := g.seg.start
	if p := g.pending; p != nil {
		step := g.videoStep
		if step <= 0 {
			step = videoClockRate / 25
		}
		p.sample.Duration = uint32(step)
		if len(g.seg.video) == 0 {
			g.seg.videoBase = p.dts
		}
		g.seg.video = append(g.seg.video, p.sample)
		g.pending = nil
		end = fromTicks(p.dts+step, videoClockRate)
	} else if g.audioStarted {
		end = max(end, fromTicks(g.audioNext, g.audio.clockRate()))
	}
	r.flush(g, end)
	r.gen = nil
	close(g.done)
	r.log.Info("hls: recording generation ended", "generation", g.id, "recorded", r.timeline)
}

// position is how far the recording has got: where a moment marked now
// will be in the replay.
func (r *recorder) position() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gen != nil {
		return r.gen.pos
	}
	r.load()
	return r.timeline
}
