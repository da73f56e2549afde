package analytics

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// aggregator sums events in memory between flushes. Adding an event is
// map arithmetic only; what needs a session's shop (its category and
// channels for the daily series and the users' affinities) is keyed by
// session and resolved once per session at flush time.
type aggregator struct {
	rooms    map[string]*RoomDelta
	products map[productKey]*ProductDelta
	viewers  map[viewerKey]ViewerReport
	daily    map[dailyKey]int64
	users    map[DailyUser]struct{}
	cats     map[catKey]*CategoryDelta
	events   int
}

type productKey struct{ session, product string }
type viewerKey struct{ session, node string }

// dailyKey's session is "" for events outside a room; it becomes the
// dimensions "" + the shop id + the shop's channels at flush time.
type dailyKey struct {
	day     int64
	metric  string
	session string
}

// catKey has either a category (the event named it) or a session whose
// shop's category is used.
type catKey struct{ user, category, session string }

func newAggregator() *aggregator {
	a := &aggregator{}
	a.reset()
	return a
}

func (a *aggregator) reset() {
	a.rooms = map[string]*RoomDelta{}
	a.products = map[productKey]*ProductDelta{}
	a.viewers = map[viewerKey]ViewerReport{}
	a.daily = map[dailyKey]int64{}
	a.users = map[DailyUser]struct{}{}
	a.cats = map[catKey]*CategoryDelta{}
	a.events = 0
}

func (a *aggregator) room(id string) *RoomDelta {
	r := a.rooms[id]
	if r == nil {
		r = &RoomDelta{SessionID: id}
		a.rooms[id] = r
	}
	return r
}

func (a *aggregator) product(session, product string) *ProductDelta {
	k := productKey{session, product}
	p := a.products[k]
	if p == nil {
		p = &ProductDelta{SessionID: session, ProductID: product}
		a.products[k] = p
	}
	return p
}

func (a *aggregator) cat(ev *Event) *CategoryDelta {
	k := catKey{user: ev.UserID, category: ev.Category}
	if k.category == "" {
		k.session = ev.SessionID
	}
	c := a.cats[k]
	if c == nil {
		c = &CategoryDelta{UserID: ev.UserID, Category: ev.Category}
		a.cats[k] = c
	}
	return c
}

func (a *aggregator) addDaily(day int64, metric, session string, v int64) {
	if v != 0 {
		a.daily[dailyKey{day, metric, session}] += v
	}
}

// add counts one event. Unknown kinds are ignored (a newer node may send
// kinds this one does not know yet).
func (a *aggregator) add(ev *Event) {
	a.events++
	day := Day(ev.At)
	if ev.UserID != "" {
		a.users[DailyUser{day, ev.UserID}] = struct{}{}
	}
	inRoom := ev.SessionID != ""
	var r *RoomDelta
	if inRoom {
		r = a.room(ev.SessionID)
	}
	switch ev.Kind {
	case KindView:
		a.addDaily(day, MetricViews, ev.SessionID, 1)
		if r != nil {
			r.Views++
			if ev.UserID != "" {
				r.ViewersSignedIn++
			}
		}
		if ev.UserID != "" && (ev.Category != "" || inRoom) {
			a.cat(ev).Views++
		}
	case KindLike:
		a.addDaily(day, MetricLikes, ev.SessionID, ev.Count)
		if r != nil {
			r.Likes += ev.Count
		}
	case KindWatch:
		a.addDaily(day, MetricWatchSeconds, ev.SessionID, ev.Count)
		if r != nil {
			r.WatchSeconds += ev.Count
			k := viewerKey{ev.SessionID, ev.Node}
			if old, ok := a.viewers[k]; !ok || !ev.At.Before(old.At) {
				a.viewers[k] = ViewerReport{SessionID: ev.SessionID, Node: ev.Node, Viewers: ev.Viewers, At: ev.At}
			}
		}
	case KindProductClick:
		a.addDaily(day, MetricProductClicks, ev.SessionID, 1)
		if r != nil {
			r.ProductClicks++
			if ev.ProductID != "" {
				a.product(ev.SessionID, ev.ProductID).Clicks++
			}
		}
	case KindBuyClick:
		a.addDaily(day, MetricBuyClicks, ev.SessionID, 1)
		if r != nil {
			r.BuyClicks++
		}
	case KindFollow:
		a.addDaily(day, MetricFollows, ev.SessionID, 1)
		if r != nil {
			r.NewFollowers++
		}
	case KindOrder:
		a.addDaily(day, MetricOrders, ev.SessionID, ev.Orders)
		if r != nil {
			r.Orders += ev.Orders
			if ev.ProductID != "" {
				a.product(ev.SessionID, ev.ProductID).Orders++
			}
		}
	case KindPaid:
		a.addDaily(day, MetricPaidOrders, ev.SessionID, ev.Orders)
		a.addDaily(day, MetricGMVMinor, ev.SessionID, ev.AmountMinor)
		if r != nil {
			r.PaidOrders += ev.Orders
			r.GMVMinor += ev.AmountMinor
			if ev.Currency != "" {
				r.Currency = ev.Currency
			}
			if ev.ProductID != "" {
				p := a.product(ev.SessionID, ev.ProductID)
				p.Units += ev.Count
				p.GMVMinor += ev.AmountMinor
			}
		}
		if ev.UserID != "" && ev.Orders > 0 && (ev.Category != "" || inRoom) {
			a.cat(ev).Orders += ev.Orders
		}
	case KindSessionStarted:
		a.addDaily(day, MetricSessionsStarted, ev.SessionID, 1)
	default:
		a.events--
	}
}

