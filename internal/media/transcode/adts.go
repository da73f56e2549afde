package transcode

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"github.com/liveshop/liveshop/internal/media"
)

// adtsHeader is the part of an ADTS header that stays the same for every
// frame of a track; ffmpeg's raw AAC demuxer needs it in front of each
// frame because RTMP delivers AAC without framing.
type adtsHeader struct {
	objectType    mpeg4audio.ObjectType
	sampleRate    int // the core (AAC-LC) rate: HE-AAC's SBR is signalled implicitly
	channelConfig uint8
}

// adtsHeaderFor derives the ADTS fields from a track's AudioSpecificConfig,
// or from its sample rate and channels when the config is missing.
func adtsHeaderFor(a *media.AudioInfo) (adtsHeader, error) {
	if len(a.Config) > 0 {
		var c mpeg4audio.AudioSpecificConfig
		if err := c.Unmarshal(a.Config); err != nil {
			return adtsHeader{}, fmt.Errorf("transcode: AAC config: %w", err)
		}
		h := adtsHeader{objectType: c.Type, sampleRate: c.SampleRate, channelConfig: c.ChannelConfig}
		return h, h.check()
	}
	h := adtsHeader{objectType: mpeg4audio.ObjectTypeAACLC, sampleRate: a.SampleRate, channelConfig: uint8(a.Channels)}
	if a.Channels == 8 {
		h.channelConfig = 7
	}
	return h, h.check()
}

func (h adtsHeader) check() error {
	if h.objectType < 1 || h.objectType > 4 {
		return fmt.Errorf("transcode: AAC object type %d cannot be carried in ADTS", h.objectType)
	}
	if _, ok := adtsRateIndex(h.sampleRate); !ok {
		return fmt.Errorf("transcode: AAC sample rate %d cannot be carried in ADTS", h.sampleRate)
	}
	if h.channelConfig > 7 {
		return fmt.Errorf("transcode: AAC channel configuration %d cannot be carried in ADTS", h.channelConfig)
	}
	return nil
}

// adtsRates are the sample rates an ADTS header can name, by index.
var adtsRates = []int{96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350}

func adtsRateIndex(rate int) (int, bool) {
	for i, r := range adtsRates {
		if r == rate {
			return i, true
		}
	}
	return 0, false
}

// maxADTSFrame is the largest frame an ADTS header can describe (13 bits).
const maxADTSFrame = 1<<13 - 1

// frame returns au with the 7-byte ADTS header (no CRC) in front.
func (h adtsHeader) frame(au []byte) ([]byte, error) {
	n := len(au) + 7
	if n > maxADTSFrame {
		return nil, fmt.Errorf("transcode: AAC frame of %d bytes is too large for ADTS", len(au))
	}
	idx, _ := adtsRateIndex(h.sampleRate)
	const fullness = 0x7ff // variable bitrate
	out := make([]byte, n)
	out[0] = 0xff
	out[1] = 0xf1 // MPEG-4, layer 0, no CRC
	out[2] = byte(h.objectType-1)<<6 | byte(idx)<<2 | h.channelConfig>>2
	out[3] = (h.channelConfig&3)<<6 | byte(n>>11)
	out[4] = byte(n >> 3)
	out[5] = byte(n&7)<<5 | fullness>>6
	out[6] = (fullness & 0x3f) << 2
	copy(out[7:], au)
	return out, nil
}

// adtsFrame is one frame split from an ADTS stream.
type adtsFrame struct {
	header adtsHeader
	au     []byte // raw AAC, header (and CRC) removed
}

// adtsReader splits an ADTS byte stream (ffmpeg's output) into frames.
type adtsReader struct {
	r   *bufio.Reader
	hdr [9]byte
}

func newADTSReader(r io.Reader) *adtsReader { return &adtsReader{r: bufio.NewReaderSize(r, 16<<10)} }

var errADTSSync = errors.New("transcode: ADTS: lost sync")

// next returns the next frame, io.EOF at a clean end of stream, or an
// error when the stream is not ADTS. It never resynchronises: ffmpeg's
// output is either well formed or broken.
func (a *adtsReader) next() (adtsFrame, error) {
	h := a.hdr[:7]
	if _, err := io.ReadFull(a.r, h); err != nil {
		if err == io.ErrUnexpectedEOF {
			return adtsFrame{}, fmt.Errorf("transcode: ADTS: truncated header: %w", err)
		}
		return adtsFrame{}, err
	}
	if h[0] != 0xff || h[1]&0xf0 != 0xf0 {
		return adtsFrame{}, errADTSSync
	}
	crc := h[1]&1 == 0
	idx := int(h[2]>>2) & 0xf
	if idx >= len(adtsRates) {
		return adtsFrame{}, fmt.Errorf("transcode: ADTS: bad sample rate index %d", idx)
	}
	if h[6]&3 != 0 {
		return adtsFrame{}, fmt.Errorf("transcode: ADTS: %d raw data blocks per frame are not supported", h[6]&3+1)
	}
	hdr := adtsHeader{
		objectType:    mpeg4audio.ObjectType(h[2]>>6 + 1),
		sampleRate:    adtsRates[idx],
		channelConfig: (h[2]&1)<<2 | h[3]>>6,
	}
	n := int(h[3]&3)<<11 | int(h[4])<<3 | int(h[5]>>5)
	head := 7
	if crc {
		head = 9
	}
	if n <= head {
		return adtsFrame{}, fmt.Errorf("transcode: ADTS: bad frame length %d", n)
	}
	buf := make([]byte, n-7)
	if _, err := io.ReadFull(a.r, buf); err != nil {
		return adtsFrame{}, fmt.Errorf("transcode: ADTS: truncated frame: %w", noEOF(err))
	}
	return adtsFrame{header: hdr, au: buf[head-7:]}, nil
}

// config is the AudioSpecificConfig of a track whose frames carry h.
func (h adtsHeader) config() ([]byte, error) {
	c := mpeg4audio.AudioSpecificConfig{Type: h.objectType, SampleRate: h.sampleRate, ChannelConfig: h.channelConfig}
	return c.Marshal()
}

// noEOF turns an EOF in the middle of a unit into ErrUnexpectedEOF.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
