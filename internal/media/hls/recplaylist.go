package hls

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The names the recorder writes; nothing else in a recording directory
// is ever served or read back.
var (
	segmentName = regexp.MustCompile(`^seg-[0-9]{6,9}\.m4s$`)
	initName    = regexp.MustCompile(`^init-[0-9]{1,6}\.mp4$`)
)

const playlistName = "index.m3u8"

func segmentFile(n int) string { return fmt.Sprintf("seg-%06d.m4s", n) }
func initFile(gen int) string  { return fmt.Sprintf("init-%d.mp4", gen) }

// recordingFile reports whether name is a file the recorder writes.
func recordingFile(name string) bool {
	return name == playlistName || segmentName.MatchString(name) || initName.MatchString(name)
}

// recSegment is one media segment of a recording.
type recSegment struct {
	Duration time.Duration
	Name     string
	// Init is the init segment the segment needs; a change of Init
	// between two segments is a discontinuity (a new generation).
	Init string
}

// recPlaylist is a recording's media playlist: EVENT while it may grow,
// VOD once Ended.
type recPlaylist struct {
	Segments []recSegment
	Ended    bool
}

// duration is the recording's length.
func (p *recPlaylist) duration() time.Duration {
	var d time.Duration
	for _, s := range p.Segments {
		d += s.Duration
	}
	return d
}

// maxSegmentDuration bounds what a playlist may claim for one segment
// (a publisher that never sends a keyframe still gets segments cut by
// gopLimit long before this).
const maxSegmentDuration = time.Hour

// marshal renders the playlist.
func (p *recPlaylist) marshal() []byte {
	target := 1
	for _, s := range p.Segments {
		// EXTINF rounded to the nearest integer must not exceed the
		// target duration; rounding up keeps that true.
		target = max(target, int(math.Ceil(s.Duration.Round(time.Millisecond).Seconds())))
	}
	var b bytes.Buffer
	kind := "EVENT"
	if p.Ended {
		kind = "VOD"
	}
	fmt.Fprintf(&b, "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:%d\n#EXT-X-MEDIA-SEQUENCE:0\n"+
		"#EXT-X-PLAYLIST-TYPE:%s\n#EXT-X-INDEPENDENT-SEGMENTS\n", target, kind)
	init := ""
	for i, s := range p.Segments {
		if s.Init != init {
			if i > 0 {
				b.WriteString("#EXT-X-DISCONTINUITY\n")
			}
			fmt.Fprintf(&b, "#EXT-X-MAP:URI=%q\n", s.Init)
			init = s.Init
		}
		fmt.Fprintf(&b, "#EXTINF:%s,\n%s\n", strconv.FormatFloat(s.Duration.Round(time.Millisecond).Seconds(), 'f', 3, 64), s.Name)
	}
	if p.Ended {
		b.WriteString("#EXT-X-ENDLIST\n")
	}
	return b.Bytes()
}

// parseRecPlaylist reads back a playlist that marshal wrote, to resume a
// recording after a restart. It accepts only what marshal writes.
func parseRecPlaylist(data []byte) (recPlaylist, error) {
	var p recPlaylist
	sc := bufio.NewScanner(bytes.NewReader(data))
	init, first := "", true
	var dur time.Duration
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if first {
			if line != "#EXTM3U" {
				return recPlaylist{}, fmt.Errorf("hls: playlist line 1: not an HLS playlist")
			}
			first = false
			continue
		}
		switch {
		case line == "":
		case strings.HasPrefix(line, "#EXT-X-MAP:"):
			v, ok := strings.CutPrefix(strings.TrimPrefix(line, "#EXT-X-MAP:"), `URI="`)
			v, ok2 := strings.CutSuffix(v, `"`)
			if !ok || !ok2 || !initName.MatchString(v) {
				return recPlaylist{}, fmt.Errorf("hls: playlist line %d: bad EXT-X-MAP", n)
			}
			init = v
		case strings.HasPrefix(line, "#EXTINF:"):
			v, _, _ := strings.Cut(strings.TrimPrefix(line, "#EXTINF:"), ",")
			sec, err := strconv.ParseFloat(v, 64)
			if err != nil || !(sec > 0) || sec > maxSegmentDuration.Seconds() {
				return recPlaylist{}, fmt.Errorf("hls: playlist line %d: bad EXTINF", n)
			}
			dur = time.Duration(sec * float64(time.Second)).Round(time.Millisecond)
			if dur <= 0 {
				return recPlaylist{}, fmt.Errorf("hls: playlist line %d: bad EXTINF", n)
			}
		case line == "#EXT-X-ENDLIST":
			p.Ended = true
		case strings.HasPrefix(line, "#"):
			// Header tags and discontinuities follow from the segments.
		default:
			if dur == 0 || init == "" || !segmentName.MatchString(line) {
				return recPlaylist{}, fmt.Errorf("hls: playlist line %d: segment without EXTINF or EXT-X-MAP, or a bad name", n)
			}
			p.Segments = append(p.Segments, recSegment{Duration: dur, Name: line, Init: init})
			dur = 0
		}
	}
	if err := sc.Err(); err != nil {
		return recPlaylist{}, fmt.Errorf("hls: read playlist: %w", err)
	}
	if first {
		return recPlaylist{}, fmt.Errorf("hls: empty playlist")
	}
	return p, nil
}

// nextNumbers returns the first unused segment number and generation.
func (p *recPlaylist) nextNumbers() (seg, gen int) {
	seg, gen = 1, 1
	for _, s := range p.Segments {
		var n, g int
		fmt.Sscanf(s.Name, "seg-%d.m4s", &n)
		fmt.Sscanf(s.Init, "init-%d.mp4", &g)
		seg, gen = max(seg, n+1), max(gen, g+1)
	}
	return seg, gen
}
