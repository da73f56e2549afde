package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/bus"
)

// memBus is the test bus: bus.Local's matching, plus a sequence per
// subject and the last keep messages of each for Replay, as the
// contract's Local and JetStream buses have.
type memBus struct {
	keep int

	mu      sync.Mutex
	replays int
	seq     map[string]uint64
	log     map[string][]Message
	subs    map[*memSub]struct{}
}

type memSub struct {
	pattern []string
	ch      chan Message
	done    chan struct{}
	once    sync.Once
}

func newMemBus(keep int) *memBus {
	return &memBus{keep: keep, seq: map[string]uint64{}, log: map[string][]Message{}, subs: map[*memSub]struct{}{}}
}

func (b *memBus) Publish(subject string, payload any) {
	data, ok := payload.([]byte)
	if !ok {
		data, _ = json.Marshal(payload)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	m := Message{Subject: subject, Data: data}
	if strings.HasSuffix(subject, ".events") {
		b.seq[subject]++
		m.Seq = b.seq[subject]
		l := append(b.log[subject], m)
		if len(l) > b.keep {
			l = l[len(l)-b.keep:]
		}
		b.log[subject] = l
	}
	tokens := strings.Split(subject, ".")
	for s := range b.subs {
		if bus.Match(s.pattern, tokens) {
			select {
			case s.ch <- m:
			default:
				panic("memBus: subscriber queue overflow in a test")
			}
		}
	}
}

func (b *memBus) Subscribe(pattern string, fn func(Message)) (func(), error) {
	s := &memSub{pattern: strings.Split(pattern, "."), ch: make(chan Message, 1<<16), done: make(chan struct{})}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	go func() {
		for {
			select {
			case m := <-s.ch:
				fn(m)
			case <-s.done:
				return
			}
		}
	}()
	return func() {
		s.once.Do(func() {
			b.mu.Lock()
			delete(b.subs, s)
			b.mu.Unlock()
			close(s.done)
		})
	}, nil
}

var errTooOld = errors.New("memBus: too old")

func (b *memBus) Replay(subject string, after uint64, max int) ([]Message, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.replays++
	l := b.log[subject]
	if len(l) > 0 && after+1 < l[0].Seq {
		return nil, errTooOld
	}
	var out []Message
	for _, m := range l {
		if m.Seq > after && len(out) < max {
			out = append(out, m)
		}
	}
	return out, nil
}

func (b *memBus) replayCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.replays
}

// subscribers counts live subscriptions, to see hubs come and go.
func (b *memBus) subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}

// publishEvent publishes a room event as the domain does.
func publishEvent(b Bus, roomID, typ string, data any) {
	raw, _ := json.Marshal(data)
	ev, _ := json.Marshal(busEvent{Type: typ, TS: time.Now().UnixMilli(), Data: raw})
	b.Publish(eventsSubject(roomID), ev)
}

// fakeRooms is the room domain for tests. Users whose id starts with
// "host" host every room.
type fakeRooms struct {
	bus Bus

	mu        sync.Mutex
	status    map[string]string          // room → session status
	banned    map[string]map[string]bool // room → user → banned
	likes     map[string]int64
	peaks     map[string][]int
	chatCalls int
	failChat  error
}

func newFakeRooms(b Bus, rooms ...string) *fakeRooms {
	f := &fakeRooms{bus: b, status: map[string]string{}, banned: map[string]map[string]bool{},
		likes: map[string]int64{}, peaks: map[string][]int{}}
	for _, r := range rooms {
		f.status[r] = "live"
	}
	return f
}

func (f *fakeRooms) Participant(_ context.Context, a account.Actor, roomID string) (Participant, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.status[roomID]; !ok {
		return Participant{}, apperr.New(apperr.NotFound, "no room %s", roomID)
	}
	if f.banned[roomID][a.ID()] {
		return Participant{}, apperr.New(apperr.Forbidden, "banned")
	}
	p := Participant{UserID: a.ID(), Role: RoleAnonymous, Actor: a}
	if a.User != nil {
		p.Name, p.Role = a.User.DisplayName, RoleViewer
		if strings.HasPrefix(a.ID(), "host") {
			p.Role = RoleHost
		}
	}
	return p, nil
}

func (f *fakeRooms) PostChat(_ context.Context, p Participant, roomID, text string) error {
	f.mu.Lock()
	f.chatCalls++
	err := f.failChat
	live := f.status[roomID] == "live"
	f.mu.Unlock()
	if err != nil {
		return err
	}
	if !live {
		return apperr.New(apperr.Conflict, "the room is not live")
	}
	publishEvent(f.bus, roomID, "chat", map[string]any{"id": fmt.Sprintf("msg_%d", time.Now().UnixNano()),
		"user_id": p.UserID, "name": p.Name, "role": p.Role, "text": text})
	return nil
}

func (f *fakeRooms) AskQuestion(_ context.Context, p Participant, roomID, text string) error {
	publishEvent(f.bus, roomID, "question", map[string]any{"id": "q", "user_id": p.UserID, "text": text, "status": "open"})
	return nil
}

func (f *fakeRooms) AddLikes(_ context.Context, roomID string, n int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.likes[roomID] += int64(n)
	return nil
}

func (f *fakeRooms) Snapshot(_ context.Context, p Participant, roomID string) (Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	status, ok := f.status[roomID]
	if !ok {
		return Snapshot{}, apperr.New(apperr.NotFound, "no room %s", roomID)
	}
	data, _ := json.Marshal(map[string]any{
		"session": map[string]string{"id": roomID, "status": status},
		"chat":    []any{},
		"you":     map[string]any{"user_id": p.UserID, "name": p.Name, "role": p.Role, "muted": p.Muted},
	})
	return Snapshot{Data: data, Status: status, Likes: f.likes[roomID]}, nil
}

func (f *fakeRooms) RecordPeak(_ context.Context, roomID string, peak int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.peaks[roomID] = append(f.peaks[roomID], peak)
	return nil
}

func (f *fakeRooms) ban(roomID, userID string) {
	f.mu.Lock()
	if f.banned[roomID] == nil {
		f.banned[roomID] = map[string]bool{}
	}
	f.banned[roomID][userID] = true
	f.mu.Unlock()
	publishEvent(f.bus, roomID, "moderation", map[string]any{"action": "ban", "user_id": userID})
}

func (f *fakeRooms) end(roomID string) {
	f.mu.Lock()
	f.status[roomID] = "ended"
	f.mu.Unlock()
	publishEvent(f.bus, roomID, "status", map[string]any{"id": roomID, "status": "ended"})
}

func (f *fakeRooms) likesOf(roomID string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.likes[roomID]
}

func (f *fakeRooms) peaksOf(roomID string) []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int(nil), f.peaks[roomID]...)
}

// bearerAuth treats the bearer token as the user id; "bad" is refused.
func bearerAuth(r *http.Request) (account.Actor, error) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return account.Actor{}, nil
	}
	if token == "bad" {
		return account.Actor{}, apperr.New(apperr.Unauthorized, "bad token")
	}
	return account.Actor{User: &account.User{ID: token, DisplayName: "name of " + token}}, nil
}
