package hls

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestRecPlaylistRoundTrip(t *testing.T) {
	p := recPlaylist{Segments: []recSegment{
		{2 * time.Second, "seg-000001.m4s", "init-1.mp4"},
		{2040 * time.Millisecond, "seg-000002.m4s", "init-1.mp4"},
		{1500 * time.Millisecond, "seg-000003.m4s", "init-2.mp4"},
	}}
	event := string(p.marshal())
	for _, want := range []string{"#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-TARGETDURATION:3", "#EXTINF:2.040,\nseg-000002.m4s",
		"#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-2.mp4\""} {
		if !strings.Contains(event, want) {
			t.Errorf("EVENT playlist lacks %q:\n%s", want, event)
		}
	}
	if strings.Contains(event, "ENDLIST") {
		t.Errorf("EVENT playlist has ENDLIST")
	}
	p.Ended = true
	vod := string(p.marshal())
	if !strings.Contains(vod, "#EXT-X-PLAYLIST-TYPE:VOD") || !strings.HasSuffix(vod, "#EXT-X-ENDLIST\n") {
		t.Errorf("VOD playlist:\n%s", vod)
	}
	got, err := parseRecPlaylist([]byte(vod))
	if err != nil || !reflect.DeepEqual(got, p) {
		t.Fatalf("parse = %+v, %v; want %+v", got, err, p)
	}
	if d := got.duration(); d != 5540*time.Millisecond {
		t.Errorf("duration = %v", d)
	}
	if seg, gen := got.nextNumbers(); seg != 4 || gen != 3 {
		t.Errorf("nextNumbers = %d, %d", seg, gen)
	}
}

func TestParseRecPlaylistRejects(t *testing.T) {
	for name, in := range map[string]string{
		"empty":            "",
		"not HLS":          "hello\n",
		"no map":           "#EXTM3U\n#EXTINF:2,\nseg-000001.m4s\n",
		"no EXTINF":        "#EXTM3U\n#EXT-X-MAP:URI=\"init-1.mp4\"\nseg-000001.m4s\n",
		"traversal":        "#EXTM3U\n#EXT-X-MAP:URI=\"init-1.mp4\"\n#EXTINF:2,\n../../etc/passwd\n",
		"bad map name":     "#EXTM3U\n#EXT-X-MAP:URI=\"/etc/init-1.mp4\"\n",
		"negative EXTINF":  "#EXTM3U\n#EXT-X-MAP:URI=\"init-1.mp4\"\n#EXTINF:-2,\nseg-000001.m4s\n",
		"NaN EXTINF":       "#EXTM3U\n#EXT-X-MAP:URI=\"init-1.mp4\"\n#EXTINF:NaN,\nseg-000001.m4s\n",
		"huge EXTINF":      "#EXTM3U\n#EXT-X-MAP:URI=\"init-1.mp4\"\n#EXTINF:1e300,\nseg-000001.m4s\n",
		"tiny EXTINF":      "#EXTM3U\n#EXT-X-MAP:URI=\"init-1.mp4\"\n#EXTINF:0.0001,\nseg-000001.m4s\n",
		"short seg number": "#EXTM3U\n#EXT-X-MAP:URI=\"init-1.mp4\"\n#EXTINF:2,\nseg-1.m4s\n",
	} {
		if _, err := parseRecPlaylist([]byte(in)); err == nil {
			t.Errorf("%s: parsed %q", name, in)
		}
	}
}

func TestRecordingFile(t *testing.T) {
	for name, want := range map[string]bool{
		"index.m3u8": true, "init-1.mp4": true, "init-123456.mp4": true, "seg-000001.m4s": true, "seg-123456789.m4s": true,
		"": false, ".": false, "..": false, "../index.m3u8": false, "index.m3u8/": false, ".tmp-index.m3u8-123": false,
		"seg-1.m4s": false, "seg-000001.mp4": false, "init-.mp4": false, "init-1.mp4.bak": false, "seg-0000001234567890.m4s": false,
		"INDEX.M3U8": false, "init-1.mp4\x00": false,
	} {
		if got := recordingFile(name); got != want {
			t.Errorf("recordingFile(%q) = %v", name, got)
		}
	}
}

// FuzzParseRecPlaylist checks that whatever the parser accepts survives
// a round trip through marshal unchanged and names only recorder files.
func FuzzParseRecPlaylist(f *testing.F) {
	f.Add("#EXTM3U\n#EXT-X-MAP:URI=\"init-1.mp4\"\n#EXTINF:2.000,\nseg-000001.m4s\n#EXT-X-ENDLIST\n")
	f.Add("#EXTM3U\n#EXT-X-MAP:URI=\"init-1.mp4\"\n#EXTINF:1.5,\nseg-000001.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-2.mp4\"\n#EXTINF:0.04,x\nseg-000002.m4s\n")
	f.Add("#EXTM3U\r\n#EXTINF:3\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		p, err := parseRecPlaylist([]byte(in))
		if err != nil {
			return
		}
		for _, s := range p.Segments {
			if !recordingFile(s.Name) || !recordingFile(s.Init) || s.Duration <= 0 {
				t.Fatalf("accepted segment %+v", s)
			}
		}
		again, err := parseRecPlaylist(p.marshal())
		if err != nil {
			t.Fatalf("cannot read back %q: %v", p.marshal(), err)
		}
		if !reflect.DeepEqual(again, p) && !(len(again.Segments) == 0 && len(p.Segments) == 0 && again.Ended == p.Ended) {
			t.Fatalf("round trip changed %+v into %+v", p, again)
		}
	})
}
