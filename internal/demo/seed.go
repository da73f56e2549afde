// Package demo fills a fresh installation with shops, products, hosts, an
// agency, viewers and orders, so a newcomer sees a working platform at once.
package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/mcn"
	"github.com/liveshop/liveshop/internal/order"
)

// Password is every demo account's password.
const Password = "liveshop-demo"

// Login is a demo account to print.
type Login struct {
	Email string
	Role  string
}

// Signer signs a sandbox payment webhook body, as the sandbox's pay page does.
type Signer interface {
	SignEvent(body []byte, t time.Time) string
}

// HostFlagger turns the host role on.
type HostFlagger interface {
	SetUserFlags(ctx context.Context, id string, isAdmin, isHost *bool) error
}

// NotificationReader marks a user's notifications read.
type NotificationReader interface {
	MarkNotificationsRead(ctx context.Context, userID string, ids []string, all bool, at time.Time) error
}

// Deps are the services the seed goes through; it uses the same paths as
// real users, so demo data obeys every rule real data does.
type Deps struct {
	Accounts *account.Service
	Catalog  *catalog.Service
	Orders   *order.Service
	MCNs     *mcn.Service
	Store    HostFlagger
	Sandbox  Signer
	// OrdersAt returns an order service whose clock reads now(), so that
	// demo orders can be placed over the past days.
	OrdersAt func(now func() time.Time) *order.Service
	// Notifications, when set, marks the notifications the seeded order
	// history wrote (shipped, delivered…) read.
	Notifications NotificationReader
	Log           *slog.Logger
}

type shopSeed struct {
	owner    string
	app      catalog.ShopApplication
	products []catalog.NewProduct
}

func yuan(y float64) int64 { return int64(y*100 + 0.5) }

var shops = []shopSeed{
	{owner: "farmer.li@demo.liveshop", app: catalog.ShopApplication{Name: "Wuchang Rice Cooperative", Category: "fresh_produce",
		Region: "Heilongjiang", County: "Wuchang", Programme: "rural",
		Description: "Family rice paddies on the black soil of Wuchang county, milled to order."},
		products: []catalog.NewProduct{
			{Title: "五常大米 Wuchang fragrant rice", Category: "food", Tags: []string{"rice", "rural", "new harvest"}, CommissionBPS: 1500,
				Description: "Daohuaxiang rice from this autumn's harvest, milled the week it ships.",
				SKUs: []catalog.NewSKU{{Code: "RICE-2.5KG", Attributes: map[string]string{"weight": "2.5 kg"}, PriceMinor: yuan(59.9), Stock: 800},
					{Code: "RICE-5KG", Attributes: map[string]string{"weight": "5 kg"}, PriceMinor: yuan(109), Stock: 400}}},
			{Title: "Black-soil soybeans", Category: "food", Tags: []string{"beans", "rural"}, CommissionBPS: 1000,
				SKUs: []catalog.NewSKU{{Code: "SOY-1KG", Attributes: map[string]string{"weight": "1 kg"}, PriceMinor: yuan(19.9), Stock: 1200}}},
		}},
	{owner: "grower.ma@demo.liveshop", app: catalog.ShopApplication{Name: "Ningxia Wolfberry Farm", Category: "fresh_produce",
		Region: "Ningxia", County: "Zhongning", Programme: "rural",
		Description: "Goji berries sun-dried on the farm, sold by the family that grows them."},
		products: []catalog.NewProduct{
			{Title: "宁夏枸杞 Zhongning goji berries", Category: "health", Tags: []string{"goji", "dried fruit", "rural"}, CommissionBPS: 2000,
				SKUs: []catalog.NewSKU{{Code: "GOJI-250G", Attributes: map[string]string{"weight": "250 g"}, PriceMinor: yuan(39), Stock: 600},
					{Code: "GOJI-500G", Attributes: map[string]string{"weight": "500 g", "grade": "premium"}, PriceMinor: yuan(72), Stock: 300}}},
		}},
	{owner: "boss.chen@demo.liveshop", app: catalog.ShopApplication{Name: "Yiwu Home Goods Wholesale", Category: "home",
		Region: "Zhejiang", County: "Yiwu", Programme: "standard",
		Description: "Factory-direct kitchen and home goods from the Yiwu market."},
		products: []catalog.NewProduct{
			{Title: "Ceramic tea set, 6 cups", Category: "home", Tags: []string{"tea", "ceramic"}, CommissionBPS: 1200,
				SKUs: []catalog.NewSKU{{Code: "TEA-BLUE", Attributes: map[string]string{"colour": "celadon"}, PriceMinor: yuan(128), Stock: 150},
					{Code: "TEA-WHITE", Attributes: map[string]string{"colour": "white"}, PriceMinor: yuan(118), Stock: 200}}},
			{Title: "Bamboo steamer, two tiers", Category: "home", Tags: []string{"kitchen", "bamboo"}, CommissionBPS: 1000,
				SKUs: []catalog.NewSKU{{Code: "STEAM-26", Attributes: map[string]string{"diameter": "26 cm"}, PriceMinor: yuan(45), Stock: 500}}},
		}},
	{owner: "studio.wang@demo.liveshop", app: catalog.ShopApplication{Name: "Hangzhou Silk Studio", Category: "fashion",
		Region: "Zhejiang", County: "Hangzhou", Programme: "standard",
		Description: "Mulberry silk scarves and sleepwear, woven in Hangzhou."},
		products: []catalog.NewProduct{
			{Title: "Mulberry silk scarf", Category: "fashion", Tags: []string{"silk", "gift"}, CommissionBPS: 2500,
				SKUs: []catalog.NewSKU{{Code: "SCARF-RED", Attributes: map[string]string{"colour": "red"}, PriceMinor: yuan(199), Stock: 80},
					{Code: "SCARF-JADE", Attributes: map[string]string{"colour": "jade"}, PriceMinor: yuan(199), Stock: 60}}},
		}},
}

