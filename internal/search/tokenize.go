// Package search finds live rooms, replays, shops and products by text.
//
// One Go tokenizer turns both documents and queries into tokens, and every
// token is plain ASCII ([a-z]+ or [0-9]+), so SQLite FTS5 and PostgreSQL's
// to_tsvector('simple', …) see the same words and match the same
// documents. Candidates are ranked here, in Go, so the order does not
// depend on either engine (docs/DISCOVERY.md, "Search").
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// maxTokenRunes cuts very long words; queries are cut the same way so
	// a long word still finds itself.
	maxTokenRunes = 40
	// maxInputRunes bounds the text read from one field of a document.
	maxInputRunes = 20000
	// maxDocTokens bounds the distinct tokens of one field.
	maxDocTokens = 5000
	// encMark starts every encoded token. Encoded tokens spell each byte
	// as two letters a–p (a hex digit each) rather than hex digits:
	// PostgreSQL's parser reads a run mixing letters and digits as a
	// number, a float or a version, but a run of letters is always one
	// word, and FTS5 sees one token either way.
	encMark = "zz"
)

// segment is a run of the input: a word (letters, or digits) or a run of
// CJK characters.
type segment struct {
	text string // lower-cased
	cjk  bool
}

// segments splits s into words and CJK runs, reading at most max runes.
// Everything else (spaces, punctuation, symbols, emoji, invalid UTF-8)
// separates.
func segments(s string, max int) []segment {
	var out []segment
	var cur strings.Builder
	curKind := kindSep
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, segment{text: cur.String(), cjk: curKind == kindCJK})
			cur.Reset()
		}
	}
	n := 0
	for _, r := range s {
		if n >= max {
			break
		}
		n++
		r = fold(r)
		k := classOf(r)
		if k == kindMark {
			// Combining marks (accents in NFD text, Thai or Devanagari
			// vowel signs) belong to the word before them.
			if curKind == kindLetter {
				cur.WriteRune(r)
			}
			continue
		}
		if k != curKind {
			flush()
			curKind = k
		}
		if k != kindSep {
			cur.WriteRune(r)
		}
	}
	flush()
	return out
}

const (
	kindSep = iota
	kindLetter
	kindDigit
	kindCJK
	kindMark
)

func classOf(r rune) int {
	switch {
	case r == utf8.RuneError:
		return kindSep
	case isCJK(r):
		return kindCJK
	case unicode.IsLetter(r):
		return kindLetter
	case unicode.IsDigit(r):
		return kindDigit
	case unicode.IsMark(r):
		return kindMark
	}
	return kindSep
}

// isCJK reports Han, Hiragana, Katakana and Hangul, which are written
// without spaces between words.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		unicode.Is(unicode.Hangul, r) || r == 'ー' // the prolonged sound mark is "Common" but part of Katakana words
}

// fold lower-cases r and maps full-width ASCII (common in Chinese text)
// to ASCII, so "ｉＰｈｏｎｅ" is "iphone".
func fold(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	return unicode.ToLower(r)
}

// encode returns word as a token: itself when it is plain [a-z]+ or
// [0-9]+, otherwise encMark and its UTF-8 bytes spelled in letters a–p.
func encode(word string) string {
	if n := utf8.RuneCountInString(word); n > maxTokenRunes {
		i := 0
		for k := range word {
			if i == maxTokenRunes {
				word = word[:k]
				break
			}
			i++
		}
	}
	if plain(word) {
		return word
	}
	b := make([]byte, 0, len(encMark)+2*len(word))
	b = append(b, encMark...)
	for i := 0; i < len(word); i++ {
		c := word[i]
		b = append(b, 'a'+c>>4, 'a'+c&15)
	}
	return string(b)
}

// plain reports a non-empty run of ASCII letters or of ASCII digits.
func plain(w string) bool {
	if w == "" {
		return false
	}
	letters, digits := true, true
	for i := 0; i < len(w); i++ {
		c := w[i]
		letters = letters && c >= 'a' && c <= 'z'
		digits = digits && c >= '0' && c <= '9'
	}
	return letters || digits
}

// encoded reports whether tok was made by encode from a non-plain word.
func encoded(tok string) bool {
	if !strings.HasPrefix(tok, encMark) || (len(tok)-len(encMark))%2 != 0 || len(tok) == len(encMark) {
		return false
	}
	for i := len(encMark); i < len(tok); i++ {
		if tok[i] < 'a' || tok[i] > 'p' {
			return false
		}
	}
	return true
}

// Tokens returns the distinct tokens of a document field in order of
// first appearance: every word, and every CJK character and overlapping
// pair of CJK characters. It reads at most maxInputRunes runes and returns
// at most maxDocTokens tokens.
func Tokens(s string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(tok string) bool {
		if !seen[tok] {
			seen[tok] = true
			out = append(out, tok)
		}
		return len(out) < maxDocTokens
	}
	for _, seg := range segments(s, maxInputRunes) {
		if !seg.cjk {
			if !add(encode(seg.text)) {
				return out
			}
			continue
		}
		rs := []rune(seg.text)
		for i := range rs {
			if !add(encode(string(rs[i]))) {
				return out
			}
			if i+1 < len(rs) && !add(encode(string(rs[i:i+2]))) {
				return out
			}
		}
	}
	return out
}

// DocTokens is what a document is indexed under: the tokens of its title
// and body, space-separated.
func DocTokens(title, body string) string {
	toks := Tokens(title)
	seen := make(map[string]bool, len(toks))
	for _, t := range toks {
		seen[t] = true
	}
	for _, t := range Tokens(body) {
		if !seen[t] {
			seen[t] = true
			toks = append(toks, t)
		}
	}
	return strings.Join(toks, " ")
}
