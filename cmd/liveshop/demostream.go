package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os/exec"
	"time"
)

// demoStream publishes an ffmpeg test pattern with a tone into the demo
// room over RTMP, so a newcomer sees a live room at once. It restarts
// ffmpeg when it exits (say, after a key rotation) until ctx ends.
func demoStream(ctx context.Context, ffmpeg, rtmpURL string, log *slog.Logger) {
	path, err := exec.LookPath(ffmpeg)
	if err != nil {
		log.Warn("demo: ffmpeg is not installed, so the demo room is not streaming; install ffmpeg or publish with OBS", "ffmpeg", ffmpeg)
		return
	}
	for ctx.Err() == nil {
		cmd := exec.CommandContext(ctx, path, demoStreamArgs(rtmpURL)...)
		cmd.WaitDelay = 2 * time.Second
		started := time.Now()
		err := cmd.Run()
		if ctx.Err() != nil {
			return
		}
		log.Warn("demo: test pattern stream stopped; restarting", "err", err, "ran", time.Since(started).Round(time.Second).String())
		select {
		case <-ctx.Done():
		case <-time.After(3 * time.Second):
		}
	}
}

// demoStreamArgs is a 640x360 25 fps test pattern with a clock and a 440 Hz
// tone, H.264 baseline with a keyframe every second and AAC, in real time.
func demoStreamArgs(rtmpURL string) []string {
	return []string{"-hide_banner", "-loglevel", "error", "-re",
		"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
		"-vf", "drawtext=text='liveshop demo %{localtime\\:%X}':x=20:y=20:fontsize=28:fontcolor=white:box=1:boxcolor=black@0.5",
		"-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "baseline", "-pix_fmt", "yuv420p",
		"-g", "25", "-keyint_min", "25", "-b:v", "800k", "-maxrate", "1M", "-bufsize", "1M",
		"-c:a", "aac", "-b:a", "96k", "-ar", "48000",
		"-f", "flv", rtmpURL}
}

// rtmpLocalURL is the URL this node's own RTMP listener answers on.
func rtmpLocalURL(addr, key string) string {
	host, port := "127.0.0.1", "1935"
	if h, p, err := net.SplitHostPort(addr); err == nil {
		if h != "" && h != "0.0.0.0" && h != "::" {
			host = h
		}
		port = p
	}
	return fmt.Sprintf("rtmp://%s:%s/live/%s", host, port, key)
}

// printDemoLive tells a newcomer where the demo room is and how to go
// live in it from ffmpeg, OBS or a WHIP client.
func printDemoLive(c config, key string) {
	server, _ := rtmpServerURL(c.PublicURL, c.RTMP)
	fmt.Printf("\nLive demo room: %s/live/demo   (host studio: %s/studio/demo)\n", c.PublicURL, c.PublicURL)
	if server == "" {
		fmt.Printf("  RTMP ingest is off (--rtmp is empty); publish over WHIP instead.\n")
	} else {
		fmt.Printf("  OBS:    Settings → Stream → Service: Custom\n")
		fmt.Printf("          Server: %s\n          Stream key: %s\n", server, key)
		fmt.Printf("  ffmpeg: ffmpeg -re -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440 \\\n")
		fmt.Printf("            -c:v libx264 -preset veryfast -tune zerolatency -g 30 -c:a aac -f flv %s/%s\n", server, key)
	}
	fmt.Printf("  WHIP (OBS 30+): URL %s/whip   Bearer token: %s\n", c.PublicURL, key)
	if c.DemoPattern && c.RTMP != "" {
		fmt.Printf("  A test pattern is streaming into it now (stop with --demo-stream=false to use your own camera).\n")
	}
	fmt.Println()
}
