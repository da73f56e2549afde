package draw

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// testSeed is a fixed seed made from n, so the tests are repeatable.
func testSeed(n int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("seed %d", n)))
	return hex.EncodeToString(sum[:])
}

func users(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("usr_%03d", i)
	}
	return out
}

func TestPickRules(t *testing.T) {
	tests := []struct {
		name     string
		entrants []string
		count    int
		want     int
	}{
		{"no entrants", nil, 3, 0},
		{"one entrant", users(1), 1, 1},
		{"fewer entrants than winners", users(3), 10, 3},
		{"as many as winners", users(5), 5, 5},
		{"more entrants", users(200), 7, 7},
		{"duplicates count once", append(users(4), users(4)...), 10, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Pick(testSeed(1), "drw_a", tt.entrants, tt.count)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Fatalf("got %d winners %v, want %d", len(got), got, tt.want)
			}
			seen := map[string]bool{}
			for _, w := range got {
				if seen[w] {
					t.Fatalf("%s wins twice in %v", w, got)
				}
				seen[w] = true
				if !slices.Contains(tt.entrants, w) {
					t.Fatalf("winner %s did not enter", w)
				}
			}
			again, _ := Pick(testSeed(1), "drw_a", tt.entrants, tt.count)
			if !slices.Equal(got, again) {
				t.Fatalf("not deterministic: %v then %v", got, again)
			}
			// The order entrants arrive in does not matter: they are sorted.
			reversed := slices.Clone(tt.entrants)
			slices.Reverse(reversed)
			if r, _ := Pick(testSeed(1), "drw_a", reversed, tt.count); !slices.Equal(got, r) {
				t.Fatalf("entrant order changed the winners: %v vs %v", got, r)
			}
		})
	}
}

func TestPickDependsOnSeedAndDraw(t *testing.T) {
	base, _ := Pick(testSeed(1), "drw_a", users(50), 5)
	for _, tt := range []struct {
		name, seed, drawID string
	}{
		{"another seed", testSeed(2), "drw_a"},
		{"another draw", testSeed(1), "drw_b"},
	} {
		got, _ := Pick(tt.seed, tt.drawID, users(50), 5)
		if slices.Equal(got, base) {
			t.Errorf("%s: same winners %v", tt.name, got)
		}
	}
	if _, err := Pick("abcd", "drw_a", users(3), 1); err == nil {
		t.Error("a short seed was accepted")
	}
}

// TestPickFirstStep pins the algorithm to its description: with two
// entrants the one swap uses j = (first 8 bytes of
// HMAC-SHA256(seed, "liveshop-draw|<id>|0")) mod 2.
func TestPickFirstStep(t *testing.T) {
	for i := range 8 {
		seedHex := testSeed(i)
		seed, _ := hex.DecodeString(seedHex)
		h := hmac.New(sha256.New, seed)
		h.Write([]byte("liveshop-draw|drw_pin|0"))
		j := binary.BigEndian.Uint64(h.Sum(nil)[:8]) % 2
		want := []string{"usr_a", "usr_b"}
		if j == 0 {
			want = []string{"usr_b", "usr_a"}
		}
		got, _ := Pick(seedHex, "drw_pin", []string{"usr_b", "usr_a"}, 2)
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: got %v, want %v", i, got, want)
		}
	}
}

// TestPickIsFair checks each entrant wins about as often as the others,
// and each position of a full shuffle holds each entrant about as often.
func TestPickIsFair(t *testing.T) {
	const trials, n = 6000, 6
	wins := map[string]int{}
	at := map[string][n]int{} // entrant → how often at each position
	for i := range trials {
		got, _ := Pick(testSeed(i), "drw_fair", users(n), 1)
		wins[got[0]]++
		all, _ := Pick(testSeed(i), "drw_fair", users(n), n)
		for pos, u := range all {
			c := at[u]
			c[pos]++
			at[u] = c
		}
	}
	expect := trials / n
	near := func(c int) bool { return c > expect*85/100 && c < expect*115/100 }
	for _, u := range users(n) {
		if c := wins[u]; !near(c) {
			t.Errorf("%s won %d of %d draws, expected about %d", u, c, trials, expect)
		}
		for pos, c := range at[u] {
			if !near(c) {
				t.Errorf("%s came at position %d %d times of %d, expected about %d", u, pos, c, trials, expect)
			}
		}
	}
}

func TestBelowRejectsBiasedValues(t *testing.T) {
	seed, _ := hex.DecodeString(testSeed(3))
	for _, n := range []uint64{1, 2, 3, 7, 100, 1 << 63, 1<<63 + 1} {
		r := newStream(seed, "drw_below")
		for range 50 {
			if v := r.below(n); v >= n {
				t.Fatalf("below(%d) = %d", n, v)
			}
		}
	}
	// For n = 2^63 + 1 nearly half of all values are rejected, so the
	// counter must run ahead of the number of results.
	r := newStream(seed, "drw_below")
	for range 50 {
		r.below(1<<63 + 1)
	}
	if r.counter <= 50 {
		t.Fatalf("no value was rejected in 50 draws below 2^63+1 (counter %d)", r.counter)
	}
}

