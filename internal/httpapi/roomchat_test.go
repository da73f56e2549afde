package httpapi_test

import (
	"strings"
	"testing"

	"github.com/liveshop/liveshop/internal/media"
)

// TestRoomRoutes drives the realtime room's REST routes over a real
// SQLite store: who may call them, status codes and the fields named in
// 400s. The rules themselves are tested in room and store.
func TestRoomRoutes(t *testing.T) {
	h := newAPIHarness(t, nil)
	owner, shopID := h.shop("owner")
	viewer := h.user("viewer")
	ownerTok, viewerTok := h.token(owner), h.token(viewer)

	studio := h.session(owner, shopID, "Harvest")
	id := studio.Session.ID
	if _, err := h.rooms.Authorize(h.ctx, studio.StreamKey, media.RTMP); err != nil {
		t.Fatal(err)
	}
	if err := h.rooms.Started(h.ctx, id, media.RTMP); err != nil {
		t.Fatal(err)
	}
	p, err := h.rooms.Participant(h.ctx, viewer, id)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := h.rooms.PostChat(h.ctx, p, id, "这个米怎么卖？")
	if err != nil {
		t.Fatal(err)
	}
	q, err := h.rooms.AskQuestion(h.ctx, p, id, "包邮吗？")
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
		status, out, raw := h.call(c.method, c.path, c.auth, c.body)
		if status != c.status || errField(out) != c.field {
			t.Errorf("%s: %s %s: %d %s, want %d field %q", c.name, c.method, c.path, status, raw, c.status, c.field)
		}
	}

	// Shapes the clients rely on.
	_, hist, raw := h.call("GET", base+"/chat", "", "")
	if items := hist["items"].([]any); len(items) != 0 {
		t.Errorf("history after the delete: %s", raw)
	}
	_, ses, raw := h.call("GET", base, "", "")
	if ses["slow_mode_seconds"] != float64(15) || ses["likes"] != float64(0) {
		t.Errorf("session: %s", raw)
	}
	_, log2, raw := h.call("GET", base+"/moderation", ownerTok, "")
	items := log2["items"].([]any)
	if len(items) != 4 || items[0].(map[string]any)["action"] != "delete_chat" || items[3].(map[string]any)["minutes"] != float64(5) {
		t.Errorf("moderation log: %s", raw)
	}
	_, qs, raw := h.call("GET", base+"/questions", "", "")
	if first := qs["items"].([]any)[0].(map[string]any); first["status"] != "answered" || first["pinned"] != true || first["answer"] != "包邮" {
		t.Errorf("questions: %s", raw)
	}
	_, filter, raw := h.call("GET", "/shops/"+shopID+"/chat-filter", ownerTok, "")
	if words, _ := filter["words"].([]any); len(words) != 2 || words[0] != "微信" {
		t.Errorf("filter: %s", raw)
	}
	_, reps, raw := h.call("GET", base+"/reports", ownerTok, "")
	if r := reps["items"].([]any)[0].(map[string]any); r["message_deleted"] != true || r["message"].(map[string]any)["text"] != "这个米怎么卖？" {
		t.Errorf("reports: %s", raw)
	}
}
