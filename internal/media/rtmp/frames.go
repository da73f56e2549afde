package rtmp

import (
	"errors"
	"fmt"
	"time"

	"github.com/abema/go-mp4"
	"github.com/bluenviron/gortmplib/pkg/message"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/opus"

	"github.com/liveshop/liveshop/internal/media"
)

// converter turns one publisher's RTMP media messages into media.Frames.
// It is used by one goroutine. Message bodies are freshly allocated by
// gortmplib for every chunk, so frames may point into them without a copy.
type converter struct {
	now func() time.Time
	// video and audio are the tracks the stream was published with;
	// messages of any other track or codec are dropped.
	video      bool
	audio      media.Codec
	aacSamples int

	// sps and pps are the latest parameter sets, from the sequence header
	// or in-band, prepended to keyframes that lack them.
	sps, pps []byte

	base    time.Duration // RTMP timestamp of the first frame
	started bool
}

func newConverter(t media.Tracks, aacSamples int, now func() time.Time) *converter {
	c := &converter{now: now, video: t.Video != nil, aacSamples: aacSamples}
	if t.Video != nil {
		c.sps, c.pps = t.Video.SPS, t.Video.PPS
	}
	if t.Audio != nil {
		c.audio = t.Audio.Codec
	}
	if c.aacSamples == 0 {
		c.aacSamples = 1024
	}
	return c
}

// frame converts msg. It returns nil for messages that carry no frame
// (headers, metadata, control, tracks we do not ingest).
func (c *converter) frame(msg message.Message) (*media.Frame, error) {
	switch m := msg.(type) {
	case *message.Video:
		if m.Codec != message.CodecH264 {
			return nil, nil
		}
		switch m.Type {
		case message.VideoTypeConfig:
			c.learnConfig(m.AVCConfig)
		case message.VideoTypeAU:
			return c.h264(m.DTS, m.PTSDelta, m.AU)
		}
	case *message.VideoExSequenceStart:
		if m.FourCC == message.FourCCAVC {
			c.learnConfig(m.AVCConfig)
		}
	case *message.VideoExCodedFrames:
		if m.FourCC == message.FourCCAVC {
			return c.h264(m.DTS, m.PTSDelta, m.Payload)
		}
	case *message.VideoExFramesX:
		if m.FourCC == message.FourCCAVC {
			return c.h264(m.DTS, 0, m.Payload)
		}
	case *message.VideoExMultitrack:
		if m.TrackID == 0 {
			return c.frame(m.Wrapped)
		}
	case *message.Audio:
		if m.Codec == message.CodecMPEG4Audio && m.AACType == message.AudioAACTypeAU {
			return c.audioFrame(media.AAC, m.DTS, m.AU), nil
		}
	case *message.AudioExCodedFrames:
		switch m.FourCC {
		case message.FourCCMP4A:
			return c.audioFrame(media.AAC, m.DTS, m.Payload), nil
		case message.FourCCOpus:
			return c.audioFrame(media.Opus, m.DTS, m.Payload), nil
		}
	case *message.AudioExMultitrack:
		if m.TrackID == 0 {
			return c.frame(m.Wrapped)
		}
	}
	return nil, nil
}

// learnConfig keeps the parameter sets of a (possibly repeated) sequence
// header.
func (c *converter) learnConfig(cfg *mp4.AVCDecoderConfiguration) {
	if sps, pps := avcParams(cfg); sps != nil && pps != nil {
		c.sps, c.pps = sps, pps
	}
}

// rel makes an RTMP timestamp relative to the stream's first frame.
func (c *converter) rel(ts time.Duration) time.Duration {
	if !c.started {
		c.base, c.started = ts, true
	}
	return ts - c.base
}

// h264 converts one AVCC access unit. Access unit delimiters are dropped
// (muxers add their own); a keyframe that does not start with SPS and PPS
// gets the current ones in front, so every keyframe decodes on its own.
func (c *converter) h264(dts, ptsDelta time.Duration, avcc []byte) (*media.Frame, error) {
	if !c.video {
		return nil, nil
	}
	var au h264.AVCC
	if err := au.Unmarshal(avcc); err != nil {
		if errors.Is(err, h264.ErrAVCCNoNALUs) {
			return nil, nil
		}
		return nil, fmt.Errorf("rtmp: H.264 access unit: %w", err)
	}
	nalus := make([][]byte, 0, len(au)+2)
	var key bool
	for _, n := range au {
		if len(n) == 0 {
			continue
		}
		switch h264.NALUType(n[0] & 0x1f) {
		case h264.NALUTypeAccessUnitDelimiter:
			continue
		case h264.NALUTypeIDR:
			key = true
		case h264.NALUTypeSPS:
			c.sps = n
		case h264.NALUTypePPS:
			c.pps = n
		}
		nalus = append(nalus, n)
	}
	if len(nalus) == 0 {
		return nil, nil
	}
	if key && !paramsFirst(nalus) {
		if c.sps == nil || c.pps == nil {
			return nil, nil // undecodable until a sequence header arrives
		}
		nalus = withParams(nalus, c.sps, c.pps)
	}
	t := c.rel(dts)
	return &media.Frame{Codec: media.H264, DTS: t, PTS: t + ptsDelta, Key: key, NALUs: nalus, Ingest: c.now()}, nil
}

// paramsFirst reports whether an access unit starts with SPS then PPS.
func paramsFirst(nalus [][]byte) bool {
	return len(nalus) >= 2 && h264.NALUType(nalus[0][0]&0x1f) == h264.NALUTypeSPS &&
		h264.NALUType(nalus[1][0]&0x1f) == h264.NALUTypePPS
}

// withParams puts sps and pps first and drops any lone in-band copy, so the
// order is always SPS, PPS, then the rest.
func withParams(nalus [][]byte, sps, pps []byte) [][]byte {
	out := make([][]byte, 0, len(nalus)+2)
	out = append(out, sps, pps)
	for _, n := range nalus {
		switch h264.NALUType(n[0] & 0x1f) {
		case h264.NALUTypeSPS, h264.NALUTypePPS:
			continue
		}
		out = append(out, n)
	}
	return out
}

func (c *converter) audioFrame(codec media.Codec, dts time.Duration, payload []byte) *media.Frame {
	if codec != c.audio || len(payload) == 0 {
		return nil
	}
	samples := c.aacSamples
	if codec == media.Opus {
		samples = int(opus.PacketDuration2(payload))
	}
	t := c.rel(dts)
	return &media.Frame{Codec: codec, DTS: t, PTS: t, Payload: payload, Samples: samples, Ingest: c.now()}
}
