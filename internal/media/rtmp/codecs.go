package rtmp

import (
	"fmt"
	"math"

	"github.com/abema/go-mp4"
	"github.com/bluenviron/gortmplib/pkg/amf0"
	"github.com/bluenviron/gortmplib/pkg/message"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/opus"

	"github.com/liveshop/liveshop/internal/media"
)

// announced is what a publisher's onMetaData says it will send, so that
// ingest can start the moment those tracks' headers are in instead of
// waiting out an analysis period.
type announced struct {
	video, audio bool
	// videoName and audioName name an announced codec we do not take
	// ("H.265"); empty when the codec is acceptable or absent.
	videoName, audioName string
}

// parseMetadata reads an @setDataFrame/onMetaData payload. ok is false for
// any other data message.
func parseMetadata(d amf0.Data) (a announced, ok bool) {
	for i, item := range d {
		if s, isStr := item.(string); !isStr || s != "onMetaData" {
			continue
		}
		if i+1 >= len(d) {
			return announced{}, true
		}
		obj, isObj := objectOf(d[i+1])
		if !isObj {
			return announced{}, true
		}
		if v, has := obj.Get("videocodecid"); has {
			a.video, a.videoName = classifyVideo(v)
		}
		if v, has := obj.Get("audiocodecid"); has {
			a.audio, a.audioName = classifyAudio(v)
		}
		return a, true
	}
	return announced{}, false
}

func objectOf(v any) (amf0.Object, bool) {
	switch o := v.(type) {
	case amf0.Object:
		return o, true
	case amf0.ECMAArray:
		return amf0.Object(o), true
	}
	return nil, false
}

// codecID turns a metadata codec id into a number: legacy FLV ids are small
// numbers, Enhanced RTMP ids are FourCCs sent as a number or as a string.
func codecID(v any) (uint32, bool) {
	switch x := v.(type) {
	case float64:
		if x < 0 || x > math.MaxUint32 || x != math.Trunc(x) {
			return 0, false
		}
		return uint32(x), true
	case string:
		if len(x) != 4 {
			return 0, false
		}
		return uint32(x[0])<<24 | uint32(x[1])<<16 | uint32(x[2])<<8 | uint32(x[3]), true
	}
	return 0, false
}

// classifyVideo reports whether a video track is announced and, when its
// codec is one we refuse, that codec's name.
func classifyVideo(v any) (present bool, refused string) {
	id, ok := codecID(v)
	if !ok {
		return false, "" // unreadable: let the sequence header decide
	}
	switch id {
	case 0:
		return false, ""
	case message.CodecH264, uint32(message.FourCCAVC):
		return true, ""
	case message.CodecH265, uint32(message.FourCCHEVC), fourCC("hev1"):
		return true, "H.265"
	case uint32(message.FourCCAV1):
		return true, "AV1"
	case uint32(message.FourCCVP9):
		return true, "VP9"
	case 2:
		return true, "Sorenson H.263"
	case 3:
		return true, "Screen Video"
	case 4, 5:
		return true, "VP6"
	}
	return true, "" // unknown: let the sequence header decide
}

// classifyAudio is classifyVideo for audio. Id 0 is, strictly, PCM; every
// encoder we know writes 0 (or nothing) for "no audio", so that is how we
// read it.
func classifyAudio(v any) (present bool, refused string) {
	id, ok := codecID(v)
	if !ok {
		return false, ""
	}
	switch id {
	case 0:
		return false, ""
	case message.CodecMPEG4Audio, uint32(message.FourCCMP4A), uint32(message.FourCCOpus):
		return true, ""
	case message.CodecMPEG1Audio, 14, uint32(message.FourCCMP3):
		return true, "MP3"
	case message.CodecPCMA, message.CodecPCMU:
		return true, "G.711"
	case message.CodecLPCM:
		return true, "PCM"
	case 11:
		return true, "Speex"
	case 4, 5, 6:
		return true, "Nellymoser"
	case uint32(message.FourCCAC3):
		return true, "AC-3"
	case uint32(message.FourCCFLAC):
		return true, "FLAC"
	}
	return true, ""
}

func fourCC(s string) uint32 {
	return uint32(s[0])<<24 | uint32(s[1])<<16 | uint32(s[2])<<8 | uint32(s[3])
}

// fourCCName is a FourCC as its four characters, for messages.
func fourCCName(f message.FourCC) string {
	switch f {
	case message.FourCCHEVC:
		return "H.265"
	case message.FourCCAV1:
		return "AV1"
	case message.FourCCVP9:
		return "VP9"
	case message.FourCCMP3:
		return "MP3"
	case message.FourCCAC3:
		return "AC-3"
	case message.FourCCFLAC:
		return "FLAC"
	}
	return string([]byte{byte(f >> 24), byte(f >> 16), byte(f >> 8), byte(f)})
}

// legacyAudioName names a legacy FLV audio codec id for messages.
func legacyAudioName(id uint8) string {
	if _, name := classifyAudio(float64(id)); name != "" {
		return name
	}
	return fmt.Sprintf("FLV audio codec %d", id)
}

// videoInfo describes an H.264 track from its SPS and PPS.
func videoInfo(sps, pps []byte) *media.VideoInfo {
	v := &media.VideoInfo{Codec: media.H264, SPS: clone(sps), PPS: clone(pps)}
	var p h264.SPS
	if err := p.Unmarshal(sps); err == nil {
		v.Width, v.Height = p.Width(), p.Height()
	}
	return v
}

// avcParams returns the first SPS and PPS of an AVC sequence header, or
// nils when it lacks either.
func avcParams(cfg *mp4.AVCDecoderConfiguration) (sps, pps []byte) {
	if cfg == nil || len(cfg.SequenceParameterSets) == 0 || len(cfg.PictureParameterSets) == 0 {
		return nil, nil
	}
	sps, pps = cfg.SequenceParameterSets[0].NALUnit, cfg.PictureParameterSets[0].NALUnit
	if len(sps) == 0 || len(pps) == 0 {
		return nil, nil
	}
	return sps, pps
}

// aacInfo describes an AAC track from its AudioSpecificConfig.
func aacInfo(c *mpeg4audio.AudioSpecificConfig) (*media.AudioInfo, error) {
	raw, err := c.Marshal()
	if err != nil {
		return nil, fmt.Errorf("rtmp: marshal AAC config: %w", err)
	}
	return &media.AudioInfo{Codec: media.AAC, Config: raw, SampleRate: c.SampleRate, Channels: aacChannels(c)}, nil
}

// aacChannels maps channel_configuration to a count (ISO 14496-3 1.6.3.5).
// Configuration 0 puts the layout in the bitstream; 0 then says "unknown"
// rather than guessing.
func aacChannels(c *mpeg4audio.AudioSpecificConfig) int {
	switch {
	case c.ChannelConfig >= 1 && c.ChannelConfig <= 6:
		return int(c.ChannelConfig)
	case c.ChannelConfig == 7:
		return 8
	}
	return 0
}

// aacSamples is the number of samples per channel in one AAC access unit.
func aacSamples(c *mpeg4audio.AudioSpecificConfig) int {
	if c.FrameLengthFlag {
		return 960
	}
	return 1024
}

// opusInfo describes an Opus track. Opus always runs at 48 kHz whatever
// the encoder's input rate was.
func opusInfo(h *opus.IDHeader) *media.AudioInfo {
	ch := 2
	if h != nil && h.ChannelCount > 0 {
		ch = int(h.ChannelCount)
	}
	return &media.AudioInfo{Codec: media.Opus, SampleRate: 48000, Channels: ch}
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }
