package store_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// roomWorld is a live session with a host, a viewer, a staff member and
// an admin, and a room service (one "node") that records its events.
type roomWorld struct {
	*liveWorld
	svc    *room.Service
	ev     *roomEvents
	id     string
	key    string
	host   account.Actor
	viewer account.Actor
	staff  account.Actor
	root   account.Actor
}

func newRoomWorld(t *testing.T, s *store.Store) *roomWorld {
	t.Helper()
	lw := newLiveWorld(t, s)
	ctx := t.Context()
	rw := &roomWorld{liveWorld: lw, ev: &roomEvents{}}
	rw.svc = rw.node(t)
	rw.host = lw.user(t, "host@example.com")
	rw.viewer = lw.user(t, "viewer@example.com")
	staff := lw.user(t, "staff@example.com")
	inv, err := lw.cat.Invite(ctx, lw.owner, lw.farm.ID, "staff@example.com")
	must(t, err)
	must(t, lw.cat.AnswerInvitation(ctx, staff, inv.ID, true))
	rw.staff = lw.actor(t, staff.ID())
	rw.root = lw.admin(t, "root@example.com")
	st, err := lw.rooms.Schedule(ctx, lw.owner, lw.farm.ID, room.ScheduleInput{Title: "Harvest", HostID: rw.host.ID()})
	must(t, err)
	rw.id, rw.key = st.Session.ID, st.StreamKey
	return rw
}

