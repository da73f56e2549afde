package realtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Client frame types.
const (
	frameChat     = "chat"
	frameLike     = "like"
	frameQuestion = "question"
	framePing     = "ping"
)

// Limits of client frames (docs/REALTIME.md).
const (
	maxTextRunes = 200
	maxLikeTaps  = 50
	maxRefLen    = 64
)

// clientFrame is a decoded, checked client frame.
type clientFrame struct {
	Type  string
	Ref   string // the client's id, echoed in errors
	Text  string // chat, question
	Count int    // like
}

// frameError is why a client frame was refused.
type frameError struct {
	code    string // error frame code
	message string
	ref     string
	notJSON bool // counts as a strike
}

func (e *frameError) Error() string { return e.code + ": " + e.message }

// decodeClientFrame parses and checks {"type","id","data"}. The error is
// always a *frameError.
func decodeClientFrame(b []byte) (clientFrame, error) {
	var raw struct {
		Type string          `json:"type"`
		ID   json.RawMessage `json:"id"`
		Data json.RawMessage `json:"data"`
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' || !json.Valid(b) {
		return clientFrame{}, &frameError{code: codeInvalid, message: "frames are JSON objects", notJSON: true}
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return clientFrame{}, &frameError{code: codeInvalid, message: "frames are {type, id, data}"}
	}
	f := clientFrame{Type: raw.Type, Ref: decodeRef(raw.ID)}
	bad := func(format string, args ...any) (clientFrame, error) {
		return clientFrame{}, &frameError{code: codeInvalid, message: fmt.Sprintf(format, args...), ref: f.Ref}
	}
	switch f.Type {
	case framePing:
		return f, nil
	case frameChat, frameQuestion:
		var d struct {
			Text string `json:"text"`
		}
		if err := decodeData(raw.Data, &d); err != nil {
			return bad("%s data is {text}", f.Type)
		}
		f.Text = strings.TrimSpace(d.Text)
		if n := utf8.RuneCountInString(f.Text); n == 0 || n > maxTextRunes {
			return bad("text must be 1 to %d characters", maxTextRunes)
		}
		return f, nil
	case frameLike:
		var d struct {
			Count int `json:"count"`
		}
		if err := decodeData(raw.Data, &d); err != nil {
			return bad("like data is {count}")
		}
		if d.Count < 1 || d.Count > maxLikeTaps {
			return bad("count must be 1 to %d", maxLikeTaps)
		}
		f.Count = d.Count
		return f, nil
	case "":
		return bad("a frame needs a type")
	default:
		return clientFrame{}, &frameError{code: codeUnsupported, message: "unknown frame type", ref: f.Ref}
	}
}

var errNoData = errors.New("no data")

func decodeData(raw json.RawMessage, v any) error {
	if len(raw) == 0 || raw[0] != '{' {
		return errNoData
	}
	return json.Unmarshal(raw, v)
}

// decodeRef accepts a string or a number as the client's reference and
// bounds it, since it is echoed back.
func decodeRef(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		var n json.Number
		if json.Unmarshal(raw, &n) != nil {
			return ""
		}
		s = n.String()
	}
	if len(s) > maxRefLen {
		s = s[:maxRefLen]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}
