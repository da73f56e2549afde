package store_test

import (
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/mcn"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

func TestConformanceAgencies(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		manager := w.user(t, "manager@example.com")
		rivalManager := w.user(t, "rival@example.com")
		host := w.user(t, "host@example.com")
		viewer := w.user(t, "viewer@example.com")

		starlight, err := w.mcns.Create(ctx, manager, "  Starlight Talent ")
		must(t, err)
		if starlight.Name != "Starlight Talent" || starlight.ManagerID != manager.ID() || !starlight.CreatedAt.Equal(w.clock.Now()) {
			t.Fatalf("agency = %+v", starlight)
		}
		w.clock.Advance(time.Second)
		moonrise, err := w.mcns.Create(ctx, rivalManager, "Moonrise")
		must(t, err)

		t.Run("names are unique", func(t *testing.T) {
			_, err := w.mcns.Create(ctx, rivalManager, "Starlight Talent")
			wantErr(t, err, apperr.Conflict, "name")
			_, err = w.mcns.Create(ctx, manager, " ")
			wantErr(t, err, apperr.Invalid, "name")
			_, err = w.mcns.Create(ctx, account.Actor{}, "Anon")
			wantErr(t, err, apperr.Unauthorized, "")
			mine, err := w.mcns.Mine(ctx, manager)
			must(t, err)
			if len(mine) != 1 || mine[0].ID != starlight.ID {
				t.Fatalf("manager's agencies = %+v", mine)
			}
		})

		if m := w.actor(t, manager.ID()); !m.ManagesMCN(starlight.ID) || m.ManagesMCN(moonrise.ID) {
			t.Fatalf("manager's agencies = %v", m.MCNs)
		}

		t.Run("inviting", func(t *testing.T) {
			_, err := w.mcns.InviteHost(ctx, manager, starlight.ID, "nobody@example.com", 3000)
			wantErr(t, err, apperr.Invalid, "email")
			_, err = w.mcns.InviteHost(ctx, manager, starlight.ID, "host@example.com", 10001)
			wantErr(t, err, apperr.Invalid, "mcn_share_bps")
			_, err = w.mcns.InviteHost(ctx, rivalManager, starlight.ID, "host@example.com", 3000)
			wantErr(t, err, apperr.Forbidden, "")
			_, err = w.mcns.InviteHost(ctx, manager, "mcn_missing", "host@example.com", 3000)
			wantErr(t, err, apperr.NotFound, "")
			_, err = w.mcns.Roster(ctx, rivalManager, starlight.ID)
			wantErr(t, err, apperr.Forbidden, "")
		})

		// Renewing an invitation updates its terms.
		_, err = w.mcns.InviteHost(ctx, manager, starlight.ID, " HOST@example.com ", 2500)
		must(t, err)
		w.clock.Advance(time.Second)
		_, err = w.mcns.InviteHost(ctx, manager, starlight.ID, "host@example.com", 3000)
		must(t, err)
		w.clock.Advance(time.Second)
		_, err = w.mcns.InviteHost(ctx, rivalManager, moonrise.ID, "host@example.com", 1000)
		must(t, err)

		roster, err := w.mcns.Roster(ctx, manager, starlight.ID)
		must(t, err)
		if len(roster) != 1 || roster[0].HostID != host.ID() || roster[0].Status != mcn.Invited || roster[0].MCNShareBPS != 3000 ||
			roster[0].HostEmail != "host@example.com" || roster[0].MCNName != "Starlight Talent" {
			t.Fatalf("roster = %+v", roster)
		}
		offers, err := w.mcns.MyAgreements(ctx, host)
		must(t, err)
		if len(offers) != 2 || offers[0].MCNID != moonrise.ID || offers[1].MCNID != starlight.ID {
			t.Fatalf("host's offers = %+v, want Moonrise then Starlight", offers)
		}
		if w.actor(t, host.ID()).User.IsHost {
			t.Fatal("an invitation alone made the user a host")
		}

		wantErr(t, w.mcns.Answer(ctx, viewer, starlight.ID, true), apperr.NotFound, "")
		must(t, w.mcns.Answer(ctx, host, starlight.ID, true))
		if a := w.actor(t, host.ID()); !a.User.IsHost || a.Roles()[1] != "host" {
			t.Fatalf("accepting did not make a host: %+v", a.User)
		}
		roster, _ = w.mcns.Roster(ctx, manager, starlight.ID)
		if roster[0].Status != mcn.Active {
			t.Fatalf("agreement = %s, want active", roster[0].Status)
		}

		t.Run("one active agreement at a time", func(t *testing.T) {
			wantErr(t, w.mcns.Answer(ctx, host, moonrise.ID, true), apperr.Conflict, "")
			_, err := w.mcns.InviteHost(ctx, rivalManager, moonrise.ID, "host@example.com", 500)
			wantErr(t, err, apperr.Conflict, "email")
			wantErr(t, w.mcns.Answer(ctx, host, starlight.ID, true), apperr.Conflict, "")
			offers, _ := w.mcns.MyAgreements(ctx, host)
			active := 0
			for _, o := range offers {
				if o.Status == mcn.Active {
					active++
				}
			}
			if active != 1 {
				t.Fatalf("host has %d active agreements: %+v", active, offers)
			}
		})

		t.Run("ending", func(t *testing.T) {
			wantErr(t, w.mcns.EndAgreement(ctx, rivalManager, starlight.ID, host.ID()), apperr.Forbidden, "")
			wantErr(t, w.mcns.EndAgreement(ctx, host, moonrise.ID, host.ID()), apperr.NotFound, "")
			must(t, w.mcns.EndAgreement(ctx, host, starlight.ID, host.ID()))
			wantErr(t, w.mcns.EndAgreement(ctx, manager, starlight.ID, host.ID()), apperr.NotFound, "")
			roster, _ := w.mcns.Roster(ctx, manager, starlight.ID)
			if roster[0].Status != mcn.Ended {
				t.Fatalf("agreement = %s, want ended", roster[0].Status)
			}
			// Free again: the pending Moonrise offer may now be taken.
			must(t, w.mcns.Answer(ctx, host, moonrise.ID, true))
			if a := w.actor(t, host.ID()); !a.User.IsHost {
				t.Fatal("host lost the host role")
			}
		})

		t.Run("declining", func(t *testing.T) {
			_, err := w.mcns.InviteHost(ctx, manager, starlight.ID, "viewer@example.com", 2000)
			must(t, err)
			must(t, w.mcns.Answer(ctx, viewer, starlight.ID, false))
			wantErr(t, w.mcns.Answer(ctx, viewer, starlight.ID, true), apperr.NotFound, "")
			if w.actor(t, viewer.ID()).User.IsHost {
				t.Fatal("declining made the viewer a host")
			}
			roster, _ := w.mcns.Roster(ctx, manager, starlight.ID)
			if len(roster) != 2 || roster[0].HostID != viewer.ID() || roster[0].Status != mcn.Declined {
				t.Fatalf("roster = %+v", roster)
			}
		})
	})
}
