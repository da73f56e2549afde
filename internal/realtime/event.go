package realtime

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Room event types the adapter treats specially; every other type is
// passed through as it is.
const (
	typeChat       = "chat"
	typeLikes      = "likes"
	typeModeration = "moderation"
	typeStatus     = "status"
)

// Ephemeral frame types: never on the bus stream, no seq.
const (
	typeCounts   = "counts"
	typeJoin     = "join"
	typeSnapshot = "snapshot"
	typeError    = "error"
	typePong     = "pong"
)

// busEvent is a room event as it travels on the bus.
type busEvent struct {
	Type string          `json:"type"`
	TS   int64           `json:"ts"`
	Data json.RawMessage `json:"data"`
}

// event is a room event decoded once per node: its envelope, already
// encoded for the sockets, and what the hub must do about it.
type event struct {
	seq  uint64
	typ  string
	data []byte // the whole envelope

	droppable bool   // a viewer's chat: may be sampled away under load
	banUser   string // a moderation ban of this user: close their sockets
	ends      bool   // a status event ending the room: close every socket
	likes     int64  // a likes event's count
}

// eventDetails are the data fields routing needs; the rest stays raw.
type eventDetails struct {
	Role   string `json:"role"`
	Action string `json:"action"`
	UserID string `json:"user_id"`
	Status string `json:"status"`
	Count  int64  `json:"count"`
}

// decodeEvent turns a bus message into an event with its envelope.
func decodeEvent(m Message) (event, error) {
	var be busEvent
	if err := json.Unmarshal(m.Data, &be); err != nil {
		return event{}, fmt.Errorf("realtime: decode event on %s: %w", m.Subject, err)
	}
	if be.Type == "" {
		return event{}, fmt.Errorf("realtime: event on %s has no type", m.Subject)
	}
	if len(be.Data) == 0 {
		be.Data = json.RawMessage("{}")
	}
	ev := event{seq: m.Seq, typ: be.Type, data: encodeEvent(be.Type, m.Seq, be.TS, be.Data)}
	switch be.Type {
	case typeChat, typeModeration, typeStatus, typeLikes:
		var d eventDetails
		_ = json.Unmarshal(be.Data, &d) // data that is not an object is delivered untouched
		switch be.Type {
		case typeChat:
			ev.droppable = d.Role == "" || d.Role == RoleViewer || d.Role == RoleAnonymous
		case typeModeration:
			if d.Action == "ban" {
				ev.banUser = d.UserID
			}
		case typeStatus:
			ev.ends = d.Status == "ended" || d.Status == "replay"
		case typeLikes:
			ev.likes = d.Count
		}
	}
	return ev, nil
}

// encodeEvent builds {"v":1,"type":T,"seq":S,"ts":TS,"data":D} by hand:
// it runs once per event per node, and data is already valid JSON.
func encodeEvent(typ string, seq uint64, ts int64, data json.RawMessage) []byte {
	quoted, _ := json.Marshal(typ) // a string always encodes
	b := make([]byte, 0, len(data)+len(quoted)+64)
	b = append(b, `{"v":1,"type":`...)
	b = append(b, quoted...)
	b = append(b, `,"seq":`...)
	b = strconv.AppendUint(b, seq, 10)
	b = append(b, `,"ts":`...)
	b = strconv.AppendInt(b, ts, 10)
	b = append(b, `,"data":`...)
	b = append(b, data...)
	return append(b, '}')
}

// envelope is an ephemeral frame (and the snapshot, which has a seq).
type envelope struct {
	V    int    `json:"v"`
	Type string `json:"type"`
	Seq  uint64 `json:"seq,omitempty"`
	TS   int64  `json:"ts"`
	Data any    `json:"data"`
}

// encodeFrame encodes an ephemeral frame.
func encodeFrame(typ string, seq uint64, ts int64, data any) ([]byte, error) {
	b, err := json.Marshal(envelope{V: 1, Type: typ, Seq: seq, TS: ts, Data: data})
	if err != nil {
		return nil, fmt.Errorf("realtime: encode %s frame: %w", typ, err)
	}
	return b, nil
}

// newBusEvent encodes an event this node publishes (likes).
func newBusEvent(typ string, ts int64, data any) ([]byte, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("realtime: encode %s event: %w", typ, err)
	}
	return json.Marshal(busEvent{Type: typ, TS: ts, Data: raw})
}

// errorData is an error frame's data.
type errorData struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Ref     string `json:"ref,omitempty"`
}

// Counts is the counts frame's data.
type Counts struct {
	Current int    `json:"current"`
	Peak    int    `json:"peak"`
	Unique  uint64 `json:"unique"`
	Likes   int64  `json:"likes"`
}

func eventsSubject(roomID string) string   { return "room." + roomID + ".events" }
func presenceSubject(roomID string) string { return "room." + roomID + ".presence" }
