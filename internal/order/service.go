package order

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/analytics"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
)

// Service runs carts, checkout, payment and fulfilment.
type Service struct {
	repo          Repo
	providers     map[string]PaymentProvider
	coupons       Coupons
	rec           analytics.Recorder
	paymentWindow time.Duration
	now           func() time.Time
	notifier      Notifier // see UseNotifier
}

// Config configures a Service.
type Config struct {
	Repo      Repo
	Providers []PaymentProvider
	// Coupons prices coupon claims at checkout; nil refuses coupons.
	Coupons Coupons
	// PaymentWindow is how long an unpaid order holds its stock.
	PaymentWindow time.Duration
	Now           func() time.Time
}

// NewService returns an order service.
func NewService(c Config) *Service {
	s := &Service{repo: c.Repo, providers: map[string]PaymentProvider{}, coupons: c.Coupons, paymentWindow: c.PaymentWindow, now: c.Now}
	for _, p := range c.Providers {
		s.providers[p.Name()] = p
	}
	if s.paymentWindow <= 0 {
		s.paymentWindow = 15 * time.Minute
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// UseCoupons sets the coupon service checkout prices claims with (it is
// built after the order service, which it does not need).
func (s *Service) UseCoupons(c Coupons) { s.coupons = c }

func signedIn(a account.Actor) error {
	if a.Anonymous() {
		return apperr.New(apperr.Unauthorized, "sign in first")
	}
	return nil
}

// AddAddress saves a shipping address for the actor.
func (s *Service) AddAddress(ctx context.Context, a account.Actor, addr Address) (Address, error) {
	if err := signedIn(a); err != nil {
		return Address{}, err
	}
	if err := addr.Validate(); err != nil {
		return Address{}, err
	}
	addr.ID = ids.New("adr")
	addr.CreatedAt = s.now().UTC()
	if err := s.repo.CreateAddress(ctx, a.ID(), addr); err != nil {
		return Address{}, fmt.Errorf("order: add address: %w", err)
	}
	return addr, nil
}

// Addresses lists the actor's saved addresses.
func (s *Service) Addresses(ctx context.Context, a account.Actor) ([]Address, error) {
	if err := signedIn(a); err != nil {
		return nil, err
	}
	return s.repo.ListAddresses(ctx, a.ID())
}

// SetCartItem puts qty of a SKU in the cart (0 removes it).
func (s *Service) SetCartItem(ctx context.Context, a account.Actor, skuID string, qty int) ([]CartItem, error) {
	if err := signedIn(a); err != nil {
		return nil, err
	}
	if qty < 0 || qty > MaxQuantity {
		return nil, apperr.Field("quantity", "quantity must be between 0 and %d", MaxQuantity)
	}
	if qty == 0 {
		if err := s.repo.RemoveCartItem(ctx, a.ID(), skuID); err != nil {
			return nil, err
		}
		return s.repo.Cart(ctx, a.ID())
	}
	skus, err := s.repo.SKUsForOrder(ctx, []string{skuID})
	if err != nil {
		return nil, err
	}
	sku, ok := skus[skuID]
	if !ok || sku.ProductStatus != catalog.ProductActive || sku.ShopStatus != catalog.ShopApproved {
		return nil, apperr.Field("sku_id", "unknown SKU %q", skuID)
	}
	if qty > sku.Stock {
		return nil, apperr.Field("quantity", "only %d left of %s", sku.Stock, sku.Code)
	}
	if err := s.repo.SetCartItem(ctx, a.ID(), skuID, qty, s.now().UTC()); err != nil {
		return nil, fmt.Errorf("order: cart %s: %w", skuID, err)
	}
	return s.repo.Cart(ctx, a.ID())
}

// Cart lists the actor's cart.
func (s *Service) Cart(ctx context.Context, a account.Actor) ([]CartItem, error) {
	if err := signedIn(a); err != nil {
		return nil, err
	}
	return s.repo.Cart(ctx, a.ID())
}

// PlaceInput is an order request.
type PlaceInput struct {
	Items       []Item      `json:"items"`
	AddressID   string      `json:"address_id,omitempty"`
	Address     *Address    `json:"address,omitempty"`
	Attribution Attribution `json:"attribution,omitzero"`
	// ReservationID orders a held flash-sale reservation (then Items is
	// empty): one line at the sale price.
	ReservationID string `json:"reservation_id,omitempty"`
	// CouponClaimID applies one of the buyer's claimed coupons.
	CouponClaimID string `json:"coupon_claim_id,omitempty"`
}

// Place creates one order for items of a single shop, reserving their
// stock. With the same idempotency key it returns the first order and
// created=false; a different request under a used key is a Conflict.
func (s *Service) Place(ctx context.Context, a account.Actor, in PlaceInput, idemKey string) (Order, bool, error) {
	if err := signedIn(a); err != nil {
		return Order{}, false, err
	}
	if len(idemKey) > 100 {
		return Order{}, false, apperr.Field("Idempotency-Key", "idempotency key must be at most 100 characters")
	}
	o, err := s.build(ctx, a, in)
	if err != nil {
		return Order{}, false, err
	}
	if len(o) != 1 {
		return Order{}, false, apperr.Field("items", "all items of an order must come from one shop; use cart checkout for several shops")
	}
	stored, created, err := s.store(ctx, o[0], idemKey, in, false)
	if created {
		s.recordOrder(analytics.KindOrder, stored)
	}
	return stored, created, err
}

// Checkout turns the actor's cart into one order per shop.
func (s *Service) Checkout(ctx context.Context, a account.Actor, in PlaceInput, idemKey string) ([]Order, error) {
	if err := signedIn(a); err != nil {
		return nil, err
	}
	if len(idemKey) > 100 {
		return nil, apperr.Field("Idempotency-Key", "idempotency key must be at most 100 characters")
	}
	if idemKey != "" {
		// A retry after success finds the cart empty: answer with the orders
		// the first attempt made.
		prev, err := s.repo.OrdersByKeyPrefix(ctx, a.ID(), idemKey+"#")
		if err != nil {
			return nil, err
		}
		if len(prev) > 0 {
			return prev, nil
		}
	}
	cart, err := s.repo.Cart(ctx, a.ID())
	if err != nil {
		return nil, err
	}
	if len(cart) == 0 {
		return nil, apperr.Field("cart", "the cart is empty")
	}
	in.Items = nil
	for _, c := range cart {
		in.Items = append(in.Items, Item{SKUID: c.SKUID, Quantity: c.Quantity})
	}
	orders, err := s.build(ctx, a, in)
	if err != nil {
		return nil, err
	}
	hash := requestHash(in)
	for i := range orders {
		if idemKey != "" {
			orders[i].IdempotencyKey, orders[i].RequestHash = idemKey+"#"+orders[i].ShopID, hash
		}
	}
	out, err := s.repo.CreateOrders(ctx, orders, true)
	if err != nil {
		return nil, fmt.Errorf("order: checkout: %w", err)
	}
	for _, o := range out {
		s.recordOrder(analytics.KindOrder, o)
	}
	return out, nil
}

func (s *Service) store(ctx context.Context, o Order, key string, in PlaceInput, clearCart bool) (Order, bool, error) {
	if key != "" {
		o.IdempotencyKey = key
		o.RequestHash = requestHash(in)
	}
	stored, created, err := s.repo.CreateOrder(ctx, o, clearCart)
	if err != nil {
		return Order{}, false, fmt.Errorf("order: place for shop %s: %w", o.ShopID, err)
	}
	if !created && stored.RequestHash != o.RequestHash {
		return Order{}, false, apperr.Field("Idempotency-Key", "this idempotency key was used for a different order")
	}
	return stored, created, nil
}

// build validates items and prices them into one order per shop.
func (s *Service) build(ctx context.Context, a account.Actor, in PlaceInput) ([]Order, error) {
	if len(in.Items) == 0 && in.ReservationID == "" {
		return nil, apperr.Field("items", "an order needs at least one item")
	}
	if len(in.Items) > MaxItemsPerOrder {
		return nil, apperr.Field("items", "at most %d items per order", MaxItemsPerOrder)
	}
	addr, err := s.shipTo(ctx, a, in)
	if err != nil {
		return nil, err
	}
	attr, err := s.attribution(ctx, in.Attribution)
	if err != nil {
		return nil, err
	}
	if in.ReservationID != "" {
		return s.buildReserved(ctx, a, in, addr, attr)
	}
	skuIDs := make([]string, 0, len(in.Items))
	seen := map[string]bool{}
	for i, it := range in.Items {
		f := fmt.Sprintf("items[%d]", i)
		if it.SKUID == "" {
			return nil, apperr.Field(f+".sku_id", "sku_id is required")
		}
		if seen[it.SKUID] {
			return nil, apperr.Field(f+".sku_id", "SKU %s is listed twice", it.SKUID)
		}
		seen[it.SKUID] = true
		if it.Quantity < 1 || it.Quantity > MaxQuantity {
			return nil, apperr.Field(f+".quantity", "quantity must be between 1 and %d", MaxQuantity)
		}
		skuIDs = append(skuIDs, it.SKUID)
	}
	skus, err := s.repo.SKUsForOrder(ctx, skuIDs)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	byShop := map[string]*Order{}
	var shops []string
	for i, it := range in.Items {
		f := fmt.Sprintf("items[%d]", i)
		sku, ok := skus[it.SKUID]
		if !ok || sku.ProductStatus != catalog.ProductActive || sku.ShopStatus != catalog.ShopApproved {
			return nil, apperr.Field(f+".sku_id", "unknown SKU %q", it.SKUID)
		}
		if it.Quantity > sku.Stock {
			return nil, apperr.Field(f+".quantity", "only %d left of %s", sku.Stock, sku.Code)
		}
		o := byShop[sku.ShopID]
		if o == nil {
			o = &Order{ID: ids.New("ord"), UserID: a.ID(), ShopID: sku.ShopID, Status: PendingPayment, Currency: sku.Currency,
				ShipTo: addr, ExpiresAt: now.Add(s.paymentWindow), CreatedAt: now, UpdatedAt: now}
			byShop[sku.ShopID] = o
			shops = append(shops, sku.ShopID)
		}
		if sku.Currency != o.Currency {
			return nil, apperr.Field(f+".sku_id", "SKU %s is priced in %s but the order is in %s", sku.Code, sku.Currency, o.Currency)
		}
		total := sku.PriceMinor * int64(it.Quantity)
		o.TotalMinor += total
		o.Lines = append(o.Lines, attr.line(Line{
			ID: ids.New("oln"), OrderID: o.ID, SKUID: sku.ID, ProductID: sku.ProductID, Title: sku.Title,
			SKUAttributes: sku.Attributes, UnitPriceMinor: sku.PriceMinor, Quantity: it.Quantity, LineTotalMinor: total,
			CommissionBPS: sku.CommissionBPS,
		}, sku.ShopID))
	}
	sort.Strings(shops)
	out := make([]Order, 0, len(shops))
	for _, id := range shops {
		out = append(out, *byShop[id])
	}
	if in.CouponClaimID != "" {
		if len(out) != 1 {
			return nil, apperr.Field("coupon_claim_id", "a coupon applies to one shop's order; check out that shop's items alone")
		}
		if err := s.applyCoupon(ctx, &out[0], in.CouponClaimID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Service) shipTo(ctx context.Context, a account.Actor, in PlaceInput) (Address, error) {
	switch {
	case in.Address != nil:
		addr := *in.Address
		if err := addr.Validate(); err != nil {
			return Address{}, err
		}
		addr.ID, addr.IsDefault = "", false
		return addr, nil
	case in.AddressID != "":
		addr, err := s.repo.AddressByID(ctx, a.ID(), in.AddressID)
		if apperr.Is(err, apperr.NotFound) {
			return Address{}, apperr.Field("address_id", "unknown address %q", in.AddressID)
		}
		return addr, err
	}
	return Address{}, apperr.Field("address", "a shipping address or address_id is required")
}

// Order returns an order its buyer, its shop's members or an admin may see.
func (s *Service) Order(ctx context.Context, a account.Actor, id string) (Order, error) {
	if err := signedIn(a); err != nil {
		return Order{}, err
	}
	o, err := s.repo.OrderByID(ctx, id)
	if err != nil {
		return Order{}, err
	}
	if o.UserID != a.ID() && !catalog.CanOperate(a, o.ShopID) {
		return Order{}, apperr.New(apperr.NotFound, "order not found")
	}
	return o, nil
}

// History lists an order's status changes.
func (s *Service) History(ctx context.Context, a account.Actor, id string) ([]StatusChange, error) {
	if _, err := s.Order(ctx, a, id); err != nil {
		return nil, err
	}
	return s.repo.History(ctx, id)
}

// ListOrders lists the actor's own orders, or a shop's for its members.
func (s *Service) ListOrders(ctx context.Context, a account.Actor, f Filter) ([]Order, error) {
	if err := signedIn(a); err != nil {
		return nil, err
	}
	if f.ShopID != "" {
		if !catalog.CanOperate(a, f.ShopID) {
			return nil, apperr.New(apperr.Forbidden, "you are not a member of shop %s", f.ShopID)
		}
	} else {
		f.UserID = a.ID()
	}
	if f.Status != "" && f.Status != PendingPayment && transitions[f.Status] == nil && f.Status != Completed && f.Status != Cancelled && f.Status != Refunded && f.Status != RefundRequested {
		return nil, apperr.Field("status", "unknown order status %q", f.Status)
	}
	return s.repo.ListOrders(ctx, f)
}
