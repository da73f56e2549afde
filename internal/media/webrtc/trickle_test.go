package webrtc

import (
	"strings"
	"testing"

	"github.com/liveshop/liveshop/internal/apperr"
)

func TestParseTrickle(t *testing.T) {
	const good = "a=ice-ufrag:EsAw\r\na=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\n" +
		"a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag EsAw network-id 1\r\n" +
		"m=video 9 RTP/AVP 96\r\na=mid:1\r\na=candidate:1 1 UDP 1686052607 198.51.100.7 4000 typ srflx raddr 0.0.0.0 rport 0\r\n" +
		"a=end-of-candidates\r\n"
	tests := []struct {
		name    string
		body    string
		wantErr bool
		n       int
	}{
		{name: "two sections", body: good, n: 2},
		{name: "LF only, no sections", body: "a=candidate:1 1 udp 1 127.0.0.1 9 typ host\n", n: 1},
		{name: "empty", body: "", n: 0},
		{name: "not SDP", body: "hello world", wantErr: true},
		{name: "short candidate", body: "a=candidate:1 1 udp 1 127.0.0.1 9", wantErr: true},
		{name: "bad port", body: "a=candidate:1 1 udp 1 127.0.0.1 99999 typ host", wantErr: true},
		{name: "bad type", body: "a=candidate:1 1 udp 1 127.0.0.1 9 typ weird", wantErr: true},
		{name: "bad transport", body: "a=candidate:1 1 sctp 1 127.0.0.1 9 typ host", wantErr: true},
		{name: "too many", body: strings.Repeat("a=candidate:1 1 udp 1 127.0.0.1 9 typ host\n", maxTrickleCandidates+1), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseTrickle(tt.body)
			if tt.wantErr {
				if e, ok := apperr.As(err); !ok || e.Field != "sdpfrag" {
					t.Fatalf("err = %v, want an invalid sdpfrag error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(f.candidates) != tt.n {
				t.Fatalf("%d candidates, want %d", len(f.candidates), tt.n)
			}
		})
	}
	f, _ := parseTrickle(good)
	if f.ufrag != "EsAw" || f.pwd == "" || !f.endOfCandidates {
		t.Errorf("credentials/end not parsed: %+v", f)
	}
	if c := f.candidates[1]; c.mid != "1" || c.mLineIndex != 1 || !strings.HasPrefix(c.value, "candidate:1 1 UDP") {
		t.Errorf("second candidate %+v", c)
	}
}

func FuzzParseTrickle(f *testing.F) {
	f.Add("a=ice-ufrag:x\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\na=candidate:1 1 udp 1 127.0.0.1 9 typ host\r\n")
	f.Add("a=end-of-candidates\n")
	f.Add("m=\nm=\na=candidate:")
	f.Fuzz(func(t *testing.T, body string) {
		frag, err := parseTrickle(body)
		if err != nil {
			if _, ok := apperr.As(err); !ok {
				t.Fatalf("non-apperr error %v", err)
			}
			return
		}
		for _, c := range frag.candidates {
			if !strings.HasPrefix(c.value, "candidate:") || len(strings.Fields(c.value)) < 8 {
				t.Fatalf("accepted malformed candidate %q", c.value)
			}
		}
	})
}
