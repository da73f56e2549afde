package store_test

// The storage conformance suite: every storage behaviour, driven through
// the real domain services, on SQLite and on PostgreSQL (storetest.Each).
// This file holds what the suite's tests share: a world of services over
// one store, a hand-moved clock, the real sandbox payment provider, and a
// test double for the one thing that is not storage: image files on disk.

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/mcn"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/payment/sandbox"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
	"github.com/liveshop/liveshop/internal/webhook"
)

// paymentWindow is how long the suite's unpaid orders hold stock.
const paymentWindow = 15 * time.Minute

// world is the set of domain services over one store, sharing one clock.
type world struct {
	s      *store.Store
	clock  *storetest.Clock
	acct   *account.Service
	cat    *catalog.Service
	ord    *order.Service
	mcns   *mcn.Service
	hooks  *webhook.Service
	payer  *sandbox.Provider
	images *diskImagesForTest
}

func newWorld(t *testing.T, s *store.Store) *world {
	t.Helper()
	clock := storetest.NewClock(time.Now())
	payer := sandbox.New(sandbox.Config{Secret: []byte("conformance-suite"), PublicURL: "http://liveshop.test", Now: clock.Now})
	images := &diskImagesForTest{dir: t.TempDir()}
	return &world{
		s:     s,
		clock: clock,
		acct:  account.NewService(s, clock.Now),
		cat:   catalog.NewService(s, images, clock.Now),
		ord: order.NewService(order.Config{Repo: s, Providers: []order.PaymentProvider{payer},
			PaymentWindow: paymentWindow, Now: clock.Now}),
		mcns:   mcn.NewService(s, clock.Now),
		hooks:  webhook.NewService(s, clock.Now),
		payer:  payer,
		images: images,
	}
}

// user signs up a person and returns them as an Actor.
func (w *world) user(t *testing.T, email string) account.Actor {
	t.Helper()
	u, err := w.acct.SignUp(t.Context(), account.SignUpInput{Email: email, Password: "correct horse battery"})
	if err != nil {
		t.Fatalf("sign up %s: %v", email, err)
	}
	return w.actor(t, u.ID)
}

// actor loads a user's current roles; Actors are snapshots, so tests
// reload them after a membership changes.
func (w *world) actor(t *testing.T, userID string) account.Actor {
	t.Helper()
	a, err := w.acct.ActorFor(t.Context(), userID)
	if err != nil {
		t.Fatalf("actor %s: %v", userID, err)
	}
	return a
}

// admin signs up a platform admin.
func (w *world) admin(t *testing.T, email string) account.Actor {
	t.Helper()
	a := w.user(t, email)
	if err := w.acct.SetAdmin(t.Context(), account.System(), a.ID(), true); err != nil {
		t.Fatalf("make %s admin: %v", email, err)
	}
	return w.actor(t, a.ID())
}

// shop applies for a shop as owner under programme, has admin approve it,
// and returns the shop with the owner reloaded.
func (w *world) shop(t *testing.T, owner, admin account.Actor, name, programme string) (catalog.Shop, account.Actor) {
	t.Helper()
	app := catalog.ShopApplication{Name: name, Category: "food", Region: "Heilongjiang", Programme: programme}
	if programme == "rural" {
		app.County = "Wuchang"
	}
	sh, err := w.cat.Apply(t.Context(), owner, app)
	if err != nil {
		t.Fatalf("apply %s: %v", name, err)
	}
	if sh, err = w.cat.Review(t.Context(), admin, sh.ID, true, ""); err != nil {
		t.Fatalf("approve %s: %v", name, err)
	}
	return sh, w.actor(t, owner.ID())
}

// product creates a product with one SKU of the given price and stock.
func (w *world) product(t *testing.T, a account.Actor, shopID, title string, price int64, stock int) catalog.Product {
	t.Helper()
	return w.productWith(t, a, shopID, catalog.NewProduct{Title: title,
		SKUs: []catalog.NewSKU{{Code: "SKU-" + ids.Token(5), PriceMinor: price, Stock: stock}}})
}

func (w *world) productWith(t *testing.T, a account.Actor, shopID string, np catalog.NewProduct) catalog.Product {
	t.Helper()
	p, err := w.cat.CreateProduct(t.Context(), a, shopID, np)
	if err != nil {
		t.Fatalf("create product %q: %v", np.Title, err)
	}
	return p
}

// stock reads a SKU's stock through the product as its shop sees it.
func (w *world) stock(t *testing.T, shopMember account.Actor, p catalog.Product, skuIndex int) int {
	t.Helper()
	got, err := w.cat.Product(t.Context(), shopMember, p.ID)
	if err != nil {
		t.Fatalf("product %s: %v", p.ID, err)
	}
	return got.SKUs[skuIndex].Stock
}

