package feed

import (
	"cmp"
	"math"
	"time"
)

// Ranking weights and scales (docs/FEED.md explains each one). A room's
// score is the sum of its signals; each signal is normalised to [0, 1]
// and multiplied by its weight.
const (
	// WeightFollowedHost is larger than every signal a stranger's room can
	// collect together (affinity + region + engagement + freshness = 115),
	// so a followed host's room always comes before a stranger's room of
	// the same kind (live or upcoming).
	WeightFollowedHost = 120.0
	WeightFollowedShop = 80.0
	WeightAffinity     = 30.0
	WeightRegion       = 15.0
	WeightViewers      = 40.0
	WeightLikes        = 10.0
	WeightConversion   = 10.0
	WeightFreshness    = 10.0

	// ViewersScale: log1p(viewers) / log1p(ViewersScale), capped at 1, so
	// 10 viewers earn a quarter of the weight and 10,000 all of it.
	ViewersScale = 10_000
	// LikesScale: log1p(likes) / log1p(LikesScale), capped at 1.
	LikesScale = 100_000
	// ConversionPrior views are added to a room's views before dividing
	// its paid orders by them, so that one sale to the first three
	// viewers is not a 33% room; ConversionScale is the conversion that
	// earns the full weight.
	ConversionPrior = 20
	ConversionScale = 0.05

	// OrderViews: an order in a category counts as this many views of it.
	OrderViews = 5
	// AffinityFloor (in views) is the least history a viewer needs for a
	// category to earn the full affinity weight: a category's affinity is
	// log1p(views + OrderViews·orders) divided by the larger of the
	// viewer's top category's and log1p(AffinityFloor).
	AffinityFloor = 10
	// AffinityReason is the affinity from which "you watch <category>" is
	// given as a reason.
	AffinityReason = 0.5

	// PopularViewers is the viewer count from which "popular now" shows.
	PopularViewers = 100
	// A live room's freshness falls linearly from 1 when it starts to 0
	// after FreshLive; "just started" shows for JustStarted.
	FreshLive   = 30 * time.Minute
	JustStarted = 10 * time.Minute
	// An upcoming room's freshness rises linearly from 0 a day before its
	// planned start to 1 at it; "starting soon" shows within StartingSoon.
	FreshUpcoming = 24 * time.Hour
	StartingSoon  = 30 * time.Minute
	// FollowedSoon: an upcoming room the viewer follows that starts within
	// this long is ranked among the live rooms instead of after them.
	FollowedSoon = 15 * time.Minute

	// ExploreFirst is the first exploration position (counting from 1);
	// every ExploreEvery-th position after it is one too: 3, 13, 23, …
	ExploreFirst = 3
	ExploreEvery = 10
	// A room's host (or its shop, when it has no host) is new while it
	// has fewer than NewHostFollowers followers and at most
	// NewHostSessions sessions that went live.
	NewHostFollowers = 50
	NewHostSessions  = 3
)

// Reasons shown on a feed item, in the order they are listed.
const (
	ReasonFollowedHost = "followed host"
	ReasonFollowedShop = "followed shop"
	ReasonNearYou      = "near you"
	ReasonPopular      = "popular now"
	ReasonJustStarted  = "just started"
	ReasonStartingSoon = "starting soon"
	ReasonNewHost      = "new host"
	// "you watch <category>" is built per category.
)

// Item is a ranked room: a FeedItem in the API.
type Item struct {
	Room
	Score       float64  `json:"score"`
	Reasons     []string `json:"reasons"`
	Exploration bool     `json:"exploration"`
}

// Ranking is a viewer's feed.
type Ranking struct {
	Items    []Item `json:"items"`
	Explored int    `json:"explored"` // how many items are exploration picks
}

