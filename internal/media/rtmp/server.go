// Package rtmp ingests RTMP publishers (OBS, ffmpeg, hardware encoders)
// into the media Hub with gortmplib.
//
// Publishers send to rtmp://HOST:PORT/live/{streamKey} (or server
// rtmp://HOST:PORT/live plus the key, as OBS asks for them). The key is
// checked before the publisher is told to start; H.264 video and AAC audio
// (or Opus over Enhanced RTMP) become media.Frames on the room's Stream.
// RTMP playback is not served.
//
// Lifecycle: New, then Serve (or ListenAndServe) until its context ends.
// Serve then closes every connection, waits for their handlers (each
// closes its stream, so the Gate hears Stopped) and returns.
package rtmp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/media"
)

// DefaultStallTimeout is how long a publisher may send no media before it
// is cut off.
const DefaultStallTimeout = 10 * time.Second

// KeyChecker is the part of media.Gate (room.Service) the server uses to
// refuse a bad key before answering the publish command, so the encoder
// reports a rejected key instead of a dropped connection (OBS then does
// not retry in a loop). The Hub checks the key again when the stream
// starts; that check is the one that counts.
type KeyChecker interface {
	Authorize(ctx context.Context, streamKey string, p media.Protocol) (roomID string, err error)
}

// Config is what a Server needs.
type Config struct {
	// Addr is the TCP address ListenAndServe listens on, e.g. ":1935".
	Addr string
	// Hub receives the streams. Required.
	Hub *media.Hub
	// Keys, optional, lets keys be refused before media flows (see
	// KeyChecker). Without it a bad key is refused once the headers are in.
	Keys KeyChecker
	Log  *slog.Logger
	// StallTimeout cuts off a publisher that sends no media for this long;
	// it also bounds the handshake. Default DefaultStallTimeout.
	StallTimeout time.Duration
	// Now stamps Frame.Ingest. Default time.Now.
	Now func() time.Time
}

// Server accepts RTMP publishers.
type Server struct {
	addr  string
	hub   *media.Hub
	keys  KeyChecker
	log   *slog.Logger
	stall time.Duration
	now   func() time.Time
}

// New returns a server for c; it does not listen yet.
func New(c Config) *Server {
	s := &Server{addr: c.Addr, hub: c.Hub, keys: c.Keys, log: c.Log, stall: c.StallTimeout, now: c.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.stall <= 0 {
		s.stall = DefaultStallTimeout
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// ListenAndServe listens on the configured address and serves until ctx
// ends.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("rtmp: listen %s: %w", s.addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve accepts connections on ln until ctx ends (it then returns nil) or
// ln fails. It closes ln and, before returning, every connection it
// accepted, waiting for their streams to close.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopClosing := context.AfterFunc(ctx, func() { ln.Close() })
	defer stopClosing()

	var (
		mu    sync.Mutex
		conns = map[net.Conn]struct{}{}
		wg    sync.WaitGroup
	)
	defer func() {
		cancel()
		ln.Close()
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	}()

	s.log.Info("rtmp ingest listening", "addr", ln.Addr().String())
	for {
		nc, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, net.ErrClosed) {
				return fmt.Errorf("rtmp: accept: %w", err)
			}
			// Out of file descriptors and the like pass; back off rather
			// than spin or give up on ingest.
			s.log.Warn("rtmp accept failed", "err", err)
			select {
			case <-time.After(100 * time.Millisecond):
			case <-ctx.Done():
				return nil
			}
			continue
		}
		mu.Lock()
		conns[nc] = struct{}{}
		mu.Unlock()
		wg.Go(func() {
			defer func() {
				nc.Close()
				mu.Lock()
				delete(conns, nc)
				mu.Unlock()
			}()
			s.handle(ctx, nc)
		})
	}
}
