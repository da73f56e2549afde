package report

import (
	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/mcn"
	"github.com/liveshop/liveshop/internal/room"
)

// Who may read which report, decided here from the policies the owning
// packages already have. An agency's report is mcn.Service's decision
// (its manager or an admin), made when the service loads its roster.

// CanReadSession: whoever may operate the session (room.CanOperate: the
// shop's owner or staff, the session's host, an admin).
func CanReadSession(a account.Actor, ses room.Session) bool { return room.CanOperate(a, ses) }

// CanReadHost: the host, an admin, or the manager of an agency the host
// has an active agreement with. agreements are the host's agreements.
func CanReadHost(a account.Actor, hostID string, agreements []mcn.Agreement) bool {
	if a.Anonymous() {
		return false
	}
	if a.ID() == hostID || a.IsAdmin() {
		return true
	}
	for _, ag := range agreements {
		if ag.HostID == hostID && ag.Status == mcn.Active && a.ManagesMCN(ag.MCNID) {
			return true
		}
	}
	return false
}

// CanReadShop: whoever operates the shop (catalog.CanOperate: owner,
// staff, admin).
func CanReadShop(a account.Actor, shopID string) bool { return catalog.CanOperate(a, shopID) }

// CanReadPlatform: admins.
func CanReadPlatform(a account.Actor) bool { return a.IsAdmin() }

func signedIn(a account.Actor) error {
	if a.Anonymous() {
		return apperr.New(apperr.Unauthorized, "sign in first")
	}
	return nil
}
