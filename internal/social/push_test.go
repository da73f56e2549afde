package social_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/hkdf"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/social"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// browser is a push subscriber as a browser is one: a P-256 key pair and
// a 16-byte auth secret, the public halves handed to the server.
type browser struct {
	priv *ecdh.PrivateKey
	auth []byte
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	auth := make([]byte, 16)
	rand.Read(auth)
	return &browser{priv: priv, auth: auth}
}

func (b *browser) keys() social.PushKeys {
	return social.PushKeys{P256dh: base64.RawURLEncoding.EncodeToString(b.priv.PublicKey().Bytes()),
		Auth: base64.RawURLEncoding.EncodeToString(b.auth)}
}

// decrypt opens an aes128gcm Web Push body (RFC 8291 over RFC 8188): the
// header carries the salt, the record size and the sender's one-time
// public key; the key and nonce come from ECDH plus HKDF with the auth
// secret; the single record ends with the delimiter 0x02 and zero padding.
func (b *browser) decrypt(body []byte) ([]byte, error) {
	if len(body) < 21 {
		return nil, errors.New("body shorter than the header")
	}
	salt, rs, idlen := body[:16], binary.BigEndian.Uint32(body[16:20]), int(body[20])
	if len(body) < 21+idlen || rs < 18 {
		return nil, errors.New("bad header")
	}
	asPublic, ciphertext := body[21:21+idlen], body[21+idlen:]
	sender, err := ecdh.P256().NewPublicKey(asPublic)
	if err != nil {
		return nil, err
	}
	shared, err := b.priv.ECDH(sender)
	if err != nil {
		return nil, err
	}
	keyInfo := append(append([]byte("WebPush: info\x00"), b.priv.PublicKey().Bytes()...), asPublic...)
	ikm := make([]byte, 32)
	if _, err := io.ReadFull(hkdf.New(sha256.New, shared, b.auth, keyInfo), ikm); err != nil {
		return nil, err
	}
	cek, nonce := make([]byte, 16), make([]byte, 12)
	if _, err := io.ReadFull(hkdf.New(sha256.New, ikm, salt, []byte("Content-Encoding: aes128gcm\x00")), cek); err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(hkdf.New(sha256.New, ikm, salt, []byte("Content-Encoding: nonce\x00")), nonce); err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	if len(ciphertext) > int(rs) {
		return nil, errors.New("more than one record")
	}
	plain, err := gcm.Open(nil, nonce, ciphertext, nil)
	if err != nil {
		return nil, err
	}
	plain = bytes.TrimRight(plain, "\x00")
	if len(plain) == 0 || plain[len(plain)-1] != 0x02 {
		return nil, errors.New("no last-record delimiter")
	}
	return plain[:len(plain)-1], nil
}

// pushService stands in for a browser vendor's push service on loopback:
// it answers each path with its status and keeps what it received.
type pushService struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []pushRequest
	status map[string]int
}

type pushRequest struct {
	path   string
	header http.Header
	body   []byte
}

func newPushService(t *testing.T) *pushService {
	p := &pushService{status: map[string]int{}}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p.mu.Lock()
		p.got = append(p.got, pushRequest{r.URL.Path, r.Header.Clone(), body})
		status := p.status[r.URL.Path]
		p.mu.Unlock()
		if status == 0 {
			status = http.StatusCreated
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *pushService) received() []pushRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]pushRequest(nil), p.got...)
}

// waitFor polls cond for at most five seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// pushWorld is a store with a host's scheduled session in an approved
// shop, and a social service whose pusher may reach http://127.0.0.1.
type pushWorld struct {
	st     *store.Store
	rooms  *room.Service
	svc    *social.Service
	pusher *social.Pusher
	ses    room.Studio
}