const (
	adminEmail  = "admin@demo.liveshop"
	hostEmail   = "host.xiaoyu@demo.liveshop"
	host2Email  = "host.dawei@demo.liveshop"
	mcnEmail    = "mcn.manager@demo.liveshop"
	viewerEmail = "viewer@demo.liveshop"
)

// Seed creates the demo data unless it is already there, and returns the logins.
func Seed(ctx context.Context, d Deps) ([]Login, error) {
	logins := []Login{{adminEmail, "platform admin"}, {shops[0].owner, "shop owner (rural programme)"},
		{shops[2].owner, "shop owner (standard programme)"}, {hostEmail, "host (MCN: Sunrise Live)"},
		{mcnEmail, "MCN manager"}, {viewerEmail, "viewer with orders"}}
	if _, err := d.Accounts.CheckCredentials(ctx, adminEmail, Password); err == nil {
		d.Log.Info("demo data already present")
		return logins, nil
	}
	start := time.Now()
	users := map[string]account.User{}
	for _, e := range []string{adminEmail, hostEmail, host2Email, mcnEmail, viewerEmail, shops[0].owner, shops[1].owner, shops[2].owner, shops[3].owner} {
		u, err := d.Accounts.SignUp(ctx, account.SignUpInput{Email: e, Password: Password, DisplayName: displayName(e)})
		if err != nil {
			return nil, fmt.Errorf("demo: user %s: %w", e, err)
		}
		users[e] = u
	}
	if err := d.Accounts.SetAdmin(ctx, account.System(), users[adminEmail].ID, true); err != nil {
		return nil, err
	}
	admin, err := d.Accounts.ActorFor(ctx, users[adminEmail].ID)
	if err != nil {
		return nil, err
	}
	var skus []catalog.SKU
	for i, sh := range shops {
		owner, err := d.Accounts.ActorFor(ctx, users[sh.owner].ID)
		if err != nil {
			return nil, err
		}
		shop, err := d.Catalog.Apply(ctx, owner, sh.app)
		if err != nil {
			return nil, fmt.Errorf("demo: shop %s: %w", sh.app.Name, err)
		}
		if _, err := d.Catalog.Review(ctx, admin, shop.ID, true, ""); err != nil {
			return nil, err
		}
		owner, _ = d.Accounts.ActorFor(ctx, users[sh.owner].ID)
		for j, np := range sh.products {
			p, err := d.Catalog.CreateProduct(ctx, owner, shop.ID, np)
			if err != nil {
				return nil, fmt.Errorf("demo: product %s: %w", np.Title, err)
			}
			img := ProductImage(np.Title, 800, 800, int64(i*10+j))
			if _, err := d.Catalog.AddImage(ctx, owner, p.ID, bytes.NewReader(img)); err != nil {
				return nil, fmt.Errorf("demo: image of %s: %w", np.Title, err)
			}
			skus = append(skus, p.SKUs...)
		}
	}
	// A pending application for the admin's approval queue.
	pendingOwner, _ := d.Accounts.ActorFor(ctx, users[host2Email].ID)
	if _, err := d.Catalog.Apply(ctx, pendingOwner, catalog.ShopApplication{Name: "Anji White Tea Garden", Category: "food",
		Region: "Zhejiang", County: "Anji", Programme: "rural", Description: "Spring white tea picked by hand."}); err != nil {
		return nil, err
	}
	if err := seedAgency(ctx, d, users); err != nil {
		return nil, err
	}
	if err := seedOrders(ctx, d, users, skus); err != nil {
		return nil, err
	}
	d.Log.Info("demo data created", "shops", len(shops)+1, "skus", len(skus), "took", time.Since(start).Round(time.Millisecond).String())
	return logins, nil
}

