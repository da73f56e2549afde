package hls

import (
	"context"
	"fmt"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/opus"

	"github.com/liveshop/liveshop/internal/media"
)

// videoClockRate is the MPEG time base every H.264 track uses in HLS.
const videoClockRate = 90000

// ticks converts d to units of rate per second, rounding to the nearest
// tick so that timestamps made from sample counts convert back exactly.
func ticks(d time.Duration, rate int) int64 {
	n := int64(d) * int64(rate)
	if n >= 0 {
		return (n + int64(time.Second)/2) / int64(time.Second)
	}
	return (n - int64(time.Second)/2) / int64(time.Second)
}

// fromTicks converts t units of rate per second to a duration.
func fromTicks(t int64, rate int) time.Duration {
	return time.Duration(t * int64(time.Second) / int64(rate))
}

// audioTrack is the audio a packager takes from a stream: AAC when there
// is any (the publisher's or a transcoder's), else Opus.
type audioTrack struct {
	info *media.AudioInfo
	// aac is the parsed AudioSpecificConfig when info.Codec is AAC.
	aac mpeg4audio.AudioSpecificConfig
}

// clockRate is the track's time base: the sample rate for AAC, 48 kHz
// for Opus (RFC 7845).
func (a *audioTrack) clockRate() int {
	if a.info.Codec == media.AAC {
		return a.aac.SampleRate
	}
	return 48000
}

// samples is the number of samples per channel in f, in clockRate units.
func (a *audioTrack) samples(f *media.Frame) int64 {
	if f.Samples > 0 {
		// Opus counts samples at 48 kHz whatever rate it was coded at.
		return int64(f.Samples)
	}
	if a.info.Codec == media.Opus {
		if n := opus.PacketDuration2(f.Payload); n > 0 {
			return n
		}
		return 960
	}
	return mpeg4audio.SamplesPerAccessUnit
}

// newAudioTrack checks info and parses what the containers need from it.
func newAudioTrack(info *media.AudioInfo) (*audioTrack, error) {
	a := &audioTrack{info: info}
	switch info.Codec {
	case media.AAC:
		if len(info.Config) > 0 {
			if err := a.aac.Unmarshal(info.Config); err != nil {
				return nil, fmt.Errorf("hls: AAC config: %w", err)
			}
		} else {
			// No AudioSpecificConfig was given: assume AAC-LC with the
			// declared rate and channels, which is what encoders send.
			a.aac = mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC,
				SampleRate: info.SampleRate, ChannelConfig: uint8(info.Channels)}
		}
		if a.aac.SampleRate <= 0 {
			return nil, fmt.Errorf("hls: AAC track without a sample rate")
		}
	case media.Opus:
	default:
		return nil, fmt.Errorf("hls: audio codec %s cannot be packaged", info.Codec)
	}
	return a, nil
}

// opusChannels is the channel count to declare for an Opus track.
func opusChannels(info *media.AudioInfo) int {
	if info.Channels > 0 {
		return info.Channels
	}
	return 2
}

// pollInterval is how often a packager looks for a track to appear.
const pollInterval = 25 * time.Millisecond

// chooseAudio picks the audio to package: AAC if the stream has it, else,
// when the publisher sends Opus, AAC from a transcoder if one appears
// within wait (hls.js on Safari and most TVs play AAC only), else Opus.
// It returns nil for a stream without audio.
func chooseAudio(ctx context.Context, s *media.Stream, wait time.Duration) *media.AudioInfo {
	if a := s.Audio(media.AAC); a != nil {
		return a
	}
	own := s.Tracks().Audio
	if own == nil {
		return nil
	}
	if own.Codec == media.Opus && wait > 0 {
		t := time.NewTicker(pollInterval)
		defer t.Stop()
		deadline := time.NewTimer(wait)
		defer deadline.Stop()
	poll:
		for {
			select {
			case <-t.C:
				if a := s.Audio(media.AAC); a != nil {
					return a
				}
			case <-deadline.C:
				break poll
			case <-s.Done():
				break poll
			case <-ctx.Done():
				break poll
			}
		}
	}
	return s.Audio(media.AAC, media.Opus)
}

// audioClock stamps audio frames. Sample durations must be exact for
// players to keep sound and picture together, but ingest timestamps are
// often rounded to milliseconds (RTMP); so the clock counts samples and
// only jumps to the frame's own timestamp when that is ahead by more
// than resyncAfter (a gap in the audio). It never goes back: a frame
// stamped earlier than the count is taken to follow on, so timestamps
// only ever grow, as fMP4 needs.
type audioClock struct {
	rate    int
	next    int64
	started bool
}

// resyncAfter is how far frame timestamps may run ahead of the sample
// count before the clock jumps to them.
const resyncAfter = 60 * time.Millisecond

// stamp returns the timestamp of a frame presented at pts that lasts n
// samples, in units of the clock's rate.
func (c *audioClock) stamp(pts time.Duration, n int64) int64 {
	t := ticks(pts, c.rate)
	if !c.started || t-c.next > ticks(resyncAfter, c.rate) {
		c.next, c.started = t, true
	}
	out := c.next
	c.next += n
	return out
}

// startFrame reports whether f is where packaging can begin: the first
// video keyframe, or any audio frame of an audio-only stream.
func startFrame(s *media.Stream, f *media.Frame) bool {
	if f.Codec.Video() {
		return f.Key
	}
	return s.Tracks().Video == nil
}

// videoReady reports whether the stream's video track has what a
// container's init segment needs.
func videoReady(v *media.VideoInfo) bool {
	return v != nil && len(v.SPS) > 0 && len(v.PPS) > 0
}
