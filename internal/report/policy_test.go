package report

import (
	"testing"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/mcn"
	"github.com/liveshop/liveshop/internal/room"
)

func TestPolicies(t *testing.T) {
	user := func(id string, admin bool) account.Actor {
		return account.Actor{User: &account.User{ID: id, IsAdmin: admin}}
	}
	host := user("usr_host", false)
	admin := user("usr_admin", true)
	owner := user("usr_owner", false)
	owner.ShopRoles = map[string]string{"shp_1": account.ShopOwner}
	staff := user("usr_staff", false)
	staff.ShopRoles = map[string]string{"shp_1": account.ShopStaff}
	otherShop := user("usr_other", false)
	otherShop.ShopRoles = map[string]string{"shp_2": account.ShopOwner}
	manager := user("usr_mgr", false)
	manager.MCNs = []string{"mcn_1"}
	otherManager := user("usr_mgr2", false)
	otherManager.MCNs = []string{"mcn_2"}
	stranger := user("usr_x", false)
	anon := account.Actor{}

	hostID := "usr_host"
	ses := room.Session{ID: "ses_1", ShopID: "shp_1", HostID: &hostID}
	active := []mcn.Agreement{{MCNID: "mcn_1", HostID: hostID, Status: mcn.Active}, {MCNID: "mcn_2", HostID: hostID, Status: mcn.Ended}}
	invited := []mcn.Agreement{{MCNID: "mcn_1", HostID: hostID, Status: mcn.Invited}}

	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"session: shop owner", CanReadSession(owner, ses), true},
		{"session: shop staff", CanReadSession(staff, ses), true},
		{"session: its host", CanReadSession(host, ses), true},
		{"session: admin", CanReadSession(admin, ses), true},
		{"session: another shop's owner", CanReadSession(otherShop, ses), false},
		{"session: stranger", CanReadSession(stranger, ses), false},
		{"session: anonymous", CanReadSession(anon, ses), false},
		{"host: themselves", CanReadHost(host, hostID, nil), true},
		{"host: admin", CanReadHost(admin, hostID, nil), true},
		{"host: manager of the active agency", CanReadHost(manager, hostID, active), true},
		{"host: manager of an ended agreement", CanReadHost(otherManager, hostID, active), false},
		{"host: manager of an agency still inviting", CanReadHost(manager, hostID, invited), false},
		{"host: agreements of someone else", CanReadHost(manager, "usr_other", active), false},
		{"host: stranger", CanReadHost(stranger, hostID, active), false},
		{"host: anonymous asking for nobody", CanReadHost(anon, "", nil), false},
		{"shop: owner", CanReadShop(owner, "shp_1"), true},
		{"shop: staff", CanReadShop(staff, "shp_1"), true},
		{"shop: admin", CanReadShop(admin, "shp_1"), true},
		{"shop: another shop's owner", CanReadShop(otherShop, "shp_1"), false},
		{"shop: the host selling for it", CanReadShop(host, "shp_1"), false},
		{"platform: admin", CanReadPlatform(admin), true},
		{"platform: shop owner", CanReadPlatform(owner), false},
		{"platform: manager", CanReadPlatform(manager), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
