package main

import (
	"context"
	"fmt"
	"os/exec"
	"time"
)

// startPublisher keeps the room live: chat needs a live session, and a
// session goes live when its stream arrives. ffmpeg sends a tiny test
// pattern (160x90, 10 fps) so the video costs next to nothing next to
// the chat being measured. It runs until ctx ends.
func startPublisher(ctx context.Context, rtmpAddr, key string) (<-chan error, error) {
	path, err := exec.LookPath("ffmpeg")
	if err != nil {
		return nil, fmt.Errorf("publisher: ffmpeg is needed to make the room live: %w", err)
	}
	cmd := exec.CommandContext(ctx, path, "-hide_banner", "-loglevel", "error", "-re",
		"-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10",
		"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
		"-g", "10", "-b:v", "100k", "-f", "flv", "rtmp://"+rtmpAddr+"/live/"+key)
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("publisher: start ffmpeg: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return done, nil
}
