package realtime

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzClientFrameRoundTrip feeds arbitrary WebSocket messages to the client
// frame decoder. It must never panic; every refusal is a *frameError with
// a code and a bounded reference; every accepted frame is within the
// limits of docs/REALTIME.md and decodes to itself when sent again.
//
// Run by hand: go test -run '^$' -fuzz '^FuzzClientFrameRoundTrip$' -fuzztime 30s ./internal/realtime
func FuzzClientFrameRoundTrip(f *testing.F) {
	for _, s := range []string{
		`{"type":"chat","id":"c1","data":{"text":"hello"}}`,
		`{"type":"question","id":7,"data":{"text":"  how big is it?  "}}`,
		`{"type":"like","id":"l1","data":{"count":3}}`,
		`{"type":"like","data":{"count":51}}`,
		`{"type":"ping"}`,
		`{"type":"dance","id":"x"}`,
		`{"type":"chat","data":"hi"}`,
		`{"id":1e999,"type":"ping"}`,
		` {"type":"chat","data":{"text":"你好，直播间"}} `,
		`not json`,
		`[1,2]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := decodeClientFrame(b)
		if err != nil {
			var fe *frameError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not a *frameError: %v", err, err)
			}
			if fe.code == "" || fe.message == "" {
				t.Fatalf("error without code or message: %+v", fe)
			}
			checkRef(t, fe.ref)
			return
		}
		checkRef(t, fr.Ref)
		switch fr.Type {
		case framePing:
		case frameChat, frameQuestion:
			if n := utf8.RuneCountInString(fr.Text); n == 0 || n > maxTextRunes || fr.Text != strings.TrimSpace(fr.Text) {
				t.Fatalf("accepted text %q", fr.Text)
			}
		case frameLike:
			if fr.Count < 1 || fr.Count > maxLikeTaps {
				t.Fatalf("accepted like count %d", fr.Count)
			}
		default:
			t.Fatalf("accepted frame type %q", fr.Type)
		}
		again, err := decodeClientFrame(encodeClientFrame(t, fr))
		if err != nil {
			t.Fatalf("re-encoded %+v is refused: %v", fr, err)
		}
		if again != fr {
			t.Fatalf("round trip changed the frame: %+v, want %+v", again, fr)
		}
	})
}

func checkRef(t *testing.T, ref string) {
	t.Helper()
	if len(ref) > maxRefLen || !utf8.ValidString(ref) {
		t.Fatalf("reference %q is longer than %d bytes or not UTF-8", ref, maxRefLen)
	}
}

// encodeClientFrame writes f as a client would send it.
func encodeClientFrame(t *testing.T, f clientFrame) []byte {
	t.Helper()
	out := map[string]any{"type": f.Type}
	if f.Ref != "" {
		out["id"] = f.Ref
	}
	switch f.Type {
	case frameChat, frameQuestion:
		out["data"] = map[string]any{"text": f.Text}
	case frameLike:
		out["data"] = map[string]any{"count": f.Count}
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