// node returns another room service over the same store, as a second
// node of a cluster would run, publishing into the same recorder.
func (rw *roomWorld) node(t *testing.T) *room.Service {
	svc := room.NewService(room.Config{Repo: rw.s, Recordings: rw.recs, Publisher: rw.ev, Now: rw.clock.Now, Grace: time.Hour,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	t.Cleanup(svc.Close)
	return svc
}

func (rw *roomWorld) participant(t *testing.T, a account.Actor) room.Participant {
	t.Helper()
	p, err := rw.svc.Participant(t.Context(), a, rw.id)
	must(t, err)
	return p
}

func (rw *roomWorld) chat(t *testing.T, a account.Actor, text string) (room.ChatMessage, error) {
	t.Helper()
	return rw.svc.PostChat(t.Context(), rw.participant(t, a), rw.id, text)
}

func (rw *roomWorld) history(t *testing.T, q room.ChatQuery) []string {
	t.Helper()
	ms, err := rw.svc.ChatHistory(t.Context(), rw.id, q.FromMS, q.ToMS, q.Cursor, q.Limit)
	must(t, err)
	out := []string{}
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}

// roomEvents records room events as "type" (or "type:detail").
type roomEvents struct {
	mu     sync.Mutex
	events []room.Event
}

func (e *roomEvents) Publish(subject string, payload any) {
	if ev, ok := payload.(room.Event); ok && strings.HasSuffix(subject, ".events") {
		e.mu.Lock()
		e.events = append(e.events, ev)
		e.mu.Unlock()
	}
}

// take returns the events since the last take and forgets them.
func (e *roomEvents) take() []room.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.events
	e.events = nil
	return out
}

func types(evs []room.Event) []string {
	out := []string{}
	for _, ev := range evs {
		out = append(out, ev.Type)
	}
	return out
}

func TestRoomParticipantsAndChat(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rw := newRoomWorld(t, s)
		ctx := t.Context()
		roles := []struct {
			name string
			a    account.Actor
			want string
		}{
			{"anonymous", account.Actor{}, room.RoleAnonymous},
			{"viewer", rw.viewer, room.RoleViewer},
			{"host", rw.host, room.RoleHost},
			{"owner", rw.owner, room.RoleOperator},
			{"staff", rw.staff, room.RoleOperator},
			{"admin", rw.root, room.RoleAdmin},
		}
		for _, tt := range roles {
			p, err := rw.svc.Participant(ctx, tt.a, rw.id)
			if err != nil || p.Role != tt.want || p.UserID != tt.a.ID() || p.Muted {
				t.Errorf("%s: %+v, %v; want role %s", tt.name, p, err, tt.want)
			}
			if tt.a.User != nil && p.Name != tt.a.User.DisplayName {
				t.Errorf("%s: name %q, want the account's %q", tt.name, p.Name, tt.a.User.DisplayName)
			}
		}
		_, err := rw.svc.Participant(ctx, rw.viewer, "ses_missing")
		wantErr(t, err, apperr.NotFound, "")

		// Not live yet.
		_, err = rw.chat(t, rw.viewer, "hello")
		if e, _ := apperr.As(err); e == nil || e.Code != apperr.Conflict || e.Message != "this live session has not started" {
			t.Fatalf("chat before the start: %v", err)
		}
		_, err = rw.svc.AskQuestion(ctx, rw.participant(t, rw.viewer), rw.id, "when?")
		wantErr(t, err, apperr.Conflict, "")

		rw.goLive(t, rw.key)
		rw.ev.take()
		_, err = rw.chat(t, account.Actor{}, "hello")
		wantErr(t, err, apperr.Unauthorized, "")
		for _, text := range []string{"", "   ", strings.Repeat("好", 201)} {
			_, err = rw.chat(t, rw.viewer, text)
			wantErr(t, err, apperr.Invalid, "text")
		}
		rw.clock.Advance(90 * time.Second)
		m, err := rw.chat(t, rw.viewer, "  这个米怎么卖？ ")
		must(t, err)
		if m.Text != "这个米怎么卖？" || m.OffsetMS != 90000 || m.Role != room.RoleViewer || m.UserID != rw.viewer.ID() ||
			!m.CreatedAt.Equal(rw.clock.Now()) {
			t.Fatalf("message = %+v", m)
		}
		evs := rw.ev.take()
		if len(evs) != 1 || evs[0].Type != room.EventChat || evs[0].Data.(room.ChatMessage).ID != m.ID ||
			evs[0].TS != rw.clock.Now().UnixMilli() {
			t.Fatalf("events = %+v", evs)
		}
		raw, _ := json.Marshal(evs[0])
		for _, field := range []string{`"type":"chat"`, `"offset_ms":90000`, `"role":"viewer"`, `"name":`} {
			if !strings.Contains(string(raw), field) {
				t.Fatalf("event JSON %s lacks %s", raw, field)
			}
		}
		// The host's line is marked as the host's: the role comes from the account.
		hm, err := rw.chat(t, rw.host, "欢迎大家")
		must(t, err)
		if hm.Role != room.RoleHost {
			t.Fatalf("host message role %q", hm.Role)
		}

		// With a recording, the offset is its position.
		rw.recs.position(rw.id, 42*time.Second)
		rm, err := rw.chat(t, rw.owner, "recorded")
		must(t, err)
		if rm.OffsetMS != 42000 || rm.Role != room.RoleOperator {
			t.Fatalf("recorded message = %+v", rm)
		}

		// Ended: no more chat or questions.
		_, err = rw.rooms.End(ctx, rw.owner, rw.id)
		must(t, err)
		_, err = rw.chat(t, rw.viewer, "still there?")
		if e, _ := apperr.As(err); e == nil || e.Code != apperr.Conflict || e.Message != "this live session has ended" {
			t.Fatalf("chat after the end: %v", err)
		}
		snap, err := rw.svc.Snapshot(ctx, rw.participant(t, rw.viewer), rw.id)
		must(t, err)
		if got := []string{snap.Chat[0].Text, snap.Chat[1].Text, snap.Chat[2].Text}; len(snap.Chat) != 3 ||
			!slices.Equal(got, []string{"这个米怎么卖？", "欢迎大家", "recorded"}) || snap.You.UserID != rw.viewer.ID() ||
			snap.Session.Status != room.Ended {
			t.Fatalf("snapshot = %+v", snap)
		}
	})
}

