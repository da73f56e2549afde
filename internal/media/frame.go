// Package media is the live-video engine: a Hub of per-room Streams that
// ingest adapters (RTMP, WHIP) write Frames into and delivery adapters
// (WHEP, LL-HLS, the recorder, transcoders) read from. It knows nothing of
// networks or containers; every adapter speaks in Frames.
package media

import "time"

// Codec names a video or audio codec carried by a Stream.
type Codec string

const (
	H264 Codec = "h264"
	AAC  Codec = "aac"
	Opus Codec = "opus"
)

// Video reports whether c is a video codec.
func (c Codec) Video() bool { return c == H264 }

// Protocol is how a publisher reached us, or how a viewer watches.
type Protocol string

const (
	RTMP Protocol = "rtmp"
	WHIP Protocol = "whip"
	WHEP Protocol = "whep"
	HLS  Protocol = "hls"
)

// Frame is one access unit of one track. Frames are shared by every reader
// and must not be modified after Stream.WriteFrame.
type Frame struct {
	Codec Codec
	// PTS and DTS are relative to the stream's start, on one clock for
	// audio and video. Audio frames have DTS == PTS.
	PTS, DTS time.Duration
	// Key marks an H.264 IDR access unit. Keyframes always carry SPS and
	// PPS NAL units (ingest adds them when the publisher does not).
	Key bool
	// NALUs is an H.264 access unit as NAL units without start codes.
	NALUs [][]byte
	// Payload is one audio access unit: raw AAC (no ADTS header) or one
	// Opus packet.
	Payload []byte
	// Samples is the number of audio samples per channel in Payload (1024
	// for AAC-LC, 960 for 20 ms Opus); 0 when unknown.
	Samples int
	// Ingest is the wall-clock time the ingest adapter read the frame,
	// for latency measurement.
	Ingest time.Time
	// Derived marks a frame made by a transcoder from the publisher's own.
	Derived bool
}

// Size is the number of payload bytes in f.
func (f *Frame) Size() int {
	n := len(f.Payload)
	for _, u := range f.NALUs {
		n += len(u)
	}
	return n
}

// VideoInfo describes a stream's video track.
type VideoInfo struct {
	Codec         Codec
	SPS, PPS      []byte
	Width, Height int
}

// AudioInfo describes an audio track.
type AudioInfo struct {
	Codec Codec
	// Config is the MPEG-4 AudioSpecificConfig for AAC.
	Config     []byte
	SampleRate int
	Channels   int
}

// Tracks is what a publisher sends. Audio is the publisher's own audio;
// transcoders may add an audio track in another codec (see Stream.AddAudio).
type Tracks struct {
	Video *VideoInfo
	Audio *AudioInfo
}
