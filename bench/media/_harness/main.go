// Temporary stand-in for `liveshop` while the real wiring is in progress:
// fake API, real media engine. Deleted before hand-off.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/media/hls"
	"github.com/liveshop/liveshop/internal/media/rtmp"
	"github.com/liveshop/liveshop/internal/media/transcode"
	"github.com/liveshop/liveshop/internal/media/webrtc"
)

type gate struct {
	mu   sync.Mutex
	keys map[string]string
}

func (g *gate) Authorize(_ context.Context, key string, _ media.Protocol) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if r, ok := g.keys[key]; ok {
		return r, nil
	}
	return "", apperr.New(apperr.Unauthorized, "unknown key")
}
func (g *gate) Started(context.Context, string, media.Protocol) error { return nil }
func (g *gate) Stopped(string, bool)                                  {}

func main() {
	if os.Args[1] != "serve" {
		return
	}
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	httpAddr := fs.String("http", "", "")
	data := fs.String("data", "", "")
	rtmpAddr := fs.String("rtmp", "", "")
	udp := fs.String("webrtc-udp", "", "")
	fs.String("log-level", "", "")
	fs.String("live-grace", "", "")
	fs.Bool("demo-stream", true, "")
	fs.Parse(os.Args[2:])
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	g := &gate{keys: map[string]string{}}
	hub := media.NewHub(g, log, time.Now)
	ctx := context.Background()
	rs := rtmp.New(rtmp.Config{Addr: *rtmpAddr, Hub: hub, Keys: g, Log: log})
	go rs.ListenAndServe(ctx)
	pc, err := webrtc.ListenUDP(*udp)
	if err != nil {
		panic(err)
	}
	ws, err := webrtc.New(webrtc.Config{UDP: pc}, hub, log)
	if err != nil {
		panic(err)
	}
	hs, err := hls.New(hls.Config{Hub: hub, DataDir: *data, Log: log, Now: time.Now})
	if err != nil {
		panic(err)
	}
	transcode.New(hub, "ffmpeg", log, transcode.Options{})
	mux := http.NewServeMux()
	ws.Mount(mux)
	hs.Register(mux)
	js := func(w http.ResponseWriter, code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(v)
	}
	n := 0
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("POST /api/v1/auth/{x}", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "liveshop_session", Value: "x"})
		code := 200
		if r.PathValue("x") == "signup" {
			code = 201
		}
		js(w, code, map[string]string{"csrf_token": "c"})
	})
	mux.HandleFunc("POST /api/v1/me/tokens", func(w http.ResponseWriter, r *http.Request) { js(w, 201, map[string]string{"secret": "t"}) })
	mux.HandleFunc("POST /api/v1/shops", func(w http.ResponseWriter, r *http.Request) { js(w, 201, map[string]string{"id": "shp_1"}) })
	mux.HandleFunc("POST /api/v1/admin/shops/{id}/approve", func(w http.ResponseWriter, r *http.Request) { js(w, 200, map[string]string{}) })
	mux.HandleFunc("POST /api/v1/shops/{id}/products", func(w http.ResponseWriter, r *http.Request) { js(w, 201, map[string]string{"id": "prd_1"}) })
	mux.HandleFunc("POST /api/v1/shops/{id}/live-sessions", func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		n++
		room, key := fmt.Sprintf("ses_%d", n), fmt.Sprintf("key%d", n)
		g.keys[key] = room
		g.mu.Unlock()
		js(w, 201, map[string]any{"session": map[string]string{"id": room}, "stream_key": key})
	})
	_ = strings.TrimSpace
	panic(http.ListenAndServe(*httpAddr, mux))
}
