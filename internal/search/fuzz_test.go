package search

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/apperr"
)

var fuzzSeeds = []string{
	"Red lipstick 2024",
	"口红 限时秒杀",
	"ｉＰｈｏｎｅ 15 Pro Max",
	"café crème",
	"ภาษาไทย",
	"lip",
	"🔥🔥🔥",
	"OR AND NOT \"quoted\" -minus * ^ :",
	"a b c d e f g h i j k l m n o p",
	"\xff\xfe bad utf8",
	"   ",
	"カタカナーのワード",
}

// plainToken reports [a-z]+ or [0-9]+, the only shapes an engine sees.
func plainToken(tok string) bool {
	if tok == "" {
		return false
	}
	letters := strings.Trim(tok, "abcdefghijklmnopqrstuvwxyz") == ""
	digits := strings.Trim(tok, "0123456789") == ""
	return letters || digits
}

// FuzzTokens: any text gives plain tokens only, distinct, bounded in
// number, none longer than an encoded maxTokenRunes-rune word.
//
// Run by hand: go test -run '^$' -fuzz '^FuzzTokens$' -fuzztime 30s ./internal/search
func FuzzTokens(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokens(s)
		if len(toks) > maxDocTokens {
			t.Fatalf("%d tokens", len(toks))
		}
		seen := map[string]bool{}
		for _, tok := range toks {
			if !plainToken(tok) {
				t.Fatalf("token %q of %q is not [a-z]+ or [0-9]+", tok, s)
			}
			if len(tok) > len(encMark)+2*utf8.UTFMax*maxTokenRunes {
				t.Fatalf("token of %d bytes", len(tok))
			}
			if seen[tok] {
				t.Fatalf("token %q twice", tok)
			}
			seen[tok] = true
		}
	})
}

// FuzzParseQuery: any query either is refused as Invalid with field q or
// gives 1 to MaxTerms distinct plain terms, and a query never finds less
// than a document made of the same text would be indexed under.
//
// Run by hand: go test -run '^$' -fuzz '^FuzzParseQuery$' -fuzztime 30s ./internal/search
func FuzzParseQuery(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		pq, err := ParseQuery(q)
		if err != nil {
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.Invalid || e.Field != "q" {
				t.Fatalf("ParseQuery(%q) error %v, want invalid with field q", q, err)
			}
			return
		}
		if n := len(pq.Terms); n < 1 || n > MaxTerms {
			t.Fatalf("ParseQuery(%q) gave %d terms", q, n)
		}
		doc := map[string]bool{}
		for _, tok := range Tokens(q) {
			doc[tok] = true
		}
		seen := map[string]bool{}
		for _, term := range pq.Terms {
			if !plainToken(term.Token) {
				t.Fatalf("term %q of %q is not [a-z]+ or [0-9]+", term.Token, q)
			}
			if seen[term.Token] {
				t.Fatalf("term %q twice in %q", term.Token, q)
			}
			seen[term.Token] = true
			if !doc[term.Token] {
				t.Fatalf("term %q of %q is not among the tokens of the same text", term.Token, q)
			}
			if !term.matches(term.Token) {
				t.Fatalf("term %+v does not match its own token", term)
			}
		}
	})
}
