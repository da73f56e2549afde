package rtmp

import (
	"testing"
	"time"

	"github.com/bluenviron/gortmplib/pkg/message"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"

	"github.com/liveshop/liveshop/internal/media"
)

var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func avcc(t testing.TB, nalus ...[]byte) []byte {
	b, err := h264.AVCC(nalus).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func videoAU(t testing.TB, dts, ptsDelta time.Duration, nalus ...[]byte) *message.Video {
	return &message.Video{Codec: message.CodecH264, Type: message.VideoTypeAU, DTS: dts, PTSDelta: ptsDelta, AU: avcc(t, nalus...)}
}

func naluTypes(f *media.Frame) []h264.NALUType {
	var out []h264.NALUType
	for _, n := range f.NALUs {
		out = append(out, h264.NALUType(n[0]&0x1f))
	}
	return out
}

func TestConverterVideo(t *testing.T) {
	sps2 := append(append([]byte(nil), testSPS...), 0x01) // an in-band SPS that differs from the header's
	const (
		SPS = h264.NALUTypeSPS
		PPS = h264.NALUTypePPS
		IDR = h264.NALUTypeIDR
		P   = h264.NALUTypeNonIDR
		SEI = h264.NALUTypeSEI
	)
	aud := []byte{0x09, 0xf0}
	sei := []byte{0x06, 0x05, 0x01, 0x00, 0x80}
	cases := []struct {
		name  string
		nalus [][]byte
		key   bool
		want  []h264.NALUType
		sps   []byte // expected first NALU when set
	}{
		{"IDR alone gets SPS and PPS", [][]byte{testIDR}, true, []h264.NALUType{SPS, PPS, IDR}, testSPS},
		{"IDR with both keeps them", [][]byte{testSPS, testPPS, testIDR}, true, []h264.NALUType{SPS, PPS, IDR}, testSPS},
		{"AUD is dropped", [][]byte{aud, sei, testIDR}, true, []h264.NALUType{SPS, PPS, SEI, IDR}, testSPS},
		{"lone in-band SPS wins and PPS is added", [][]byte{sps2, testIDR}, true, []h264.NALUType{SPS, PPS, IDR}, sps2},
		{"in-band PPS before SPS is put in order", [][]byte{testPPS, testSPS, testIDR}, true, []h264.NALUType{SPS, PPS, IDR}, testSPS},
		{"delta frame untouched", [][]byte{aud, testP}, false, []h264.NALUType{P}, nil},
	}
	for _, c := range cases {
		conv := newConverter(media.Tracks{Video: videoInfo(testSPS, testPPS)}, 0, func() time.Time { return fixedNow })
		f, err := conv.frame(videoAU(t, 7*time.Second, 0, c.nalus...))
		if err != nil || f == nil {
			t.Fatalf("%s: %v, %v", c.name, f, err)
		}
		got := naluTypes(f)
		if f.Key != c.key || len(got) != len(c.want) {
			t.Fatalf("%s: key %v, NALUs %v; want key %v, %v", c.name, f.Key, got, c.key, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Fatalf("%s: NALUs %v, want %v", c.name, got, c.want)
			}
		}
		if c.sps != nil && string(f.NALUs[0]) != string(c.sps) {
			t.Errorf("%s: wrong SPS in front", c.name)
		}
		if f.DTS != 0 || !f.Ingest.Equal(fixedNow) {
			t.Errorf("%s: DTS %v ingest %v; want 0 and the clock's time", c.name, f.DTS, f.Ingest)
		}
	}
}

func TestConverterTimestampsAndTracks(t *testing.T) {
	aac := &media.AudioInfo{Codec: media.AAC, SampleRate: 48000, Channels: 2}
	conv := newConverter(media.Tracks{Video: videoInfo(testSPS, testPPS), Audio: aac}, 960, time.Now)
	msgs := []message.Message{
		&message.DataAMF0{},
		&message.Audio{Codec: message.CodecMPEG4Audio, AACType: message.AudioAACTypeConfig, DTS: 0},
		&message.Audio{Codec: message.CodecMPEG4Audio, AACType: message.AudioAACTypeAU, DTS: 1000 * time.Millisecond, AU: []byte{1, 2}},
		videoAU(t, 1020*time.Millisecond, 80*time.Millisecond, testIDR),
		&message.AudioExCodedFrames{FourCC: message.FourCCOpus, DTS: 1030 * time.Millisecond, Payload: testOpus}, // not our audio codec
		&message.VideoExMultitrack{TrackID: 1, Wrapped: &message.VideoExFramesX{FourCC: message.FourCCAVC, DTS: 1040 * time.Millisecond, Payload: avcc(t, testP)}},
		&message.VideoExFramesX{FourCC: message.FourCCAVC, DTS: 1060 * time.Millisecond, Payload: avcc(t, testP)},
		&message.AudioExMultitrack{TrackID: 0, Wrapped: &message.AudioExCodedFrames{FourCC: message.FourCCMP4A, DTS: 1021 * time.Millisecond, Payload: []byte{3}}},
	}
	var got []*media.Frame
	for _, m := range msgs {
		f, err := conv.frame(m)
		if err != nil {
			t.Fatal(err)
		}
		if f != nil {
			got = append(got, f)
		}
	}
	want := []struct {
		codec    media.Codec
		dts, pts time.Duration
		samples  int
	}{
		{media.AAC, 0, 0, 960},
		{media.H264, 20 * time.Millisecond, 100 * time.Millisecond, 0},
		{media.H264, 60 * time.Millisecond, 60 * time.Millisecond, 0},
		{media.AAC, 21 * time.Millisecond, 21 * time.Millisecond, 960},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d frames, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Codec != w.codec || g.DTS != w.dts || g.PTS != w.pts || g.Samples != w.samples {
			t.Errorf("frame %d: %s dts %v pts %v samples %d; want %+v", i, g.Codec, g.DTS, g.PTS, g.Samples, w)
		}
	}
}

func TestConverterDropsUnpublishedTracks(t *testing.T) {
	conv := newConverter(media.Tracks{Audio: &media.AudioInfo{Codec: media.AAC}}, 0, time.Now)
	if f, err := conv.frame(videoAU(t, 0, 0, testIDR)); f != nil || err != nil {
		t.Fatalf("video on an audio-only stream: %v %v", f, err)
	}
	if _, err := conv.frame(&message.Video{Codec: message.CodecH264, Type: message.VideoTypeAU, AU: []byte{0, 0, 0, 9, 1}}); err != nil {
		t.Fatalf("ignored track should not be parsed: %v", err)
	}
	conv = newConverter(media.Tracks{Video: videoInfo(testSPS, testPPS)}, 0, time.Now)
	if _, err := conv.frame(&message.Video{Codec: message.CodecH264, Type: message.VideoTypeAU, AU: []byte{0, 0, 0, 9, 1}}); err == nil {
		t.Fatal("a truncated access unit was accepted")
	}
}

func FuzzConverterH264(f *testing.F) {
	f.Add(avcc(f, testSPS, testPPS, testIDR), true)
	f.Add(avcc(f, []byte{0x09, 0xf0}, testP), false)
	f.Add([]byte{0, 0, 0, 1, 0x65, 0, 0, 0, 0}, true)
	f.Add([]byte{0, 0, 0, 0}, false)
	f.Fuzz(func(t *testing.T, au []byte, haveParams bool) {
		tr := media.Tracks{Video: &media.VideoInfo{Codec: media.H264}}
		if haveParams {
			tr.Video = videoInfo(testSPS, testPPS)
		}
		conv := newConverter(tr, 0, time.Now)
		fr, err := conv.frame(&message.Video{Codec: message.CodecH264, Type: message.VideoTypeAU, AU: au})
		if err != nil || fr == nil {
			return
		}
		types := naluTypes(fr)
		for _, n := range fr.NALUs {
			if len(n) == 0 {
				t.Fatal("empty NALU")
			}
		}
		if fr.Key && (types[0] != h264.NALUTypeSPS || types[1] != h264.NALUTypePPS) {
			t.Fatalf("keyframe without leading SPS/PPS: %v", types)
		}
	})
}