func TestRoomChatHistoryAndSnapshotWindow(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rw := newRoomWorld(t, s)
		ctx := t.Context()
		rw.goLive(t, rw.key)
		var ids []string
		for i := range 60 {
			rw.clock.Advance(time.Second)
			m, err := rw.chat(t, rw.host, "line "+string(rune('A'+i%26))+string(rune('a'+i/26)))
			must(t, err)
			ids = append(ids, m.ID)
		}
		snap, err := rw.svc.Snapshot(ctx, room.Participant{Role: room.RoleAnonymous}, rw.id)
		must(t, err)
		if len(snap.Chat) != room.SnapshotChat || snap.Chat[0].ID != ids[10] || snap.Chat[49].ID != ids[59] {
			t.Fatalf("snapshot chat: %d messages from %s", len(snap.Chat), snap.Chat[0].ID)
		}
		// Offsets run 1 s … 60 s; a replay asks for a window.
		got := rw.history(t, room.ChatQuery{FromMS: 10000, ToMS: 13000})
		if !slices.Equal(got, []string{"line Ja", "line Ka", "line La"}) {
			t.Fatalf("window: %v", got)
		}
		page1, err := rw.svc.ChatHistory(ctx, rw.id, 0, 0, "", 25)
		must(t, err)
		page2, err := rw.svc.ChatHistory(ctx, rw.id, 0, 0, page1[24].ID, 25)
		must(t, err)
		page3, err := rw.svc.ChatHistory(ctx, rw.id, 0, 0, page2[24].ID, 25)
		must(t, err)
		if len(page1) != 25 || len(page2) != 25 || len(page3) != 10 || page2[0].ID != ids[25] || page3[9].ID != ids[59] {
			t.Fatalf("pages of %d, %d, %d", len(page1), len(page2), len(page3))
		}
		_, err = rw.svc.ChatHistory(ctx, rw.id, 0, 0, "msg_unknown", 25)
		wantErr(t, err, apperr.Invalid, "cursor")
		_, err = rw.svc.ChatHistory(ctx, rw.id, 5000, 5000, "", 25)
		wantErr(t, err, apperr.Invalid, "to_ms")
		_, err = rw.svc.ChatHistory(ctx, rw.id, -1, 0, "", 25)
		wantErr(t, err, apperr.Invalid, "from_ms")
		_, err = rw.svc.ChatHistory(ctx, "ses_missing", 0, 0, "", 25)
		wantErr(t, err, apperr.NotFound, "")

		// A deleted message leaves history and snapshots; deleting it again changes nothing.
		rw.ev.take()
		must(t, rw.svc.DeleteChat(ctx, rw.staff, rw.id, ids[59]))
		must(t, rw.svc.DeleteChat(ctx, rw.staff, rw.id, ids[59]))
		evs := rw.ev.take()
		if len(evs) != 1 || evs[0].Type != room.EventChatDeleted || evs[0].Data != (room.ChatDeleted{ID: ids[59], By: rw.staff.ID()}) {
			t.Fatalf("delete events = %+v", evs)
		}
		snap, _ = rw.svc.Snapshot(ctx, room.Participant{}, rw.id)
		if snap.Chat[len(snap.Chat)-1].ID != ids[58] || snap.Chat[0].ID != ids[9] {
			t.Fatalf("snapshot after delete ends with %s", snap.Chat[len(snap.Chat)-1].ID)
		}
		if got := rw.history(t, room.ChatQuery{FromMS: 59000}); !slices.Equal(got, []string{"line Gc"}) {
			t.Fatalf("history after delete: %v", got)
		}
		wantErr(t, rw.svc.DeleteChat(ctx, rw.staff, rw.id, "msg_unknown"), apperr.NotFound, "")
		wantErr(t, rw.svc.DeleteChat(ctx, rw.viewer, rw.id, ids[0]), apperr.Forbidden, "")
		log, err := rw.svc.ModerationLog(ctx, rw.owner, rw.id, "", 10)
		must(t, err)
		if len(log) != 1 || log[0].Action != room.ActionDeleteChat || log[0].MessageID != ids[59] || log[0].By != rw.staff.ID() {
			t.Fatalf("audit = %+v", log)
		}
	})
}

