package realtime

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/liveshop/liveshop/internal/apperr"
)

// ServeHTTP serves GET /ws/rooms/{roomID}?since=SEQ&anon=ID. Mount it
// with that pattern; without a path value the room id is the last path
// segment.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	roomID := r.PathValue("roomID")
	if roomID == "" {
		roomID = r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	}
	if !validRoomID(roomID) {
		http.Error(w, "no such room", http.StatusNotFound)
		return
	}
	since, err := parseSince(r.URL.Query().Get("since"))
	if err != nil {
		http.Error(w, "since must be a sequence number", http.StatusBadRequest)
		return
	}
	releaseClient, refused := s.limits.admitClient(r)
	if refused != nil {
		refuseUpgrade(w, refused)
		return
	}
	defer releaseClient()
	actor, err := s.auth(withQueryToken(r))
	if apperr.Is(err, apperr.Unauthorized) {
		http.Error(w, "bad credentials", http.StatusUnauthorized)
		return
	}
	if err != nil {
		s.log.Error("realtime: authenticate", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	releaseUser, refused := s.limits.admitUser(actor.ID())
	if refused != nil {
		refuseUpgrade(w, refused)
		return
	}
	defer releaseUser()
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: s.opt.OriginPatterns})
	if err != nil {
		return // Accept has answered
	}
	ws.SetReadLimit(s.opt.MaxFrame)

	c := newConn(s, ws, roomID, identity(actor.ID(), r.URL.Query().Get("anon")))
	if !s.track(c) {
		_ = ws.Close(CloseGoingAway, "server shutting down")
		return
	}
	defer s.untrack(c)
	defer c.cancel()

	ctx, cancel := context.WithTimeout(c.ctx, domainTimeout)
	p, err := s.rooms.Participant(ctx, actor, roomID)
	cancel()
	if err != nil {
		c.fail(s.closeFor(err, roomID))
		<-c.closed
		return
	}
	c.p = p
	c.serve(since)
}

// serve runs a joined connection until it closes.
func (c *conn) serve(since uint64) {
	s := c.srv
	h, err := s.acquire(c.roomID)
	if errors.Is(err, errClosed) {
		c.fail(CloseGoingAway, "server shutting down")
	} else if err != nil {
		s.log.Error("realtime: join room", "room", c.roomID, "err", err)
		c.fail(closeInternal, "internal error")
	}
	if err != nil {
		<-c.closed
		return
	}
	defer s.release(h)
	last, recent := h.attach(c)
	defer h.detach(c)

	initial, after, refuse := c.joinFrames(h, since, last, recent)
	reason := closeReason(refuse)
	if refuse == 0 {
		if err := c.writeInitial(initial); err != nil {
			refuse, reason = c.writeFailure(err)
		} else {
			refuse, reason = after, closeReason(after) // an ended room: the snapshot, then 4010
		}
	}
	writerDone := make(chan struct{})
	if refuse != 0 {
		c.fail(refuse, reason)
		close(writerDone)
	} else {
		go func() {
			defer close(writerDone)
			c.writeLoop()
		}()
		if c.p.UserID != "" {
			h.noticeJoin(c.p.Name)
		}
		if s.analytics != nil {
			s.analytics.Viewed(c.roomID, c.p.UserID)
		}
	}
	c.readLoop(h)
	h.detach(c)
	c.fail(websocket.StatusNormalClosure, "")
	<-writerDone
	<-c.closed
}

// closeFor maps a domain refusal to a close code.
func (s *Server) closeFor(err error, roomID string) (websocket.StatusCode, string) {
	switch apperr.CodeOf(err) {
	case apperr.NotFound:
		return CloseNoRoom, "no such room"
	case apperr.Forbidden:
		return CloseBanned, "banned"
	default:
		s.log.Error("realtime: join room", "room", roomID, "err", err)
		return closeInternal, "internal error"
	}
}

func closeReason(code websocket.StatusCode) string {
	switch code {
	case CloseRoomEnded:
		return "room ended"
	case CloseBanned:
		return "banned"
	case CloseNoRoom:
		return "no such room"
	}
	return ""
}

// validRoomID keeps room ids to one bus subject token.
func validRoomID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func parseSince(v string) (uint64, error) {
	if v == "" {
		return 0, nil
	}
	return strconv.ParseUint(v, 10, 64)
}

// withQueryToken lets browsers, which cannot set headers on a WebSocket,
// pass an API token as ?token=.
func withQueryToken(r *http.Request) *http.Request {
	t := r.URL.Query().Get("token")
	if t == "" || r.Header.Get("Authorization") != "" {
		return r
	}
	r2 := r.Clone(r.Context())
	r2.Header.Set("Authorization", "Bearer "+t)
	return r2
}

// identity is who counts as one unique viewer: the user, else the
// anonymous id the client keeps, else this connection.
func identity(userID, anon string) []byte {
	switch {
	case userID != "":
		return []byte("u:" + userID)
	case anon != "" && len(anon) <= 64 && utf8.ValidString(anon):
		return []byte("a:" + anon)
	default:
		return []byte(randomID("c"))
	}
}