// movements lists a SKU's whole stock history, newest first.
func (w *world) movements(t *testing.T, shopMember account.Actor, skuID string) []catalog.Movement {
	t.Helper()
	ms, err := w.cat.Movements(t.Context(), shopMember, skuID, "", 100)
	if err != nil {
		t.Fatalf("movements of %s: %v", skuID, err)
	}
	return ms
}

// shipTo is a valid address for orders.
func shipTo() *order.Address {
	return &order.Address{Name: "Li Lei", Phone: "+86 138 0000 0000", Line1: "1 Farm Road", City: "Harbin", Region: "Heilongjiang"}
}

// place orders qty of one SKU for buyer with no idempotency key.
func (w *world) place(t *testing.T, buyer account.Actor, skuID string, qty int) order.Order {
	t.Helper()
	o, _, err := w.ord.Place(t.Context(), buyer, order.PlaceInput{Items: []order.Item{{SKUID: skuID, Quantity: qty}}, Address: shipTo()}, "")
	if err != nil {
		t.Fatalf("place %d of %s: %v", qty, skuID, err)
	}
	return o
}

// pay starts a payment for buyer and confirms it with a provider event.
func (w *world) pay(t *testing.T, buyer account.Actor, orderID string) order.Payment {
	t.Helper()
	p, err := w.ord.Pay(t.Context(), buyer, orderID, w.payer.Name(), "", "")
	if err != nil {
		t.Fatalf("pay %s: %v", orderID, err)
	}
	if err := w.confirm(t.Context(), ids.New("evt"), p.ID, true); err != nil {
		t.Fatalf("confirm payment %s: %v", p.ID, err)
	}
	return p
}

// paymentEvent is the sandbox's webhook for a payment's outcome, signed
// at the clock's time as the sandbox's hosted page would send it.
func (w *world) paymentEvent(eventID, paymentID string, succeeded bool) (http.Header, []byte) {
	ev := sandbox.Event{ID: eventID, Type: sandbox.EventFailed, PaymentID: paymentID, Created: w.clock.Now().Unix()}
	if succeeded {
		ev.Type = sandbox.EventSucceeded
	}
	body, _ := json.Marshal(ev)
	h := http.Header{}
	h.Set(sandbox.SignatureHeader, w.payer.SignEvent(body, w.clock.Now()))
	return h, body
}

// confirm delivers a signed sandbox event to the order service.
func (w *world) confirm(ctx context.Context, eventID, paymentID string, succeeded bool) error {
	h, body := w.paymentEvent(eventID, paymentID, succeeded)
	return w.ord.HandleProviderWebhook(ctx, sandbox.Name, h, body)
}

// order reads an order as a, failing the test when it cannot.
func (w *world) order(t *testing.T, a account.Actor, id string) order.Order {
	t.Helper()
	o, err := w.ord.Order(t.Context(), a, id)
	if err != nil {
		t.Fatalf("order %s: %v", id, err)
	}
	return o
}

// wantErr fails unless err is an apperr with code and exactly field.
func wantErr(t *testing.T, err error, code, field string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok {
		t.Fatalf("err = %v, want %s (field %q)", err, code, field)
	}
	if e.Code != code || e.Field != field {
		t.Fatalf("err = %v, want %s (field %q)", err, code, field)
	}
}

// must fails the test on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// diskImagesForTest is a test double for catalog.ImageFiles: it keeps the
// uploaded bytes in a temporary directory and reads the picture's size,
// with no thumbnails and no re-encoding. Only the image records it
// reports are under test here.
type diskImagesForTest struct{ dir string }

func (d *diskImagesForTest) Store(_ context.Context, id string, r io.Reader) (catalog.ImageMeta, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return catalog.ImageMeta{}, err
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return catalog.ImageMeta{}, apperr.New(apperr.Unsupported, "not an image: %v", err)
	}
	if err := os.WriteFile(d.path(id), b, 0o600); err != nil {
		return catalog.ImageMeta{}, err
	}
	return catalog.ImageMeta{ContentType: "image/" + format, SizeBytes: int64(len(b)), Width: cfg.Width, Height: cfg.Height}, nil
}

func (d *diskImagesForTest) Remove(id string) error { return os.Remove(d.path(id)) }

func (d *diskImagesForTest) path(id string) string { return filepath.Join(d.dir, id) }

// pngBytes is a w×h PNG.
func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, 0, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// titles lists products' titles in order.
func titles(ps []catalog.Product) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Title
	}
	return out
}

var _ catalog.ImageFiles = (*diskImagesForTest)(nil)

// together runs fn(0) … fn(n-1) in n goroutines released at the same
// moment (two tabs, several nodes) and waits for all of them.
func together(n int, fn func(i int)) {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			fn(i)
		})
	}
	close(start)
	wg.Wait()
}
