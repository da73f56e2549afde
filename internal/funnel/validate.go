package funnel

import (
	"strings"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/room"
)

// Bounds of an anonymous viewer's id.
const (
	MinAnonID = 8
	MaxAnonID = 64
)

// checkStep checks the step is one of the funnel's.
func checkStep(step string) error {
	switch step {
	case StepView, StepProductOpen, StepBuyClick:
		return nil
	}
	return apperr.Field("step", "step must be view, product_open or buy_click")
}

// viewerKey names who is viewing: the signed-in user ("u:" + id), or
// the page's anonymous id ("a:" + anon_id), which must then be 8–64 of
// A–Z, a–z, 0–9, _ and -. A signed-in viewer's anon_id is ignored.
func viewerKey(a account.Actor, anonID string) (string, error) {
	if !a.Anonymous() {
		return "u:" + a.ID(), nil
	}
	if anonID == "" {
		return "", apperr.Field("anon_id", "sign in or send anon_id, a random id the page keeps")
	}
	if n := len(anonID); n < MinAnonID || n > MaxAnonID || !anonChars(anonID) {
		return "", apperr.Field("anon_id", "anon_id must be %d–%d letters, digits, _ or -", MinAnonID, MaxAnonID)
	}
	return "a:" + anonID, nil
}

func anonChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// productOf returns the product an event is about: "" for a view (its
// product_id is ignored); for the other steps a product on the session's
// shelf.
func productOf(ev Event, ses room.Session) (string, error) {
	if ev.Step == StepView {
		return "", nil
	}
	id := strings.TrimSpace(ev.ProductID)
	if id == "" {
		return "", apperr.Field("product_id", "product_id is required for %s", ev.Step)
	}
	for _, it := range ses.Products {
		if it.ProductID == id {
			return id, nil
		}
	}
	return "", apperr.Field("product_id", "product %s is not on this session's shelf", id)
}
