package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// TestLiveRTMP is a host going live from ffmpeg (as OBS would) over RTMP:
// viewers read the stream over LL-HLS and WHEP, the host explains a
// product, bad publishers are refused, and when the publisher stops the
// session becomes a replay that plays from the start and seeks.
func TestLiveRTMP(t *testing.T) {
	p := bootPlatform(t, store.SQLite, "", "--live-grace", "2s")
	id, key := p.scheduleLive(t, "Black soil rice, live from the field")
	viewer := p.srv.Client()

	public := viewer.Must(200, "GET", "/api/v1/live-sessions/"+id, nil)
	if strings.Contains(string(public.Body), key) {
		t.Fatal("the public session shows the stream key")
	}
	if s := public.Map(t); s["status"] != "scheduled" || len(s["products"].([]any)) != 1 {
		t.Fatalf("scheduled session: %v", s)
	}
	if r := p.buyer.Do("GET", "/api/v1/live-sessions/"+id+"/studio", nil); r.Status != http.StatusForbidden {
		t.Fatalf("a buyer opened the studio: %d %s", r.Status, r.Body)
	}
	if r := viewer.Do("POST", "/live/"+id+"/whep", []byte("v=0"), "Content-Type", "application/sdp"); r.Status != http.StatusNotFound {
		t.Fatalf("WHEP for a room not live: %d %s", r.Status, r.Body)
	}

	// A wrong key is refused before any media is accepted.
	bad := publishRTMP(t, p.srv.RTMP, "not-a-real-key-0123456789", 5)
	if err := bad.Wait(); err == nil {
		t.Fatal("ffmpeg published with a wrong key")
	}

	started := time.Now()
	pub := publishRTMP(t, p.srv.RTMP, key, 60)
	waitStatus(t, viewer, id, "live", 15*time.Second)

	// A second publisher on a live key is refused; the first goes on.
	second := publishRTMP(t, p.srv.RTMP, key, 5)
	if err := second.Wait(); err == nil {
		t.Fatal("a second publisher was accepted")
	}

	playlist := waitLLHLS(t, p.srv.URL, id, 20*time.Second)
	t.Logf("publish → LL-HLS playlist with parts: %s", time.Since(started).Round(time.Millisecond))
	for _, want := range []string{"#EXT-X-PRELOAD-HINT", "CAN-BLOCK-RELOAD=YES", "#EXT-X-PART-INF"} {
		if !strings.Contains(playlist, want) {
			t.Fatalf("LL-HLS playlist lacks %s:\n%s", want, playlist)
		}
	}
	codecs := strings.Join(probeStreams(t, p.srv.URL+"/live/"+id+"/index.m3u8"), ",")
	if !strings.Contains(codecs, "h264") || !strings.Contains(codecs, "aac") {
		t.Fatalf("ffprobe read %q from LL-HLS, want h264 and aac", codecs)
	}
	cdn := waitVariant(t, p.srv.URL+"/live/"+id+"/cdn/index.m3u8", 20*time.Second, "#EXTINF")
	if strings.Contains(cdn, "#EXT-X-PART") {
		t.Fatalf("the CDN playlist is low-latency:\n%s", cdn)
	}

	// WHEP: video and (transcoded) audio RTP.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	asked := time.Now()
	res, err := watchWHEP(t, ctx, p.srv.URL, id)
	if err != nil {
		t.Fatalf("WHEP: %v", err)
	}
	for time.Now().Before(asked.Add(15*time.Second)) && (res.video.Load() < 50 || res.audio.Load() < 25) {
		time.Sleep(100 * time.Millisecond)
	}
	if res.video.Load() < 50 || res.audio.Load() < 25 {
		t.Fatalf("WHEP viewer got %d video and %d audio packets", res.video.Load(), res.audio.Load())
	}
	t.Logf("WHEP offer → first video packet: %s", time.Unix(0, res.firstVideo.Load()).Sub(asked).Round(time.Millisecond))

	// The host explains the product: a moment is stored for the replay.
	time.Sleep(time.Second)
	p.merchant.Must(201, "POST", "/api/v1/live-sessions/"+id+"/explain", map[string]any{"product_id": p.productID})
	if r := p.merchant.Do("POST", "/api/v1/live-sessions/"+id+"/explain", map[string]any{"product_id": "prd_nope"}); r.Status != 400 && r.Status != 404 {
		t.Fatalf("explaining a product not on the shelf: %d %s", r.Status, r.Body)
	}
	studio := p.merchant.Must(200, "GET", "/api/v1/live-sessions/"+id+"/studio", nil).Map(t)
	health, _ := studio["health"].(map[string]any)
	if health == nil || health["bitrate_kbps"].(float64) <= 0 || health["fps"].(float64) <= 0 || health["protocol"] != "rtmp" {
		t.Fatalf("studio health: %v", studio["health"])
	}
	metrics := string(viewer.Must(200, "GET", "/metrics", nil).Body)
	for _, want := range []string{`liveshop_stream_bitrate_kbps{room="` + id + `"}`, `liveshop_live_streams{protocol="rtmp"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Fatalf("/metrics lacks %s", want)
		}
	}

	// The publisher stops; after the grace the session ends and becomes a replay.
	pub.Process.Kill()
	pub.Wait()
	waitStatus(t, viewer, id, "replay", 30*time.Second)
	vod := waitPlaylist(t, p.srv.URL+"/replays/"+id+"/index.m3u8", 10*time.Second, "#EXT-X-ENDLIST")
	if !strings.Contains(vod, "VOD") {
		t.Fatalf("replay playlist is not VOD:\n%s", vod)
	}
	decodes(t, p.srv.URL+"/replays/"+id+"/index.m3u8", 0)
	decodes(t, p.srv.URL+"/replays/"+id+"/index.m3u8", 2)
	moments := viewer.Must(200, "GET", "/api/v1/live-sessions/"+id+"/moments", nil).Map(t)["items"].([]any)
	if len(moments) != 1 || moments[0].(map[string]any)["offset_ms"].(float64) < 1000 {
		t.Fatalf("moments: %v", moments)
	}

	// An ended session's key is refused.
	again := publishRTMP(t, p.srv.RTMP, key, 5)
	if err := again.Wait(); err == nil {
		t.Fatal("an ended session accepted its key again")
	}
	if strings.Contains(p.srv.Logs(), key) {
		t.Fatal("the stream key appears in the server log")
	}
}

// TestLiveWHIP is a host going live from a WebRTC publisher (H.264 +
// Opus) over WHIP on PostgreSQL: HLS viewers get H.264 and audio, a key
// rotation cuts the publisher off, the new key works, and DELETE ends the
// session into a replay.
func TestLiveWHIP(t *testing.T) {
	p := bootPlatform(t, store.Postgres, "", "--live-grace", "10s")
	id, key := p.scheduleLive(t, "Tea picking at dawn")
	viewer := p.srv.Client()
	h264, ogg := testMedia(t, 4)

	for _, tc := range []struct {
		name, auth, ctype, body string
		want                    int
	}{
		{"no token", "", "application/sdp", "v=0", 401},
		{"wrong token", "Bearer wrong-key-0123456789", "application/sdp", validOffer(t), 401},
		{"not sdp", "Bearer " + key, "application/json", "{}", 415},
		{"malformed sdp", "Bearer " + key, "application/sdp", "this is not sdp", 400},
	} {
		c := p.srv.Client()
		hdr := []string{"Content-Type", tc.ctype}
		if tc.auth != "" {
			hdr = append(hdr, "Authorization", tc.auth)
		}
		r := c.Do("POST", "/whip", []byte(tc.body), hdr...)
		if r.Status != tc.want {
			t.Fatalf("%s: status %d, want %d: %s", tc.name, r.Status, tc.want, r.Body)
		}
		r.ErrorField(t)
	}

	pub, err := publishWHIP(t, p.srv.URL, key, h264, ogg)
	if err != nil {
		t.Fatalf("WHIP publish: %v", err)
	}
	waitStatus(t, viewer, id, "live", 15*time.Second)
	waitLLHLS(t, p.srv.URL, id, 20*time.Second)
	codecs := strings.Join(probeStreams(t, p.srv.URL+"/live/"+id+"/index.m3u8"), ",")
	if !strings.Contains(codecs, "h264") || !(strings.Contains(codecs, "aac") || strings.Contains(codecs, "opus")) {
		t.Fatalf("ffprobe read %q from LL-HLS of a WHIP stream, want h264 and audio", codecs)
	}

	// Rotating the key cuts the publisher off; the old key is refused and
	// the new one goes live again within the grace.
	studio := p.merchant.Must(200, "POST", "/api/v1/live-sessions/"+id+"/key", nil).Map(t)
	newKey := studio["stream_key"].(string)
	if newKey == key {
		t.Fatal("rotation kept the key")
	}
	deadline := time.Now().Add(10 * time.Second)
	for pub.pc.ConnectionState().String() == "connected" && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	pub.Stop()
	if _, err := publishWHIP(t, p.srv.URL, key, h264, ogg); err == nil {
		t.Fatal("the rotated key still publishes")
	}
	pub2, err := publishWHIP(t, p.srv.URL, newKey, h264, ogg)
	if err != nil {
		t.Fatalf("publish with the new key: %v", err)
	}
	waitLLHLS(t, p.srv.URL, id, 20*time.Second)
	time.Sleep(3 * time.Second)

	// DELETE ends the session at once (no grace) and it becomes a replay.
	r := p.srv.Client().Do("DELETE", pub2.location, nil, "Authorization", "Bearer "+newKey)
	if r.Status != 200 && r.Status != 204 {
		t.Fatalf("WHIP DELETE: %d %s", r.Status, r.Body)
	}
	pub2.Stop()
	waitStatus(t, viewer, id, "replay", 8*time.Second)
	waitPlaylist(t, p.srv.URL+"/replays/"+id+"/index.m3u8", 10*time.Second, "#EXT-X-ENDLIST")
	decodes(t, p.srv.URL+"/replays/"+id+"/index.m3u8", 0)
	if strings.Contains(p.srv.Logs(), key) || strings.Contains(p.srv.Logs(), newKey) {
		t.Fatal("a stream key appears in the server log")
	}
}

// TestLiveABR publishes 854x480 with --abr: the adaptive playlist lists
// the source and a 360p rendition made by ffmpeg, and the rendition plays.
func TestLiveABR(t *testing.T) {
	p := bootPlatform(t, store.SQLite, "", "--abr")
	id, key := p.scheduleLive(t, "Silk scarves in every colour")
	publishRTMPSize(t, p.srv.RTMP, key, 40, "854x480")
	waitStatus(t, p.srv.Client(), id, "live", 15*time.Second)
	master := waitPlaylist(t, p.srv.URL+"/live/"+id+"/master.m3u8", 30*time.Second, "RESOLUTION=640x360")
	if !strings.Contains(master, "RESOLUTION=854x480") {
		t.Fatalf("adaptive playlist lacks the source:\n%s", master)
	}
	var rendition string
	lines := strings.Split(master, "\n")
	for i, l := range lines {
		if strings.Contains(l, "RESOLUTION=640x360") && i+1 < len(lines) {
			rendition = lines[i+1]
		}
	}
	url := p.srv.URL + "/live/" + id + "/" + rendition
	waitPlaylist(t, url, 20*time.Second, "#EXT-X-PART:")
	if codecs := strings.Join(probeStreams(t, url), ","); !strings.Contains(codecs, "h264") {
		t.Fatalf("ffprobe read %q from the 360p rendition", codecs)
	}
}
