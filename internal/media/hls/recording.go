package hls

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/liveshop/liveshop/internal/media"
)

// runRecording records the frames of rd into rec until its stream ends.
func (s *Service) runRecording(rec *recorder, rd *media.Reader) {
	defer rd.Close()
	st := rd.Stream()
	var g *generation
	started := false
	for {
		f, err := rd.Read(context.Background())
		if err != nil {
			if !errors.Is(err, io.EOF) {
				rec.log.Error("hls: read stream", "err", err)
			}
			break
		}
		if !started {
			if !startFrame(st, f) {
				continue
			}
			started = true
			video := st.Tracks().Video
			if f.Codec.Video() {
				if p := parametersOf(f); p != nil {
					video = p
				}
			}
			origin := f.DTS
			g, err = rec.start(st, video, chooseAudio(context.Background(), st, s.aacWait), origin)
			if err != nil {
				rec.log.Error("hls: start recording", "err", err)
			}
		}
		if g != nil {
			g = rec.write(g, f)
		}
	}
	rec.end(g)
}

// Position returns how long roomID's recording is so far: the offset in
// the replay of what is being shown now. It reports false when the room
// is not being recorded (no publisher since the last Finalise).
func (s *Service) Position(roomID string) (time.Duration, bool) {
	s.mu.Lock()
	rec := s.recordings[roomID]
	s.mu.Unlock()
	if rec == nil {
		return 0, false
	}
	return rec.position(), true
}

// drainWait bounds how long Finalise waits for the frames a departed
// publisher left queued to be recorded.
const drainWait = 3 * time.Second

// Finalise closes roomID's recording: it flushes what is buffered and
// rewrites the playlist as VOD (EXT-X-PLAYLIST-TYPE:VOD, EXT-X-ENDLIST).
// It reports whether a recording exists. The room service calls it when a
// session ends (End pressed, or the reconnect grace ran out); it also
// finalises a recording left open by an earlier process. A publisher
// still connected is no longer recorded.
func (s *Service) Finalise(ctx context.Context, roomID string) (bool, error) {
	if !validRoomID(roomID) {
		return false, nil
	}
	s.mu.Lock()
	rec := s.recordings[roomID]
	if rec == nil {
		rec = newRecorder(filepath.Join(s.dir, roomID), roomID, s.log)
	}
	s.mu.Unlock()

	ok, err := rec.finalise(ctx)

	s.mu.Lock()
	if s.recordings[roomID] == rec {
		delete(s.recordings, roomID)
	}
	s.mu.Unlock()
	return ok, err
}

// finalise ends the recording for good (see Service.Finalise).
func (r *recorder) finalise(ctx context.Context) (bool, error) {
	r.mu.Lock()
	g := r.gen
	r.mu.Unlock()
	if g != nil {
		select {
		case <-g.streamDone:
			// The publisher is gone: let its packager record what it
			// left queued, then end the generation itself.
			t := time.NewTimer(drainWait)
			select {
			case <-g.done:
			case <-t.C:
			case <-ctx.Done():
			}
			t.Stop()
		default:
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.finalised = true
	if r.gen != nil {
		r.endLocked()
	}
	r.load()
	if len(r.pl.Segments) == 0 {
		return false, nil
	}
	r.pl.Ended = true
	if err := r.writePlaylist(); err != nil {
		r.pl.Ended = false
		return true, fmt.Errorf("hls: finalise %s: %w", r.roomID, err)
	}
	r.log.Info("hls: recording finalised", "segments", len(r.pl.Segments), "duration", r.pl.duration())
	return true, nil
}