// Rank orders rooms for viewer v at now and returns at most limit of them.
// Live rooms come first, then upcoming ones (an upcoming room the viewer
// follows that starts within FollowedSoon counts as live); within each,
// by score, then viewers, then the newest live or the soonest upcoming,
// then id. Positions ExploreFirst, ExploreFirst+ExploreEvery, … go to a
// new host's room the viewer does not follow and that is not placed yet,
// chosen by exploreHash (stable for a viewer within an hour). rooms is
// not modified; no room appears twice.
func Rank(v Viewer, rooms []Room, now time.Time, limit int) Ranking {
	out := Ranking{Items: []Item{}}
	if limit <= 0 || len(rooms) == 0 {
		return out
	}
	// Only the top rooms are needed: limit organic ones, plus as many as
	// exploration may take out of them; exploration needs, per group, as
	// many candidates as it has positions plus those already placed.
	slots := 0
	if limit >= ExploreFirst {
		slots = (limit-ExploreFirst)/ExploreEvery + 1
	}
	norm := affinityNorm(v)
	top := newBest(limit+slots, func(a, b scored) bool { return compareScored(rooms, a, b) < 0 })
	pools := [2]*best[candidate]{newBest(limit+slots, lessCandidate), newBest(limit+slots, lessCandidate)}
	prefix := explorePrefix(v.Key, now.Unix()/3600)
	for i := range rooms {
		r := &rooms[i]
		s, g := score(v, r, now, norm)
		top.add(scored{idx: i, score: s, group: g})
		if slots > 0 && explorable(v, r) {
			pools[g].add(candidate{idx: i, hash: fnvAdd(prefix, r.ID), id: r.ID})
		}
	}

	order := top.items
	placed := make(map[int]bool, limit)
	next := 0 // the next organic position in order
	for len(out.Items) < limit {
		for next < len(order) && placed[order[next].idx] {
			next++
		}
		if next == len(order) {
			break
		}
		pos := len(out.Items) + 1
		if pos >= ExploreFirst && (pos-ExploreFirst)%ExploreEvery == 0 {
			if i, ok := explorePick(pools[order[next].group].items, placed); ok {
				placed[i] = true
				it := item(v, rooms[i], now, norm)
				it.Exploration = true
				out.Items = append(out.Items, it)
				out.Explored++
				continue
			}
		}
		i := order[next].idx
		placed[i] = true
		out.Items = append(out.Items, item(v, rooms[i], now, norm))
	}
	return out
}

// scored is a room's place in the ranking: group 0 is live (and followed
// rooms about to start), 1 is upcoming.
type scored struct {
	idx   int
	score float64
	group int
}

func compareScored(rooms []Room, a, b scored) int {
	if c := cmp.Compare(a.group, b.group); c != 0 {
		return c
	}
	if c := cmp.Compare(b.score, a.score); c != 0 {
		return c
	}
	ra, rb := &rooms[a.idx], &rooms[b.idx]
	if c := cmp.Compare(rb.Viewers, ra.Viewers); c != 0 {
		return c
	}
	if c := cmp.Compare(startKey(rb), startKey(ra)); c != 0 {
		return c
	}
	return cmp.Compare(ra.ID, rb.ID)
}

// startKey is larger for the room that should come first on a tie: the
// newest live room, the soonest upcoming one.
func startKey(r *Room) int64 {
	if r.Live() && r.StartedAt != nil {
		return r.StartedAt.UnixMilli()
	}
	return -r.PlannedStart.UnixMilli()
}

// item builds the ranked item of r, with its reasons.
func item(v Viewer, r Room, now time.Time, norm float64) Item {
	s, _ := score(v, &r, now, norm)
	return Item{Room: r, Score: math.Round(s*100) / 100, Reasons: reasons(v, &r, now, norm)}
}

// Explain scores one room for viewer v without placing it among others:
// channels show it beside their rooms.
func Explain(v Viewer, r Room, now time.Time) Item {
	return item(v, r, now, affinityNorm(v))
}

