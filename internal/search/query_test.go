package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/liveshop/liveshop/internal/apperr"
)

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []Term
	}{
		{"last word is a prefix", "  Red lip ", []Term{{Token: "red", Text: "red"}, {Token: "lip", Prefix: true, Text: "lip"}}},
		{"one letter is exact", "a", []Term{{Token: "a", Text: "a"}}},
		{"digits are words", "rice 10", []Term{{Token: "rice", Text: "rice"}, {Token: "10", Prefix: true, Text: "10"}}},
		{"han pairs", "五常大米", []Term{{Token: enc("五常"), Text: "五常"}, {Token: enc("常大"), Text: "常大"}, {Token: enc("大米"), Text: "大米"}}},
		{"a han pair", "大米", []Term{{Token: enc("大米"), Text: "大米"}}},
		{"a lone han character", "米", []Term{{Token: enc("米"), Text: "米"}}},
		{"mixed: the last latin word is the prefix", "organic 大米", []Term{{Token: "organic", Prefix: true, Text: "organic"}, {Token: enc("大米"), Text: "大米"}}},
		{"repeats once", "rice RICE", []Term{{Token: "rice", Prefix: true, Text: "rice"}}},
		{"operators are words", `NEAR(a, b) OR "x"*`, []Term{{Token: "near", Text: "near"}, {Token: "a", Text: "a"}, {Token: "b", Text: "b"}, {Token: "or", Text: "or"}, {Token: "x", Text: "x"}}},
		{"sql is words", `'; DROP TABLE search_docs; --`, []Term{{Token: "drop", Text: "drop"}, {Token: "table", Text: "table"}, {Token: "search", Text: "search"}, {Token: "docs", Prefix: true, Text: "docs"}}},
		{"accented prefix", "caf", []Term{{Token: "caf", Prefix: true, Text: "caf"}}},
		{"encoded prefix", "мё", []Term{{Token: enc("мё"), Prefix: true, Text: "мё"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := ParseQuery(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(q.Terms, tc.want) {
				t.Fatalf("terms = %+v, want %+v", q.Terms, tc.want)
			}
		})
	}
}

func TestParseQueryKeepsTwelveTerms(t *testing.T) {
	q, err := ParseQuery("a b c d e f g h i j k l m n o p")
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Terms) != MaxTerms || q.Terms[11].Token != "l" || q.Terms[11].Prefix {
		t.Fatalf("terms = %+v", q.Terms)
	}
}

func TestParseQueryRefuses(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"empty", ""},
		{"spaces", "   \t "},
		{"punctuation only", `"*:()&|!'`},
		{"emoji only", "🔥🍵"},
		{"101 characters", strings.Repeat("米", 101)},
		{"10 KB", strings.Repeat("lipstick ", 1200)},
		{"not utf-8", "rice\xff"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseQuery(tc.in)
			if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || e.Field != "q" {
				t.Fatalf("ParseQuery(%.20q) = %v, want invalid q", tc.in, err)
			}
		})
	}
	if _, err := ParseQuery(strings.Repeat("米", 100)); err != nil {
		t.Fatalf("100 characters: %v", err)
	}
}

func TestTermMatches(t *testing.T) {
	for _, tc := range []struct {
		term Term
		tok  string
		want bool
	}{
		{Term{Token: "lip", Prefix: true}, "lipstick", true},
		{Term{Token: "lip"}, "lipstick", false},
		{Term{Token: "lip"}, "lip", true},
		{Term{Token: "zz", Prefix: true}, enc("大米"), false}, // a plain prefix never reaches an encoded token
		{Term{Token: enc("мё"), Prefix: true}, enc("мёд"), true},
		{Term{Token: "20", Prefix: true}, "2024", true},
	} {
		if got := tc.term.matches(tc.tok); got != tc.want {
			t.Errorf("%+v matches %q = %v, want %v", tc.term, tc.tok, got, tc.want)
		}
	}
}
