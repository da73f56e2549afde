package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// fakeRoom is a minimal server side of the contract: it broadcasts every
// chat as an envelope to every connection, batched as JSON arrays every
// 20 ms, and answers a chat without a token with an error frame.
type fakeRoom struct {
	mu      sync.Mutex
	conns   map[*websocket.Conn]bool
	pending []json.RawMessage
	seq     int
}

func (f *fakeRoom) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	signedIn := r.Header.Get("Authorization") != ""
	f.mu.Lock()
	f.conns[c] = true
	f.mu.Unlock()
	defer func() { f.mu.Lock(); delete(f.conns, c); f.mu.Unlock(); c.CloseNow() }()
	for {
		_, b, err := c.Read(r.Context())
		if err != nil {
			return
		}
		var in struct {
			Type, ID string
			Data     json.RawMessage
		}
		if json.Unmarshal(b, &in) != nil || in.Type != "chat" {
			continue
		}
		if !signedIn {
			_ = c.Write(r.Context(), websocket.MessageText, []byte(`{"v":1,"type":"error","data":{"code":"forbidden","ref":"`+in.ID+`"}}`))
			continue
		}
		f.mu.Lock()
		f.seq++
		env, _ := json.Marshal(map[string]any{"v": 1, "type": "chat", "seq": f.seq, "data": in.Data})
		f.pending = append(f.pending, env)
		f.mu.Unlock()
	}
}

func (f *fakeRoom) flushEvery(ctx context.Context, d time.Duration) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(d):
		}
		f.mu.Lock()
		batch, _ := json.Marshal(append(f.pending, json.RawMessage(`{"v":1,"type":"counts","data":{"current":1}}`)))
		f.pending = nil
		conns := make([]*websocket.Conn, 0, len(f.conns))
		for c := range f.conns {
			conns = append(conns, c)
		}
		f.mu.Unlock()
		for _, c := range conns {
			_ = c.Write(ctx, websocket.MessageText, batch)
		}
	}
}

func TestGeneratorAgainstFakeRoom(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	room := &fakeRoom{conns: map[*websocket.Conn]bool{}}
	mux := http.NewServeMux()
	mux.Handle("/ws/rooms/r1", room)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	go room.flushEvery(ctx, 20*time.Millisecond)

	d := newDialer(srv.URL, "r1", 2)
	tl := newTally()
	var wg sync.WaitGroup
	viewers, failed, err := connectAll(ctx, d, 40, 1000, nil, tl, &wg)
	if failed != 0 || len(viewers) != 40 {
		t.Fatalf("%d viewers connected, %d failed: %v", len(viewers), failed, err)
	}
	senders, failed, err := connectAll(ctx, d, 5, 1000, []string{"a", "b", "c", "d", "e"}, tl, &wg)
	if failed != 0 {
		t.Fatalf("senders: %d failed: %v", failed, err)
	}
	conns := []*websocket.Conn{viewers[0].c} // an anonymous sender: refused
	for _, s := range senders {
		conns = append(conns, s.c)
	}
	l := &load{chats: 60, likes: 100}
	lctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { l.run(lctx, conns); close(done) }()
	time.Sleep(300 * time.Millisecond)
	tl.reset()
	tl.measuring.Store(true)
	time.Sleep(time.Second)
	tl.measuring.Store(false)
	stop()
	<-done
	var q quantiles
	for _, m := range append(viewers, senders...) {
		m.h.mergeInto(&q)
	}
	tl.closing.Store(true)
	closeMembers(append(viewers, senders...))
	cancel()
	wg.Wait()

	// 5 of 6 senders are signed in: about 50 chats a second reach 45 connections.
	if got := tl.chats.Load(); got < 45*30 || got > 45*70 {
		t.Errorf("%d chat deliveries in 1 s, want about %d", got, 45*50)
	}
	if tl.counts.Load() == 0 || tl.envs.Load() <= tl.chats.Load() {
		t.Errorf("counts %d, envelopes %d, chats %d", tl.counts.Load(), tl.envs.Load(), tl.chats.Load())
	}
	if q.total() == 0 || q.at(0.5) > 200*time.Millisecond || q.at(0.5) <= 0 {
		t.Errorf("%d latencies, p50 %s", q.total(), q.at(0.5))
	}
	if tl.errs["forbidden"] == 0 || l.sentLikes.Load() == 0 {
		t.Errorf("errors %v, likes sent %d", tl.errs, l.sentLikes.Load())
	}
	if p := tl.problems(l); p == "–" {
		t.Errorf("problems = %q, want the forbidden chats", p)
	}
}
