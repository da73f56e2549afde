package room_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/room"
)

// TestRoomEventsEnvelope checks the lifecycle and Explain publish on
// room.{id}.events as {"type","ts","data"} beside their own subjects.
func TestRoomEventsEnvelope(t *testing.T) {
	f := newFixture(t, time.Hour)
	st := f.schedule(t, room.ScheduleInput{ProductIDs: f.prods})
	id := st.Session.ID
	_, err := f.publish(t, st.StreamKey, media.RTMP)
	must(t, err)
	_, err = f.rooms.Explain(t.Context(), f.owner, id, f.prods[0])
	must(t, err)
	want := []string{"room." + id + ".events:status", "room." + id + ".live", "room." + id + ".events:explain", "room." + id + ".explain"}
	if got := f.events.list(); !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	f.events.mu.Lock()
	status, explain := f.events.payloads[0].(room.Event), f.events.payloads[2].(room.Event)
	f.events.mu.Unlock()
	if ses, _ := status.Data.(room.Session); ses.Status != room.Live || status.TS != f.clock.Now().UnixMilli() {
		t.Fatalf("status event = %+v", status)
	}
	raw, err := json.Marshal(explain)
	must(t, err)
	for _, part := range []string{`"type":"explain"`, `"ts":`, `"data":{"id":"mom_`, `"product":{"product_id":"` + f.prods[0]} {
		if !strings.Contains(string(raw), part) {
			t.Fatalf("explain event %s lacks %s", raw, part)
		}
	}
	if room.EventsSubject(id) != "room."+id+".events" {
		t.Fatalf("subject %s", room.EventsSubject(id))
	}
}
