// Package transcode runs ffmpeg beside live streams so every viewer can
// hear and see them: AAC from RTMP publishers becomes Opus for WebRTC
// viewers, Opus from WHIP publishers becomes AAC for HLS viewers and the
// recording, and with ABR on the video is scaled into renditions for
// adaptive HLS. Each job is an ffmpeg subprocess fed through stdin and
// read through stdout; it reads the stream like a viewer with a bounded
// queue, so a slow or broken ffmpeg never holds the publisher back.
//
// Lifecycle: New registers the service with the hub; a job starts with
// each stream and ends with it (ffmpeg is killed and reaped); Close ends
// every job and waits for them.
package transcode

import (
	"context"
	"log/slog"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/media"
)

// Transcoder is the protocol of the transcoder's readers; it is not a
// viewer protocol, so Stream.Viewers does not count it.
const Transcoder media.Protocol = "transcode"

// Options tune the service.
type Options struct {
	// ABR turns on video renditions for adaptive HLS.
	ABR bool
	// Renditions override the default ladder (720p, 480p, 360p).
	Renditions []Rendition
}

// Service starts transcoders for the hub's streams.
type Service struct {
	hub    *media.Hub
	ffmpeg string // resolved path; empty when ffmpeg is missing
	log    *slog.Logger
	opts   Options
	// encoders says which ffmpeg encoders this build has.
	encoders map[string]bool
	warnings []string

	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// New returns a service using the ffmpeg at path (looked up in PATH when
// it has no slash; "ffmpeg" when empty) and registers it with hub. A
// missing ffmpeg is not an error: streams then run without derived
// tracks, with a note saying so, and Warnings tells the host console.
func New(hub *media.Hub, path string, log *slog.Logger, opts Options) *Service {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Service{hub: hub, log: log.With("component", "transcode"), opts: opts, ctx: ctx, cancel: cancel}
	if len(s.opts.Renditions) == 0 {
		s.opts.Renditions = DefaultRenditions
	}
	if path == "" {
		path = "ffmpeg"
	}
	if resolved, err := exec.LookPath(path); err != nil {
		w := "ffmpeg is not installed: WebRTC viewers will not hear RTMP publishers' AAC audio and HLS viewers will not hear WHIP publishers' Opus audio"
		if opts.ABR {
			w += "; there are no ABR renditions"
		}
		s.warnings = append(s.warnings, w)
		s.log.Warn(w, "path", path, "err", err)
	} else {
		s.ffmpeg = resolved
		s.encoders = probeEncoders(resolved)
		for _, enc := range []string{"libopus", "aac"} {
			if !s.encoders[enc] {
				s.warnings = append(s.warnings, "ffmpeg lacks the "+enc+" encoder: audio is not transcoded to "+strings.TrimPrefix(enc, "lib"))
			}
		}
		if opts.ABR && !s.encoders["libx264"] {
			s.warnings = append(s.warnings, "ffmpeg lacks the libx264 encoder: there are no ABR renditions")
		}
	}
	hub.OnStream(s.attach)
	return s
}

// Available reports whether ffmpeg was found.
func (s *Service) Available() bool { return s.ffmpeg != "" }

// Warnings lists what hosts should know about this node's transcoding
// (shown in the studio console); empty when all is well.
func (s *Service) Warnings() []string { return append([]string(nil), s.warnings...) }

// Close stops every transcoder and waits for them; streams keep going
// without their derived tracks.
func (s *Service) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
}

// attach runs a stream's transcoders until the stream ends; the hub calls
// it in its own goroutine.
func (s *Service) attach(st *media.Stream) {
	if st.Parent() != nil {
		return // a rendition: its parent's transcoders made it
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	go func() {
		select {
		case <-st.Done():
			cancel()
		case <-ctx.Done():
		}
	}()

	var jobs sync.WaitGroup
	log := s.log.With("room", st.RoomID)
	t := st.Tracks()
	if route, ok := s.audioRoute(t.Audio); ok {
		if reason := s.cannot(route.encoder); reason != "" {
			log.Warn(reason+": "+route.missing, "route", route.name)
			st.SetNote(reason + ": " + route.missing)
		} else if out, err := route.out(); err != nil {
			log.Error("audio transcoder", "route", route.name, "err", err)
		} else {
			j := &audioJob{ffmpeg: s.ffmpeg, route: route, stream: st, src: t.Audio, log: log}
			r := st.Subscribe(Transcoder, readerQueue, false)
			st.AddAudio(out)
			jobs.Go(func() {
				defer r.Close()
				j.run(ctx, r)
			})
		}
	}
	if s.opts.ABR && t.Video != nil {
		if reason := s.cannot("libx264"); reason != "" {
			log.Warn(reason + ": no ABR renditions")
			st.SetNote(reason + ": viewers get the original quality only")
		} else {
			jobs.Go(func() { s.runRenditions(ctx, st, log) })
		}
	}
	jobs.Wait()
}

// audioRoute picks the transcoding a publisher's audio needs.
func (s *Service) audioRoute(a *media.AudioInfo) (audioRoute, bool) {
	switch {
	case a == nil:
		return audioRoute{}, false
	case a.Codec == media.AAC:
		return aacToOpus, true
	case a.Codec == media.Opus:
		return opusToAAC, true
	}
	return audioRoute{}, false
}

// cannot says why encoder cannot run here, or "".
func (s *Service) cannot(encoder string) string {
	switch {
	case s.ffmpeg == "":
		return "ffmpeg is not installed"
	case !s.encoders[encoder]:
		return "ffmpeg lacks the " + encoder + " encoder"
	}
	return ""
}

// probeEncoders lists the encoders ffmpeg was built with. When the list
// cannot be had, every encoder is assumed present: a job that then fails
// says so itself.
func probeEncoders(ffmpeg string) map[string]bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, ffmpeg, "-hide_banner", "-encoders").Output()
	all := map[string]bool{"libopus": true, "aac": true, "libx264": true}
	if err != nil {
		return all
	}
	found := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && len(f[0]) == 6 {
			found[f[1]] = true
		}
	}
	return found
}
