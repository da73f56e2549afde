package transcode

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/liveshop/liveshop/internal/media"
)

// opusSamples is media.OpusSamples with an error for a malformed packet.
func opusSamples(p []byte) (int, error) {
	n := media.OpusSamples(p)
	if n == 0 {
		return 0, errors.New("transcode: malformed Opus packet")
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