func TestRoomSlowModeAcrossNodes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rw := newRoomWorld(t, s)
		ctx := t.Context()
		other := rw.node(t)
		rw.goLive(t, rw.key)
		_, err := rw.svc.SetSlowMode(ctx, rw.owner, rw.id, room.MaxSlowModeSeconds+1)
		wantErr(t, err, apperr.Invalid, "seconds")
		_, err = rw.svc.SetSlowMode(ctx, rw.viewer, rw.id, 10)
		wantErr(t, err, apperr.Forbidden, "")
		rw.ev.take()
		ses, err := rw.svc.SetSlowMode(ctx, rw.host, rw.id, 10)
		must(t, err)
		if ses.SlowModeSeconds != 10 {
			t.Fatalf("session slow mode %d", ses.SlowModeSeconds)
		}
		evs := rw.ev.take()
		if me, _ := evs[0].Data.(room.ModerationEvent); len(evs) != 1 || me.Action != room.ActionSlowMode || *me.SlowModeSeconds != 10 {
			t.Fatalf("slow mode events = %+v", evs)
		}

		p := rw.participant(t, rw.viewer)
		_, err = rw.svc.PostChat(ctx, p, rw.id, "first")
		must(t, err)
		rw.clock.Advance(3 * time.Second)
		// The second node sees the first node's message in the database.
		_, err = other.PostChat(ctx, p, rw.id, "second")
		if e, _ := apperr.As(err); e == nil || e.Code != apperr.RateLimited || e.Message != "slow mode: wait 7 s" {
			t.Fatalf("second message: %v", err)
		}
		for _, a := range []account.Actor{rw.host, rw.staff, rw.root} { // exempt
			_, err := rw.chat(t, a, "no waiting for me")
			must(t, err)
			_, err = rw.chat(t, a, "nor now")
			must(t, err)
		}
		rw.clock.Advance(7 * time.Second)
		_, err = other.PostChat(ctx, p, rw.id, "second, later")
		must(t, err)

		// The INSERT itself checks too, for messages racing through two nodes.
		m := room.ChatMessage{ID: "msg_race", SessionID: rw.id, UserID: rw.viewer.ID(), Name: "v", Role: room.RoleViewer,
			Text: "race", CreatedAt: rw.clock.Now()}
		ok, err := s.AddChatMessage(ctx, m, rw.clock.Now().Add(-10*time.Second))
		if err != nil || ok {
			t.Fatalf("conditional insert inside the window = %v, %v", ok, err)
		}
		rw.clock.Advance(11 * time.Second)
		m.CreatedAt = rw.clock.Now()
		if ok, err := s.AddChatMessage(ctx, m, rw.clock.Now().Add(-10*time.Second)); err != nil || !ok {
			t.Fatalf("conditional insert after the window = %v, %v", ok, err)
		}

		// Off again.
		_, err = rw.svc.SetSlowMode(ctx, rw.owner, rw.id, 0)
		must(t, err)
		for range 3 {
			_, err := rw.svc.PostChat(ctx, p, rw.id, "free again")
			must(t, err)
		}
		log, err := rw.svc.ModerationLog(ctx, rw.owner, rw.id, "", 0)
		must(t, err)
		if len(log) != 2 || *log[0].SlowModeSeconds != 0 || *log[1].SlowModeSeconds != 10 || log[1].By != rw.host.ID() ||
			log[1].ByName != rw.host.User.DisplayName {
			t.Fatalf("audit = %+v", log)
		}
	})
}

