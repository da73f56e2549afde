package httpapi_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/analytics"
	"github.com/liveshop/liveshop/internal/auction"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/coupon"
	"github.com/liveshop/liveshop/internal/draw"
	"github.com/liveshop/liveshop/internal/feed"
	"github.com/liveshop/liveshop/internal/flashsale"
	"github.com/liveshop/liveshop/internal/funnel"
	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/imagestore"
	"github.com/liveshop/liveshop/internal/mcn"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/payment/sandbox"
	"github.com/liveshop/liveshop/internal/report"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/search"
	"github.com/liveshop/liveshop/internal/social"
	"github.com/liveshop/liveshop/internal/webhook"
)

// role is who calls in the authorisation matrix. Every request targets
// the resources of shop A (its session, products, orders, its host's
// agency); the "other" roles belong to shop B, session B or agency B.
type role string

const (
	anonymous     role = "anonymous"
	viewer        role = "viewer" // signed in, no role; also the buyer of shop A's order
	owner         role = "owner"
	staff         role = "staff"
	otherMerchant role = "other-merchant"
	host          role = "host" // hosts session A, in agency A
	otherHost     role = "other-host"
	manager       role = "mcn-manager"
	otherManager  role = "other-mcn-manager"
	admin         role = "admin"
)

var allRoles = []role{anonymous, viewer, owner, staff, otherMerchant, host, otherHost, manager, otherManager, admin}

// authzWorld is every service on one SQLite store, with two shops and
// the people around them. params maps "segment/{param}" (the path
// segment before the parameter) to the id a request puts there.
type authzWorld struct {
	h      *apiHarness
	tokens map[role]string
	params map[string]string
	// streamKey is session A's secret: no public answer may carry it.
	streamKey string
	// other holds shop B's ids, for requests that mix A's and B's.
	other map[string]string
}