// shopOf resolves a session to its shop for the daily dimensions and the
// users' categories; ok is false when the session is unknown.
type shopOf func(ctx context.Context, sessionID string) (SessionInfo, bool, error)

// build turns the sums into a Flush, resolving sessions through shop.
// The rows are sorted so that concurrent flushes on PostgreSQL take row
// locks in the same order and cannot deadlock.
func (a *aggregator) build(ctx context.Context, shop shopOf, at time.Time) (Flush, error) {
	f := Flush{At: at}
	for _, r := range a.rooms {
		f.Rooms = append(f.Rooms, *r)
	}
	slices.SortFunc(f.Rooms, func(x, y RoomDelta) int { return cmp.Compare(x.SessionID, y.SessionID) })
	for _, p := range a.products {
		f.Products = append(f.Products, *p)
	}
	slices.SortFunc(f.Products, func(x, y ProductDelta) int {
		return cmp.Or(cmp.Compare(x.SessionID, y.SessionID), cmp.Compare(x.ProductID, y.ProductID))
	})
	for _, v := range a.viewers {
		f.Viewers = append(f.Viewers, v)
	}
	slices.SortFunc(f.Viewers, func(x, y ViewerReport) int {
		return cmp.Or(cmp.Compare(x.SessionID, y.SessionID), cmp.Compare(x.Node, y.Node))
	})
	for u := range a.users {
		f.Users = append(f.Users, u)
	}
	slices.SortFunc(f.Users, func(x, y DailyUser) int {
		return cmp.Or(cmp.Compare(x.Day, y.Day), cmp.Compare(x.UserID, y.UserID))
	})

	daily := map[dailyKey]int64{} // session field holds the dimension here
	for k, v := range a.daily {
		daily[dailyKey{k.day, k.metric, ""}] += v
		if k.session == "" {
			continue
		}
		info, ok, err := shop(ctx, k.session)
		if err != nil {
			return Flush{}, err
		}
		if !ok {
			continue
		}
		if info.ShopID != "" {
			daily[dailyKey{k.day, k.metric, info.ShopID}] += v
		}
		for _, ch := range info.Channels {
			daily[dailyKey{k.day, k.metric, ch}] += v
		}
	}
	for k, v := range daily {
		f.Daily = append(f.Daily, DailyDelta{Day: k.day, Metric: k.metric, Dim: k.session, Value: v})
	}
	slices.SortFunc(f.Daily, func(x, y DailyDelta) int {
		return cmp.Or(cmp.Compare(x.Day, y.Day), cmp.Compare(x.Metric, y.Metric), cmp.Compare(x.Dim, y.Dim))
	})

	cats := map[[2]string]*CategoryDelta{}
	for k, c := range a.cats {
		category := k.category
		if category == "" {
			info, ok, err := shop(ctx, k.session)
			if err != nil {
				return Flush{}, err
			}
			if !ok || info.Category == "" {
				continue
			}
			category = info.Category
		}
		key := [2]string{k.user, category}
		if m := cats[key]; m != nil {
			m.Views += c.Views
			m.Orders += c.Orders
		} else {
			cats[key] = &CategoryDelta{UserID: k.user, Category: category, Views: c.Views, Orders: c.Orders}
		}
	}
	for _, c := range cats {
		f.Categories = append(f.Categories, *c)
	}
	slices.SortFunc(f.Categories, func(x, y CategoryDelta) int {
		return cmp.Or(cmp.Compare(x.UserID, y.UserID), cmp.Compare(x.Category, y.Category))
	})
	return f, nil
}