func seedAgency(ctx context.Context, d Deps, users map[string]account.User) error {
	manager, err := d.Accounts.ActorFor(ctx, users[mcnEmail].ID)
	if err != nil {
		return err
	}
	ag, err := d.MCNs.Create(ctx, manager, "Sunrise Live MCN")
	if err != nil {
		return err
	}
	if _, err := d.MCNs.InviteHost(ctx, manager, ag.ID, hostEmail, 3000); err != nil {
		return err
	}
	host, err := d.Accounts.ActorFor(ctx, users[hostEmail].ID)
	if err != nil {
		return err
	}
	if err := d.MCNs.Answer(ctx, host, ag.ID, true); err != nil {
		return err
	}
	yes := true
	return d.Store.SetUserFlags(ctx, users[host2Email].ID, nil, &yes)
}

// seedOrders places a few orders through the real checkout and pays some
// of them with signed sandbox events, as the pay page would.
func seedOrders(ctx context.Context, d Deps, users map[string]account.User, skus []catalog.SKU) error {
	viewer, err := d.Accounts.ActorFor(ctx, users[viewerEmail].ID)
	if err != nil {
		return err
	}
	// The platform admin ships for every shop (admins operate any shop).
	admin, err := d.Accounts.ActorFor(ctx, users[adminEmail].ID)
	if err != nil {
		return err
	}
	addr, err := d.Orders.AddAddress(ctx, viewer, order.Address{Name: "Lin Xiaoyu", Phone: "+86 138 0000 0000",
		Line1: "88 Wensan Road", City: "Hangzhou", Region: "Zhejiang", Postcode: "310012", Country: "CN"})
	if err != nil {
		return err
	}
	// Two weeks of history, so the merchant's sales chart has a shape.
	start := time.Now()
	n := 0
	for day := 13; day >= 0; day-- {
		at := start.Add(-time.Duration(day)*24*time.Hour - time.Duration(day%5)*time.Hour)
		orders := d.OrdersAt(func() time.Time { return at })
		for j := 0; j <= (13-day)%4; j++ {
			sku := skus[(day*3+j)%len(skus)]
			in := order.PlaceInput{Items: []order.Item{{SKUID: sku.ID, Quantity: 1 + (day+j)%3}}, AddressID: addr.ID}
			if n%2 == 0 {
				in.Attribution = order.Attribution{Source: order.SourceLive, HostID: users[hostEmail].ID}
			}
			n++
			o, _, err := orders.Place(ctx, viewer, in, "demo-"+strconv.Itoa(n))
			if err != nil {
				return fmt.Errorf("demo: order %d: %w", n, err)
			}
			if day == 0 && j == 0 {
				continue // one left unpaid, waiting in the console
			}
			p, err := orders.Pay(ctx, viewer, o.ID, "sandbox", "demo-pay-"+strconv.Itoa(n), "/orders/"+o.ID)
			if err != nil {
				return err
			}
			if err := paySandbox(ctx, orders, d.Sandbox, p, at); err != nil {
				return fmt.Errorf("demo: pay order %d: %w", n, err)
			}
			if err := fulfil(ctx, d, admin, viewer, o.ID, at, day, j); err != nil {
				return fmt.Errorf("demo: order %d: %w", n, err)
			}
		}
	}
	if d.Notifications == nil {
		return nil
	}
	// The seeded history is old news: the demo viewer's bell counts what
	// happens from now on (the demo room going live, for one).
	return d.Notifications.MarkNotificationsRead(ctx, viewer.ID(), nil, true, time.Now())
}

