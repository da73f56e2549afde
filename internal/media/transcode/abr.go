package transcode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts/codecs"

	"github.com/liveshop/liveshop/internal/media"
)

// Rendition is one rung of the ABR ladder.
type Rendition struct {
	// Name is the rendition's stream id suffix: media.RenditionID(room, Name).
	Name string
	// Height is the short side of the picture (the height of landscape
	// video, the width of portrait video).
	Height      int
	BitrateKbps int
}

// DefaultRenditions is the ladder --abr gives; a stream gets the rungs
// smaller than its own picture.
var DefaultRenditions = []Rendition{{"720p", 720, 2500}, {"480p", 480, 1200}, {"360p", 360, 700}}

// abrJob makes a stream's renditions with one ffmpeg: the publisher's
// H.264 goes in as MPEG-TS on stdin, is decoded once, scaled per rung and
// encoded with x264 (ultrafast, zerolatency, keyframes where the source
// has them, so segments line up across renditions); each rung comes back
// as MPEG-TS on its own pipe (fd 3, 4, …) with the source's timestamps.
type abrJob struct {
	ffmpeg string
	hub    *media.Hub
	parent *media.Stream
	log    *slog.Logger
	outs   []*renditionOut
}

// runRenditions runs the stream's renditions until it ends.
func (s *Service) runRenditions(ctx context.Context, st *media.Stream, log *slog.Logger) {
	r := st.Subscribe(Transcoder, 2*readerQueue, true)
	defer r.Close()
	first, err := firstKeyframe(ctx, r)
	if err != nil {
		return
	}
	v := st.Tracks().Video
	short := min(v.Width, v.Height)
	j := &abrJob{ffmpeg: s.ffmpeg, hub: s.hub, parent: st, log: log}
	audio := st.Audio(media.AAC) // the publisher's or the transcoder's
	for _, rung := range s.opts.Renditions {
		if rung.Height < short {
			j.outs = append(j.outs, &renditionOut{rung: rung, audio: audio, portrait: v.Height > v.Width})
		}
	}
	if len(j.outs) == 0 {
		log.Info("no renditions: the picture is no larger than the smallest rung", "width", v.Width, "height", v.Height)
		return
	}
	defer j.closeRenditions()
	crashes := 0
	for {
		started := time.Now()
		err := j.runOnce(ctx, r, first)
		if err == nil || ctx.Err() != nil {
			return
		}
		first = nil
		if time.Since(started) > crashForgiven {
			crashes = 0
		}
		crashes++
		if crashes >= maxCrashes {
			log.Error("renditions gave up", "err", err)
			st.SetNote("the video transcoder failed: viewers get the original quality only")
			return
		}
		if crashes == 1 {
			log.Warn("renditions failed; restarting", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(crashes) * 500 * time.Millisecond):
		}
	}
}

// firstKeyframe skips to the first keyframe, by when the stream knows its
// picture size.
func firstKeyframe(ctx context.Context, r *media.Reader) (*media.Frame, error) {
	for {
		f, err := r.Read(ctx)
		if err != nil {
			return nil, err
		}
		if f.Codec.Video() && f.Key && !f.Derived {
			return f, nil
		}
	}
}

// args is the ffmpeg command line for the job's rungs.
func (j *abrJob) args() []string {
	args := []string{"-hide_banner", "-loglevel", "error", "-nostdin",
		"-probesize", "32", "-analyzeduration", "1", "-fpsprobesize", "0",
		"-f", "mpegts", "-i", "pipe:0", "-copyts"}
	graph := "[0:v]split=" + strconv.Itoa(len(j.outs))
	for i := range j.outs {
		graph += fmt.Sprintf("[s%d]", i)
	}
	for i, o := range j.outs {
		scale := fmt.Sprintf("-2:%d", o.rung.Height)
		if o.portrait {
			scale = fmt.Sprintf("%d:-2", o.rung.Height)
		}
		graph += fmt.Sprintf(";[s%d]scale=%s[o%d]", i, scale, i)
	}
	args = append(args, "-filter_complex", graph)
	for i, o := range j.outs {
		kbps := strconv.Itoa(o.rung.BitrateKbps) + "k"
		args = append(args, "-map", fmt.Sprintf("[o%d]", i),
			"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
			"-b:v", kbps, "-maxrate", kbps, "-bufsize", strconv.Itoa(2*o.rung.BitrateKbps)+"k",
			"-force_key_frames", "source", "-g", "600", "-sc_threshold", "0", "-fps_mode", "passthrough",
			"-f", "mpegts", "-muxdelay", "0", "-muxpreload", "0", "-flush_packets", "1", fmt.Sprintf("pipe:%d", 3+i))
	}
	return args
}

// runOnce runs one ffmpeg until the stream ends (nil) or ffmpeg fails.
func (j *abrJob) runOnce(ctx context.Context, r *media.Reader, first *media.Frame) error {
	p, err := startProcess(ctx, j.ffmpeg, j.args(), len(j.outs))
	if err != nil {
		return err
	}
	for _, o := range j.outs {
		o.restart()
	}
	fctx, cancel := context.WithCancel(ctx)
	fed := make(chan error, 1)
	go func() { fed <- j.feed(fctx, r, p.stdin, first) }()

	var wg sync.WaitGroup
	errs := make([]error, len(j.outs))
	for i, o := range j.outs {
		wg.Go(func() {
			errs[i] = o.read(j.hub, j.parent, p.outputs[i])
			if errs[i] != io.EOF {
				// ffmpeg would block on the pipe nobody reads any more,
				// stalling every rendition: end it to restart cleanly.
				p.cmd.Process.Kill()
			}
		})
	}
	wg.Wait()
	cancel()
	p.stop()
	feedErr := <-fed
	if ctx.Err() != nil || errors.Is(feedErr, io.EOF) {
		return nil
	}
	for _, err := range errs {
		if errors.Is(err, errStreamClosed) {
			return nil
		}
	}
	return fmt.Errorf("transcode: renditions: ffmpeg %s (%v)", p.describe(), errors.Join(errs...))
}

// tsOffset keeps MPEG-TS timestamps positive: a stream's first DTS may be
// below zero, and the PCR runs ahead of the DTS by a tenth of a second.
const tsOffset = 10 * time.Second

func toTS(d time.Duration) int64 { return int64((d + tsOffset) * 90000 / time.Second) }

// feed writes the publisher's video to ffmpeg and queues the audio for
// the renditions.
func (j *abrJob) feed(ctx context.Context, r *media.Reader, stdin io.Writer, first *media.Frame) error {
	track := &mpegts.Track{Codec: &codecs.H264{}}
	w := &mpegts.Writer{W: stdin, Tracks: []*mpegts.Track{track}}
	if err := w.Initialize(); err != nil {
		return fmt.Errorf("transcode: MPEG-TS writer: %w", err)
	}
	needKey := first == nil // after a restart, ffmpeg starts on a keyframe
	f := first
	for {
		if f == nil {
			var err error
			if f, err = r.Read(ctx); err != nil {
				return err
			}
		}
		switch {
		case f.Codec == media.AAC:
			for _, o := range j.outs {
				o.queueAudio(f)
			}
		case f.Codec.Video() && !f.Derived && len(f.NALUs) > 0:
			if needKey && !f.Key {
				break
			}
			needKey = false
			if err := w.WriteH264(track, toTS(f.PTS), toTS(f.DTS), f.NALUs); err != nil {
				return fmt.Errorf("transcode: write to ffmpeg: %w", err)
			}
		}
		f = nil
	}
}

func (j *abrJob) closeRenditions() {
	for _, o := range j.outs {
		o.close()
	}
}
