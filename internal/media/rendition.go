package media

import (
	"sort"
	"strings"

	"github.com/liveshop/liveshop/internal/apperr"
)

// RenditionSeparator joins a room id and a rendition name into the id of
// the rendition's stream ("ses_123~480p").
const RenditionSeparator = "~"

// RenditionID is the stream id of roomID's rendition name.
func RenditionID(roomID, name string) string { return roomID + RenditionSeparator + name }

// PublishRendition registers a stream that a transcoder makes from parent
// (an ABR rendition) under RenditionID(parent.RoomID, name). A rendition
// is not a publisher: the Gate is neither asked nor told when it starts
// or stops. It ends when its parent does, if its transcoder has not
// closed it before. OnStream watchers see it like any other stream;
// Parent tells them it is a rendition.
//
// Returns apperr.Invalid for a bad name, apperr.Conflict when the
// rendition exists already and ErrClosed when parent has ended.
func (h *Hub) PublishRendition(parent *Stream, name string, t Tracks) (*Stream, error) {
	if name == "" || strings.ContainsAny(name, RenditionSeparator+"/") {
		return nil, apperr.Field("name", "a rendition name must be non-empty without %q or /", RenditionSeparator)
	}
	if t.Video == nil && t.Audio == nil {
		return nil, apperr.New(apperr.Unsupported, "the rendition has neither video nor audio")
	}
	s := newStream(h, RenditionID(parent.RoomID, name), parent.Protocol, t)
	s.parent = parent
	h.mu.Lock()
	select {
	case <-parent.Done():
		h.mu.Unlock()
		return nil, ErrClosed
	default:
	}
	if _, busy := h.streams[s.RoomID]; busy {
		h.mu.Unlock()
		return nil, apperr.New(apperr.Conflict, "rendition %s already exists", name)
	}
	h.streams[s.RoomID] = s
	watchers := append([]func(*Stream){}, h.watchers...)
	h.mu.Unlock()

	go func() {
		select {
		case <-parent.Done():
			s.Close(false)
		case <-s.Done():
		}
	}()
	h.log.Info("rendition started", "room", parent.RoomID, "rendition", name)
	for _, w := range watchers {
		go w(s)
	}
	return s, nil
}

// Parent returns the stream a rendition is made from, or nil for a
// publisher's stream.
func (s *Stream) Parent() *Stream { return s.parent }

// Renditions returns the live renditions of roomID's stream ordered by id.
func (h *Hub) Renditions(roomID string) []*Stream {
	h.mu.RLock()
	parent := h.streams[roomID]
	var out []*Stream
	for _, s := range h.streams {
		if parent != nil && s.parent == parent {
			out = append(out, s)
		}
	}
	h.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].RoomID < out[j].RoomID })
	return out
}
