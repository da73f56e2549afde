package rtmp

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/bluenviron/gortmplib"
	"github.com/bluenviron/gortmplib/pkg/message"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/media"
)

const (
	// authTimeout bounds the Gate and Hub calls of one publish.
	authTimeout = 10 * time.Second
	// refusalLinger is how long a refused client gets to read our onStatus
	// before the connection is closed under it.
	refusalLinger = time.Second
)

// handle serves one connection: handshake, connect, the publish command,
// key check, headers, then media until the publisher leaves, stalls or is
// cut off. Every path that published the stream closes it exactly once.
func (s *Server) handle(ctx context.Context, nc net.Conn) {
	connected := s.now()
	log := s.log.With("remote", nc.RemoteAddr().String())
	// One deadline bounds the whole set-up, headers included.
	_ = nc.SetDeadline(time.Now().Add(s.stall))

	rw := &setupConn{Conn: nc, fast: true}
	sc := &gortmplib.ServerConn{RW: rw}
	if err := sc.Initialize(); err != nil {
		log.Debug("rtmp handshake failed", "err", err)
		return
	}
	if err := sc.AcceptConn(); err != nil {
		log.Debug("rtmp connect failed", "err", err)
		return
	}
	if !sc.Publish {
		s.refuse(nc, sc, log, refusePlay)
		return
	}
	key, err := streamKeyFromURL(sc.URL)
	if err != nil {
		s.refuse(nc, sc, log, err)
		return
	}
	actx, cancel := context.WithTimeout(ctx, authTimeout)
	defer cancel()
	if s.keys != nil {
		roomID, err := s.keys.Authorize(actx, key, media.RTMP)
		if err != nil {
			s.refuse(nc, sc, log.With("key_tag", keyTag(key)), err)
			return
		}
		log = log.With("room", roomID)
		if s.hub.Stream(roomID) != nil {
			s.refuse(nc, sc, log, apperr.New(apperr.Conflict, "this room already has a live publisher"))
			return
		}
	}
	if err := sc.AcceptAction(); err != nil {
		log.Debug("rtmp publish start failed", "err", err)
		return
	}

	accepted := s.now()
	pr, err := probe(sc.Read)
	if err != nil {
		var r *refusal
		if errors.As(err, &r) {
			s.refuse(nc, sc, log, r)
		} else {
			log.Info("rtmp publisher left before its headers arrived", "err", err)
		}
		return
	}
	stream, err := s.hub.Publish(actx, key, media.RTMP, pr.tracks)
	if err != nil {
		if s.keys == nil {
			log = log.With("key_tag", keyTag(key))
		}
		s.refuse(nc, sc, log, err)
		return
	}
	defer stream.Close(false)
	rw.fast = false // set-up is over; media needs no quick ACKs

	log = s.log.With("remote", nc.RemoteAddr().String(), "room", stream.RoomID)
	// startup_ms is connect → live; headers_ms the part spent waiting for
	// the encoder's first headers after we said "start".
	log.Info("rtmp publisher live", append(trackAttrs(pr.tracks), "startup_ms", s.now().Sub(connected).Milliseconds(),
		"headers_ms", s.now().Sub(accepted).Milliseconds())...)
	reason, err := s.pump(ctx, nc, sc, stream, newConverter(pr.tracks, pr.aacSamples, s.now), pr.pending)
	if err != nil {
		log.Warn("rtmp publisher gone", "reason", reason, "err", err)
		return
	}
	log.Info("rtmp publisher gone", "reason", reason)
}

// pump writes the publisher's frames into stream until it leaves, stalls,
// is kicked or the server shuts down, and says which.
func (s *Server) pump(ctx context.Context, nc net.Conn, sc *gortmplib.ServerConn, stream *media.Stream,
	conv *converter, pending []message.Message) (reason string, err error) {
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-stream.Done(): // kicked: unblock the read below at once
			nc.Close()
		case <-stop:
		}
	}()

	lastMedia := s.now()
	dropped := 0
	take := func(msg message.Message) (string, error) {
		if cmd, ok := msg.(*message.CommandAMF0); ok && endsPublish(cmd.Name) {
			return "unpublished", nil
		}
		f, err := conv.frame(msg)
		if err != nil {
			// One malformed access unit is not worth cutting a live show
			// off for; the decoder recovers at the next keyframe.
			if dropped++; dropped == 1 {
				s.log.Warn("rtmp dropped a malformed frame", "room", stream.RoomID, "err", err)
			}
			return "", nil
		}
		if f == nil {
			return "", nil
		}
		lastMedia = s.now()
		if stream.WriteFrame(f) != nil { // only media.ErrClosed: the hub cut us off
			return "kicked", nil
		}
		return "", nil
	}
	for _, msg := range pending {
		if reason, err := take(msg); reason != "" {
			return reason, err
		}
	}
	for {
		// The read deadline catches a silent publisher; lastMedia one that
		// keeps the connection alive without sending media.
		_ = nc.SetDeadline(time.Now().Add(s.stall))
		msg, err := sc.Read()
		if err != nil {
			select {
			case <-stream.Done():
				return "kicked", nil
			default:
			}
			var ne net.Error
			switch {
			case ctx.Err() != nil:
				return "shutdown", nil
			case errors.As(err, &ne) && ne.Timeout():
				return "stalled", nil
			case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
				return "disconnected", nil
			}
			return "read error", err
		}
		if reason, err := take(msg); reason != "" {
			return reason, err
		}
		if s.now().Sub(lastMedia) > s.stall {
			return "stalled", nil
		}
	}
}

// endsPublish reports whether a command means the publisher is done.
func endsPublish(name string) bool {
	switch name {
	case "FCUnpublish", "deleteStream", "closeStream":
		return true
	}
	return false
}

// refuse tells the client why with an onStatus error, logs it, and gives
// the client a moment to read it: closing at once with its media still
// unread would reset the connection and lose the message.
func (s *Server) refuse(nc net.Conn, sc *gortmplib.ServerConn, log *slog.Logger, cause error) {
	r := refusalOf(cause)
	var known *refusal
	if _, isApp := apperr.As(cause); !isApp && !errors.As(cause, &known) {
		log = log.With("err", cause) // an internal failure the publisher is not told about
	}
	log.Info("rtmp request refused", "status", r.code, "reason", r.description)
	if err := writeRefusal(sc, r); err != nil {
		log.Debug("rtmp refusal not delivered", "err", err)
		return
	}
	if tc, ok := nc.(interface{ CloseWrite() error }); ok {
		_ = tc.CloseWrite()
	}
	_ = nc.SetDeadline(time.Now().Add(refusalLinger))
	_, _ = io.Copy(io.Discard, io.LimitReader(nc, 8<<20))
}

func trackAttrs(t media.Tracks) []any {
	var out []any
	if v := t.Video; v != nil {
		out = append(out, "video", v.Codec, "width", v.Width, "height", v.Height)
	}
	if a := t.Audio; a != nil {
		out = append(out, "audio", a.Codec, "sample_rate", a.SampleRate, "channels", a.Channels)
	}
	return out
}
