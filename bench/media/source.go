package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
)

const (
	naluSlice = 1
	naluIDR   = 5
	naluSPS   = 7
	naluPPS   = 8
	naluAUD   = 9
)

// clip is a short test stream the publisher loops: H.264 access units at
// a fixed frame rate, each starting a GOP every fps frames, and AAC frames.
type clip struct {
	fps       int
	video     [][][]byte // access units, NAL units without start codes or AUDs
	sps, pps  []byte
	audio     [][]byte // raw AAC frames
	audioConf *mpeg4audio.AudioSpecificConfig
	bitrate   float64 // video bits per second
}

// frameDur is the duration of one video frame.
func (c *clip) frameDur() time.Duration { return time.Second / time.Duration(c.fps) }

// audioDur is the duration of one AAC frame (1024 samples).
func (c *clip) audioDur() time.Duration {
	return time.Duration(mpeg4audio.SamplesPerAccessUnit) * time.Second / time.Duration(c.audioConf.SampleRate)
}

// makeClip encodes a test pattern and a tone with ffmpeg into dir:
// 1 Mbit/s 720p H.264 at 25 fps, one IDR per second, no B-frames (so
// DTS = PTS and the loop point is clean), and 64 kbit/s AAC at 48 kHz.
func makeClip(dir string, seconds, fps int, kbps int) (*clip, error) {
	vpath, apath := filepath.Join(dir, "clip.h264"), filepath.Join(dir, "clip.aac")
	rate := fmt.Sprintf("%dk", kbps)
	args := []string{"-hide_banner", "-loglevel", "error", "-y",
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc2=size=1280x720:rate=%d", fps),
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
		"-t", fmt.Sprint(seconds),
		"-map", "0:v", "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "high",
		"-pix_fmt", "yuv420p", "-b:v", rate, "-maxrate", rate, "-bufsize", fmt.Sprintf("%dk", kbps/2),
		"-g", fmt.Sprint(fps), "-keyint_min", fmt.Sprint(fps), "-sc_threshold", "0", "-bf", "0",
		"-bsf:v", "h264_metadata=aud=insert", "-f", "h264", vpath,
		"-map", "1:a", "-t", fmt.Sprint(seconds), "-c:a", "aac", "-b:a", "64k", "-ac", "2", "-f", "adts", apath}
	if out, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("ffmpeg: %v: %s", err, bytes.TrimSpace(out))
	}
	vb, err := os.ReadFile(vpath)
	if err != nil {
		return nil, err
	}
	ab, err := os.ReadFile(apath)
	if err != nil {
		return nil, err
	}
	c := &clip{fps: fps}
	if err := c.splitVideo(vb); err != nil {
		return nil, err
	}
	var pkts mpeg4audio.ADTSPackets
	if err := pkts.Unmarshal(ab); err != nil {
		return nil, fmt.Errorf("clip: adts: %w", err)
	}
	if len(pkts) == 0 {
		return nil, fmt.Errorf("clip: no AAC frames")
	}
	c.audioConf = &mpeg4audio.AudioSpecificConfig{Type: pkts[0].Type, SampleRate: pkts[0].SampleRate,
		ChannelConfig: pkts[0].ChannelConfig}
	for _, p := range pkts {
		c.audio = append(c.audio, p.AU)
	}
	var bits int
	for _, au := range c.video {
		for _, n := range au {
			bits += 8 * len(n)
		}
	}
	c.bitrate = float64(bits) / (float64(len(c.video)) / float64(fps))
	return c, nil
}

// splitVideo cuts an Annex-B stream into access units at its AUDs.
func (c *clip) splitVideo(b []byte) error {
	var cur [][]byte
	for _, n := range splitAnnexB(b) {
		switch n[0] & 0x1f {
		case naluAUD:
			if len(cur) > 0 {
				c.video = append(c.video, cur)
			}
			cur = nil
			continue
		case naluSPS:
			c.sps = n
		case naluPPS:
			c.pps = n
		}
		cur = append(cur, n)
	}
	if len(cur) > 0 {
		c.video = append(c.video, cur)
	}
	if len(c.video) == 0 || c.sps == nil || c.pps == nil {
		return fmt.Errorf("clip: no H.264 access units with SPS and PPS")
	}
	if !isKey(c.video[0]) {
		return fmt.Errorf("clip: the first access unit is not an IDR")
	}
	return nil
}

// splitAnnexB returns the NAL units of an Annex-B byte stream.
func splitAnnexB(b []byte) [][]byte {
	var out [][]byte
	start := -1
	for i := 0; i+2 < len(b); i++ {
		if b[i] != 0 || b[i+1] != 0 || b[i+2] != 1 {
			continue
		}
		if start >= 0 {
			out = appendNALU(out, b[start:i])
		}
		start = i + 3
		i += 2
	}
	if start >= 0 {
		out = appendNALU(out, b[start:])
	}
	return out
}

// appendNALU appends n without the trailing zero bytes that belong to
// the next 4-byte start code.
func appendNALU(out [][]byte, n []byte) [][]byte {
	n = bytes.TrimRight(n, "\x00")
	if len(n) > 0 {
		out = append(out, n)
	}
	return out
}

func isKey(au [][]byte) bool {
	for _, n := range au {
		if n[0]&0x1f == naluIDR {
			return true
		}
	}
	return false
}
