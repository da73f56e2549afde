package demo

import (
	"context"
	"fmt"

	"github.com/liveshop/liveshop/internal/catalog"
)

// EnsureRoom makes the demo room publishable (room.Service.EnsureDemoRoom).
type EnsureRoom func(ctx context.Context, shopID, hostID, title, key string, productIDs []string) error

// LiveRoomTitle is the demo room's title.
const LiveRoomTitle = "Wuchang rice harvest, live from the paddies"

// SeedLive gets the demo room (id "demo") ready for a publisher with key:
// the rural rice cooperative's shop, its products on the shelf and the
// demo host presenting. Seed must have run first.
func SeedLive(ctx context.Context, d Deps, ensure EnsureRoom, key string) error {
	owner, err := d.Accounts.CheckCredentials(ctx, shops[0].owner, Password)
	if err != nil {
		return fmt.Errorf("demo: live room: owner: %w", err)
	}
	host, err := d.Accounts.CheckCredentials(ctx, hostEmail, Password)
	if err != nil {
		return fmt.Errorf("demo: live room: host: %w", err)
	}
	actor, err := d.Accounts.ActorFor(ctx, owner.ID)
	if err != nil {
		return err
	}
	mine, err := d.Catalog.ListShops(ctx, actor, catalog.ShopFilter{}, true)
	if err != nil || len(mine) == 0 {
		return fmt.Errorf("demo: live room: the cooperative's shop is missing: %v", err)
	}
	products, err := d.Catalog.ListProducts(ctx, actor, catalog.ProductFilter{ShopID: mine[0].ID, Status: catalog.ProductActive})
	if err != nil {
		return fmt.Errorf("demo: live room: products: %w", err)
	}
	ids := make([]string, 0, len(products))
	for _, p := range products {
		ids = append(ids, p.ID)
	}
	return ensure(ctx, mine[0].ID, host.ID, LiveRoomTitle, key, ids)
}
