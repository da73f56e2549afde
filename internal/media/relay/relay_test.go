package relay

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/liveshop/liveshop/internal/media"
)

type placements map[string]string

func (p placements) Locate(_ context.Context, roomID string) (string, bool, error) {
	node, ok := p[roomID]
	return node, ok, nil
}

// node serves GET /live/{roomID}/{file} with handler wrapped by r.
func node(r *Relay, handler http.Handler) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /live/{roomID}/{file}", r.Wrap(handler))
	return mux
}

func TestRelay(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	// The ingest node answers with who asked it through the relay.
	ingest := httptest.NewServer(node(New(Config{IsLocal: func(string) bool { return true }, Locator: placements{}, Log: quiet}),
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "ingest:"+r.PathValue("roomID")+":"+r.Header.Get(Header)+":"+r.URL.RawQuery)
		})))
	defer ingest.Close()
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close() // a node that died

	local := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "local:"+r.PathValue("roomID"), http.StatusNotFound)
	})
	where := placements{"ses_far": ingest.URL, "ses_self": "http://front", "ses_dead": gone.URL}
	front := New(Config{IsLocal: func(id string) bool { return id == "ses_here" }, Locator: where, Self: "http://front", Log: quiet})
	srv := httptest.NewServer(node(front, local))
	defer srv.Close()

	for _, tc := range []struct {
		name, path string
		header     string
		status     int
		body       string
	}{
		{"stream on this node", "/live/ses_here/index.m3u8", "", 404, "local:ses_here\n"},
		{"stream on another node", "/live/ses_far/index.m3u8?_HLS_msn=4&_HLS_part=1", "", 200, "ingest:ses_far:http://front:_HLS_msn=4&_HLS_part=1"},
		{"a rendition of a stream on another node", "/live/ses_far" + media.RenditionSeparator + "360p/index.m3u8", "", 200, "ingest:ses_far" + media.RenditionSeparator + "360p:http://front:"},
		{"placed on this node (stale)", "/live/ses_self/index.m3u8", "", 404, "local:ses_self\n"},
		{"live nowhere", "/live/ses_none/index.m3u8", "", 404, "local:ses_none\n"},
		{"already relayed once: never bounced on", "/live/ses_far/index.m3u8", "http://other", 404, "local:ses_far\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+tc.path, nil)
			if tc.header != "" {
				req.Header.Set(Header, tc.header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || string(b) != tc.body {
				t.Fatalf("got %d %q, want %d %q", resp.StatusCode, b, tc.status, tc.body)
			}
		})
	}

	t.Run("ingest node unreachable", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/live/ses_dead/index.m3u8")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			Error struct{ Code, Message string }
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusBadGateway || resp.Header.Get("Retry-After") == "" || body.Error.Code != "unavailable" {
			t.Fatalf("got %d Retry-After %q %+v", resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	})
}