func newAuthzWorld(t *testing.T) *authzWorld {
	t.Helper()
	var agencies *mcn.Service
	h := newAPIHarness(t, func(h *apiHarness, c *httpapi.Config) {
		images, err := imagestore.New(t.TempDir(), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		c.Catalog = catalog.NewService(h.st, images, nil)
		imports := catalog.NewImporter(t.Context(), c.Catalog, h.st, h.log)
		c.Imports = imports
		pay := sandbox.New(sandbox.Config{Secret: []byte("authz-matrix-secret"), PublicURL: "http://127.0.0.1:1", Log: h.log})
		c.Orders = order.NewService(order.Config{Repo: h.st, Providers: []order.PaymentProvider{pay}})
		agencies = mcn.NewService(h.st, nil)
		c.MCNs = agencies
		c.Webhooks = webhook.NewService(h.st, nil)
		c.FlashSales = flashsale.NewService(flashsale.Config{Repo: h.st, SKUs: h.st, Rooms: h.rooms, Node: "authz", Log: h.log})
		t.Cleanup(c.FlashSales.Close)
		c.Coupons = coupon.NewService(coupon.Config{Repo: h.st, Rooms: h.rooms})
		t.Cleanup(c.Coupons.Close)
		c.Orders.UseCoupons(c.Coupons)
		c.Draws = draw.NewService(draw.Config{Repo: h.st, Rooms: h.rooms, Awards: c.Orders, Follows: h.st, Log: h.log})
		c.Auctions = auction.NewService(auction.Config{Repo: h.st, Rooms: h.rooms, Awards: c.Orders, Log: h.log})
		c.Funnel = funnel.NewService(funnel.Config{Repo: h.st, Rooms: h.rooms, Log: h.log})
		t.Cleanup(c.Funnel.Close)
		c.Analytics = analytics.NewService(analytics.ServiceConfig{Reader: h.st, Sessions: h.st})
		c.Search = search.NewService(h.st)
		c.Feed = feed.NewService(feed.Config{Repo: h.st, Log: h.log})
		c.Reports = report.NewService(report.Config{Repo: h.st, Rooms: h.rooms, Agencies: agencies, Agreements: h.st})
		keys, err := social.LoadOrCreateVAPID(t.TempDir() + "/vapid.json")
		if err != nil {
			t.Fatal(err)
		}
		pusher := social.NewPusher(social.PushConfig{Repo: h.st, VAPIDPublicKey: keys.PublicKey, VAPIDPrivateKey: keys.PrivateKey, Log: h.log})
		t.Cleanup(pusher.Close)
		c.Social = social.NewService(social.Config{Repo: h.st, Rooms: h.rooms, Push: pusher, Log: h.log})
	})
	w := &authzWorld{h: h, tokens: map[role]string{}, params: map[string]string{}}
	ctx := h.ctx
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	cat := catalog.NewService(h.st, nil, nil)

	// People.
	ownerA, shopA := h.shop("OwnerA")
	ownerB, shopB := h.shop("OwnerB")
	buyer := h.user("Viewer")
	staffA, staffA2 := h.user("StaffA"), h.user("StaffA2")
	for _, s := range []account.Actor{staffA, staffA2} {
		inv, err := cat.Invite(ctx, ownerA, shopA, s.User.Email)
		must(err)
		must(cat.AnswerInvitation(ctx, s, inv.ID, true))
	}
	hostA, hostB, hostA2 := h.user("HostA"), h.user("HostB"), h.user("HostA2")
	mgrA, mgrB := h.user("ManagerA"), h.user("ManagerB")
	adm := h.user("Admin")
	must(h.accounts.SetAdmin(ctx, account.System(), adm.ID(), true))
	bystander := h.user("Bystander")

	// Agencies: A holds host A (and host A2, whom the matrix may let go);
	// B has invited the viewer, who answers in the matrix.
	agA, err := agencies.Create(ctx, mgrA, "Agency A")
	must(err)
	agB, err := agencies.Create(ctx, mgrB, "Agency B")
	must(err)
	for _, hh := range []account.Actor{hostA, hostA2} {
		_, err := agencies.InviteHost(ctx, mgrA, agA.ID, hh.User.Email, 2000)
		must(err)
		must(agencies.Answer(ctx, hh, agA.ID, true))
	}
	_, err = agencies.InviteHost(ctx, mgrB, agB.ID, hostB.User.Email, 2000)
	must(err)
	must(agencies.Answer(ctx, hostB, agB.ID, true))
	_, err = agencies.InviteHost(ctx, mgrB, agB.ID, buyer.User.Email, 2000)
	must(err)

	for r, a := range map[role]account.Actor{viewer: buyer, owner: ownerA, staff: staffA, otherMerchant: ownerB, host: hostA,
		otherHost: hostB, manager: mgrA, otherManager: mgrB, admin: adm} {
		fresh, err := h.accounts.ActorFor(ctx, a.ID())
		must(err)
		w.tokens[r] = h.token(fresh)
	}
	ownerA, err = h.accounts.ActorFor(ctx, ownerA.ID())
	must(err)
	spareToken, _, err := h.accounts.CreateAPIToken(ctx, ownerA, "spare")
	must(err)

	// Catalog, a pending shop for the admin routes, an invitation for the viewer.
	productA, skuA := h.product(ownerA, shopA, "Rice", 1990, 50)
	productB, skuB := h.product(ownerB, shopB, "Honey", 2990, 50)
	pendingID := "shp_pending_authz"
	must(h.st.CreateShop(ctx, catalog.Shop{ID: pendingID, OwnerID: ownerA.ID(), Name: "Pending", Category: "food", Region: "Jilin",
		Programme: "standard", Status: catalog.ShopPending, CreatedAt: h.now}))
	inv, err := cat.Invite(ctx, ownerA, shopA, buyer.User.Email)
	must(err)

	// Sessions: A is live with host A, a chat message and a question; B is scheduled with host B.
	studioA, err := h.rooms.Schedule(ctx, ownerA, shopA, room.ScheduleInput{Title: "Harvest", ProductIDs: []string{productA}, HostID: hostA.ID()})
	must(err)
	sesA := studioA.Session.ID
	w.streamKey = studioA.StreamKey
	studioB, err := h.rooms.Schedule(ctx, ownerB, shopB, room.ScheduleInput{Title: "Bees", ProductIDs: []string{productB}, HostID: hostB.ID()})
	must(err)
	sesB := studioB.Session.ID
	goLive := func(key, sesID string) (msgID, questionID string) {
		t.Helper()
		id, err := h.rooms.Authorize(ctx, key, media.RTMP)
		must(err)
		must(h.rooms.Started(ctx, id, media.RTMP))
		p, err := h.rooms.Participant(ctx, bystander, sesID)
		must(err)
		msg, err := h.rooms.PostChat(ctx, p, sesID, "hello")
		must(err)
		q, err := h.rooms.AskQuestion(ctx, p, sesID, "fresh?")
		must(err)
		return msg.ID, q.ID
	}
	msgA, questionA := goLive(studioA.StreamKey, sesA)
	// The viewer reports session A's message, for the platform queue.
	reportA, err := h.rooms.Report(ctx, buyer, sesA, room.ReportInput{MessageID: msgA, Reason: "rude"})
	must(err)
	msgB, questionB := goLive(studioB.StreamKey, sesB)

	// Selling in session A, a webhook endpoint, an import, an image and the viewer's order, over the API as a shop would.
	ownerTok := w.tokens[owner]
	if status, _, raw := h.call("POST", "/auth/signup", "", `{"email":"signin@example.com","password":"correct horse battery","display_name":"Signin"}`); status != 201 {
		t.Fatalf("fixture sign-up: %d %s", status, raw)
	}
	create := func(method, path, body string) string {
		t.Helper()
		status, out, raw := h.call(method, path, ownerTok, body)
		if status/100 != 2 {
			t.Fatalf("fixture %s %s: %d %s", method, path, status, raw)
		}
		id, _ := out["id"].(string)
		return id
	}
	until := h.now.Add(48 * time.Hour).Format(time.RFC3339)
	couponID := create("POST", "/shops/"+shopA+"/coupons", `{"title":"Five off","amount_off_minor":500,"min_spend_minor":2000,"valid_until":"`+until+`","total_limit":10}`)
	otherOwnerTok := w.tokens[otherMerchant]
	status, out, raw := h.call("POST", "/shops/"+shopB+"/coupons", otherOwnerTok, `{"title":"B off","amount_off_minor":500,"min_spend_minor":2000,"valid_until":"`+until+`","total_limit":10}`)
	if status != 201 {
		t.Fatalf("fixture coupon B: %d %s", status, raw)
	}
	couponB, _ := out["id"].(string)
	w.other = map[string]string{"shop": shopB, "product": productB, "sku": skuB, "session": sesB, "message": msgB, "question": questionB,
		"coupon": couponB, "owner": ownerB.ID()}
	saleID := create("POST", "/live-sessions/"+sesA+"/flash-sales", `{"sku_id":"`+skuA+`","price_minor":990,"stock":5,"per_user_limit":1,"countdown_seconds":10,"duration_seconds":600}`)
	auctionID := create("POST", "/live-sessions/"+sesA+"/auctions", `{"sku_id":"`+skuA+`","start_price_minor":1000,"min_increment_minor":100,"duration_seconds":600}`)
	// The viewer is the draw's only entrant, so its winner: claim is theirs alone.
	drawID := create("POST", "/live-sessions/"+sesA+"/draws", `{"title":"Rice for one","sku_id":"`+skuA+`","countdown_seconds":60,"winners":1,"eligibility":"anyone"}`)
	if status, _, raw := h.call("POST", "/draws/"+drawID+"/entries", w.tokens[viewer], ""); status/100 != 2 {
		t.Fatalf("fixture draw entry: %d %s", status, raw)
	}
	create("POST", "/draws/"+drawID+"/draw", "")
	endpointID := create("POST", "/shops/"+shopA+"/webhooks", `{"url":"https://hooks.example.com/liveshop","events":["order.paid"]}`)
	importID := w.upload("/shops/"+shopA+"/imports", ownerTok, "file", "catalog.csv", []byte("title,category,sku_code,price,currency,stock\nOats,food,OAT-1,5.00,CNY,3\n"))
	imageID := w.upload("/products/"+productA+"/images", ownerTok, "image", "a.png", pngBytes(t))
	o, _, err := seedOrders(h).Place(ctx, buyer, order.PlaceInput{Items: []order.Item{{SKUID: skuA, Quantity: 1}},
		Address: &order.Address{Name: "Li", Phone: "138", Line1: "1 Road", City: "Jilin", Region: "Jilin", Country: "CN"}}, "authz-order")
	must(err)
	// Deliveries are queued only when an order is paid, which needs the
	// provider's signed callback; the redeliver route gets a missing id
	// (an accepted exception in the matrix).
	deliveryID := "whd_missing"

	w.params = map[string]string{
		"tokens/{id}":             spareToken.ID,
		"invitations/{id}":        inv.ID,
		"agencies/{mcnID}":        agB.ID,
		"shops/{id}":              shopA,
		"members/{userID}":        staffA2.ID(),
		"products/{id}":           productA,
		"skus/{id}":               skuA,
		"items/{skuID}":           skuA,
		"images/{id}":             imageID,
		"imports/{id}":            importID,
		"orders/{id}":             o.ID,
		"payments/{provider}":     "sandbox",
		"mcns/{id}":               agA.ID,
		"hosts/{hostID}":          hostA2.ID(),
		"webhooks/{id}":           endpointID,
		"webhook-deliveries/{id}": deliveryID,
		"live-sessions/{id}":      sesA,
		"chat/{messageID}":        msgA,
		"questions/{qid}":         questionA,
		"coupons/{couponID}":      couponID,
		"coupons/{id}":            couponID,
		"flash-sales/{id}":        saleID,
		"auctions/{id}":           auctionID,
		"draws/{id}":              drawID,
		"hosts/{id}":              hostA.ID(),
		"channels/{code}":         "foodie",
		"shop/{id}":               shopA, // DELETE /follows/{kind}/{id}, kind filled first
		"follows/{kind}":          "shop",
		"admin/shops/{id}":        pendingID,
		"admin/programmes/{code}": "standard",
		"admin/reports/{id}":      reportA.ID,
	}
	return w
}

// seedOrders is a second handle on the order rules over the same store,
// for seeding the viewer's order without going through the cart.
func seedOrders(h *apiHarness) *order.Service {
	return order.NewService(order.Config{Repo: h.st})
}

// upload posts one multipart file as the owner and returns the new id.
func (w *authzWorld) upload(path, tok, field, name string, data []byte) string {
	w.h.t.Helper()
	status, out, raw := w.send("POST", path, tok, multipartBody(w.h.t, field, name, data))
	if status/100 != 2 {
		w.h.t.Fatalf("fixture upload %s: %d %s", path, status, raw)
	}
	id, _ := out["id"].(string)
	return id
}

type reqBody struct {
	contentType string
	data        []byte
}

func jsonBody(s string) reqBody {
	if s == "" {
		return reqBody{}
	}
	return reqBody{contentType: "application/json", data: []byte(s)}
}

func multipartBody(t *testing.T, field, name string, data []byte) reqBody {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return reqBody{contentType: mw.FormDataContentType(), data: buf.Bytes()}
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// send is the harness's call with any content type and an
// Idempotency-Key on every unsafe request (routes that need one refuse
// a request without it before they look at the caller).
func (w *authzWorld) send(method, path, tok string, body reqBody) (int, map[string]any, string) {
	h := w.h
	h.t.Helper()
	req, err := http.NewRequestWithContext(h.ctx, method, h.srv.URL+"/api/v1"+path, bytes.NewReader(body.data))
	if err != nil {
		h.t.Fatal(err)
	}
	if body.contentType != "" {
		req.Header.Set("Content-Type", body.contentType)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if method != http.MethodGet {
		req.Header.Set("Idempotency-Key", "authz "+method+" "+path)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	var out map[string]any
	json.Unmarshal(raw, &out) // non-object bodies leave out nil
	return resp.StatusCode, out, string(raw)
}
