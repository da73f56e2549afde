package search

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Kinds of stored documents. A session is shown as KindLive or KindReplay
// according to its status when searched.
const (
	DocSession = "session"
	DocShop    = "shop"
	DocProduct = "product"
)

// Kinds of results, and the kind filter (KindAll or "" for every kind).
const (
	KindAll     = "all"
	KindLive    = "live"   // sessions scheduled or live
	KindReplay  = "replay" // sessions ended or in replay
	KindShop    = "shop"
	KindProduct = "product"
)

// Session statuses, as room spells them.
const (
	statusScheduled = "scheduled"
	statusLive      = "live"
)

// Weights of the ranking. Text decides first (a title hit outweighs a
// body hit, the whole query in the title adds more); the status of a
// session breaks near-ties, so a room live now comes before one that is
// only scheduled, and both before replays.
const (
	titleHitWeight  = 10
	bodyHitWeight   = 3
	phraseWeight    = 5
	liveBoost       = 6
	scheduledBoost  = 3
	maxSnippetRunes = 160
)

// Candidate is a document that matched in storage, with what a result
// shows. Storage returns at most MaxCandidates of them.
type Candidate struct {
	Doc          string // DocSession, DocShop or DocProduct
	ID           string
	Title        string
	Body         string
	ShopID       string
	ShopName     string
	Status       string // the session's status; "" otherwise
	ImageID      string // the session's cover or the product's first image
	PlannedStart *time.Time
	// At orders equal scores, newest first: a session's start (actual or
	// planned), a product's last edit, a shop's creation.
	At time.Time
}

// Result is one hit as the API shows it.
type Result struct {
	Kind         string     `json:"kind"` // live | replay | shop | product
	ID           string     `json:"id"`
	Title        string     `json:"title"`
	Snippet      string     `json:"snippet"`
	Score        int        `json:"score"`
	Status       string     `json:"status,omitempty"`
	ShopID       string     `json:"shop_id"`
	ShopName     string     `json:"shop_name,omitempty"`
	ImageID      string     `json:"image_id,omitempty"`
	PlannedStart *time.Time `json:"planned_start,omitempty"`
	at           time.Time
}

// resultKind is what a candidate is shown as.
func resultKind(c Candidate) string {
	if c.Doc != DocSession {
		return c.Doc
	}
	if c.Status == statusLive || c.Status == statusScheduled {
		return KindLive
	}
	return KindReplay
}

// Rank scores the candidates against q and orders them: score, then
// newest first, then kind and id, so equal inputs give one order whatever
// the engine returned them in. A candidate that does not in fact have
// every term (an engine's prefix can reach an encoded token) is dropped.
func Rank(q Query, cands []Candidate) []Result {
	out := make([]Result, 0, len(cands))
	for _, c := range cands {
		score, ok := scoreOf(q, c)
		if !ok {
			continue
		}
		out = append(out, Result{Kind: resultKind(c), ID: c.ID, Title: c.Title, Snippet: snippet(q, c.Body), Score: score,
			Status: c.Status, ShopID: c.ShopID, ShopName: c.ShopName, ImageID: c.ImageID, PlannedStart: c.PlannedStart, at: c.At})
	}
	slices.SortFunc(out, func(a, b Result) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return out
}

func scoreOf(q Query, c Candidate) (int, bool) {
	title, body := Tokens(c.Title), Tokens(c.Body)
	score := 0
	for _, t := range q.Terms {
		switch {
		case hasTerm(title, t):
			score += titleHitWeight
		case hasTerm(body, t):
			score += bodyHitWeight
		default:
			return 0, false
		}
	}
	if strings.Contains(strings.Map(fold, c.Title), q.Text) {
		score += phraseWeight
	}
	if c.Doc == DocSession {
		switch c.Status {
		case statusLive:
			score += liveBoost
		case statusScheduled:
			score += scheduledBoost
		}
	}
	return score, true
}

func hasTerm(toks []string, t Term) bool {
	for _, tok := range toks {
		if t.matches(tok) {
			return true
		}
	}
	return false
}

// snippet is up to maxSnippetRunes of body around the first place a term
// appears, or its start.
func snippet(q Query, body string) string {
	rs := []rune(body)
	if len(rs) <= maxSnippetRunes {
		return strings.TrimSpace(body)
	}
	lower := make([]rune, len(rs))
	for i, r := range rs {
		lower[i] = fold(r)
	}
	low := string(lower)
	at := -1
	for _, t := range q.Terms {
		if i := strings.Index(low, t.Text); i >= 0 {
			if n := len([]rune(low[:i])); at < 0 || n < at {
				at = n
			}
		}
	}
	start := 0
	if at > maxSnippetRunes/4 {
		start = at - maxSnippetRunes/4
	}
	end := min(start+maxSnippetRunes, len(rs))
	// Start and end at a space when one is near, not inside a word.
	if start > 0 {
		for i := start; i < end && i < start+12; i++ {
			if unicode.IsSpace(rs[i]) {
				start = i + 1
				break
			}
		}
	}
	if end < len(rs) {
		for i := end; i > start && i > end-12; i-- {
			if unicode.IsSpace(rs[i]) {
				end = i
				break
			}
		}
	}
	s := strings.TrimSpace(string(rs[start:end]))
	if start > 0 {
		s = "…" + s
	}
	if end < len(rs) {
		s += "…"
	}
	return s
}
