package rtmp

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/abema/go-mp4"
	"github.com/bluenviron/gortmplib/pkg/amf0"
	"github.com/bluenviron/gortmplib/pkg/message"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"github.com/liveshop/liveshop/internal/media"
)

func metadata(video, audio any) *message.DataAMF0 {
	obj := amf0.Object{}
	if video != nil {
		obj = append(obj, amf0.ObjectEntry{Key: "videocodecid", Value: video})
	}
	if audio != nil {
		obj = append(obj, amf0.ObjectEntry{Key: "audiocodecid", Value: audio})
	}
	return &message.DataAMF0{Payload: amf0.Data{"@setDataFrame", "onMetaData", amf0.ECMAArray(obj)}}
}

func avcHeader() *message.Video {
	return &message.Video{Codec: message.CodecH264, Type: message.VideoTypeConfig, AVCConfig: &mp4.AVCDecoderConfiguration{
		SequenceParameterSets: []mp4.AVCParameterSet{{NALUnit: testSPS}},
		PictureParameterSets:  []mp4.AVCParameterSet{{NALUnit: testPPS}},
	}}
}

func aacHeader() *message.Audio {
	return &message.Audio{Codec: message.CodecMPEG4Audio, AACType: message.AudioAACTypeConfig,
		AACConfig: &mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 44100, ChannelConfig: 2}}
}

func aacAU(dts time.Duration) *message.Audio {
	return &message.Audio{Codec: message.CodecMPEG4Audio, AACType: message.AudioAACTypeAU, DTS: dts, AU: []byte{1}}
}

// feed returns a read func over msgs that fails with io.EOF at the end,
// and counts how many were read.
func feed(msgs []message.Message, n *int) func() (message.Message, error) {
	return func() (message.Message, error) {
		if *n >= len(msgs) {
			return nil, io.EOF
		}
		*n++
		return msgs[*n-1], nil
	}
}

