package search

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

func mustQuery(t *testing.T, s string) Query {
	t.Helper()
	q, err := ParseQuery(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func ids(rs []Result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func TestRank(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	for _, tc := range []struct {
		name  string
		q     string
		cands []Candidate
		want  []string
	}{
		{
			name: "title beats body",
			q:    "rice",
			cands: []Candidate{
				{Doc: DocProduct, ID: "body", Title: "Cooker", Body: "cooks rice", At: at(5)},
				{Doc: DocProduct, ID: "title", Title: "Rice", At: at(1)},
			},
			want: []string{"title", "body"},
		},
		{
			name: "live, then scheduled, then replay",
			q:    "harvest",
			cands: []Candidate{
				{Doc: DocSession, ID: "replay", Title: "Harvest", Status: "replay", At: at(9)},
				{Doc: DocSession, ID: "ended", Title: "Harvest", Status: "ended", At: at(8)},
				{Doc: DocSession, ID: "scheduled", Title: "Harvest", Status: "scheduled", At: at(1)},
				{Doc: DocSession, ID: "live", Title: "Harvest", Status: "live", At: at(0)},
			},
			want: []string{"live", "scheduled", "replay", "ended"},
		},
		{
			name: "newer first, then id, on equal scores",
			q:    "honey",
			cands: []Candidate{
				{Doc: DocProduct, ID: "prd_a", Title: "Honey", At: at(1)},
				{Doc: DocProduct, ID: "prd_c", Title: "Honey", At: at(2)},
				{Doc: DocProduct, ID: "prd_b", Title: "Honey", At: at(2)},
			},
			want: []string{"prd_c", "prd_b", "prd_a"},
		},
		{
			name: "the whole query in the title adds",
			q:    "wild honey",
			cands: []Candidate{
				{Doc: DocProduct, ID: "apart", Title: "Honey from the wild", At: at(3)},
				{Doc: DocProduct, ID: "phrase", Title: "Wild honey", At: at(1)},
			},
			want: []string{"phrase", "apart"},
		},
		{
			name: "chinese bigrams",
			q:    "大米",
			cands: []Candidate{
				{Doc: DocShop, ID: "body", Title: "黑土农场", Body: "五常大米产地", At: at(9)},
				{Doc: DocProduct, ID: "title", Title: "五常大米", At: at(1)},
				{Doc: DocProduct, ID: "apart", Title: "大豆和小米", At: at(9)}, // 大 and 米 but not 大米
			},
			want: []string{"title", "body"},
		},
		{
			name: "a prefix that only reached an encoded token is dropped",
			q:    "zz",
			cands: []Candidate{
				{Doc: DocProduct, ID: "han", Title: "大米", At: at(1)},
				{Doc: DocProduct, ID: "word", Title: "zzz pillow", At: at(1)},
			},
			want: []string{"word"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Rank(mustQuery(t, tc.q), tc.cands)
			if !slices.Equal(ids(got), tc.want) {
				t.Fatalf("order = %v, want %v (%+v)", ids(got), tc.want, got)
			}
			// The order does not depend on the order storage returned.
			rev := slices.Clone(tc.cands)
			slices.Reverse(rev)
			if again := Rank(mustQuery(t, tc.q), rev); !slices.Equal(ids(again), tc.want) {
				t.Fatalf("reversed input: order = %v, want %v", ids(again), tc.want)
			}
		})
	}
}

func TestRankKindsAndSnippet(t *testing.T) {
	body := strings.Repeat("filler words here ", 20) + "the best lipstick in town " + strings.Repeat("more filler ", 20)
	got := Rank(mustQuery(t, "lipstick"), []Candidate{
		{Doc: DocSession, ID: "s1", Title: "Lipstick night", Status: "scheduled"},
		{Doc: DocSession, ID: "s2", Title: "Lipstick night", Status: "ended"},
		{Doc: DocShop, ID: "sh", Title: "Glow", Body: body},
	})
	kinds := map[string]string{}
	for _, r := range got {
		kinds[r.ID] = r.Kind
	}
	if kinds["s1"] != KindLive || kinds["s2"] != KindReplay || kinds["sh"] != KindShop {
		t.Fatalf("kinds = %v", kinds)
	}
	snip := got[2].Snippet
	if !strings.Contains(snip, "lipstick") || !strings.HasPrefix(snip, "…") || !strings.HasSuffix(snip, "…") ||
		len([]rune(snip)) > maxSnippetRunes+2 {
		t.Fatalf("snippet = %q", snip)
	}
}

// fakeRepo returns fixed candidates and remembers what it was asked.
type fakeRepo struct {
	cands []Candidate
	got   Match
}

func (f *fakeRepo) SearchCandidates(_ context.Context, m Match) ([]Candidate, error) {
	f.got = m
	return f.cands, nil
}

func TestServicePagesAndRefuses(t *testing.T) {
	repo := &fakeRepo{}
	for i := range 5 {
		repo.cands = append(repo.cands, Candidate{Doc: DocProduct, ID: "prd_" + string(rune('a'+i)), Title: "Tea", At: time.Unix(int64(i), 0)})
	}
	svc := NewService(repo)
	ctx := t.Context()
	p1, err := svc.Search(ctx, Request{Q: "tea", Kind: "product", Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if repo.got.Kind != KindProduct || repo.got.Limit != MaxCandidates || len(repo.got.Terms) != 1 {
		t.Fatalf("repo asked %+v", repo.got)
	}
	p2, err := svc.Search(ctx, Request{Q: "tea", Kind: "product", Limit: 2, Cursor: p1.NextCursor})
	if err != nil {
		t.Fatal(err)
	}
	p3, err := svc.Search(ctx, Request{Q: "tea", Kind: "product", Limit: 2, Cursor: p2.NextCursor})
	if err != nil {
		t.Fatal(err)
	}
	all := append(append(ids(p1.Results), ids(p2.Results)...), ids(p3.Results)...)
	if !slices.Equal(all, []string{"prd_e", "prd_d", "prd_c", "prd_b", "prd_a"}) || p3.NextCursor != "" {
		t.Fatalf("pages = %v, last cursor %q", all, p3.NextCursor)
	}
	for _, tc := range []struct {
		r     Request
		field string
	}{
		{Request{Q: "tea", Kind: "videos"}, "kind"},
		{Request{Q: "tea", Limit: 51}, "limit"},
		{Request{Q: "tea", Limit: -1}, "limit"},
		{Request{Q: "tea", Cursor: "x"}, "cursor"},
		{Request{Q: "tea", Cursor: "500"}, "cursor"},
		{Request{Q: "!!!"}, "q"},
	} {
		if _, err := svc.Search(ctx, tc.r); !isField(err, tc.field) {
			t.Errorf("%+v: %v, want invalid %s", tc.r, err, tc.field)
		}
	}
}

func isField(err error, field string) bool {
	e, ok := apperr.As(err)
	return ok && e.Code == apperr.Invalid && e.Field == field
}
