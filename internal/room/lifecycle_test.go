package room_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/room"
)

func TestAuthorizeRefusals(t *testing.T) {
	f := newFixture(t, time.Hour)
	ctx := t.Context()
	scheduled := f.schedule(t, room.ScheduleInput{})
	rotated := f.schedule(t, room.ScheduleInput{})
	if _, err := f.rooms.RotateKey(ctx, f.owner, rotated.Session.ID); err != nil {
		t.Fatal(err)
	}
	ended := f.schedule(t, room.ScheduleInput{})
	if _, err := f.rooms.End(ctx, f.owner, ended.Session.ID); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, key, code, room string
	}{
		{"no key", "", apperr.Unauthorized, ""},
		{"unknown key", "sk_not-a-key", apperr.Unauthorized, ""},
		{"rotated key", rotated.StreamKey, apperr.Unauthorized, ""},
		{"ended session", ended.StreamKey, apperr.Conflict, ""},
		{"scheduled session", scheduled.StreamKey, "", scheduled.Session.ID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := f.rooms.Authorize(ctx, tt.key, media.RTMP)
			if apperr.CodeOf(err) != tt.code || id != tt.room {
				t.Fatalf("Authorize = %q, %v; want %q, code %q", id, err, tt.room, tt.code)
			}
			if err != nil && tt.key != "" && strings.Contains(err.Error(), tt.key) {
				t.Fatalf("the error %q shows the stream key", err)
			}
		})
	}
	// A second publisher on a live room is refused by the hub.
	if _, err := f.publish(t, scheduled.StreamKey, media.RTMP); err != nil {
		t.Fatal(err)
	}
	if _, err := f.publish(t, scheduled.StreamKey, media.WHIP); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("second publisher: %v", err)
	}
}

func TestDroppedPublisherEndsAfterGrace(t *testing.T) {
	f := newFixture(t, 100*time.Millisecond)
	st := f.schedule(t, room.ScheduleInput{})
	id := st.Session.ID
	s, err := f.publish(t, st.StreamKey, media.RTMP)
	must(t, err)
	if got := f.status(t, id); got != room.Live {
		t.Fatalf("status %s after publish", got)
	}
	s.Close(false) // the publisher dropped
	if got := f.status(t, id); got != room.Live {
		t.Fatalf("status %s right after the drop; the grace should keep it live", got)
	}
	f.waitEvents(t, "room."+id+".events:status", "room."+id+".live", "room."+id+".events:status", "room."+id+".ended")
	if got := f.status(t, id); got != room.Ended {
		t.Fatalf("status %s after the grace", got)
	}
	if _, err := f.publish(t, st.StreamKey, media.RTMP); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("publishing to an ended session: %v", err)
	}
}

func TestReconnectWithinGraceKeepsSessionLive(t *testing.T) {
	const grace = 100 * time.Millisecond
	f := newFixture(t, grace)
	st := f.schedule(t, room.ScheduleInput{})
	id := st.Session.ID
	s, err := f.publish(t, st.StreamKey, media.RTMP)
	must(t, err)
	first, _ := f.rooms.Get(t.Context(), id)
	s.Close(false)
	f.clock.Advance(10 * time.Second)
	if _, err := f.publish(t, st.StreamKey, media.WHIP); err != nil {
		t.Fatalf("reconnect: %v", err)
	}
	time.Sleep(3 * grace)
	ses, _ := f.rooms.Get(t.Context(), id)
	if ses.Status != room.Live || !ses.StartedAt.Equal(*first.StartedAt) || ses.Protocol != media.WHIP {
		t.Fatalf("after reconnect: %+v", ses)
	}
}

func TestPublisherAskingToEndEndsNowAndReplays(t *testing.T) {
	f := newFixture(t, time.Hour)
	st := f.schedule(t, room.ScheduleInput{})
	id := st.Session.ID
	s, err := f.publish(t, st.StreamKey, media.WHIP)
	must(t, err)
	f.recs.set(id, true, 0)
	s.Close(true) // WHIP DELETE
	f.waitEvents(t, "room."+id+".events:status", "room."+id+".live", "room."+id+".events:status", "room."+id+".ended",
		"room."+id+".events:status", "room."+id+".replay")
	if got := f.status(t, id); got != room.Replay {
		t.Fatalf("status %s after WHIP DELETE", got)
	}
}

