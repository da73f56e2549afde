// Command previewsrv is a TEMPORARY stand-in for `liveshop` while the
// realtime room is not yet wired into cmd/liveshop: it answers the few
// API calls bench/roomfanout makes with canned JSON and serves
// GET /ws/rooms/{roomID} with the real internal/realtime over an
// in-process bus.Local, a fake domain that publishes chats at once (no
// database) and tokens of the form tok-N. Delete once the real server
// is wired.
package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	rpprof "runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/bus"
	"github.com/liveshop/liveshop/internal/realtime"
)

type rooms struct{ b *bus.Local }

func (r rooms) Participant(_ context.Context, a account.Actor, _ string) (realtime.Participant, error) {
	if a.User == nil {
		return realtime.Participant{Role: realtime.RoleAnonymous}, nil
	}
	return realtime.Participant{UserID: a.User.ID, Name: a.User.ID, Role: realtime.RoleViewer, Actor: a}, nil
}

var seq atomic.Int64

func (r rooms) PostChat(_ context.Context, p realtime.Participant, roomID, text string) error {
	r.b.Publish("room."+roomID+".events", map[string]any{"type": "chat", "ts": time.Now().UnixMilli(),
		"data": map[string]any{"id": fmt.Sprint(seq.Add(1)), "user_id": p.UserID, "name": p.Name, "role": p.Role, "text": text,
			"created_at": time.Now()}})
	return nil
}
func (r rooms) AskQuestion(context.Context, realtime.Participant, string, string) error { return nil }
func (r rooms) AddLikes(context.Context, string, int) error                             { return nil }
func (r rooms) Snapshot(context.Context, realtime.Participant, string) (realtime.Snapshot, error) {
	return realtime.Snapshot{Data: json.RawMessage(`{"chat":[]}`), Status: "live"}, nil
}
func (r rooms) RecordPeak(context.Context, string, int) error { return nil }

// counter stands in for the HyperLogLog the real server uses (the
// default ExactUniques merges a map of every identity each second).
type counter struct{ n uint64 }

func (c *counter) Add([]byte)                     { c.n++ }
func (c *counter) Merge(o realtime.Sketch) error  { c.n += o.(*counter).n; return nil }
func (c *counter) Count() uint64                  { return c.n }
func (c *counter) MarshalBinary() ([]byte, error) { return binary.AppendUvarint(nil, c.n), nil }

type counters struct{}

func (counters) New() realtime.Sketch { return &counter{} }
func (counters) Decode(b []byte) (realtime.Sketch, error) {
	n, _ := binary.Uvarint(b)
	return &counter{n}, nil
}

type busAdapter struct{ b *bus.Local }

func (a busAdapter) Publish(s string, p any) { a.b.Publish(s, p) }
func (a busAdapter) Subscribe(p string, fn func(realtime.Message)) (func(), error) {
	return a.b.Subscribe(p, func(m bus.Message) { fn(realtime.Message(m)) })
}
func (a busAdapter) Replay(s string, after uint64, max int) ([]realtime.Message, error) {
	ms, err := a.b.Replay(s, after, max)
	out := make([]realtime.Message, len(ms))
	for i, m := range ms {
		out[i] = realtime.Message(m)
	}
	return out, err
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "admin" {
		return
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("http", "127.0.0.1:8080", "")
	rtmp := fs.String("rtmp", "", "")
	fs.String("data", "", "")
	fs.String("webrtc-udp", "", "")
	fs.String("log-level", "", "")
	fs.String("live-grace", "", "")
	fs.String("demo-stream", "", "")
	_ = fs.Parse(os.Args[2:])
	if ln, err := net.Listen("tcp", *rtmp); err == nil { // ffmpeg connects and waits
		go func() {
			var held []net.Conn // closed by their finalizers if dropped
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				held = append(held, c)
			}
		}()
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	b := bus.NewLocal(log)
	rt, err := realtime.New(realtime.Config{Rooms: rooms{b}, Bus: busAdapter{b}, Log: log, Uniques: counters{},
		Auth: func(r *http.Request) (account.Actor, error) {
			if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
				return account.Actor{User: &account.User{ID: tok}}, nil
			}
			return account.Actor{}, nil
		}})
	if err != nil {
		panic(err)
	}
	var toks atomic.Int64
	js := func(v string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if strings.HasSuffix(r.URL.Path, "/signup") {
				w.WriteHeader(201)
			}
			out := v
			if strings.HasSuffix(r.URL.Path, "/me/tokens") {
				out = fmt.Sprintf(`{"secret":"tok-%d"}`, toks.Add(1))
			}
			fmt.Fprint(w, out)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /readyz", js(`{}`))
	mux.HandleFunc("POST /api/v1/auth/", js(`{"csrf_token":"x"}`))
	mux.HandleFunc("POST /api/v1/me/tokens", js(""))
	mux.HandleFunc("POST /api/v1/shops", js(`{"id":"shop1"}`))
	mux.HandleFunc("POST /api/v1/admin/shops/{id}/approve", js(`{}`))
	mux.HandleFunc("POST /api/v1/shops/{id}/products", js(`{"id":"p1"}`))
	mux.HandleFunc("POST /api/v1/shops/{id}/live-sessions", js(`{"session":{"id":"room1"},"stream_key":"k"}`))
	mux.HandleFunc("GET /api/v1/live-sessions/{id}", js(`{"status":"live"}`))
	mux.Handle("GET /ws/rooms/{roomID}", rt)
	if path := os.Getenv("PREVIEW_HEAPPROFILE"); path != "" {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt)
		go func() { <-sig; f, _ := os.Create(path); _ = rpprof.WriteHeapProfile(f); f.Close(); os.Exit(0) }()
	}
	if path := os.Getenv("PREVIEW_CPUPROFILE"); path != "" {
		f, _ := os.Create(path)
		_ = rpprof.StartCPUProfile(f)
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt)
		go func() { <-sig; rpprof.StopCPUProfile(); f.Close(); os.Exit(0) }()
	}
	_ = http.ListenAndServe(*addr, mux)
}
