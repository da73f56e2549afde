package rtmp

import (
	"net/url"
	"strings"
	"testing"

	"github.com/liveshop/liveshop/internal/apperr"
)

func TestStreamKeyFromURL(t *testing.T) {
	cases := []struct {
		url, key string // key "" means refused
	}{
		{"rtmp://h:1935/live/abc123", "abc123"},                // ffmpeg: one URL
		{"rtmp://h/live/abc123", "abc123"},                     // default port
		{"rtmp://h:1935/live/abc123/", "abc123"},               // trailing slash
		{"rtmp://h:1935/live/abc123?token=x&y=1", "abc123"},    // query after the key
		{"rtmp://h:1935/LIVE/abc-_.~123", "abc-_.~123"},        // app case, unreserved characters
		{"rtmp://h:1935/live/sk%21x", "sk!x"},                  // percent-encoded
		{"rtmp://h:1935/live", ""},                             // server URL without a key
		{"rtmp://h:1935/live/", ""},                            // empty key
		{"rtmp://h:1935/live?x=1/abc", ""},                     // query typed before the key
		{"rtmp://h:1935/app/abc123", ""},                       // wrong app
		{"rtmp://h:1935/abc123", ""},                           // key as the app
		{"rtmp://h:1935/live/abc/def", ""},                     // key typed twice
		{"rtmp://h:1935/live/a%20b", ""},                       // space
		{"rtmp://h:1935/live/a%0Ab", ""},                       // newline (log injection)
		{"rtmp://h:1935/live/" + strings.Repeat("k", 257), ""}, // too long
		{"rtmp://h:1935/live/" + strings.Repeat("k", 256), strings.Repeat("k", 256)},
	}
	for _, c := range cases {
		u, err := url.Parse(c.url)
		if err != nil {
			t.Fatalf("%s: %v", c.url, err)
		}
		key, err := streamKeyFromURL(u)
		if key != c.key {
			t.Errorf("%s: key %q, want %q", c.url, key, c.key)
		}
		if c.key == "" {
			if !apperr.Is(err, apperr.Invalid) {
				t.Errorf("%s: error %v, want invalid", c.url, err)
			}
			if e, _ := apperr.As(err); e != nil && strings.Contains(e.Message, "abc") {
				t.Errorf("%s: error %q repeats the key", c.url, e.Message)
			}
		}
	}
	if _, err := streamKeyFromURL(nil); err == nil {
		t.Error("nil URL accepted")
	}
}

func TestKeyTag(t *testing.T) {
	a, b := keyTag("sk_live_one"), keyTag("sk_live_two")
	if len(a) != 8 || a == b || a != keyTag("sk_live_one") || strings.Contains(a, "sk") {
		t.Fatalf("keyTag: %q %q", a, b)
	}
}

func FuzzStreamKeyFromURL(f *testing.F) {
	for _, s := range []string{"rtmp://h:1935/live/abc", "rtmp://h/live/abc?x=1", "rtmp://h/live", "rtmp://h/live/a/b", "rtmp://h/%zz", "/live/k"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		key, err := streamKeyFromURL(u)
		if err != nil {
			if key != "" {
				t.Fatalf("key %q returned with error %v", key, err)
			}
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("error %v is not invalid", err)
			}
			return
		}
		if key == "" || len(key) > maxKeyLen || strings.ContainsAny(key, "/?# \\\n\r\t") {
			t.Fatalf("bad key %q from %q", key, raw)
		}
		if !strings.Contains(u.Path, key) {
			t.Fatalf("key %q is not in the path %q", key, u.Path)
		}
	})
}
