package search

import (
	"strings"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/apperr"
)

const (
	// MaxQueryRunes is the longest query, after trimming.
	MaxQueryRunes = 100
	// MaxTerms is how many tokens of a query are used.
	MaxTerms = 12
)

// Term is one token a document must have.
type Term struct {
	// Token is the indexed form: [a-z]+ or [0-9]+ (encoded tokens are
	// letters too), never anything an engine could read as an operator.
	Token string
	// Prefix matches any token that starts with Token.
	Prefix bool
	// Text is the word or characters as typed, lower-cased, for snippets.
	Text string
}

// Query is a parsed search: every term must match (AND).
type Query struct {
	Text  string // trimmed and lower-cased
	Terms []Term
}

// ParseQuery turns what a person typed into terms. Latin words and digit
// runs are terms; the last word is a prefix (so "lip" finds "lipstick");
// a run of CJK characters gives its overlapping pairs, or the character
// when it stands alone. At most MaxTerms distinct terms are kept.
//
// Returns Invalid with field q when q is empty, longer than MaxQueryRunes
// characters, not UTF-8, or has nothing to search for (only punctuation,
// symbols or emoji).
func ParseQuery(q string) (Query, error) {
	// Refuse a huge query before reading it all: four bytes a rune at most.
	if len(q) > 4*MaxQueryRunes+1024 {
		return Query{}, apperr.Field("q", "q must be at most %d characters", MaxQueryRunes)
	}
	q = strings.TrimSpace(q)
	if !utf8.ValidString(q) {
		return Query{}, apperr.Field("q", "q must be UTF-8 text")
	}
	if n := utf8.RuneCountInString(q); n == 0 {
		return Query{}, apperr.Field("q", "q is required: say what to search for")
	} else if n > MaxQueryRunes {
		return Query{}, apperr.Field("q", "q must be at most %d characters", MaxQueryRunes)
	}
	var terms []Term
	seen := map[string]int{} // token → index in terms
	lastWord := -1
	add := func(tok, text string, word bool) {
		if i, ok := seen[tok]; ok {
			if word {
				lastWord = i
			}
			return
		}
		if len(terms) == MaxTerms {
			return
		}
		seen[tok] = len(terms)
		if word {
			lastWord = len(terms)
		}
		terms = append(terms, Term{Token: tok, Text: text})
	}
	for _, seg := range segments(q, MaxQueryRunes) {
		if !seg.cjk {
			add(encode(seg.text), seg.text, true)
			continue
		}
		rs := []rune(seg.text)
		if len(rs) == 1 {
			add(encode(seg.text), seg.text, false)
			continue
		}
		for i := 0; i+1 < len(rs); i++ {
			add(encode(string(rs[i:i+2])), string(rs[i:i+2]), false)
		}
	}
	if len(terms) == 0 {
		return Query{}, apperr.Field("q", "q has no words or characters to search for")
	}
	// A single letter as a prefix would match most of the index.
	if lastWord >= 0 && utf8.RuneCountInString(terms[lastWord].Text) >= 2 {
		terms[lastWord].Prefix = true
	}
	text := strings.Map(fold, q)
	return Query{Text: text, Terms: terms}, nil
}

// matches reports whether a document token satisfies t. A prefix of a
// plain word never matches an encoded token (and the other way round),
// though the engines, seeing only letters, may offer one.
func (t Term) matches(tok string) bool {
	if !t.Prefix {
		return tok == t.Token
	}
	return strings.HasPrefix(tok, t.Token) && encoded(tok) == encoded(t.Token)
}