func TestRotateKeyCutsPublisherOffButKeepsSessionLive(t *testing.T) {
	f := newFixture(t, time.Hour)
	ctx := t.Context()
	st := f.schedule(t, room.ScheduleInput{})
	id := st.Session.ID
	s, err := f.publish(t, st.StreamKey, media.RTMP)
	must(t, err)
	rotated, err := f.rooms.RotateKey(ctx, f.owner, id)
	must(t, err)
	select {
	case <-s.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the publisher was not cut off")
	}
	if rotated.Session.Status != room.Live || rotated.StreamKey == st.StreamKey || rotated.RTMPURL != "rtmp://live.test:1935/live/"+rotated.StreamKey {
		t.Fatalf("studio after rotation: %+v", rotated)
	}
	if _, err := f.publish(t, st.StreamKey, media.RTMP); !apperr.Is(err, apperr.Unauthorized) {
		t.Fatalf("old key: %v", err)
	}
	if _, err := f.publish(t, rotated.StreamKey, media.RTMP); err != nil {
		t.Fatalf("new key: %v", err)
	}
	if got := f.status(t, id); got != room.Live {
		t.Fatalf("status %s", got)
	}
}

func TestRotatedPublisherThatNeverReturnsEndsAfterGrace(t *testing.T) {
	f := newFixture(t, 50*time.Millisecond)
	st := f.schedule(t, room.ScheduleInput{})
	_, err := f.publish(t, st.StreamKey, media.RTMP)
	must(t, err)
	_, err = f.rooms.RotateKey(t.Context(), f.owner, st.Session.ID)
	must(t, err)
	f.waitStatus(t, st.Session.ID, room.Ended)
}

func TestEndKicksThePublisherOnce(t *testing.T) {
	const grace = 50 * time.Millisecond
	f := newFixture(t, grace)
	st := f.schedule(t, room.ScheduleInput{})
	id := st.Session.ID
	s, err := f.publish(t, st.StreamKey, media.RTMP)
	must(t, err)
	f.clock.Advance(time.Minute)
	ses, err := f.rooms.End(t.Context(), f.owner, id)
	must(t, err)
	if ses.Status != room.Ended || ses.EndedAt == nil || !ses.EndedAt.Equal(f.clock.Now()) {
		t.Fatalf("after End: %+v", ses)
	}
	select {
	case <-s.Done():
	default:
		t.Fatal("End left the publisher on")
	}
	// The kicked stream's Stopped must not end it a second time.
	time.Sleep(4 * grace)
	want := []string{"room." + id + ".events:status", "room." + id + ".live", "room." + id + ".events:status", "room." + id + ".ended"}
	if got := f.events.list(); !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	if got := f.recs.finalisedRooms(); !slices.Equal(got, []string{id}) {
		t.Fatalf("finalised %v, want once", got)
	}
	again, err := f.rooms.End(t.Context(), f.owner, id)
	if err != nil || again.Status != room.Ended {
		t.Fatalf("ending twice: %+v, %v", again, err)
	}
}

func TestCloseStopsGraceTimers(t *testing.T) {
	const grace = 50 * time.Millisecond
	f := newFixture(t, grace)
	st := f.schedule(t, room.ScheduleInput{})
	s, err := f.publish(t, st.StreamKey, media.RTMP)
	must(t, err)
	s.Close(false)
	f.rooms.Close()
	time.Sleep(4 * grace)
	if got := f.status(t, st.Session.ID); got != room.Live {
		t.Fatalf("status %s after Close; the next start's EndOrphans ends it", got)
	}
	n, err := f.rooms.EndOrphans(t.Context())
	if err != nil || n != 1 || f.status(t, st.Session.ID) != room.Ended {
		t.Fatalf("EndOrphans = %d, %v", n, err)
	}
}

func TestEndOrphansLeavesStreamsOfThisNode(t *testing.T) {
	f := newFixture(t, time.Hour)
	st := f.schedule(t, room.ScheduleInput{})
	_, err := f.publish(t, st.StreamKey, media.RTMP)
	must(t, err)
	if n, err := f.rooms.EndOrphans(t.Context()); err != nil || n != 0 {
		t.Fatalf("EndOrphans = %d, %v", n, err)
	}
}