func TestRoomKeywordFilter(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rw := newRoomWorld(t, s)
		ctx := t.Context()
		other := rw.node(t)
		rw.goLive(t, rw.key)
		f, err := rw.svc.ChatFilter(ctx, rw.owner, rw.farm.ID)
		must(t, err)
		if len(f.Words) != 0 || f.UpdatedAt != nil {
			t.Fatalf("filter before any = %+v", f)
		}
		// The other node reads the (empty) filter now and keeps it a few seconds.
		_, err = other.PostChat(ctx, rw.participant(t, rw.viewer), rw.id, "加微信吗")
		must(t, err)

		_, err = rw.svc.SetChatFilter(ctx, rw.viewer, rw.farm.ID, []string{"x"})
		wantErr(t, err, apperr.Forbidden, "")
		_, err = rw.svc.SetChatFilter(ctx, rw.staff, rw.farm.ID, []string{"ok", ""})
		wantErr(t, err, apperr.Invalid, "words[1]")
		_, err = rw.svc.SetChatFilter(ctx, rw.root, "shp_missing", []string{"x"})
		wantErr(t, err, apperr.NotFound, "")
		f, err = rw.svc.SetChatFilter(ctx, rw.staff, rw.farm.ID, []string{" 微信 ", "WeiXin", "ｗｅｉｘｉｎ"})
		must(t, err)
		if !slices.Equal(f.Words, []string{"微信", "WeiXin"}) || f.UpdatedBy != rw.staff.ID() {
			t.Fatalf("filter = %+v", f)
		}
		got, err := rw.svc.ChatFilter(ctx, rw.owner, rw.farm.ID)
		must(t, err)
		if !slices.Equal(got.Words, f.Words) || got.UpdatedAt == nil || !got.UpdatedAt.Equal(rw.clock.Now()) {
			t.Fatalf("filter read back = %+v", got)
		}

		rw.ev.take()
		viewer := rw.participant(t, rw.viewer)
		for _, text := range []string{"加我微信", "加我ＷＥＩＸＩＮ", "weixin: abc"} {
			_, err := rw.svc.PostChat(ctx, viewer, rw.id, text)
			if e, _ := apperr.As(err); e == nil || e.Field != "text" || e.Message != "your message contains a blocked word" {
				t.Fatalf("%q: %v", text, err)
			}
		}
		_, err = rw.svc.AskQuestion(ctx, viewer, rw.id, "能加微信吗")
		wantErr(t, err, apperr.Invalid, "text")
		if evs := rw.ev.take(); len(evs) != 0 {
			t.Fatalf("blocked messages were published: %v", types(evs))
		}
		if h := rw.history(t, room.ChatQuery{}); !slices.Equal(h, []string{"加微信吗"}) {
			t.Fatalf("blocked messages were stored: %v", h)
		}
		_, err = rw.chat(t, rw.host, "不要发微信号哦") // the host is exempt
		must(t, err)

		// The other node still trusts its copy for a few seconds, then reads the change.
		_, err = other.PostChat(ctx, viewer, rw.id, "微信 on the other node")
		must(t, err)
		rw.clock.Advance(5 * time.Second)
		_, err = other.PostChat(ctx, viewer, rw.id, "微信 again")
		wantErr(t, err, apperr.Invalid, "text")

		// Clearing the filter.
		f, err = rw.svc.SetChatFilter(ctx, rw.owner, rw.farm.ID, []string{})
		must(t, err)
		if len(f.Words) != 0 {
			t.Fatalf("cleared filter = %+v", f)
		}
		_, err = rw.svc.PostChat(ctx, viewer, rw.id, "微信 ok now")
		must(t, err)
	})
}

// recordings positions: the suite's stand-in has none, so a room with a
// position needs this.
func (r *recordingsForTest) position(roomID string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.positions == nil {
		r.positions = map[string]time.Duration{}
	}
	r.positions[roomID] = d
}
