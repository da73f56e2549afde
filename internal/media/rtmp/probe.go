package rtmp

import (
	"time"

	"github.com/abema/go-mp4"
	"github.com/bluenviron/gortmplib/pkg/message"

	"github.com/liveshop/liveshop/internal/media"
)

// gortmplib's Reader reads a fixed 2 s of media before it reports tracks,
// which would put 2 s between a publisher connecting and its first frame.
// The prober instead stops as soon as the headers of the tracks that
// onMetaData announced (every encoder we know sends it first) are in, and
// only falls back to waiting when the publisher announced nothing.
const (
	// probeWindow is how much media (by RTMP timestamp) we read waiting for
	// a header that was announced, or, without metadata, for a second track.
	probeWindow = time.Second
	// probeMaxMessages bounds what is held while probing.
	probeMaxMessages = 512
)

// probeResult is what a publisher sends, learnt from its first messages.
type probeResult struct {
	tracks     media.Tracks
	aacSamples int
	// pending holds every message read while probing, to be replayed
	// through the converter once the stream is published, so no frame
	// is lost to the probe.
	pending []message.Message
}

type prober struct {
	res      probeResult
	meta     *announced
	first    time.Duration
	last     time.Duration
	sawMedia bool
}

// probe reads messages until the publisher's tracks are known. It returns
// a *refusal for codecs we do not ingest, or read's error.
func probe(read func() (message.Message, error)) (probeResult, error) {
	var p prober
	for {
		msg, err := read()
		if err != nil {
			return probeResult{}, err
		}
		p.res.pending = append(p.res.pending, msg)
		if err := p.inspect(msg); err != nil {
			return probeResult{}, err
		}
		done, err := p.done()
		if err != nil {
			return probeResult{}, err
		}
		if done {
			return p.res, nil
		}
	}
}

func (p *prober) at(ts time.Duration) {
	if !p.sawMedia {
		p.first, p.sawMedia = ts, true
	}
	p.last = ts
}

// inspect learns from one message; only track 0 of a multitrack stream
// counts, the others are ignored like every track we do not ingest.
func (p *prober) inspect(msg message.Message) error {
	switch m := msg.(type) {
	case *message.DataAMF0:
		if a, ok := parseMetadata(m.Payload); ok && p.meta == nil {
			if a.videoName != "" {
				return refuseCodec("video", a.videoName)
			}
			if a.audioName != "" {
				return refuseCodec("audio", a.audioName)
			}
			p.meta = &a
		}
	case *message.Video:
		p.at(m.DTS)
		if m.Codec != message.CodecH264 {
			return refuseCodec("video", "H.265")
		}
		if m.Type == message.VideoTypeConfig {
			return p.setVideo(m.AVCConfig)
		}
	case *message.VideoExSequenceStart:
		if m.FourCC != message.FourCCAVC {
			return refuseCodec("video", fourCCName(m.FourCC))
		}
		return p.setVideo(m.AVCConfig)
	case *message.VideoExCodedFrames:
		p.at(m.DTS)
		if m.FourCC != message.FourCCAVC {
			return refuseCodec("video", fourCCName(m.FourCC))
		}
	case *message.VideoExFramesX:
		p.at(m.DTS)
		if m.FourCC != message.FourCCAVC {
			return refuseCodec("video", fourCCName(m.FourCC))
		}
	case *message.VideoExMultitrack:
		if m.TrackID == 0 {
			return p.inspect(m.Wrapped)
		}
	case *message.Audio:
		p.at(m.DTS)
		if m.Codec != message.CodecMPEG4Audio {
			return refuseCodec("audio", legacyAudioName(m.Codec))
		}
		if m.AACType == message.AudioAACTypeConfig && m.AACConfig != nil && p.res.tracks.Audio == nil {
			a, err := aacInfo(m.AACConfig)
			if err != nil {
				return err
			}
			p.res.tracks.Audio, p.res.aacSamples = a, aacSamples(m.AACConfig)
		}
	case *message.AudioExSequenceStart:
		if p.res.tracks.Audio != nil {
			return nil
		}
		switch m.FourCC {
		case message.FourCCMP4A:
			a, err := aacInfo(m.AACConfig)
			if err != nil {
				return err
			}
			p.res.tracks.Audio, p.res.aacSamples = a, aacSamples(m.AACConfig)
		case message.FourCCOpus:
			p.res.tracks.Audio = opusInfo(m.OpusConfig)
		default:
			return refuseCodec("audio", fourCCName(m.FourCC))
		}
	case *message.AudioExCodedFrames:
		p.at(m.DTS)
		if m.FourCC != message.FourCCMP4A && m.FourCC != message.FourCCOpus {
			return refuseCodec("audio", fourCCName(m.FourCC))
		}
	case *message.AudioExMultitrack:
		if m.TrackID == 0 {
			return p.inspect(m.Wrapped)
		}
	}
	return nil
}

// setVideo takes the first AVC sequence header as the video track.
func (p *prober) setVideo(cfg *mp4.AVCDecoderConfiguration) error {
	if p.res.tracks.Video != nil {
		return nil
	}
	sps, pps := avcParams(cfg)
	if sps == nil {
		return &refusal{code: statusRejected, description: "the H.264 sequence header has no SPS or PPS"}
	}
	p.res.tracks.Video = videoInfo(sps, pps)
	return nil
}

// done reports whether ingest can start: every announced track has its
// header, or, failing that, a probe window of media has gone by.
func (p *prober) done() (bool, error) {
	v, a := p.res.tracks.Video != nil, p.res.tracks.Audio != nil
	if m := p.meta; m != nil && (m.video || m.audio) {
		if (!m.video || v) && (!m.audio || a) {
			return true, nil
		}
	} else if v && a {
		return true, nil
	}
	if (p.sawMedia && p.last-p.first >= probeWindow) || len(p.res.pending) >= probeMaxMessages {
		if !v && !a {
			return false, &refusal{code: statusRejected, description: "no H.264 video or AAC audio arrived; send H.264 and AAC"}
		}
		return true, nil
	}
	return false, nil
}