func TestExplainOffset(t *testing.T) {
	tests := []struct {
		name     string
		recorded bool
		position time.Duration
		elapsed  time.Duration
		want     int64
	}{
		{"from the recording", true, 42 * time.Second, 90 * time.Second, 42000},
		{"since the start without a recording", false, 0, 90 * time.Second, 90000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, time.Hour)
			st := f.schedule(t, room.ScheduleInput{ProductIDs: f.prods})
			id := st.Session.ID
			_, err := f.publish(t, st.StreamKey, media.RTMP)
			must(t, err)
			if tt.recorded {
				f.recs.set(id, true, tt.position)
			}
			f.clock.Advance(tt.elapsed)
			m, err := f.rooms.Explain(t.Context(), f.owner, id, f.prods[1])
			must(t, err)
			if m.OffsetMS != tt.want || m.Title != "Soybeans" || m.SessionID != id {
				t.Fatalf("moment = %+v, want offset %d", m, tt.want)
			}
			subject, payload := f.events.last()
			ev, _ := payload.(room.ExplainEvent)
			if subject != "room."+id+".explain" || ev.ID != m.ID || ev.Product.PriceMinor != 2000 {
				t.Fatalf("explain event = %+v", ev)
			}
			ses, _ := f.rooms.Get(t.Context(), id)
			if ses.ExplainingProductID != f.prods[1] {
				t.Fatalf("explaining %q", ses.ExplainingProductID)
			}
		})
	}
}

func TestStudioAccessAndHealth(t *testing.T) {
	f := newFixture(t, time.Hour)
	ctx := t.Context()
	host := f.user(t, "host")
	stranger := f.user(t, "stranger")
	admin := f.user(t, "admin")
	admin.User.IsAdmin = true
	st := f.schedule(t, room.ScheduleInput{HostID: host.ID()})
	id := st.Session.ID
	if st.Health != nil || !slices.Equal(st.Warnings, []string{"ffmpeg is not installed"}) || st.Session.HostName != "host" {
		t.Fatalf("studio = %+v", st)
	}
	tests := []struct {
		name  string
		actor account.Actor
		code  string
	}{
		{"owner", f.owner, ""},
		{"assigned host", host, ""},
		{"admin", admin, ""},
		{"stranger", stranger, apperr.Forbidden},
		{"anonymous", account.Actor{}, apperr.Unauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.rooms.Studio(ctx, tt.actor, id)
			if apperr.CodeOf(err) != tt.code {
				t.Fatalf("Studio: %v, want %q", err, tt.code)
			}
			if err == nil && got.StreamKey != st.StreamKey {
				t.Fatal("studio without the key")
			}
			_, err = f.rooms.Explain(ctx, tt.actor, id, f.prods[0])
			if tt.code != "" && apperr.CodeOf(err) != tt.code {
				t.Fatalf("Explain: %v, want %q", err, tt.code)
			}
		})
	}
	// The host may run the session but not schedule for the shop.
	_, err := f.rooms.Schedule(ctx, host, f.shopID, room.ScheduleInput{Title: "Mine"})
	if !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("host scheduling: %v", err)
	}

	h, err := f.rooms.Health(ctx, id)
	if err != nil || h.RoomID != id || h.BitrateKbps != 0 || h.Viewers == nil {
		t.Fatalf("health before going live: %+v, %v", h, err)
	}
	_, err = f.publish(t, st.StreamKey, media.RTMP)
	must(t, err)
	h, err = f.rooms.Health(ctx, id)
	if err != nil || h.Protocol != media.RTMP {
		t.Fatalf("health when live: %+v, %v", h, err)
	}
	studio, err := f.rooms.Studio(ctx, host, id)
	if err != nil || studio.Health == nil || studio.Health.RoomID != id {
		t.Fatalf("studio when live: %+v, %v", studio, err)
	}
	if _, err := f.rooms.Health(ctx, "ses_missing"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("health of a missing session: %v", err)
	}
}

func TestEnsureDemoRoomRefusesAShortKey(t *testing.T) {
	f := newFixture(t, time.Hour)
	if _, err := f.rooms.EnsureDemoRoom(t.Context(), f.shopID, "", "Demo", "short", nil); err == nil {
		t.Fatal("a short demo key was accepted")
	}
}

func TestEnsureDemoRoomResetsALiveDemo(t *testing.T) {
	const grace = 50 * time.Millisecond
	f := newFixture(t, grace)
	const key = "demo-key-123456"
	_, err := f.rooms.EnsureDemoRoom(t.Context(), f.shopID, "", "Demo", key, f.prods)
	must(t, err)
	s, err := f.publish(t, key, media.RTMP)
	must(t, err)
	ses, err := f.rooms.EnsureDemoRoom(t.Context(), f.shopID, "", "Demo", key, f.prods[:1])
	must(t, err)
	select {
	case <-s.Done():
	default:
		t.Fatal("the old demo publisher is still on")
	}
	time.Sleep(4 * grace)
	if got := f.status(t, room.DemoRoomID); got != room.Scheduled || len(ses.Products) != 1 {
		t.Fatalf("demo is %s with %d products after the reset, want scheduled", got, len(ses.Products))
	}
	if _, err := f.publish(t, key, media.RTMP); err != nil {
		t.Fatalf("publishing to the reset demo: %v", err)
	}
}
