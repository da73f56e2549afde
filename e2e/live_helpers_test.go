package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
)

// scheduleLive schedules a session for the platform's shop with its
// product on the shelf and returns the session id and its stream key.
func (p *platform) scheduleLive(t *testing.T, title string) (id, key string) {
	t.Helper()
	st := p.merchant.Must(201, "POST", "/api/v1/shops/"+p.shopID+"/live-sessions", map[string]any{
		"title": title, "product_ids": []string{p.productID},
		"planned_start": time.Now().Add(time.Minute).UTC().Format(time.RFC3339),
	}).Map(t)
	sess := st["session"].(map[string]any)
	id, key = sess["id"].(string), st["stream_key"].(string)
	if id == "" || len(key) < 16 {
		t.Fatalf("studio view without id or key: %v", st)
	}
	return id, key
}

// waitStatus polls the public session until it has status.
func waitStatus(t *testing.T, c *Client, id, status string, within time.Duration) map[string]any {
	t.Helper()
	deadline := time.Now().Add(within)
	var last map[string]any
	for time.Now().Before(deadline) {
		last = c.Must(200, "GET", "/api/v1/live-sessions/"+id, nil).Map(t)
		if last["status"] == status {
			return last
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("session %s did not become %s within %s: %v", id, status, within, last)
	return nil
}

// publishRTMP starts ffmpeg publishing a test pattern with a tone.
func publishRTMP(t *testing.T, rtmpAddr, key string, seconds int) *exec.Cmd {
	t.Helper()
	return publishRTMPSize(t, rtmpAddr, key, seconds, "320x240")
}

// publishRTMPSize is publishRTMP with a picture size.
func publishRTMPSize(t *testing.T, rtmpAddr, key string, seconds int, size string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
		"-f", "lavfi", "-i", "testsrc2=size="+size+":rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
		"-t", fmt.Sprint(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
		"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv", "rtmp://"+rtmpAddr+"/live/"+key)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd
}

// probeStreams returns the codec names ffprobe finds at url.
func probeStreams(t *testing.T, url string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-show_entries", "stream=codec_name,codec_type",
		"-of", "json", url).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", url, err, out)
	}
	var res struct {
		Streams []struct {
			CodecName string `json:"codec_name"`
		} `json:"streams"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range res.Streams {
		names = append(names, s.CodecName)
	}
	return names
}

// decodeSeconds decodes url with ffmpeg (from ss seconds) and returns the
// decoded duration it reports.
func decodes(t *testing.T, url string, ss float64) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-v", "error", "-ss", fmt.Sprint(ss), "-i", url,
		"-f", "null", "-").CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg cannot decode %s from %vs: %v\n%s", url, ss, err, out)
	}
	return string(out)
}

// get fetches a URL and returns status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitPlaylist waits until url answers 200 with a playlist containing all of wants.
func waitPlaylist(t *testing.T, url string, within time.Duration, wants ...string) string {
	t.Helper()
	deadline := time.Now().Add(within)
	var status int
	var body string
	for time.Now().Before(deadline) {
		status, body = get(t, url)
		ok := status == 200
		for _, w := range wants {
			ok = ok && strings.Contains(body, w)
		}
		if ok {
			return body
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s not ready within %s: %d %s", url, within, status, body)
	return ""
}

// waitLLHLS waits for a room's LL-HLS multivariant playlist and returns
// its video media playlist once that has parts.
func waitLLHLS(t *testing.T, base, id string, within time.Duration) string {
	t.Helper()
	return waitVariant(t, base+"/live/"+id+"/index.m3u8", within, "#EXT-X-PART:")
}

// waitVariant waits for a multivariant playlist at masterURL and returns
// its first variant's media playlist once that contains want.
func waitVariant(t *testing.T, masterURL string, within time.Duration, want string) string {
	t.Helper()
	deadline := time.Now().Add(within)
	master := waitPlaylist(t, masterURL, within, "#EXTM3U")
	var uri string
	for _, line := range strings.Split(master, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			uri = line
			break
		}
	}
	if uri == "" {
		t.Fatalf("multivariant playlist without a variant:\n%s", master)
	}
	dir := masterURL[:strings.LastIndex(masterURL, "/")+1]
	return waitPlaylist(t, dir+uri, time.Until(deadline)+time.Second, want)
}

// validOffer is a well-formed WebRTC offer with H.264 video and Opus audio.
func validOffer(t *testing.T) string {
	t.Helper()
	pc := newPeer(t)
	for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		if _, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
			t.Fatal(err)
		}
	}
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	return offer.SDP
}
