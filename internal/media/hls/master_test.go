package hls

import (
	"strings"
	"testing"
)

func TestMergeMultivariant(t *testing.T) {
	src := `#EXTM3U
#EXT-X-VERSION:9
#EXT-X-INDEPENDENT-SEGMENTS

#EXT-X-MEDIA:TYPE="AUDIO",GROUP-ID="audio",NAME="audio2",AUTOSELECT=YES,DEFAULT=YES,URI="audio2_stream.m3u8"

#EXT-X-STREAM-INF:BANDWIDTH=1000000,AVERAGE-BANDWIDTH=900000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=25.000,AUDIO="audio"
video1_stream.m3u8
`
	got := string(mergeMultivariant([]variantSource{
		{prefix: "", body: []byte(src)},
		{prefix: "../ses_1~360p/", group: "360p", body: []byte(strings.ReplaceAll(src, "640x360", "480x270"))},
	}))
	want := `#EXTM3U
#EXT-X-VERSION:9
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MEDIA:TYPE="AUDIO",GROUP-ID="audio",NAME="audio2",AUTOSELECT=YES,DEFAULT=YES,URI="audio2_stream.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=1000000,AVERAGE-BANDWIDTH=900000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=25.000,AUDIO="audio"
video1_stream.m3u8
#EXT-X-MEDIA:TYPE="AUDIO",GROUP-ID="audio_360p",NAME="audio2",AUTOSELECT=YES,DEFAULT=YES,URI="../ses_1~360p/audio2_stream.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=1000000,AVERAGE-BANDWIDTH=900000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=480x270,FRAME-RATE=25.000,AUDIO="audio_360p"
../ses_1~360p/video1_stream.m3u8
`
	if got != want {
		t.Fatalf("merged playlist:\n%s\nwant:\n%s", got, want)
	}
	if got := string(mergeMultivariant([]variantSource{{body: nil}})); got != "#EXTM3U\n" {
		t.Fatalf("empty source gives %q", got)
	}
}