func TestVerify(t *testing.T) {
	seed := testSeed(7)
	commitment, _ := Commitment(seed)
	entrants := users(12)
	winners, _ := Pick(seed, "drw_v", entrants, 3)
	good := Proof{DrawID: "drw_v", Commitment: commitment, Seed: seed, WinnerCount: 3, Entrants: entrants, Winners: winners}
	if err := Verify(good); err != nil {
		t.Fatalf("a true proof fails: %v", err)
	}
	few := users(2)
	fewWinners, _ := Pick(seed, "drw_v", few, 3)
	if err := Verify(Proof{DrawID: "drw_v", Commitment: commitment, Seed: seed, WinnerCount: 3, Entrants: few, Winners: fewWinners}); err != nil {
		t.Fatalf("a draw with fewer entrants than winners fails: %v", err)
	}
	outsider := "usr_999"
	loser := ""
	for _, e := range entrants {
		if !slices.Contains(winners, e) {
			loser = e
			break
		}
	}
	tests := []struct {
		name   string
		tamper func(p *Proof)
		want   string
	}{
		{"another seed", func(p *Proof) { p.Seed = testSeed(8) }, "commitment"},
		{"seed changed, commitment recomputed", func(p *Proof) { p.Seed = testSeed(8); p.Commitment, _ = Commitment(p.Seed) }, "winners"},
		{"not hex", func(p *Proof) { p.Seed = strings.Repeat("z", 64) }, "seed"},
		{"another commitment", func(p *Proof) { p.Commitment = strings.Repeat("0", 64) }, "commitment"},
		{"an entrant added", func(p *Proof) { p.Entrants = append(slices.Clone(p.Entrants), outsider) }, "winners"},
		{"an entrant removed", func(p *Proof) { p.Entrants = slices.Clone(p.Entrants)[1:] }, "winners"},
		{"entrants out of order", func(p *Proof) {
			p.Entrants = slices.Clone(p.Entrants)
			p.Entrants[0], p.Entrants[1] = p.Entrants[1], p.Entrants[0]
		}, "sorted"},
		{"an entrant twice", func(p *Proof) { p.Entrants = append([]string{p.Entrants[0]}, p.Entrants...) }, "sorted"},
		{"winners reordered", func(p *Proof) {
			p.Winners = slices.Clone(p.Winners)
			p.Winners[0], p.Winners[1] = p.Winners[1], p.Winners[0]
		}, "winners"},
		{"a loser as winner", func(p *Proof) { p.Winners = slices.Clone(p.Winners); p.Winners[2] = loser }, "winners"},
		{"a winner dropped", func(p *Proof) { p.Winners = p.Winners[:2] }, "winners"},
		{"winner count changed", func(p *Proof) { p.WinnerCount = 4 }, "winners"},
		{"no winner count", func(p *Proof) { p.WinnerCount = 0 }, "count"},
		{"another draw id", func(p *Proof) { p.DrawID = "drw_w" }, "winners"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := good
			tt.tamper(&p)
			err := Verify(p)
			if err == nil {
				t.Fatal("a tampered proof verifies")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestCreateInputValidation(t *testing.T) {
	ok := CreateInput{Title: "Rice for 3", SKUID: "sku_1", Winners: 3, CountdownSeconds: 60}
	tests := []struct {
		name  string
		edit  func(in *CreateInput)
		field string
	}{
		{"valid, defaults filled", func(in *CreateInput) {}, ""},
		{"keyword draw", func(in *CreateInput) { in.Eligibility, in.Keyword = Keyword, "大米" }, ""},
		{"no title", func(in *CreateInput) { in.Title = "  " }, "title"},
		{"long title", func(in *CreateInput) { in.Title = strings.Repeat("米", 61) }, "title"},
		{"no sku", func(in *CreateInput) { in.SKUID = "" }, "sku_id"},
		{"zero winners", func(in *CreateInput) { in.Winners = 0 }, "winners"},
		{"101 winners", func(in *CreateInput) { in.Winners = 101 }, "winners"},
		{"quantity 11", func(in *CreateInput) { in.Quantity = 11 }, "quantity"},
		{"negative quantity", func(in *CreateInput) { in.Quantity = -1 }, "quantity"},
		{"unknown eligibility", func(in *CreateInput) { in.Eligibility = "vips" }, "eligibility"},
		{"keyword missing", func(in *CreateInput) { in.Eligibility = Keyword }, "keyword"},
		{"keyword too long", func(in *CreateInput) { in.Eligibility, in.Keyword = Keyword, strings.Repeat("k", 31) }, "keyword"},
		{"keyword without keyword draw", func(in *CreateInput) { in.Keyword = "rice" }, "keyword"},
		{"countdown 9", func(in *CreateInput) { in.CountdownSeconds = 9 }, "countdown_seconds"},
		{"countdown 601", func(in *CreateInput) { in.CountdownSeconds = 601 }, "countdown_seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			tt.edit(&in)
			err := in.normalise()
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if in.Quantity != 1 || in.Eligibility == "" {
					t.Fatalf("defaults not filled: %+v", in)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "field "+tt.field+")") {
				t.Fatalf("err = %v, want field %s", err, tt.field)
			}
		})
	}
}
