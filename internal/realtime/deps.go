package realtime

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/liveshop/liveshop/internal/account"
)

// Participant is who a connection is in a room, as the domain decided on
// connect (room.Participant, field for field).
type Participant struct {
	UserID string // "" for an anonymous viewer
	Name   string
	Role   string // anonymous, viewer, host, operator or admin
	Muted  bool
	// MutedUntil and Actor are kept for the domain: an adapter hands them
	// back when the participant chats.
	MutedUntil *time.Time
	Actor      account.Actor
}

// Participant roles, as room.Role*. Under load only viewers' chat (role
// viewer, anonymous or none) may be sampled away.
const (
	RoleAnonymous = "anonymous"
	RoleViewer    = "viewer"
	RoleHost      = "host"
	RoleOperator  = "operator"
	RoleAdmin     = "admin"
)

// Snapshot is the domain's view of a room for one participant: everything
// the joining client needs except counts and seq, which this package adds.
type Snapshot struct {
	// Data is a JSON object: {session, chat, questions, announcement,
	// slow_mode_seconds, you}. The snapshot frame adds "counts" (and
	// "reset" when a resume was too old).
	Data json.RawMessage
	// Status is the session's status; ended and replay rooms get their
	// snapshot and are then closed with 4010.
	Status string
	// Likes and Peak are the totals stored on the session, so counts start
	// from them rather than from zero on a fresh node.
	Likes int64
	Peak  int
}

// Rooms is what the adapter needs of the room domain (*room.Service with
// a thin adapter). Errors are *apperr.Error: Participant returns NotFound
// for no such room and Forbidden for a banned user; PostChat and
// AskQuestion return Invalid, Forbidden, Conflict (room not live) or
// RateLimited (slow mode). PostChat and AskQuestion publish their event on
// the bus themselves.
type Rooms interface {
	Participant(ctx context.Context, a account.Actor, roomID string) (Participant, error)
	PostChat(ctx context.Context, p Participant, roomID, text string) error
	AskQuestion(ctx context.Context, p Participant, roomID, text string) error
	AddLikes(ctx context.Context, roomID string, n int) error
	Snapshot(ctx context.Context, p Participant, roomID string) (Snapshot, error)
	RecordPeak(ctx context.Context, roomID string, peak int) error
}

// Message is one bus message. Seq is the stream sequence of room events
// (0 on core subjects); it only grows within a subject, with gaps allowed.
// Its fields are bus.Message's, so the adapter converts with Message(m).
type Message struct {
	Subject string
	Data    []byte
	Seq     uint64
}

// Bus is what the adapter needs of internal/bus.
type Bus interface {
	// Publish sends payload ([]byte as is, anything else as JSON).
	Publish(subject string, payload any)
	// Subscribe calls fn for each message matching pattern, in order.
	Subscribe(pattern string, fn func(Message)) (unsubscribe func(), err error)
	// Replay returns the stored messages of subject after afterSeq, oldest
	// first, at most max. Any error (bus.ErrTooOld above all) makes the
	// resuming client start again from a fresh snapshot.
	Replay(subject string, afterSeq uint64, max int) ([]Message, error)
}

// Authenticator resolves a request's caller from its session cookie or
// bearer token; no credentials is the anonymous Actor and no error. A
// ?token= query parameter reaches it as an Authorization: Bearer header.
type Authenticator func(r *http.Request) (account.Actor, error)

// Sketch counts distinct viewer identities (a HyperLogLog: internal/hll).
type Sketch interface {
	Add(identity []byte)
	// Merge adds other's identities; other comes from the same Uniques.
	Merge(other Sketch) error
	Count() uint64
	MarshalBinary() ([]byte, error)
}

// Uniques makes sketches: empty ones and ones decoded from other nodes'
// presence reports.
type Uniques interface {
	New() Sketch
	Decode(b []byte) (Sketch, error)
}
