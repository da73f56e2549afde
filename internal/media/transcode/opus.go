package transcode

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// opusSamples returns how many 48 kHz samples an Opus packet holds, from
// its TOC byte and frame count (RFC 6716 section 3.1).
func opusSamples(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, errors.New("transcode: empty Opus packet")
	}
	toc := p[0]
	cfg := int(toc >> 3)
	var frame int // samples per frame at 48 kHz
	switch {
	case cfg < 12: // SILK: 10, 20, 40, 60 ms
		frame = []int{480, 960, 1920, 2880}[cfg&3]
	case cfg < 16: // hybrid: 10, 20 ms
		frame = []int{480, 960}[cfg&1]
	default: // CELT: 2.5, 5, 10, 20 ms
		frame = []int{120, 240, 480, 960}[cfg&3]
	}
	var frames int
	switch toc & 3 {
	case 0:
		frames = 1
	case 1, 2:
		frames = 2
	default:
		if len(p) < 2 {
			return 0, errors.New("transcode: Opus packet lacks its frame count")
		}
		frames = int(p[1] & 0x3f)
		if frames == 0 {
			return 0, errors.New("transcode: Opus packet with zero frames")
		}
	}
	n := frames * frame
	if n > 5760 { // 120 ms is the most a packet may hold
		return 0, fmt.Errorf("transcode: Opus packet of %d samples is longer than 120 ms", n)
	}
	return n, nil
}

// opusHead is the identification header of an Ogg Opus stream (RFC 7845
// section 5.1): the parts a transcoder needs.
type opusHead struct {
	channels  int
	preSkip   int // samples at 48 kHz the decoder drops at the start
	inputRate int
}

func (h opusHead) marshal() []byte {
	b := make([]byte, 19)
	copy(b, "OpusHead")
	b[8] = 1 // version
	b[9] = byte(h.channels)
	binary.LittleEndian.PutUint16(b[10:], uint16(h.preSkip))
	binary.LittleEndian.PutUint32(b[12:], uint32(h.inputRate))
	// output gain 0, channel mapping family 0 (mono or stereo)
	return b
}

func parseOpusHead(b []byte) (opusHead, error) {
	if len(b) < 19 || string(b[:8]) != "OpusHead" {
		return opusHead{}, errors.New("transcode: not an OpusHead packet")
	}
	if b[8]>>4 != 0 {
		return opusHead{}, fmt.Errorf("transcode: OpusHead version %d is not supported", b[8])
	}
	return opusHead{channels: int(b[9]), preSkip: int(binary.LittleEndian.Uint16(b[10:])),
		inputRate: int(binary.LittleEndian.Uint32(b[12:]))}, nil
}

// opusTags is a minimal comment header (RFC 7845 section 5.2).
func opusTags() []byte {
	const vendor = "liveshop"
	b := make([]byte, 0, 8+4+len(vendor)+4)
	b = append(b, "OpusTags"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(vendor)))
	b = append(b, vendor...)
	return binary.LittleEndian.AppendUint32(b, 0)
}
