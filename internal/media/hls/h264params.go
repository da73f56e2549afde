package hls

import (
	"bytes"
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"

	"github.com/liveshop/liveshop/internal/media"
)

// parametersOf returns the SPS and PPS that keyframe f carries (ingest
// guarantees both on every keyframe), or nil.
func parametersOf(f *media.Frame) *media.VideoInfo {
	var sps, pps []byte
	for _, u := range f.NALUs {
		if len(u) == 0 {
			continue
		}
		switch h264.NALUType(u[0] & 0x1f) {
		case h264.NALUTypeSPS:
			sps = u
		case h264.NALUTypePPS:
			pps = u
		}
	}
	if sps == nil || pps == nil {
		return nil
	}
	return &media.VideoInfo{Codec: media.H264, SPS: sps, PPS: pps}
}

// parametersChanged reports whether keyframe f carries an SPS or PPS
// other than v's: the picture changed (size, profile) and a new init
// segment is needed.
func parametersChanged(v *media.VideoInfo, f *media.Frame) bool {
	p := parametersOf(f)
	return p != nil && (!bytes.Equal(p.SPS, v.SPS) || !bytes.Equal(p.PPS, v.PPS))
}

// avcc encodes an access unit as length-prefixed NAL units, the form
// MP4 samples carry.
func avcc(nalus [][]byte) ([]byte, error) {
	b, err := h264.AVCC(nalus).Marshal()
	if err != nil {
		return nil, fmt.Errorf("hls: encode access unit: %w", err)
	}
	return b, nil
}
