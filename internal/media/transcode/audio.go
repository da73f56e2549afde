package transcode

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"github.com/liveshop/liveshop/internal/media"
)

// audioRoute is one direction of audio transcoding: what ffmpeg is told,
// how frames are framed on its stdin, and how its stdout is split.
type audioRoute struct {
	name     string
	from, to media.Codec
	encoder  string // the ffmpeg encoder the route needs
	args     []string
	out      func() (*media.AudioInfo, error)
	input    func(w io.Writer, src *media.AudioInfo) (audioInput, error)
	output   func(r io.Reader) audioOutput
	// missing is the stream note when the route cannot run.
	missing string
}

// audioInput frames the publisher's audio for ffmpeg's stdin.
type audioInput interface {
	// write records f on tl, then writes it; frames it cannot carry are
	// skipped without error.
	write(f *media.Frame, tl *timeline) error
}

// audioOutput splits ffmpeg's stdout into packets, each with its position
// in the decoded audio (negative for encoder priming).
type audioOutput interface {
	next() (payload []byte, pos time.Duration, samples int, err error)
}

// lowLatencyInput makes ffmpeg start on the first bytes of a pipe rather
// than probe and buffer.
var lowLatencyInput = []string{"-hide_banner", "-loglevel", "error", "-nostdin",
	"-fflags", "nobuffer", "-flags", "low_delay", "-probesize", "32", "-analyzeduration", "0"}

func ffmpegArgs(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// aacToOpus serves WebRTC viewers of RTMP publishers: 20 ms Opus at
// 48 kHz, in Ogg pages of one packet each, flushed packet by packet.
var aacToOpus = audioRoute{
	name: "aac-to-opus", from: media.AAC, to: media.Opus, encoder: "libopus",
	args: ffmpegArgs(lowLatencyInput, []string{"-f", "aac", "-i", "pipe:0", "-vn",
		"-c:a", "libopus", "-application", "lowdelay", "-frame_duration", "20", "-b:a", "96k",
		"-ar", "48000", "-ac", "2", "-f", "ogg", "-page_duration", "20000", "-flush_packets", "1", "pipe:1"}),
	out: func() (*media.AudioInfo, error) {
		return &media.AudioInfo{Codec: media.Opus, SampleRate: 48000, Channels: 2}, nil
	},
	input:   newAACInput,
	output:  func(r io.Reader) audioOutput { return &opusOutput{ogg: newOggReader(r)} },
	missing: "WebRTC viewers will not hear this stream's AAC audio",
}

// opusToAAC serves HLS viewers (and the recording) of WHIP publishers:
// AAC-LC at 48 kHz stereo as ADTS, flushed frame by frame.
var opusToAAC = audioRoute{
	name: "opus-to-aac", from: media.Opus, to: media.AAC, encoder: "aac",
	args: ffmpegArgs(lowLatencyInput, []string{"-f", "ogg", "-i", "pipe:0", "-vn",
		"-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2",
		"-f", "adts", "-flush_packets", "1", "pipe:1"}),
	out: func() (*media.AudioInfo, error) {
		cfg, err := aacOutHeader.config()
		if err != nil {
			return nil, err
		}
		return &media.AudioInfo{Codec: media.AAC, Config: cfg, SampleRate: 48000, Channels: 2}, nil
	},
	input:   newOpusInput,
	output:  func(r io.Reader) audioOutput { return &aacOutput{adts: newADTSReader(r)} },
	missing: "HLS viewers and the recording will not have this stream's Opus audio",
}

// aacOutHeader is what opusToAAC's ffmpeg arguments produce.
var aacOutHeader = adtsHeader{objectType: mpeg4audio.ObjectTypeAACLC, sampleRate: 48000, channelConfig: 2}

// aacEncoderDelay is the priming ffmpeg's AAC encoder puts before the
// first real sample (its initial_padding).
const aacEncoderDelay = 1024

type aacInput struct {
	w   io.Writer
	hdr adtsHeader
	dur time.Duration
}

func newAACInput(w io.Writer, src *media.AudioInfo) (audioInput, error) {
	hdr, err := adtsHeaderFor(src)
	if err != nil {
		return nil, err
	}
	// An AAC access unit is 1024 samples at the core rate, also for
	// HE-AAC, whose SBR doubles the output rate and the samples alike.
	return &aacInput{w: w, hdr: hdr, dur: samplesToDuration(mpeg4audio.SamplesPerAccessUnit, hdr.sampleRate)}, nil
}

func (a *aacInput) write(f *media.Frame, tl *timeline) error {
	b, err := a.hdr.frame(f.Payload)
	if err != nil || len(f.Payload) == 0 {
		return nil
	}
	tl.feed(f.PTS, a.dur, f.Ingest)
	_, err = a.w.Write(b)
	return err
}

type opusInput struct {
	ogg     *oggWriter
	granule int64
}

func newOpusInput(w io.Writer, src *media.AudioInfo) (audioInput, error) {
	ch := src.Channels
	if ch < 1 || ch > 2 {
		ch = 2 // WebRTC always negotiates opus/48000/2
	}
	o := &opusInput{ogg: newOggWriter(w, 0x6c697665)}
	if err := o.ogg.writePacket(opusHead{channels: ch, inputRate: 48000}.marshal(), 0, oggFirst); err != nil {
		return nil, fmt.Errorf("transcode: write OpusHead: %w", err)
	}
	if err := o.ogg.writePacket(opusTags(), 0, 0); err != nil {
		return nil, fmt.Errorf("transcode: write OpusTags: %w", err)
	}
	return o, nil
}

func (o *opusInput) write(f *media.Frame, tl *timeline) error {
	n, err := opusSamples(f.Payload)
	if err != nil {
		return nil // not a packet a decoder could use
	}
	tl.feed(f.PTS, samplesToDuration(int64(n), 48000), f.Ingest)
	o.granule += int64(n)
	return o.ogg.writePacket(f.Payload, o.granule, 0)
}

type opusOutput struct {
	ogg     *oggReader
	head    *opusHead
	samples int64 // decoded so far, pre-skip included
}

func (o *opusOutput) next() ([]byte, time.Duration, int, error) {
	for {
		p, err := o.ogg.next()
		if err != nil {
			return nil, 0, 0, err
		}
		if o.head == nil {
			h, err := parseOpusHead(p)
			if err != nil {
				return nil, 0, 0, err
			}
			o.head = &h
			continue
		}
		if bytes.HasPrefix(p, []byte("OpusTags")) {
			continue
		}
		n, err := opusSamples(p)
		if err != nil {
			continue
		}
		pos := samplesToDuration(o.samples-int64(o.head.preSkip), 48000)
		o.samples += int64(n)
		return p, pos, n, nil
	}
}

type aacOutput struct {
	adts   *adtsReader
	frames int64
}

func (a *aacOutput) next() ([]byte, time.Duration, int, error) {
	f, err := a.adts.next()
	if err != nil {
		return nil, 0, 0, err
	}
	pos := samplesToDuration(a.frames*mpeg4audio.SamplesPerAccessUnit-aacEncoderDelay, f.header.sampleRate)
	a.frames++
	return f.au, pos, mpeg4audio.SamplesPerAccessUnit, nil
}
