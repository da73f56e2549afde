package auction

import (
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

// step is one bid in a scripted auction and what must follow from it.
type step struct {
	user string
	max  int64
	// want after the bid (ignored when refused is set)
	leader    string
	price     int64
	leaderMax int64
	second    int64
	// refused names a part of the refusal's message; "" means accepted.
	refused string
}

func TestApplyProxyBidding(t *testing.T) {
	rules := Rules{StartPrice: 1000, Increment: 100, Currency: "CNY"}
	tests := []struct {
		name  string
		steps []step
	}{
		{"first bid leads at the start price", []step{
			{user: "ann", max: 5000, leader: "ann", price: 1000, leaderMax: 5000},
		}},
		{"first bid below the start price", []step{
			{user: "ann", max: 999, refused: "the minimum bid is 10.00 CNY (max_minor 1000)"},
			{user: "ann", max: 1000, leader: "ann", price: 1000, leaderMax: 1000},
		}},
		{"challenger below the leader's max pushes the price to their max plus one increment", []step{
			{user: "ann", max: 5000, leader: "ann", price: 1000, leaderMax: 5000},
			{user: "bob", max: 2000, leader: "ann", price: 2100, leaderMax: 5000, second: 2000},
		}},
		{"the increment never takes the price past the leader's max", []step{
			{user: "ann", max: 2050, leader: "ann", price: 1000, leaderMax: 2050},
			{user: "bob", max: 2000, leader: "ann", price: 2050, leaderMax: 2050, second: 2000},
		}},
		{"challenger above the leader's max leads at the old max plus one increment", []step{
			{user: "ann", max: 3000, leader: "ann", price: 1000, leaderMax: 3000},
			{user: "bob", max: 9000, leader: "bob", price: 3100, leaderMax: 9000, second: 3000},
		}},
		{"challenger just above the leader's max leads at their own max", []step{
			{user: "ann", max: 3000, leader: "ann", price: 1000, leaderMax: 3000},
			{user: "bob", max: 3050, leader: "bob", price: 3050, leaderMax: 3050, second: 3000},
		}},
		{"a tie goes to the earlier max", []step{
			{user: "ann", max: 3000, leader: "ann", price: 1000, leaderMax: 3000},
			{user: "bob", max: 3000, leader: "ann", price: 3000, leaderMax: 3000, second: 3000},
			{user: "cat", max: 3000, refused: "max_minor 3100"},
		}},
		{"the leader raising their own max leaves the price", []step{
			{user: "ann", max: 3000, leader: "ann", price: 1000, leaderMax: 3000},
			{user: "bob", max: 1500, leader: "ann", price: 1600, leaderMax: 3000, second: 1500},
			{user: "ann", max: 8000, leader: "ann", price: 1600, leaderMax: 8000, second: 1500},
			{user: "bob", max: 7000, leader: "ann", price: 7100, leaderMax: 8000, second: 7000},
		}},
		{"the leader cannot lower or repeat their max", []step{
			{user: "ann", max: 3000, leader: "ann", price: 1000, leaderMax: 3000},
			{user: "ann", max: 3000, refused: "you lead with a maximum of 30.00 CNY"},
			{user: "ann", max: 2000, refused: "you lead with a maximum of 30.00 CNY"},
		}},
		{"a bid below the current price plus one increment is refused", []step{
			{user: "ann", max: 3000, leader: "ann", price: 1000, leaderMax: 3000},
			{user: "bob", max: 2000, leader: "ann", price: 2100, leaderMax: 3000, second: 2000},
			{user: "cat", max: 2199, refused: "the minimum bid is 22.00 CNY (max_minor 2200)"},
			{user: "cat", max: 2200, leader: "ann", price: 2300, leaderMax: 3000, second: 2200},
		}},
		{"a proxy war: the lead changes hands and the price climbs by the losing maxes", []step{
			{user: "ann", max: 1500, leader: "ann", price: 1000, leaderMax: 1500},
			{user: "bob", max: 1200, leader: "ann", price: 1300, leaderMax: 1500, second: 1200},
			{user: "bob", max: 1800, leader: "bob", price: 1600, leaderMax: 1800, second: 1500},
			{user: "ann", max: 1700, leader: "bob", price: 1800, leaderMax: 1800, second: 1700},
			{user: "ann", max: 2500, leader: "ann", price: 1900, leaderMax: 2500, second: 1800},
			{user: "cat", max: 2000, leader: "ann", price: 2100, leaderMax: 2500, second: 2000},
			{user: "cat", max: 2500, leader: "ann", price: 2500, leaderMax: 2500, second: 2500},
			{user: "bob", max: 2599, refused: "max_minor 2600"},
			{user: "bob", max: 2650, leader: "bob", price: 2600, leaderMax: 2650, second: 2500},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s State
			accepted := 0
			for i, st := range tt.steps {
				next, err := rules.Apply(s, st.user, st.max)
				if st.refused != "" {
					e, ok := apperr.As(err)
					if !ok || e.Code != apperr.Conflict || e.Field != "max_minor" || !strings.Contains(e.Message, st.refused) {
						t.Fatalf("step %d (%s %d): err %v, want a conflict on max_minor saying %q", i, st.user, st.max, err, st.refused)
					}
					if next != s {
						t.Fatalf("step %d: a refused bid changed the state: %+v → %+v", i, s, next)
					}
					continue
				}
				if err != nil {
					t.Fatalf("step %d (%s %d): %v", i, st.user, st.max, err)
				}
				accepted++
				want := State{LeaderID: st.leader, LeaderMax: st.leaderMax, Price: st.price, SecondMax: st.second, Bids: accepted}
				if next != want {
					t.Fatalf("step %d (%s %d): state %+v, want %+v", i, st.user, st.max, next, want)
				}
				if next.Price > next.LeaderMax || next.Price < rules.StartPrice {
					t.Fatalf("step %d: price %d outside [start, leader max]", i, next.Price)
				}
				s = next
			}
		})
	}
}

func TestMinNext(t *testing.T) {
	rules := Rules{StartPrice: 500, Increment: 50}
	tests := []struct {
		name string
		s    State
		want int64
	}{
		{"no bids: the start price", State{}, 500},
		{"a leader: price plus increment", State{LeaderID: "ann", LeaderMax: 900, Price: 500, Bids: 1}, 550},
		{"after a proxy war", State{LeaderID: "ann", LeaderMax: 900, Price: 850, SecondMax: 800, Bids: 2}, 900},
	}
	for _, tt := range tests {
		if got := rules.MinNext(tt.s); got != tt.want {
			t.Errorf("%s: MinNext = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestExtend(t *testing.T) {
	end := time.Date(2025, 5, 1, 20, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		before time.Duration // how long before the end the bid lands
		want   time.Time
	}{
		{"a minute before: unchanged", time.Minute, end},
		{"exactly 10 s before: unchanged", 10 * time.Second, end},
		{"9.999 s before: now + 10 s", 10*time.Second - time.Millisecond, end.Add(time.Millisecond)},
		{"3 s before: now + 10 s", 3 * time.Second, end.Add(7 * time.Second)},
		{"at the very end: now + 10 s", time.Millisecond, end.Add(10*time.Second - time.Millisecond)},
	}
	for _, tt := range tests {
		if got := Extend(end, end.Add(-tt.before)); !got.Equal(tt.want) {
			t.Errorf("%s: Extend = %v, want %v", tt.name, got, tt.want)
		}
	}
	// Bids applied out of clock order (a later one read the clock first)
	// never pull the end back.
	extended := Extend(end, end.Add(-time.Second))
	if got := Extend(extended, end.Add(-5*time.Second)); !got.Equal(extended) {
		t.Errorf("an earlier clock moved the end from %v to %v", extended, got)
	}
}

// TestApplyMatchesClosedForm replays many random bid sequences and checks
// the incremental rules against ClosedForm, computed from the bid list alone.
func TestApplyMatchesClosedForm(t *testing.T) {
	rules := Rules{StartPrice: 100, Increment: 7}
	users := []string{"ann", "bob", "cat", "dan"}
	seed := uint64(1)
	rnd := func(n int) int { // xorshift: deterministic and dependency-free
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return int(seed % uint64(n))
	}
	for round := 0; round < 2000; round++ {
		var s State
		var log []Placed
		for i := 0; i < 30; i++ {
			u := users[rnd(len(users))]
			bid := rules.MinNext(s) + int64(rnd(60)) - 10
			next, err := rules.Apply(s, u, bid)
			if err != nil {
				continue
			}
			s = next
			log = append(log, Placed{UserID: u, MaxMinor: bid})
		}
		leader, price := rules.ClosedForm(log)
		if s.LeaderID != leader || s.Price != price || s.Bids != len(log) {
			t.Fatalf("round %d: %+v after %v, want leader %q at %d", round, s, log, leader, price)
		}
	}
}