func newPushWorld(t *testing.T) *pushWorld {
	t.Helper()
	ctx := t.Context()
	st := storetest.Open(t, store.SQLite, store.Options{})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	accounts := account.NewService(st, nil)
	mk := func(name string) account.User {
		u := account.User{ID: ids.New("usr"), Email: name + "@example.com", DisplayName: name, CreatedAt: time.Now().UTC()}
		if err := st.CreateUser(ctx, u, "unused"); err != nil {
			t.Fatal(err)
		}
		return u
	}
	owner, host := mk("owner"), mk("Ann")
	yes := true
	if err := st.SetUserFlags(ctx, host.ID, nil, &yes); err != nil {
		t.Fatal(err)
	}
	shopID := ids.New("shp")
	if err := st.CreateShop(ctx, catalog.Shop{ID: shopID, OwnerID: owner.ID, Name: "Farm", Category: "food", Region: "Jilin",
		Programme: "standard", Status: catalog.ShopApproved, CreatedAt: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	ownerActor, err := accounts.ActorFor(ctx, owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	w := &pushWorld{st: st}
	w.rooms = room.NewService(room.Config{Repo: st, Log: log, Grace: time.Minute})
	t.Cleanup(w.rooms.Close)
	keys, err := social.LoadOrCreateVAPID(t.TempDir() + "/vapid.json")
	if err != nil {
		t.Fatal(err)
	}
	w.pusher = social.NewPusher(social.PushConfig{Repo: st, VAPIDPublicKey: keys.PublicKey, VAPIDPrivateKey: keys.PrivateKey,
		Subject: "ops@liveshop.test", AllowHTTP: true, Log: log})
	t.Cleanup(w.pusher.Close)
	w.svc = social.NewService(social.Config{Repo: st, Rooms: w.rooms, Push: w.pusher, Log: log})
	w.ses, err = w.rooms.Schedule(ctx, ownerActor, shopID, room.ScheduleInput{Title: "Rice harvest", HostID: host.ID})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// fan is a viewer following the session's host.
func (w *pushWorld) fan(t *testing.T, name string) account.Actor {
	t.Helper()
	u := account.User{ID: ids.New("usr"), Email: name + "@example.com", DisplayName: name, CreatedAt: time.Now().UTC()}
	if err := w.st.CreateUser(t.Context(), u, "unused"); err != nil {
		t.Fatal(err)
	}
	a := account.Actor{User: &u}
	if _, _, err := w.svc.Follow(t.Context(), a, social.FollowInput{TargetKind: "host", TargetID: *w.ses.Session.HostID}); err != nil {
		t.Fatal(err)
	}
	return a
}

func (w *pushWorld) goLive(t *testing.T) {
	t.Helper()
	id, err := w.rooms.Authorize(t.Context(), w.ses.StreamKey, media.RTMP)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.rooms.Started(t.Context(), id, media.RTMP); err != nil {
		t.Fatal(err)
	}
}

// TestWebPushDelivered subscribes a follower as a browser would, puts the
// host live, and decrypts what the push service received.
func TestWebPushDelivered(t *testing.T) {
	t.Parallel()
	w := newPushWorld(t)
	ps := newPushService(t)
	fan := w.fan(t, "fan")
	b := newBrowser(t)
	if _, err := w.svc.SubscribePush(t.Context(), fan, social.PushSubscriptionInput{Endpoint: ps.srv.URL + "/push/fan", Keys: b.keys()}); err != nil {
		t.Fatal(err)
	}
	w.goLive(t)
	if n, err := w.svc.NotifyLive(t.Context(), w.ses.Session.ID); err != nil || n != 1 {
		t.Fatalf("notify live: %d %v", n, err)
	}
	waitFor(t, "the push", func() bool { return len(ps.received()) == 1 })
	req := ps.received()[0]
	h := req.header
	if h.Get("Content-Encoding") != "aes128gcm" || h.Get("TTL") != "3600" || h.Get("Urgency") != "high" ||
		!strings.HasPrefix(h.Get("Authorization"), "vapid t=") || !strings.Contains(h.Get("Authorization"), "k="+w.pusher.PublicKey()) {
		t.Fatalf("headers = %v", h)
	}
	plain, err := b.decrypt(req.body)
	if err != nil {
		t.Fatalf("decrypt: %v", err)
	}
	var msg struct{ Title, Body, URL string }
	if err := json.Unmarshal(plain, &msg); err != nil {
		t.Fatalf("payload %q: %v", plain, err)
	}
	if msg.Title != "Ann is live: Rice harvest" || msg.URL != "/live/"+w.ses.Session.ID || msg.Body != "Watch now at Farm" {
		t.Fatalf("payload = %+v", msg)
	}
	waitFor(t, "the sent count", func() bool { return w.pusher.Stats().Sent == 1 })
	// A second node hearing the same message writes nothing and pushes nothing.
	if n, err := w.svc.NotifyLive(t.Context(), w.ses.Session.ID); err != nil || n != 0 {
		t.Fatalf("notify again: %d %v", n, err)
	}
	if got := len(ps.received()); got != 1 {
		t.Fatalf("push service got %d requests", got)
	}
}

// TestWebPushInSubscriberLanguage: each browser gets the push in the
// language the app spoke when it subscribed; the stored text stays English.
func TestWebPushInSubscriberLanguage(t *testing.T) {
	t.Parallel()
	w := newPushWorld(t)
	ps := newPushService(t)
	fan := w.fan(t, "fan")
	browsers := map[string]*browser{"/push/en": newBrowser(t), "/push/zh": newBrowser(t), "/push/default": newBrowser(t)}
	locales := map[string]string{"/push/en": "en-GB", "/push/zh": "zh-CN", "/push/default": ""}
	for path, b := range browsers {
		sub, err := w.svc.SubscribePush(t.Context(), fan, social.PushSubscriptionInput{Endpoint: ps.srv.URL + path, Keys: b.keys(), Locale: locales[path]})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]string{"/push/zh": "zh-CN"}[path]; sub.Locale != want && !(want == "" && sub.Locale == "en") {
			t.Fatalf("%s stored locale %q", path, sub.Locale)
		}
	}
	w.goLive(t)
	if n, err := w.svc.NotifyLive(t.Context(), w.ses.Session.ID); err != nil || n != 1 {
		t.Fatalf("notify live: %d %v", n, err)
	}
	waitFor(t, "three pushes", func() bool { return len(ps.received()) == 3 })
	want := map[string][2]string{
		"/push/en":      {"Ann is live: Rice harvest", "Watch now at Farm"},
		"/push/default": {"Ann is live: Rice harvest", "Watch now at Farm"},
		"/push/zh":      {"Ann 开播了：Rice harvest", "去 Farm 的直播间看看"},
	}
	for _, req := range ps.received() {
		plain, err := browsers[req.path].decrypt(req.body)
		if err != nil {
			t.Fatalf("%s: decrypt: %v", req.path, err)
		}
		var msg struct{ Title, Body, URL string }
		if err := json.Unmarshal(plain, &msg); err != nil {
			t.Fatalf("payload %q: %v", plain, err)
		}
		if w := want[req.path]; msg.Title != w[0] || msg.Body != w[1] {
			t.Errorf("%s got %+v, want %q / %q", req.path, msg, w[0], w[1])
		}
	}
	ns, err := w.svc.Notifications(t.Context(), fan, false, "", 10)
	if err != nil || len(ns) != 1 || ns[0].Title != "Ann is live: Rice harvest" ||
		ns[0].Params != (social.NotificationParams{Host: "Ann", Shop: "Farm", Title: "Rice harvest"}) {
		t.Fatalf("stored notifications = %+v %v", ns, err)
	}
	// A language the app does not speak is refused, naming the field.
	_, err = w.svc.SubscribePush(t.Context(), fan, social.PushSubscriptionInput{Endpoint: ps.srv.URL + "/push/fr", Keys: newBrowser(t).keys(), Locale: "fr"})
	if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || e.Field != "locale" {
		t.Fatalf("locale fr: %v", err)
	}
}

// TestWebPushGoneAndFailing: a 410 deletes the subscription, a 500 is
// recorded as its last error and keeps it.
func TestWebPushGoneAndFailing(t *testing.T) {
	t.Parallel()
	w := newPushWorld(t)
	ps := newPushService(t)
	ps.status["/push/gone"] = http.StatusGone
	ps.status["/push/broken"] = http.StatusInternalServerError
	gone, broken := w.fan(t, "gone"), w.fan(t, "broken")
	for a, path := range map[*account.Actor]string{&gone: "/push/gone", &broken: "/push/broken"} {
		if _, err := w.svc.SubscribePush(t.Context(), *a, social.PushSubscriptionInput{Endpoint: ps.srv.URL + path, Keys: newBrowser(t).keys()}); err != nil {
			t.Fatal(err)
		}
	}
	w.goLive(t)
	if n, err := w.svc.NotifyLive(t.Context(), w.ses.Session.ID); err != nil || n != 2 {
		t.Fatalf("notify live: %d %v", n, err)
	}
	waitFor(t, "both outcomes", func() bool { s := w.pusher.Stats(); return s.Gone == 1 && s.Failed == 1 })
	// The counters move before the subscription rows are written: wait
	// for the rows.
	var subs []social.PushSubscription
	waitFor(t, "the gone subscription deleted and the failing one's error kept", func() bool {
		var err error
		subs, err = w.st.PushSubscriptionsOf(t.Context(), []string{gone.ID(), broken.ID()})
		if err != nil {
			t.Fatal(err)
		}
		return len(subs) == 1 && subs[0].LastError != ""
	})
	if subs[0].UserID != broken.ID() || !strings.HasPrefix(subs[0].LastError, "HTTP 500") {
		t.Fatalf("subscriptions = %+v", subs)
	}
}

func TestSubscribePushChecks(t *testing.T) {
	t.Parallel()
	w := newPushWorld(t)
	fan := w.fan(t, "fan")
	good := newBrowser(t).keys()
	short := base64.RawURLEncoding.EncodeToString(make([]byte, 8))
	notPoint := base64.RawURLEncoding.EncodeToString(append([]byte{4}, make([]byte, 64)...))
	for _, tt := range []struct {
		name  string
		in    social.PushSubscriptionInput
		field string
	}{
		{"no endpoint", social.PushSubscriptionInput{Keys: good}, "endpoint"},
		{"plain http elsewhere", social.PushSubscriptionInput{Endpoint: "http://push.example.com/x", Keys: good}, "endpoint"},
		{"not a URL", social.PushSubscriptionInput{Endpoint: "push", Keys: good}, "endpoint"},
		{"ftp", social.PushSubscriptionInput{Endpoint: "ftp://push.example.com/x", Keys: good}, "endpoint"},
		{"bad p256dh", social.PushSubscriptionInput{Endpoint: "https://push.example.com/x", Keys: social.PushKeys{P256dh: "!!", Auth: good.Auth}}, "keys.p256dh"},
		{"p256dh off the curve", social.PushSubscriptionInput{Endpoint: "https://push.example.com/x", Keys: social.PushKeys{P256dh: notPoint, Auth: good.Auth}}, "keys.p256dh"},
		{"short auth", social.PushSubscriptionInput{Endpoint: "https://push.example.com/x", Keys: social.PushKeys{P256dh: good.P256dh, Auth: short}}, "keys.auth"},
	} {
		_, err := w.svc.SubscribePush(t.Context(), fan, tt.in)
		if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || e.Field != tt.field {
			t.Errorf("%s: %v, want field %s", tt.name, err, tt.field)
		}
	}
	// An endpoint moves to whoever subscribes with it last; unsubscribing
	// someone else's endpoint does nothing.
	other := w.fan(t, "other")
	in := social.PushSubscriptionInput{Endpoint: "https://push.example.com/x", Keys: good}
	if _, err := w.svc.SubscribePush(t.Context(), fan, in); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SubscribePush(t.Context(), other, in); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.UnsubscribePush(t.Context(), fan, in.Endpoint); err != nil {
		t.Fatal(err)
	}
	subs, err := w.st.PushSubscriptionsOf(t.Context(), []string{fan.ID(), other.ID()})
	if err != nil || len(subs) != 1 || subs[0].UserID != other.ID() {
		t.Fatalf("subscriptions = %+v %v", subs, err)
	}
	if err := w.svc.UnsubscribePush(t.Context(), other, in.Endpoint); err != nil {
		t.Fatal(err)
	}
	if subs, _ := w.st.PushSubscriptionsOf(t.Context(), []string{other.ID()}); len(subs) != 0 {
		t.Fatalf("after unsubscribe: %+v", subs)
	}
}

// TestPushNotificationWrittenElsewhere: a notification someone else wrote
// (the order service writes a buyer's in the order change's transaction)
// is pushed by id, in each browser's language, to its own user only.
func TestPushNotificationWrittenElsewhere(t *testing.T) {
	t.Parallel()
	w := newPushWorld(t)
	ps := newPushService(t)
	fan, other := w.fan(t, "fan"), w.fan(t, "other")
	w.goLive(t)
	// Written by a service that pushes nothing, as the order store does.
	writer := social.NewService(social.Config{Repo: w.st, Rooms: w.rooms, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if n, err := writer.NotifyLive(t.Context(), w.ses.Session.ID); err != nil || n != 2 {
		t.Fatalf("notify live: %d %v", n, err)
	}
	ns, err := w.svc.Notifications(t.Context(), fan, false, "", 10)
	if err != nil || len(ns) != 1 {
		t.Fatalf("fan's notifications = %+v %v", ns, err)
	}
	b := newBrowser(t)
	if _, err := w.svc.SubscribePush(t.Context(), fan, social.PushSubscriptionInput{Endpoint: ps.srv.URL + "/push/fan", Keys: b.keys(), Locale: "zh-CN"}); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.PushNotification(t.Context(), other.ID(), ns[0].ID); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("pushing the fan's notification as another user: %v", err)
	}
	if err := w.svc.PushNotification(t.Context(), fan.ID(), ns[0].ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the push", func() bool { return len(ps.received()) == 1 })
	plain, err := b.decrypt(ps.received()[0].body)
	if err != nil {
		t.Fatalf("decrypt: %v", err)
	}
	var msg struct{ Title, Body, URL string }
	if err := json.Unmarshal(plain, &msg); err != nil {
		t.Fatalf("payload %q: %v", plain, err)
	}
	if msg.Title != "Ann 开播了：Rice harvest" || msg.URL != "/live/"+w.ses.Session.ID {
		t.Fatalf("payload = %+v", msg)
	}
	waitFor(t, "the sent count", func() bool { return w.pusher.Stats().Sent == 1 })
	if got := len(ps.received()); got != 1 {
		t.Fatalf("push service got %d requests", got)
	}
}