// score sums r's signals for v and says which group it ranks in.
func score(v Viewer, r *Room, now time.Time, norm float64) (float64, int) {
	s := 0.0
	host, shop := v.follows(*r)
	if host {
		s += WeightFollowedHost
	}
	if shop {
		s += WeightFollowedShop
	}
	s += WeightAffinity * affinity(v, r.Category, norm)
	if sameRegion(v.Region, r.Region) {
		s += WeightRegion
	}
	if r.Live() {
		s += WeightViewers * logScale(r.Viewers, ViewersScale)
		s += WeightLikes * logScale(r.Likes, LikesScale)
		s += WeightConversion * conversion(r.PaidOrders, r.Views)
	}
	s += WeightFreshness * freshness(r, now)
	group := 1
	if r.Live() || (host || shop) && r.PlannedStart.Sub(now) <= FollowedSoon {
		group = 0
	}
	return s, group
}

// reasons lists why r is in v's feed, strongest first.
func reasons(v Viewer, r *Room, now time.Time, norm float64) []string {
	out := []string{}
	host, shop := v.follows(*r)
	if host {
		out = append(out, ReasonFollowedHost)
	}
	if shop {
		out = append(out, ReasonFollowedShop)
	}
	if affinity(v, r.Category, norm) >= AffinityReason {
		out = append(out, "you watch "+categoryLabel(r.Category))
	}
	if sameRegion(v.Region, r.Region) {
		out = append(out, ReasonNearYou)
	}
	if r.Live() && r.Viewers >= PopularViewers {
		out = append(out, ReasonPopular)
	}
	switch {
	case r.Live() && r.StartedAt != nil && now.Sub(*r.StartedAt) < JustStarted:
		out = append(out, ReasonJustStarted)
	case !r.Live() && r.PlannedStart.Sub(now) <= StartingSoon:
		out = append(out, ReasonStartingSoon)
	}
	if newHost(*r) && !host && !shop {
		out = append(out, ReasonNewHost)
	}
	return out
}

// affinityNorm is what a viewer's category affinities are divided by:
// their top category's log1p(views + OrderViews·orders), at least
// log1p(AffinityFloor).
func affinityNorm(v Viewer) float64 {
	norm := math.Log1p(AffinityFloor)
	for _, a := range v.Categories {
		norm = max(norm, math.Log1p(float64(a.Views+OrderViews*a.Orders)))
	}
	return norm
}

func affinity(v Viewer, category string, norm float64) float64 {
	a, ok := v.Categories[category]
	if !ok || norm <= 0 {
		return 0
	}
	return min(1, math.Log1p(float64(max(0, a.Views+OrderViews*a.Orders)))/norm)
}

// logScale is log1p(n) / log1p(scale), capped at 1.
func logScale(n int64, scale float64) float64 {
	if n <= 0 {
		return 0
	}
	return min(1, math.Log1p(float64(n))/math.Log1p(scale))
}

// conversion is paid orders per view, with ConversionPrior views added,
// relative to ConversionScale and capped at 1.
func conversion(paid, views int64) float64 {
	if paid <= 0 {
		return 0
	}
	return min(1, float64(paid)/float64(max(0, views)+ConversionPrior)/ConversionScale)
}

// freshness is 1 for a room that just started or is about to, falling
// linearly to 0 after FreshLive (live) or before FreshUpcoming (upcoming).
func freshness(r *Room, now time.Time) float64 {
	if r.Live() {
		if r.StartedAt == nil {
			return 0
		}
		return linear(now.Sub(*r.StartedAt), FreshLive)
	}
	return linear(r.PlannedStart.Sub(now), FreshUpcoming)
}

// linear is 1 at d <= 0 falling to 0 at d >= span.
func linear(d, span time.Duration) float64 {
	if d <= 0 {
		return 1
	}
	return max(0, 1-float64(d)/float64(span))
}

// newHost reports whether the room's host (or shop) is new: few
// followers and few sessions.
func newHost(r Room) bool {
	return r.HostFollowers < NewHostFollowers && r.HostSessions <= NewHostSessions
}
