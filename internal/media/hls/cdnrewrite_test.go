package hls

import (
	"strings"
	"testing"
)

const cdnTestPrefix = "https://cdn.example.com/live/ses_1/cdn/"

func TestRewriteMediaURIs(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"media playlist",
			"#EXTM3U\n#EXT-X-MAP:URI=\"ab_video1_init.mp4\"\n#EXTINF:2.00000,\nab_video1_seg0.mp4\n",
			"#EXTM3U\n#EXT-X-MAP:URI=\"" + cdnTestPrefix + "ab_video1_init.mp4\"\n#EXTINF:2.00000,\n" + cdnTestPrefix + "ab_video1_seg0.mp4\n"},
		{"query kept",
			"#EXTINF:2,\nab_seg1.mp4?token=x\n",
			"#EXTINF:2,\n" + cdnTestPrefix + "ab_seg1.mp4?token=x\n"},
		{"playlists stay relative",
			"#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",URI=\"audio2_stream.m3u8\"\n#EXT-X-STREAM-INF:BANDWIDTH=1\nvideo1_stream.m3u8\n",
			"#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",URI=\"audio2_stream.m3u8\"\n#EXT-X-STREAM-INF:BANDWIDTH=1\nvideo1_stream.m3u8\n"},
		{"absolute URIs untouched",
			"https://other.example/seg.mp4\n/root/seg.mp4\n//host/seg.mp4\n#EXT-X-MAP:URI=\"http://x/init.mp4\"\n",
			"https://other.example/seg.mp4\n/root/seg.mp4\n//host/seg.mp4\n#EXT-X-MAP:URI=\"http://x/init.mp4\"\n"},
		{"CRLF line endings",
			"#EXTINF:2,\r\nseg.mp4\r\n",
			"#EXTINF:2,\r\n" + cdnTestPrefix + "seg.mp4\r\n"},
		{"an attribute that merely ends in URI",
			"#EXT-X-FOO:X-URI=\"seg.mp4\"\n",
			"#EXT-X-FOO:X-URI=\"seg.mp4\"\n"},
		{"unterminated attribute",
			"#EXT-X-MAP:URI=\"init.mp4\n",
			"#EXT-X-MAP:URI=\"init.mp4\n"},
		{"part and preload hint",
			"#EXT-X-PART:DURATION=0.2,URI=\"p1.mp4\",INDEPENDENT=YES\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p2.mp4\"\n",
			"#EXT-X-PART:DURATION=0.2,URI=\"" + cdnTestPrefix + "p1.mp4\",INDEPENDENT=YES\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"" + cdnTestPrefix + "p2.mp4\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(rewriteMediaURIs([]byte(tt.in), cdnTestPrefix)); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if got := string(rewriteMediaURIs([]byte(tt.in), "")); got != tt.in {
				t.Errorf("an empty prefix changed the playlist:\n%s", got)
			}
		})
	}
}

func TestNormaliseCDNBase(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"https://cdn.example.com", "https://cdn.example.com", true},
		{"https://cdn.example.com/edge/", "https://cdn.example.com/edge", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
		{"cdn.example.com", "", false},
		{"ftp://cdn.example.com", "", false},
		{"https://cdn.example.com/?a=b", "", false},
		{"https:///path", "", false},
	}
	for _, tt := range tests {
		got, err := normaliseCDNBase(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("normaliseCDNBase(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if got := cdnPrefix("https://cdn.example.com", "ses_1"); got != cdnTestPrefix {
		t.Errorf("cdnPrefix = %q", got)
	}
}

// FuzzRewriteMediaURIs checks the rewrite on any input: lines are kept,
// rewriting twice changes nothing, and every relative media URI ends up
// under the prefix.
func FuzzRewriteMediaURIs(f *testing.F) {
	f.Add("#EXTM3U\n#EXT-X-MAP:URI=\"i.mp4\"\n#EXTINF:2,\ns0.mp4\n")
	f.Add("#EXT-X-STREAM-INF:BANDWIDTH=1\nvideo1_stream.m3u8?x=1\n")
	f.Add("#EXT-X-PART:URI=\"a\"b\",URI=\"c\"\r\n\r\n%zz\n:x\n#\n")
	f.Fuzz(func(t *testing.T, in string) {
		out := string(rewriteMediaURIs([]byte(in), cdnTestPrefix))
		if strings.Count(out, "\n") != strings.Count(in, "\n") {
			t.Fatalf("line count changed:\n%q\n%q", in, out)
		}
		if again := string(rewriteMediaURIs([]byte(out), cdnTestPrefix)); again != out {
			t.Fatalf("not idempotent:\n%q\n%q", out, again)
		}
		for _, line := range strings.Split(out, "\n") {
			line = strings.TrimSuffix(line, "\r")
			if line != "" && !strings.HasPrefix(line, "#") && isRelativeMediaURI(line) {
				t.Fatalf("relative media URI %q left in\n%q", line, out)
			}
		}
	})
}
