package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestOpenAPIComplete keeps /api/v1/openapi.json complete: every routed
// endpoint is documented with a summary, its path parameters and its
// responses, and every route in docs/API.md exists.
func TestOpenAPIComplete(t *testing.T) {
	a := New(Config{})
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	seen := map[string]bool{}
	for _, rt := range a.routes {
		key := rt.Method + " " + rt.Path
		if seen[key] {
			t.Errorf("route %s registered twice", key)
		}
		seen[key] = true
		if rt.Summary == "" || rt.Tag == "" || rt.Status == 0 || rt.H == nil || rt.Auth == "" {
			t.Errorf("route %s lacks summary, tag, status, auth or handler", key)
		}
		raw, ok := doc.Paths[strings.TrimPrefix(rt.Path, "/api/v1")][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("route %s is not in openapi.json", key)
			continue
		}
		var op struct {
			Summary    string                      `json:"summary"`
			Parameters []struct{ Name, In string } `json:"parameters"`
			Responses  map[string]json.RawMessage  `json:"responses"`
		}
		json.Unmarshal(raw, &op)
		if op.Summary == "" || op.Responses["default"] == nil || len(op.Responses) < 2 {
			t.Errorf("%s: summary or responses missing in the document", key)
		}
		for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
			found := false
			for _, p := range op.Parameters {
				found = found || (p.Name == m[1] && p.In == "path")
			}
			if !found {
				t.Errorf("%s: path parameter %s undocumented", key, m[1])
			}
		}
		// The router really serves it: an unknown id gives a JSON error, never the 404 of an unknown route.
		path := pathParam.ReplaceAllString(rt.Path, "x")
		if _, pattern := a.mux.Handler(httptest.NewRequest(rt.Method, path, nil)); pattern != rt.Method+" "+rt.Path {
			t.Errorf("%s is routed to %q", key, pattern)
		}
	}

	// Every route the human documentation promises exists.
	md, err := os.ReadFile("../../docs/API.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`^\| ([A-Z, ]+) \| ([^|]+) \|`)
	for _, line := range strings.Split(string(md), "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil || strings.TrimSpace(m[1]) == "Method" {
			continue
		}
		for _, method := range strings.Split(m[1], ",") {
			for _, p := range strings.Split(m[2], ",") {
				p = strings.TrimSpace(p)
				if strings.Contains(p, "…") {
					continue
				}
				if !seen[strings.TrimSpace(method)+" /api/v1"+p] {
					t.Errorf("docs/API.md documents %s %s, which is not routed", strings.TrimSpace(method), p)
				}
			}
		}
	}
}
