package search

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// enc spells a token the way encode does, written out independently.
func enc(s string) string {
	var b strings.Builder
	b.WriteString("zz")
	for _, c := range []byte(s) {
		b.WriteByte("abcdefghijklmnop"[c>>4])
		b.WriteByte("abcdefghijklmnop"[c&15])
	}
	return b.String()
}

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"english", "Organic Lipstick, Ruby-Red!", []string{"organic", "lipstick", "ruby", "red"}},
		{"digits split from letters", "iPhone15 4K 500g", []string{"iphone", "15", "4", "k", "500", "g"}},
		{"repeats once", "rice RICE Rice", []string{"rice"}},
		{"chinese", "五常大米", []string{enc("五"), enc("五常"), enc("常"), enc("常大"), enc("大"), enc("大米"), enc("米")}},
		{"one han character", "米", []string{enc("米")}},
		{"mixed", "东北rice 10kg", []string{enc("东"), enc("东北"), enc("北"), "rice", "10", "kg"}},
		{"japanese and korean", "コーヒー 김치", []string{enc("コ"), enc("コー"), enc("ー"), enc("ーヒ"), enc("ヒ"), enc("ヒー"), enc("김"), enc("김치"), enc("치")}},
		{"emoji separate and vanish", "tea🍵cup 🔥🔥", []string{"tea", "cup"}},
		{"punctuation only", `"*:()&|!' -- ; DROP`, []string{"drop"}},
		{"nothing", "🔥 … !!", nil},
		{"accented latin is encoded whole", "Café crème", []string{enc("café"), enc("crème")}},
		{"combining accent stays in its word", "cafe\u0301 x", []string{enc("cafe\u0301"), "x"}},
		{"full-width ascii folds", "ｉＰｈｏｎｅ１５", []string{"iphone", "15"}},
		{"cyrillic lower-cased then encoded", "МЁД", []string{enc("мёд")}},
		{"fts operators are plain words", "NEAR AND OR NOT", []string{"near", "and", "or", "not"}},
		{"invalid utf-8 separates", "ab\xffcd", []string{"ab", "cd"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Tokens(tc.in); !slices.Equal(got, tc.want) {
				t.Fatalf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// Every token is something both engines read as exactly one word.
var asciiToken = regexp.MustCompile(`^([a-z]+|[0-9]+)$`)

func TestTokensAreASCIIWords(t *testing.T) {
	in := `Ünïcödé «quotes» 'single' "double" *star* :colon: (paren) a&b a|b !bang 中文 にほんご 한국어 ١٢٣ ＡＢＣ 𝔘𝔫𝔦 ﷺ`
	for _, tok := range Tokens(in) {
		if !asciiToken.MatchString(tok) {
			t.Fatalf("token %q is not a plain ASCII word", tok)
		}
	}
}

func TestTokensBoundLongInput(t *testing.T) {
	// A megabyte of words and Han text gives a bounded set of bounded tokens.
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		b.WriteString("w")
		b.WriteString(strings.Repeat("a", i%50))
		b.WriteString(" 中文字符 ")
	}
	toks := Tokens(b.String())
	if len(toks) > maxDocTokens {
		t.Fatalf("%d tokens, want at most %d", len(toks), maxDocTokens)
	}
	for _, tok := range toks {
		if len(tok) > len(encMark)+2*4*maxTokenRunes {
			t.Fatalf("token of %d bytes", len(tok))
		}
	}
	long := strings.Repeat("x", 10000)
	if got := Tokens(long); len(got) != 1 || got[0] != strings.Repeat("x", maxTokenRunes) {
		t.Fatalf("a long word gives %d tokens of %d bytes", len(got), len(got[0]))
	}
}

func TestDocTokens(t *testing.T) {
	got := DocTokens("Rice 大米", "rice from 五常")
	want := "rice " + enc("大") + " " + enc("大米") + " " + enc("米") + " from " + enc("五") + " " + enc("五常") + " " + enc("常")
	if got != want {
		t.Fatalf("DocTokens = %q, want %q", got, want)
	}
}
