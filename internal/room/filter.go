package room

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
)

// Limits of a shop's keyword filter.
const (
	MaxFilterWords     = 200
	MaxFilterWordRunes = 40
	// filterTTL is how long a node trusts its copy of a shop's filter: a
	// change reaches every node within it, and chat does not read the
	// filter from the database once per message.
	filterTTL = 5 * time.Second
)

// ChatFilter is a shop's list of blocked words: a chat message or
// question containing one is refused.
type ChatFilter struct {
	ShopID    string     `json:"shop_id"`
	Words     []string   `json:"words"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"` // absent when never set
	UpdatedBy string     `json:"updated_by,omitempty"`
}

// ChatFilterInput replaces a shop's blocked words.
type ChatFilterInput struct {
	Words []string `json:"words"`
}

// foldText normalises text for matching: full-width forms become their
// ASCII letters (ＷＥＩＸＩＮ → weixin, the ideographic space a space),
// case is folded (Unicode-wide), and invisible format characters such as
// zero-width spaces, which would slip a word past the filter, are
// dropped. Chinese characters pass through unchanged. Each rune maps to
// at most one rune, so a word is in a message exactly when its folded
// form is in the message's folded form.
func foldText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			r -= 0xFEE0
		case r == 0x3000: // ideographic space
			r = ' '
		case unicode.Is(unicode.Cf, r): // zero-width and other format characters
			continue
		}
		b.WriteRune(unicode.ToLower(unicode.ToUpper(r)))
	}
	return b.String()
}

// cleanWords checks a filter's words (1–40 characters each after
// trimming, at most 200) and drops the ones that fold to a word already
// listed.
func cleanWords(words []string) ([]string, error) {
	if len(words) > MaxFilterWords {
		return nil, apperr.Field("words", "a filter has at most %d words", MaxFilterWords)
	}
	out := make([]string, 0, len(words))
	seen := make(map[string]bool, len(words))
	for i, w := range words {
		w = strings.TrimSpace(w)
		field := fmt.Sprintf("words[%d]", i)
		n := utf8.RuneCountInString(w)
		switch {
		case !utf8.ValidString(w):
			return nil, apperr.Field(field, "word is not valid UTF-8")
		case n == 0 || foldText(w) == "":
			return nil, apperr.Field(field, "word is empty")
		case n > MaxFilterWordRunes:
			return nil, apperr.Field(field, "a word has at most %d characters", MaxFilterWordRunes)
		case strings.ContainsFunc(w, unicode.IsControl):
			return nil, apperr.Field(field, "word contains a control character")
		}
		if f := foldText(w); !seen[f] {
			seen[f] = true
			out = append(out, w)
		}
	}
	return out, nil
}

// matcher finds a shop's blocked words in text.
type matcher []string // folded words

func newMatcher(words []string) matcher {
	m := make(matcher, 0, len(words))
	for _, w := range words {
		if f := foldText(w); f != "" {
			m = append(m, f)
		}
	}
	return m
}

// blocks reports whether text contains one of the words.
func (m matcher) blocks(text string) bool {
	if len(m) == 0 {
		return false
	}
	folded := foldText(text)
	for _, w := range m {
		if strings.Contains(folded, w) {
			return true
		}
	}
	return false
}

// filterCache keeps each shop's matcher for filterTTL.
type filterCache struct {
	mu    sync.Mutex
	shops map[string]cachedFilter
}

type cachedFilter struct {
	m  matcher
	at time.Time
}

func newFilterCache() *filterCache { return &filterCache{shops: map[string]cachedFilter{}} }

func (c *filterCache) get(shopID string, now time.Time) (matcher, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.shops[shopID]
	if !ok || now.Sub(f.at) >= filterTTL || now.Before(f.at) {
		return nil, false
	}
	return f.m, true
}

func (c *filterCache) put(shopID string, m matcher, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.shops[shopID] = cachedFilter{m: m, at: now}
}

// screen refuses text containing one of the shop's blocked words, unless
// p runs the room.
func (s *Service) screen(ctx context.Context, p Participant, shopID, text string) error {
	if p.Exempt() {
		return nil
	}
	now := s.now()
	m, ok := s.filters.get(shopID, now)
	if !ok {
		f, err := s.repo.ChatFilter(ctx, shopID)
		if err != nil {
			return fmt.Errorf("room: load chat filter of %s: %w", shopID, err)
		}
		m = newMatcher(f.Words)
		s.filters.put(shopID, m, now)
	}
	if m.blocks(text) {
		return apperr.Field("text", "your message contains a blocked word")
	}
	return nil
}

// ChatFilter returns a shop's blocked words, for its team.
func (s *Service) ChatFilter(ctx context.Context, a account.Actor, shopID string) (ChatFilter, error) {
	if err := requireShopOperator(a, shopID); err != nil {
		return ChatFilter{}, err
	}
	if _, err := s.repo.ShopByID(ctx, shopID); err != nil {
		return ChatFilter{}, err
	}
	return s.repo.ChatFilter(ctx, shopID)
}

// SetChatFilter replaces a shop's blocked words, for its team. This node
// applies them at once, the others within a few seconds. Invalid (field
// words or words[i]).
func (s *Service) SetChatFilter(ctx context.Context, a account.Actor, shopID string, words []string) (ChatFilter, error) {
	if err := requireShopOperator(a, shopID); err != nil {
		return ChatFilter{}, err
	}
	words, err := cleanWords(words)
	if err != nil {
		return ChatFilter{}, err
	}
	if _, err := s.repo.ShopByID(ctx, shopID); err != nil {
		return ChatFilter{}, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	f := ChatFilter{ShopID: shopID, Words: words, UpdatedAt: &now, UpdatedBy: a.ID()}
	if err := s.repo.SetChatFilter(ctx, f); err != nil {
		return ChatFilter{}, fmt.Errorf("room: set chat filter of %s: %w", shopID, err)
	}
	s.filters.put(shopID, newMatcher(words), s.now())
	return f, nil
}
