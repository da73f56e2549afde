package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEnvelopes(t *testing.T) {
	chat := `{"v":1,"type":"chat","seq":7,"ts":1,"data":{"id":"m1","name":"A \"type\":\"x\"","text":"t=1700000000123456789 hi"}}`
	tests := []struct {
		name  string
		msg   string
		types []string
		sent  []int64
		err   bool
	}{
		{"one object", chat, []string{"chat"}, []int64{1700000000123456789}, false},
		{"batch", `[` + chat + ` , {"v":1,"type":"likes","seq":8,"data":{"count":40}},{"type":"counts","data":{"current":3}}]`,
			[]string{"chat", "likes", "counts"}, []int64{1700000000123456789, 0, 0}, false},
		{"type after data", `{"data":{"type":"nested","text":"x"},"type":"snapshot"}`, []string{"snapshot"}, []int64{0}, false},
		{"error", `{"type":"error","data":{"code":"rate_limited","message":"slow","ref":"s1-2"}}`, []string{"error"}, []int64{0}, false},
		{"other chat text", `{"type":"chat","data":{"text":"hello"}}`, []string{"chat"}, []int64{0}, false},
		{"empty batch", `[ ]`, nil, nil, false},
		{"not JSON", `hello`, nil, nil, true},
		{"cut short", `[{"type":"chat"`, nil, nil, true},
		{"trailing junk in batch", `[{"type":"a"} x]`, []string{"a"}, []int64{0}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var types []string
			var sent []int64
			err := forEachEnvelope([]byte(tt.msg), func(env []byte) {
				types = append(types, string(envelopeType(env)))
				at, _ := chatSentAt(env)
				sent = append(sent, at)
			})
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error: %v", err, tt.err)
			}
			if strings.Join(types, ",") != strings.Join(tt.types, ",") {
				t.Errorf("types %q, want %q", types, tt.types)
			}
			for i := range min(len(sent), len(tt.sent)) {
				if sent[i] != tt.sent[i] {
					t.Errorf("envelope %d sent at %d, want %d", i, sent[i], tt.sent[i])
				}
			}
		})
	}
	if got := errorCode([]byte(`{"type":"error","data":{"code":"rate_limited"}}`)); got != "rate_limited" {
		t.Errorf("errorCode = %q", got)
	}
}

func TestAppendChatIsWhatViewersDecode(t *testing.T) {
	frame := appendChat(nil, 12, 34, 1700000000000000001)
	var f struct {
		Type string `json:"type"`
		ID   string `json:"id"`
		Data struct {
			Text string `json:"text"`
		} `json:"data"`
	}
	if err := json.Unmarshal(frame, &f); err != nil || f.Type != "chat" || f.ID != "s12-34" || len(f.Data.Text) > 200 {
		t.Fatalf("frame %s: %+v %v", frame, f, err)
	}
	// The server echoes the text inside its chat envelope.
	env, _ := json.Marshal(map[string]any{"v": 1, "type": "chat", "data": map[string]any{"text": f.Data.Text}})
	if at, ok := chatSentAt(env); !ok || at != 1700000000000000001 {
		t.Errorf("chatSentAt(%s) = %d, %v", env, at, ok)
	}
}

// FuzzEnvelopes checks the scanner never panics or runs past its input,
// and that what it accepts as a single object is valid JSON's shape.
func FuzzEnvelopes(f *testing.F) {
	for _, s := range []string{`{"type":"chat","data":{"text":"t=1 x"}}`, `[{"type":"a"},{"type":"b"}]`, `[`, `{"a":"\"}`, `[{}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		_ = forEachEnvelope(msg, func(env []byte) {
			if len(env) < 2 || env[0] != '{' || env[len(env)-1] != '}' {
				t.Fatalf("envelope %q is not an object", env)
			}
			_ = envelopeType(env)
			_, _ = chatSentAt(env)
			_ = errorCode(env)
		})
	})
}
