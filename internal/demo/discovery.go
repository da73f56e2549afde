package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/social"
)

// Discovery is what SeedDiscovery schedules and follows through.
type Discovery struct {
	Rooms  *room.Service
	Social *social.Service
	Now    func() time.Time
}

// upcoming is a demo session on the schedule: which shop (index into
// shops), who hosts it, what it is called and how far ahead it starts.
type upcoming struct {
	shop  int
	host  string
	title string
	in    time.Duration
}

var upcomingSessions = []upcoming{
	{shop: 1, host: host2Email, title: "宁夏枸杞 Goji harvest in Zhongning: picking and drying", in: 50 * time.Minute},
	{shop: 3, host: hostEmail, title: "Silk scarves for winter: colours and knots", in: 3 * time.Hour},
	{shop: 2, host: host2Email, title: "Tea sets and bamboo steamers: a kitchen evening", in: 26 * time.Hour},
}

// SeedDiscovery fills the schedule with upcoming sessions from the other
// demo shops and gives the demo viewer follows and a reminder, so the feed,
// channels, schedule and notification centre have something to show. It
// does nothing when the schedule was seeded before. Seed must have run.
func SeedDiscovery(ctx context.Context, d Deps, x Discovery) error {
	viewer, err := actorByLogin(ctx, d, viewerEmail)
	if err != nil {
		return err
	}
	if follows, _, err := x.Social.Following(ctx, viewer, "", 1); err != nil {
		return fmt.Errorf("demo: discovery: %w", err)
	} else if len(follows) > 0 {
		return nil
	}
	for _, u := range upcomingSessions {
		owner, err := actorByLogin(ctx, d, shops[u.shop].owner)
		if err != nil {
			return err
		}
		host, err := d.Accounts.CheckCredentials(ctx, u.host, Password)
		if err != nil {
			return fmt.Errorf("demo: discovery: host: %w", err)
		}
		mine, err := d.Catalog.ListShops(ctx, owner, catalog.ShopFilter{}, true)
		if err != nil || len(mine) == 0 {
			return fmt.Errorf("demo: discovery: shop of %s missing: %v", shops[u.shop].owner, err)
		}
		products, err := d.Catalog.ListProducts(ctx, owner, catalog.ProductFilter{ShopID: mine[0].ID, Status: catalog.ProductActive})
		if err != nil {
			return fmt.Errorf("demo: discovery: products: %w", err)
		}
		var shelf []string
		for _, p := range products {
			shelf = append(shelf, p.ID)
		}
		st, err := x.Rooms.Schedule(ctx, owner, mine[0].ID, room.ScheduleInput{Title: u.title, HostID: host.ID,
			PlannedStart: x.Now().Add(u.in).UTC().Format(time.RFC3339), ProductIDs: shelf})
		if err != nil {
			return fmt.Errorf("demo: discovery: schedule %q: %w", u.title, err)
		}
		if u.shop == 3 {
			if _, _, err := x.Social.Remind(ctx, viewer, st.Session.ID); err != nil {
				return fmt.Errorf("demo: discovery: reminder: %w", err)
			}
		}
	}
	host, err := d.Accounts.CheckCredentials(ctx, hostEmail, Password)
	if err != nil {
		return err
	}
	if _, _, err := x.Social.Follow(ctx, viewer, social.FollowInput{TargetKind: "host", TargetID: host.ID}); err != nil {
		return fmt.Errorf("demo: discovery: follow: %w", err)
	}
	return nil
}

func actorByLogin(ctx context.Context, d Deps, email string) (account.Actor, error) {
	u, err := d.Accounts.CheckCredentials(ctx, email, Password)
	if err != nil {
		return account.Actor{}, fmt.Errorf("demo: sign in %s: %w", email, err)
	}
	return d.Accounts.ActorFor(ctx, u.ID)
}
