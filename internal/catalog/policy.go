package catalog

import (
	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
)

// Who may do what with a shop, decided here and nowhere else.

// CanOperate reports whether a may manage the shop's products, stock and
// orders: its owner, its staff, or an admin.
func CanOperate(a account.Actor, shopID string) bool {
	return a.IsAdmin() || a.ShopRole(shopID) != ""
}

// CanAdminister reports whether a may change the shop itself: profile,
// staff, webhooks. Only the owner or an admin.
func CanAdminister(a account.Actor, shopID string) bool {
	return a.IsAdmin() || a.ShopRole(shopID) == account.ShopOwner
}

// CanSee reports whether a may see the shop: approved shops are public,
// others only to their members and admins.
func CanSee(a account.Actor, s Shop) bool {
	return s.Status == ShopApproved || CanOperate(a, s.ID)
}

func requireSignedIn(a account.Actor) error {
	if a.Anonymous() {
		return apperr.New(apperr.Unauthorized, "sign in first")
	}
	return nil
}

func requireOperate(a account.Actor, shopID string) error {
	if err := requireSignedIn(a); err != nil {
		return err
	}
	if !CanOperate(a, shopID) {
		return apperr.New(apperr.Forbidden, "you are not a member of shop %s", shopID)
	}
	return nil
}

func requireAdminister(a account.Actor, shopID string) error {
	if err := requireSignedIn(a); err != nil {
		return err
	}
	if !CanAdminister(a, shopID) {
		return apperr.New(apperr.Forbidden, "only the owner of shop %s can do this", shopID)
	}
	return nil
}

func requireAdmin(a account.Actor) error {
	if err := requireSignedIn(a); err != nil {
		return err
	}
	if !a.IsAdmin() {
		return apperr.New(apperr.Forbidden, "only platform admins can do this")
	}
	return nil
}