func TestProbe(t *testing.T) {
	cases := []struct {
		name    string
		msgs    []message.Message
		read    int    // messages consumed before the probe decides
		video   bool   // want a video track
		audio   bool   // want an audio track
		refusal string // want a refusal containing this
		wantEOF bool
	}{
		{name: "metadata then both headers: starts at once",
			msgs: []message.Message{metadata(7.0, 10.0), avcHeader(), aacHeader(), aacAU(0)}, read: 3, video: true, audio: true},
		{name: "headers without metadata: starts when both are in",
			msgs: []message.Message{aacHeader(), avcHeader(), aacAU(0)}, read: 2, video: true, audio: true},
		{name: "video-only metadata: does not wait for audio",
			msgs: []message.Message{metadata(7.0, nil), avcHeader(), videoAU(t, 0, 0, testIDR)}, read: 2, video: true},
		{name: "gortmplib writes 0 for no audio",
			msgs: []message.Message{metadata(7.0, 0.0), avcHeader()}, read: 2, video: true},
		{name: "FourCC strings",
			msgs: []message.Message{metadata("avc1", "mp4a"), avcHeader(), aacHeader()}, read: 3, video: true, audio: true},
		{name: "announced audio never comes: waits one window",
			msgs: []message.Message{metadata(7.0, 10.0), avcHeader(), videoAU(t, 0, 0, testIDR), videoAU(t, 500*time.Millisecond, 0, testP),
				videoAU(t, time.Second, 0, testP), videoAU(t, 1040*time.Millisecond, 0, testP)}, read: 5, video: true},
		{name: "audio only without metadata: waits one window",
			msgs: []message.Message{aacHeader(), aacAU(0), aacAU(time.Second), aacAU(2 * time.Second)}, read: 3, audio: true},
		{name: "H.265 in metadata", msgs: []message.Message{metadata(12.0, 10.0)}, refusal: "video codec H.265 is not supported; send H.264"},
		{name: "H.265 FourCC in metadata", msgs: []message.Message{metadata(float64(fourCC("hvc1")), 10.0)}, refusal: "send H.264"},
		{name: "Sorenson in metadata", msgs: []message.Message{metadata(2.0, 10.0)}, refusal: "Sorenson H.263"},
		{name: "MP3 in metadata", msgs: []message.Message{metadata(7.0, 2.0)}, refusal: "audio codec MP3 is not supported; send AAC"},
		{name: "H.265 legacy header", msgs: []message.Message{&message.Video{Codec: message.CodecH265, Type: message.VideoTypeConfig}}, refusal: "send H.264"},
		{name: "AV1 sequence start", msgs: []message.Message{&message.VideoExSequenceStart{FourCC: message.FourCCAV1}}, refusal: "AV1"},
		{name: "FLAC sequence start", msgs: []message.Message{&message.AudioExSequenceStart{FourCC: message.FourCCFLAC}}, refusal: "FLAC"},
		{name: "G.711 frames", msgs: []message.Message{&message.Audio{Codec: message.CodecPCMA}}, refusal: "G.711"},
		{name: "AVC header without PPS",
			msgs: []message.Message{&message.Video{Codec: message.CodecH264, Type: message.VideoTypeConfig, AVCConfig: &mp4.AVCDecoderConfiguration{
				SequenceParameterSets: []mp4.AVCParameterSet{{NALUnit: testSPS}}}}}, refusal: "no SPS or PPS"},
		{name: "nothing usable within the window",
			msgs: []message.Message{&message.UserControlPingResponse{}, videoAU(t, 0, 0, testP), videoAU(t, 2*time.Second, 0, testP)}, refusal: "no H.264 video or AAC audio"},
		{name: "publisher leaves first", msgs: []message.Message{metadata(7.0, 10.0), avcHeader()}, wantEOF: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var n int
			res, err := probe(feed(c.msgs, &n))
			switch {
			case c.wantEOF:
				if !errors.Is(err, io.EOF) {
					t.Fatalf("got %v, want io.EOF", err)
				}
				return
			case c.refusal != "":
				var r *refusal
				if !errors.As(err, &r) || !strings.Contains(r.description, c.refusal) {
					t.Fatalf("got %v, want a refusal containing %q", err, c.refusal)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if n != c.read {
				t.Errorf("read %d messages before starting, want %d", n, c.read)
			}
			if len(res.pending) != n {
				t.Errorf("%d pending messages, want all %d read", len(res.pending), n)
			}
			if (res.tracks.Video != nil) != c.video || (res.tracks.Audio != nil) != c.audio {
				t.Fatalf("tracks %+v; want video %v audio %v", res.tracks, c.video, c.audio)
			}
			if v := res.tracks.Video; v != nil && (v.Codec != media.H264 || v.Width != 320 || v.Height != 240) {
				t.Errorf("video %+v", v)
			}
			if a := res.tracks.Audio; a != nil && (a.Codec != media.AAC || a.SampleRate != 44100 || a.Channels != 2 || len(a.Config) == 0) {
				t.Errorf("audio %+v", a)
			}
		})
	}
}

func TestProbeBoundsPending(t *testing.T) {
	msgs := []message.Message{metadata(7.0, 10.0), avcHeader()}
	for range probeMaxMessages {
		msgs = append(msgs, videoAU(t, 0, 0, testP)) // timestamps stuck: the window never passes
	}
	var n int
	res, err := probe(feed(msgs, &n))
	if err != nil || res.tracks.Video == nil || n != probeMaxMessages {
		t.Fatalf("probe read %d, err %v; want it to give up waiting for audio at %d messages", n, err, probeMaxMessages)
	}
}

func TestAACInfo(t *testing.T) {
	for _, c := range []struct {
		cfg      mpeg4audio.AudioSpecificConfig
		channels int
		samples  int
	}{
		{mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 48000, ChannelConfig: 1}, 1, 1024},
		{mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 44100, ChannelConfig: 7}, 8, 1024},
		{mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 48000, ChannelConfig: 2, FrameLengthFlag: true}, 2, 960},
	} {
		a, err := aacInfo(&c.cfg)
		if err != nil {
			t.Fatal(err)
		}
		var back mpeg4audio.AudioSpecificConfig
		if err := back.Unmarshal(a.Config); err != nil || back.SampleRate != c.cfg.SampleRate {
			t.Errorf("config %x does not round-trip: %v", a.Config, err)
		}
		if a.Channels != c.channels || a.SampleRate != c.cfg.SampleRate || aacSamples(&c.cfg) != c.samples {
			t.Errorf("%+v: got %+v, samples %d", c.cfg, a, aacSamples(&c.cfg))
		}
	}
}

func FuzzParseMetadata(f *testing.F) {
	for _, d := range []amf0.Data{
		metadata(7.0, 10.0).Payload,
		metadata("hvc1", "Opus").Payload,
		{"onMetaData"},
		{"onMetaData", 1.0},
		{"@setDataFrame", "onMetaData", amf0.Object{{Key: "videocodecid", Value: -1.5}}},
	} {
		b, err := d.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := amf0.Unmarshal(b)
		if err != nil {
			return
		}
		a, ok := parseMetadata(d)
		if !ok && (a.video || a.audio) {
			t.Fatal("tracks announced by a non-metadata message")
		}
		if a.videoName != "" && !a.video || a.audioName != "" && !a.audio {
			t.Fatalf("refused codec on an absent track: %+v", a)
		}
	})
}