// fulfil moves a paid demo order along as its age suggests, so that the
// buyer has parcels to track and the shop a refund request to answer:
// older orders shipped, delivered or completed, today's second order with
// the buyer asking for a refund.
func fulfil(ctx context.Context, d Deps, shop, buyer account.Actor, id string, at time.Time, day, j int) error {
	after := func(h int) *order.Service {
		return d.OrdersAt(func() time.Time { return at.Add(time.Duration(h) * time.Hour) })
	}
	if day == 0 && j == 1 {
		_, err := after(0).RequestRefund(ctx, buyer, id, order.RefundRequestInput{Reason: "damaged", Note: "Two of the bags were split open."})
		return err
	}
	if day < 4 {
		return nil // still to ship
	}
	if _, err := after(20).Ship(ctx, shop, id, order.ShipInput{Carrier: "SF Express", TrackingNumber: "SF" + strconv.Itoa(1400000000+day*100+j)}); err != nil {
		return err
	}
	if day < 8 {
		return nil
	}
	if _, err := after(60).MarkDelivered(ctx, shop, id); err != nil {
		return err
	}
	if day < 11 {
		return nil
	}
	_, err := after(90).Complete(ctx, buyer, id)
	return err
}

func paySandbox(ctx context.Context, orders *order.Service, signer Signer, p order.Payment, now time.Time) error {
	body, _ := json.Marshal(map[string]any{"id": ids.New("evt"), "type": "payment.succeeded", "payment_id": p.ID,
		"amount_minor": p.AmountMinor, "currency": p.Currency, "created": now.Unix()})
	h := http.Header{}
	// Signed now: the webhook's age is checked against the real clock.
	h.Set("Sandbox-Signature", signer.SignEvent(body, time.Now()))
	err := orders.HandleProviderWebhook(ctx, "sandbox", h, body)
	if apperr.Is(err, apperr.Conflict) {
		return nil
	}
	return err
}

func displayName(email string) string {
	names := map[string]string{adminEmail: "Platform Admin", hostEmail: "Xiaoyu (host)", host2Email: "Dawei (host)",
		mcnEmail: "Sunrise Live MCN", viewerEmail: "Lin (viewer)", "farmer.li@demo.liveshop": "Farmer Li",
		"grower.ma@demo.liveshop": "Grower Ma", "boss.chen@demo.liveshop": "Boss Chen", "studio.wang@demo.liveshop": "Studio Wang"}
	if n, ok := names[email]; ok {
		return n
	}
	return email
}
