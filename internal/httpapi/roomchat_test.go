package httpapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// TestRoomRoutes drives the realtime room's REST routes over a real
// SQLite store: who may call them, status codes and the fields named in
// 400s. The rules themselves are tested in room and store.
func TestRoomRoutes(t *testing.T) {
	ctx := t.Context()
	st := storetest.Open(t, store.SQLite, store.Options{})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	accounts := account.NewService(st, nil)
	rooms := room.NewService(room.Config{Repo: st, Log: log, Grace: time.Minute})
	t.Cleanup(rooms.Close)
	api := httpapi.New(httpapi.Config{Accounts: accounts, Catalog: catalog.NewService(st, nil, nil), Rooms: rooms, Log: log})
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)

	now := time.Now().UTC()
	person := func(name string) (account.Actor, string) {
		u := account.User{ID: ids.New("usr"), Email: name + "@example.com", DisplayName: name, CreatedAt: now}
		if err := st.CreateUser(ctx, u, "unused"); err != nil {
			t.Fatal(err)
		}
		a, err := accounts.ActorFor(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return a, ""
	}
	owner, _ := person("owner")
	shopID := ids.New("shp")
	if err := st.CreateShop(ctx, catalog.Shop{ID: shopID, OwnerID: owner.ID(), Name: "Farm", Category: "food", Region: "Jilin",
		Programme: "standard", Status: catalog.ShopApproved, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	owner, _ = accounts.ActorFor(ctx, owner.ID())
	viewer, _ := person("viewer")
	token := func(a account.Actor) string {
		_, tok, err := accounts.CreateAPIToken(ctx, a, "test")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	ownerTok, viewerTok := token(owner), token(viewer)

	call := func(method, path, auth, body string) (int, map[string]any, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, method, srv.URL+"/api/v1"+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		json.Unmarshal(raw, &out)
		return resp.StatusCode, out, string(raw)
	}
	errField := func(out map[string]any) string {
		e, _ := out["error"].(map[string]any)
		f, _ := e["field"].(string)
		return f
	}

	studio, err := rooms.Schedule(ctx, owner, shopID, room.ScheduleInput{Title: "Harvest"})
	if err != nil {
		t.Fatal(err)
	}
	id := studio.Session.ID
	if _, err := rooms.Authorize(ctx, studio.StreamKey, media.RTMP); err != nil {
		t.Fatal(err)
	}
	if err := rooms.Started(ctx, id, media.RTMP); err != nil {
		t.Fatal(err)
	}
	p, err := rooms.Participant(ctx, viewer, id)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := rooms.PostChat(ctx, p, id, "这个米怎么卖？")
	if err != nil {
		t.Fatal(err)
	}
	q, err := rooms.AskQuestion(ctx, p, id, "包邮吗？")
	if err != nil {
		t.Fatal(err)
	}
	base := "/live-sessions/" + id

	checks := []struct {
		name, method, path, auth, body string
		status                         int
		field                          string
	}{
		{"history", "GET", base + "/chat?from_ms=0&to_ms=600000", "", "", 200, ""},
		{"history bad from", "GET", base + "/chat?from_ms=soon", "", "", 400, "from_ms"},
		{"history bad range", "GET", base + "/chat?from_ms=10&to_ms=5", "", "", 400, "to_ms"},
		{"history bad limit", "GET", base + "/chat?limit=1000", "", "", 400, "limit"},
		{"history of nothing", "GET", "/live-sessions/ses_missing/chat", "", "", 404, ""},
		{"questions", "GET", base + "/questions?status=open", "", "", 200, ""},
		{"questions bad status", "GET", base + "/questions?status=pinned", "", "", 400, "status"},
		{"moderate anonymous", "POST", base + "/moderation", "", `{"action":"mute","user_id":"` + viewer.ID() + `"}`, 401, ""},
		{"moderate as viewer", "POST", base + "/moderation", viewerTok, `{"action":"mute","user_id":"` + viewer.ID() + `"}`, 403, ""},
		{"moderate bad action", "POST", base + "/moderation", ownerTok, `{"action":"kick","user_id":"` + viewer.ID() + `"}`, 400, "action"},
		{"moderate bad minutes", "POST", base + "/moderation", ownerTok, `{"action":"mute","user_id":"` + viewer.ID() + `","minutes":0}`, 400, "minutes"},
		{"moderate minutes as text", "POST", base + "/moderation", ownerTok, `{"action":"mute","user_id":"` + viewer.ID() + `","minutes":"5"}`, 400, "minutes"},
		{"moderate unknown user", "POST", base + "/moderation", ownerTok, `{"action":"ban","user_id":"usr_nope"}`, 400, "user_id"},
		{"moderate the owner", "POST", base + "/moderation", ownerTok, `{"action":"ban","user_id":"` + owner.ID() + `"}`, 400, "user_id"},
		{"mute", "POST", base + "/moderation", ownerTok, `{"action":"mute","user_id":"` + viewer.ID() + `","minutes":5,"reason":"spam"}`, 200, ""},
		{"unmute", "POST", base + "/moderation", ownerTok, `{"action":"unmute","user_id":"` + viewer.ID() + `"}`, 200, ""},
		{"moderation log as viewer", "GET", base + "/moderation", viewerTok, "", 403, ""},
		{"moderation log", "GET", base + "/moderation", ownerTok, "", 200, ""},
		{"slow mode too long", "PUT", base + "/slow-mode", ownerTok, `{"seconds":301}`, 400, "seconds"},
		{"slow mode unknown field", "PUT", base + "/slow-mode", ownerTok, `{"secs":3}`, 400, "secs"},
		{"slow mode", "PUT", base + "/slow-mode", ownerTok, `{"seconds":15}`, 200, ""},
		{"report anonymous", "POST", base + "/reports", "", `{"message_id":"` + msg.ID + `"}`, 401, ""},
		{"report unknown message", "POST", base + "/reports", ownerTok, `{"message_id":"msg_nope"}`, 400, "message_id"},
		{"report", "POST", base + "/reports", ownerTok, `{"message_id":"` + msg.ID + `","reason":"rude"}`, 201, ""},
		{"report twice", "POST", base + "/reports", ownerTok, `{"message_id":"` + msg.ID + `"}`, 409, ""},
		{"reports as viewer", "GET", base + "/reports", viewerTok, "", 403, ""},
		{"reports", "GET", base + "/reports", ownerTok, "", 200, ""},
		{"answer as viewer", "POST", base + "/questions/" + q.ID + "/answer", viewerTok, `{"answer":"yes"}`, 403, ""},
		{"answer unknown question", "POST", base + "/questions/qst_nope/answer", ownerTok, `{"answer":"yes"}`, 404, ""},
		{"answer bad pin", "POST", base + "/questions/" + q.ID + "/answer", ownerTok, `{"pin":"yes"}`, 400, "pin"},
		{"answer and pin", "POST", base + "/questions/" + q.ID + "/answer", ownerTok, `{"answer":"包邮","pin":true}`, 200, ""},
		{"answer on camera", "POST", base + "/questions/" + q.ID + "/answer", ownerTok, "", 200, ""},
		{"announce empty", "POST", base + "/announcements", ownerTok, `{"text":" "}`, 400, "text"},
		{"announce as viewer", "POST", base + "/announcements", viewerTok, `{"text":"hi"}`, 403, ""},
		{"announce", "POST", base + "/announcements", ownerTok, `{"text":"全场包邮"}`, 201, ""},
		{"filter as viewer", "GET", "/shops/" + shopID + "/chat-filter", viewerTok, "", 403, ""},
		{"filter", "GET", "/shops/" + shopID + "/chat-filter", ownerTok, "", 200, ""},
		{"filter without words", "PUT", "/shops/" + shopID + "/chat-filter", ownerTok, `{}`, 400, "words"},
		{"filter long word", "PUT", "/shops/" + shopID + "/chat-filter", ownerTok, `{"words":["ok","` + strings.Repeat("长", 41) + `"]}`, 400, "words[1]"},
		{"filter set", "PUT", "/shops/" + shopID + "/chat-filter", ownerTok, `{"words":["微信","QQ"]}`, 200, ""},
		{"delete as viewer", "DELETE", base + "/chat/" + msg.ID, viewerTok, "", 403, ""},
		{"delete unknown", "DELETE", base + "/chat/msg_nope", ownerTok, "", 404, ""},
		{"delete", "DELETE", base + "/chat/" + msg.ID, ownerTok, "", 204, ""},
	}
	for _, c := range checks {
		status, out, raw := call(c.method, c.path, c.auth, c.body)
		if status != c.status || errField(out) != c.field {
			t.Errorf("%s: %s %s: %d %s, want %d field %q", c.name, c.method, c.path, status, raw, c.status, c.field)
		}
	}

	// Shapes the clients rely on.
	_, hist, raw := call("GET", base+"/chat", "", "")
	if items := hist["items"].([]any); len(items) != 0 {
		t.Errorf("history after the delete: %s", raw)
	}
	_, ses, raw := call("GET", base, "", "")
	if ses["slow_mode_seconds"] != float64(15) || ses["likes"] != float64(0) {
		t.Errorf("session: %s", raw)
	}
	_, log2, raw := call("GET", base+"/moderation", ownerTok, "")
	items := log2["items"].([]any)
	if len(items) != 4 || items[0].(map[string]any)["action"] != "delete_chat" || items[3].(map[string]any)["minutes"] != float64(5) {
		t.Errorf("moderation log: %s", raw)
	}
	_, qs, raw := call("GET", base+"/questions", "", "")
	if first := qs["items"].([]any)[0].(map[string]any); first["status"] != "answered" || first["pinned"] != true || first["answer"] != "包邮" {
		t.Errorf("questions: %s", raw)
	}
	_, filter, raw := call("GET", "/shops/"+shopID+"/chat-filter", ownerTok, "")
	if words, _ := filter["words"].([]any); len(words) != 2 || words[0] != "微信" {
		t.Errorf("filter: %s", raw)
	}
	_, reps, raw := call("GET", base+"/reports", ownerTok, "")
	if r := reps["items"].([]any)[0].(map[string]any); r["message_deleted"] != true || r["message"].(map[string]any)["text"] != "这个米怎么卖？" {
		t.Errorf("reports: %s", raw)
	}
}
