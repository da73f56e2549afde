package transcode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/liveshop/liveshop/internal/media"
)

// maxCrashes is how many times a stream's ffmpeg may fail in a row before
// the stream goes without the derived track; a run that lasted longer
// than crashForgiven resets the count.
const (
	maxCrashes    = 3
	crashForgiven = time.Minute
)

// readerQueue bounds the transcoder's backlog in frames (video frames
// pass through it too and are skipped): about two seconds of media.
const readerQueue = 256

// audioJob transcodes one stream's audio into a derived track for as long
// as the stream lasts, restarting ffmpeg when it fails.
type audioJob struct {
	ffmpeg string
	route  audioRoute
	stream *media.Stream
	src    *media.AudioInfo
	log    *slog.Logger

	// lastPTS keeps the derived track monotonic across restarts.
	lastPTS time.Duration
	wrote   bool
}

// errStreamClosed ends a run because the stream it writes to is gone.
var errStreamClosed = errors.New("transcode: stream closed")

func (j *audioJob) run(ctx context.Context, r *media.Reader) {
	crashes := 0
	for {
		started := time.Now()
		err := j.runOnce(ctx, r)
		if err == nil || ctx.Err() != nil {
			return
		}
		if time.Since(started) > crashForgiven {
			crashes = 0
		}
		crashes++
		if crashes >= maxCrashes {
			j.log.Error("audio transcoder gave up", "route", j.route.name, "err", err)
			j.stream.SetNote("the audio transcoder failed: " + j.route.missing)
			return
		}
		if crashes == 1 {
			j.log.Warn("audio transcoder failed; restarting", "route", j.route.name, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(crashes) * 500 * time.Millisecond):
		}
	}
}

// runOnce runs one ffmpeg until the stream ends (nil) or ffmpeg fails.
func (j *audioJob) runOnce(ctx context.Context, r *media.Reader) error {
	p, err := startProcess(ctx, j.ffmpeg, j.route.args, 0)
	if err != nil {
		return err
	}
	tl := &timeline{}
	in, err := j.route.input(p.stdin, j.src)
	if err != nil {
		p.stop()
		return fmt.Errorf("transcode: %s: %w", j.route.name, err)
	}
	fctx, cancel := context.WithCancel(ctx)
	fed := make(chan error, 1)
	go func() { fed <- j.feed(fctx, r, in, tl) }()

	outErr := j.drain(j.route.output(p.stdout), tl)
	cancel()
	p.stop()
	feedErr := <-fed

	switch {
	case ctx.Err() != nil, errors.Is(outErr, errStreamClosed), errors.Is(feedErr, io.EOF):
		return nil // the stream ended
	case outErr == io.EOF:
		return fmt.Errorf("transcode: %s: ffmpeg %s", j.route.name, p.describe())
	default:
		return fmt.Errorf("transcode: %s: read ffmpeg output: %w (ffmpeg %s)", j.route.name, outErr, p.describe())
	}
}

// feed copies the publisher's audio to ffmpeg until the reader ends
// (io.EOF), ctx is cancelled or ffmpeg stops reading.
func (j *audioJob) feed(ctx context.Context, r *media.Reader, in audioInput, tl *timeline) error {
	for {
		f, err := r.Read(ctx)
		if err != nil {
			return err
		}
		if f.Derived || f.Codec != j.src.Codec {
			continue
		}
		if err := in.write(f, tl); err != nil {
			return fmt.Errorf("transcode: write to ffmpeg: %w", err)
		}
	}
}

// drain writes ffmpeg's packets into the stream as derived frames.
func (j *audioJob) drain(out audioOutput, tl *timeline) error {
	for {
		pkt, pos, n, err := out.next()
		if err != nil {
			return err
		}
		pts, ingest, ok := tl.at(pos)
		if !ok || pts < 0 || (j.wrote && pts <= j.lastPTS) {
			continue // priming before the stream's start, or overlap after a restart
		}
		j.lastPTS, j.wrote = pts, true
		f := &media.Frame{Codec: j.route.to, PTS: pts, DTS: pts, Payload: pkt, Samples: n, Ingest: ingest, Derived: true}
		if err := j.stream.WriteFrame(f); err != nil {
			return errStreamClosed
		}
	}
}
