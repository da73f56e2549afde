package realtime

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/bus"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// TestWithTheRoomDomain runs the adapters as cmd/liveshop wires them: the
// real room.Service on SQLite, bus.Local and the HyperLogLog.
func TestWithTheRoomDomain(t *testing.T) {
	ctx := t.Context()
	st := storetest.Open(t, store.SQLite, store.Options{})
	local := bus.NewLocal(quietLog())
	rooms := room.NewService(room.Config{Repo: st, Publisher: local, Log: quietLog()})
	t.Cleanup(rooms.Close)

	now := time.Now()
	newUser := func(name string) account.User {
		u := account.User{ID: ids.New("usr"), Email: name + "@example.com", DisplayName: name, CreatedAt: now}
		if err := st.CreateUser(ctx, u, "not-a-real-hash"); err != nil {
			t.Fatal(err)
		}
		return u
	}
	owner, viewer := newUser("owner"), newUser("viewer")
	shopID := ids.New("shp")
	if err := st.CreateShop(ctx, catalog.Shop{ID: shopID, OwnerID: owner.ID, Name: "Black Soil Farm", Category: "food",
		Region: "Heilongjiang", Programme: "standard", Status: catalog.ShopApproved, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	ownerActor := account.Actor{User: &owner, ShopRoles: map[string]string{shopID: account.ShopOwner}}
	studio, err := rooms.Schedule(ctx, ownerActor, shopID, room.ScheduleInput{Title: "Harvest live"})
	if err != nil {
		t.Fatal(err)
	}
	id := studio.Session.ID
	if err := rooms.Started(ctx, id, media.RTMP); err != nil {
		t.Fatal(err)
	}

	// The bearer token is the user id, looked up as the API would.
	auth := func(r *http.Request) (account.Actor, error) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			return account.Actor{}, nil
		}
		return st.ActorByUserID(r.Context(), token)
	}
	s, err := New(Config{Rooms: RoomService(rooms), Bus: BusOf(local), Auth: auth, Log: quietLog(), Uniques: HLLUniques{}, Options: fastOptions()})
	if err != nil {
		t.Fatal(err)
	}
	n := startNodeWith(t, s)

	host := dial(t, n, id, owner.ID, "")
	v := dial(t, n, id, viewer.ID, "")
	snap := v.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
	if !strings.Contains(string(snap.Data), `"role":"viewer"`) || !strings.Contains(string(snap.Data), `"status":"live"`) {
		t.Fatalf("snapshot %s", snap.Data)
	}
	host.waitFor("snapshot", 5*time.Second, ofType("snapshot"))

	v.send(`{"type":"chat","id":"c1","data":{"text":"is the rice new?"}}`)
	chat := host.waitFor("the viewer's chat", 5*time.Second, ofType("chat"))
	if chat.field("text") != "is the rice new?" || chat.field("role") != "viewer" || chat.field("name") != "viewer" || chat.Seq == 0 {
		t.Fatalf("chat %+v %s", chat, chat.Data)
	}
	v.send(`{"type":"question","id":"q1","data":{"text":"how much is shipping?"}}`)
	host.waitFor("the question", 5*time.Second, ofType("question"))
	host.send(`{"type":"like","data":{"count":7}}`)
	waitFor(t, "the likes stored", func() bool {
		ses, err := rooms.Get(context.Background(), id)
		return err == nil && ses.Likes == 7
	})
	waitFor(t, "the peak stored", func() bool {
		ses, err := rooms.Get(context.Background(), id)
		return err == nil && ses.PeakViewers == 2
	})

	if _, err := rooms.Moderate(ctx, ownerActor, id, room.ModerationInput{Action: "ban", UserID: viewer.ID}); err != nil {
		t.Fatal(err)
	}
	if got := v.closeStatus(5 * time.Second); got != CloseBanned {
		t.Fatalf("banned viewer closed with %v, want 4003", got)
	}
	if got := dial(t, n, id, viewer.ID, "").closeStatus(5 * time.Second); got != CloseBanned {
		t.Fatalf("banned viewer's reconnect closed with %v, want 4003", got)
	}
	if got := dial(t, n, "ses_nope", viewer.ID, "").closeStatus(5 * time.Second); got != CloseNoRoom {
		t.Fatalf("unknown room closed with %v, want 4004", got)
	}

	if _, err := rooms.End(ctx, ownerActor, id); err != nil {
		t.Fatal(err)
	}
	if got := host.closeStatus(5 * time.Second); got != CloseRoomEnded {
		t.Fatalf("host closed with %v, want 4010", got)
	}
}
