package media

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

// Gate decides who may publish. room.Service implements it.
type Gate interface {
	// Authorize checks a stream key and returns the room it publishes to.
	// Returns an *apperr.Error (unauthorized, not_found, conflict) when the
	// key is unknown, rotated or belongs to an ended session.
	Authorize(ctx context.Context, streamKey string, p Protocol) (roomID string, err error)
	// Started is told that a publisher of roomID is live.
	Started(ctx context.Context, roomID string, p Protocol) error
	// Stopped is told that roomID's publisher went away. ended is true
	// when the publisher asked to end the session (WHIP DELETE); otherwise
	// the session waits for a reconnect.
	Stopped(roomID string, ended bool)
}

// Hub holds the live streams of this node, one per room.
type Hub struct {
	gate Gate
	log  *slog.Logger
	now  func() time.Time

	mu       sync.RWMutex
	streams  map[string]*Stream
	watchers []func(*Stream)
}

// NewHub returns an empty hub that asks gate before accepting a publisher.
func NewHub(gate Gate, log *slog.Logger, now func() time.Time) *Hub {
	return &Hub{gate: gate, log: log, now: now, streams: map[string]*Stream{}}
}

// OnStream registers fn to be called, in its own goroutine, for every
// stream that starts from now on. Delivery adapters that work per stream
// (the HLS muxer, the recorder, transcoders) attach here.
func (h *Hub) OnStream(fn func(*Stream)) {
	h.mu.Lock()
	h.watchers = append(h.watchers, fn)
	h.mu.Unlock()
}

// Publish admits a publisher with streamKey and returns its new stream.
// The key is checked by the Gate; a room that already has a live
// publisher refuses a second one (apperr.Conflict). The caller writes
// frames and must Close the stream when its publisher goes away.
func (h *Hub) Publish(ctx context.Context, streamKey string, p Protocol, tracks Tracks) (*Stream, error) {
	if tracks.Video == nil && tracks.Audio == nil {
		return nil, apperr.New(apperr.Unsupported, "the stream has neither video nor audio")
	}
	if tracks.Video != nil && tracks.Video.Codec != H264 {
		return nil, apperr.New(apperr.Unsupported, "video codec %s is not supported; send H.264", tracks.Video.Codec)
	}
	if tracks.Audio != nil && tracks.Audio.Codec != AAC && tracks.Audio.Codec != Opus {
		return nil, apperr.New(apperr.Unsupported, "audio codec %s is not supported; send AAC or Opus", tracks.Audio.Codec)
	}
	roomID, err := h.gate.Authorize(ctx, streamKey, p)
	if err != nil {
		return nil, err
	}
	s := newStream(h, roomID, p, tracks)
	h.mu.Lock()
	if _, busy := h.streams[roomID]; busy {
		h.mu.Unlock()
		return nil, apperr.New(apperr.Conflict, "this room already has a live publisher")
	}
	h.streams[roomID] = s
	watchers := append([]func(*Stream){}, h.watchers...)
	h.mu.Unlock()

	if err := h.gate.Started(ctx, roomID, p); err != nil {
		h.remove(s)
		return nil, fmt.Errorf("media: start %s: %w", roomID, err)
	}
	h.log.Info("stream started", "room", roomID, "protocol", p)
	for _, w := range watchers {
		go w(s)
	}
	return s, nil
}

// Stream returns the live stream of roomID, or nil.
func (h *Hub) Stream(roomID string) *Stream {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.streams[roomID]
}

// Streams returns the live streams ordered by room id.
func (h *Hub) Streams() []*Stream {
	h.mu.RLock()
	out := make([]*Stream, 0, len(h.streams))
	for _, s := range h.streams {
		out = append(out, s)
	}
	h.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].RoomID < out[j].RoomID })
	return out
}

// Kick cuts roomID's publisher off (key rotated, session ended). Its
// ingest adapter sees ErrClosed on its next write.
func (h *Hub) Kick(roomID, reason string) {
	if s := h.Stream(roomID); s != nil {
		h.log.Info("publisher cut off", "room", roomID, "reason", reason)
		s.close(false, true)
	}
}

// Close ends every stream (shutdown).
func (h *Hub) Close() {
	for _, s := range h.Streams() {
		s.close(false, false)
	}
}

func (h *Hub) remove(s *Stream) {
	h.mu.Lock()
	if h.streams[s.RoomID] == s {
		delete(h.streams, s.RoomID)
	}
	h.mu.Unlock()
}

// Health returns roomID's stream health when it is live on this node.
func (h *Hub) Health(roomID string) (Health, bool) {
	s := h.Stream(roomID)
	if s == nil {
		return Health{}, false
	}
	return s.Health(), true
}
