package transcode

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"github.com/liveshop/liveshop/internal/media"
)

func TestADTSRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		info media.AudioInfo
		want adtsHeader
	}{
		{"LC 44.1k stereo from config", media.AudioInfo{Codec: media.AAC, Config: []byte{0x12, 0x10}},
			adtsHeader{mpeg4audio.ObjectTypeAACLC, 44100, 2}},
		{"HE-AAC signals its core rate", media.AudioInfo{Codec: media.AAC, Config: []byte{0x2b, 0x92, 0x08, 0x00}},
			adtsHeader{mpeg4audio.ObjectTypeAACLC, 22050, 2}},
		{"no config: rate and channels", media.AudioInfo{Codec: media.AAC, SampleRate: 48000, Channels: 1},
			adtsHeader{mpeg4audio.ObjectTypeAACLC, 48000, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := adtsHeaderFor(&tt.info)
			if err != nil {
				t.Fatal(err)
			}
			if h != tt.want {
				t.Fatalf("header %+v, want %+v", h, tt.want)
			}
			var stream []byte
			aus := [][]byte{{1, 2, 3}, bytes.Repeat([]byte{7}, 1500), {9}}
			for _, au := range aus {
				b, err := h.frame(au)
				if err != nil {
					t.Fatal(err)
				}
				stream = append(stream, b...)
			}
			// mediacommon's parser agrees with our framing.
			var ps mpeg4audio.ADTSPackets
			if err := ps.Unmarshal(stream); err != nil || len(ps) != len(aus) {
				t.Fatalf("mediacommon: %v, %d packets", err, len(ps))
			}
			r := newADTSReader(bytes.NewReader(stream))
			for i, au := range aus {
				f, err := r.next()
				if err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				if f.header != h || !bytes.Equal(f.au, au) {
					t.Fatalf("frame %d: %+v %x", i, f.header, f.au[:min(4, len(f.au))])
				}
			}
			if _, err := r.next(); err != io.EOF {
				t.Fatalf("end: %v, want EOF", err)
			}
		})
	}
}

func TestADTSRejects(t *testing.T) {
	tests := []struct {
		name string
		info media.AudioInfo
	}{
		{"odd rate", media.AudioInfo{Codec: media.AAC, SampleRate: 44000, Channels: 2}},
		{"too many channels", media.AudioInfo{Codec: media.AAC, SampleRate: 48000, Channels: 9}},
		{"garbage config", media.AudioInfo{Codec: media.AAC, Config: []byte{0xff}}},
	}
	for _, tt := range tests {
		if _, err := adtsHeaderFor(&tt.info); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
	if _, err := newADTSReader(bytes.NewReader([]byte("not adts at all"))).next(); !errors.Is(err, errADTSSync) {
		t.Errorf("garbage: %v", err)
	}
}

func TestOggRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := newOggWriter(&buf, 42)
	packets := [][]byte{[]byte("OpusHead......"), {}, bytes.Repeat([]byte{1}, 255), bytes.Repeat([]byte{2}, 255*255+10), {3}}
	for i, p := range packets {
		if err := w.writePacket(p, int64(i), 0); err != nil {
			t.Fatal(err)
		}
	}
	r := newOggReader(&buf)
	for i, want := range packets {
		got, err := r.next()
		if err != nil {
			t.Fatalf("packet %d: %v", i, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("packet %d: %d bytes, want %d", i, len(got), len(want))
		}
	}
	if _, err := r.next(); err != io.EOF {
		t.Fatalf("end: %v", err)
	}
}

func TestOggRejectsCorruption(t *testing.T) {
	var buf bytes.Buffer
	if err := newOggWriter(&buf, 1).writePacket([]byte("hello"), 0, oggFirst); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	b[len(b)-1] ^= 0xff
	if _, err := newOggReader(bytes.NewReader(b)).next(); err == nil {
		t.Fatal("a corrupted page passed its checksum")
	}
}

func TestOpusSamples(t *testing.T) {
	tests := []struct {
		pkt  []byte
		want int
	}{
		{[]byte{0xfc}, 960},            // CELT FB 20 ms, one frame
		{[]byte{0xf8 | 1}, 1920},       // CELT 20 ms, two frames
		{[]byte{0x08}, 960},            // SILK NB 20 ms
		{[]byte{0x18}, 2880},           // SILK NB 60 ms
		{[]byte{0x70}, 480},            // hybrid FB 10 ms
		{[]byte{0xe0}, 120},            // CELT 2.5 ms
		{[]byte{0x18 | 3, 0x02}, 5760}, // 2 x 60 ms
	}
	for _, tt := range tests {
		if got, err := opusSamples(tt.pkt); err != nil || got != tt.want {
			t.Errorf("%x: %d, %v; want %d", tt.pkt, got, err, tt.want)
		}
	}
	for _, bad := range [][]byte{nil, {0x03}, {0x03, 0x00}, {0x1b, 0x03}} {
		if _, err := opusSamples(bad); err == nil {
			t.Errorf("%x: accepted", bad)
		}
	}
}

func TestOpusHead(t *testing.T) {
	h := opusHead{channels: 2, preSkip: 312, inputRate: 48000}
	got, err := parseOpusHead(h.marshal())
	if err != nil || got != h {
		t.Fatalf("%+v, %v", got, err)
	}
}

func FuzzOggReader(f *testing.F) {
	var buf bytes.Buffer
	w := newOggWriter(&buf, 7)
	w.writePacket(opusHead{channels: 2, preSkip: 312, inputRate: 48000}.marshal(), 0, oggFirst)
	w.writePacket(opusTags(), 0, 0)
	w.writePacket(bytes.Repeat([]byte{0xfc, 1}, 300), 960, 0)
	f.Add(buf.Bytes())
	f.Add([]byte("OggS"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := newOggReader(bytes.NewReader(b))
		for range 10000 {
			p, err := r.next()
			if err != nil {
				return
			}
			if len(p) > oggMaxPacket {
				t.Fatalf("packet of %d bytes", len(p))
			}
		}
	})
}

func FuzzADTSReader(f *testing.F) {
	h := adtsHeader{mpeg4audio.ObjectTypeAACLC, 48000, 2}
	a, _ := h.frame([]byte{1, 2, 3, 4})
	b, _ := h.frame(bytes.Repeat([]byte{5}, 700))
	f.Add(append(a, b...))
	f.Add([]byte{0xff, 0xf0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := newADTSReader(bytes.NewReader(data))
		for range 10000 {
			fr, err := r.next()
			if err != nil {
				return
			}
			if len(fr.au) > maxADTSFrame {
				t.Fatalf("frame of %d bytes", len(fr.au))
			}
			if _, err := fr.header.config(); err != nil && fr.header.objectType == mpeg4audio.ObjectTypeAACLC {
				t.Fatalf("config of a parsed LC header: %v", err)
			}
		}
	})
}

func FuzzOpusSamples(f *testing.F) {
	f.Add([]byte{0xfc})
	f.Add([]byte{0x1b, 0x03})
	f.Fuzz(func(t *testing.T, p []byte) {
		n, err := opusSamples(p)
		if err == nil && (n < 120 || n > 5760) {
			t.Fatalf("%d samples", n)
		}
	})
}
