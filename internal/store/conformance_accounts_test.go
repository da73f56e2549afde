package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

func TestConformanceSignUp(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()

		u, err := w.acct.SignUp(ctx, account.SignUpInput{Email: "  Alice@Example.COM ", Password: "correct horse", DisplayName: "  Alice  "})
		must(t, err)
		if u.Email != "alice@example.com" || u.DisplayName != "Alice" {
			t.Fatalf("signed up as %q %q, want the email lower-cased and trimmed", u.Email, u.DisplayName)
		}
		stored := w.actor(t, u.ID).User
		if stored.Email != "alice@example.com" || stored.DisplayName != "Alice" || !stored.CreatedAt.Equal(w.clock.Now()) || stored.IsAdmin || stored.IsHost {
			t.Fatalf("stored user = %+v", *stored)
		}

		t.Run("duplicate email", func(t *testing.T) {
			for _, email := range []string{"alice@example.com", "ALICE@EXAMPLE.COM", " Alice@example.com"} {
				_, err := w.acct.SignUp(ctx, account.SignUpInput{Email: email, Password: "another password"})
				wantErr(t, err, apperr.Conflict, "email")
			}
		})

		t.Run("invalid input", func(t *testing.T) {
			tests := []struct {
				name  string
				in    account.SignUpInput
				field string
			}{
				{"no email", account.SignUpInput{Password: "correct horse"}, "email"},
				{"not an address", account.SignUpInput{Email: "alice", Password: "correct horse"}, "email"},
				{"display name in the address", account.SignUpInput{Email: "Alice <a@example.com>", Password: "correct horse"}, "email"},
				{"short password", account.SignUpInput{Email: "b@example.com", Password: "1234567"}, "password"},
				{"long display name", account.SignUpInput{Email: "b@example.com", Password: "correct horse", DisplayName: strings.Repeat("名", 61)}, "display_name"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := w.acct.SignUp(ctx, tt.in)
					wantErr(t, err, apperr.Invalid, tt.field)
				})
			}
		})

		t.Run("credentials", func(t *testing.T) {
			got, err := w.acct.CheckCredentials(ctx, " ALICE@example.com", "correct horse")
			must(t, err)
			if got.ID != u.ID {
				t.Fatalf("signed in as %s, want %s", got.ID, u.ID)
			}
			_, err = w.acct.CheckCredentials(ctx, "alice@example.com", "wrong horse")
			wantErr(t, err, apperr.Unauthorized, "")
			_, err = w.acct.CheckCredentials(ctx, "nobody@example.com", "correct horse")
			wantErr(t, err, apperr.Unauthorized, "")
		})
	})
}

func TestConformanceSessions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		alice := w.user(t, "alice@example.com")

		token, sess, err := w.acct.StartSession(ctx, alice.ID())
		must(t, err)
		a, got, err := w.acct.SessionActor(ctx, token)
		must(t, err)
		if a.ID() != alice.ID() || got.CSRFToken == "" || got.CSRFToken != sess.CSRFToken ||
			!got.ExpiresAt.Equal(w.clock.Now().Add(account.SessionTTL)) || !got.CreatedAt.Equal(w.clock.Now()) {
			t.Fatalf("session resolved to %s %+v, want %s %+v", a.ID(), got, alice.ID(), sess)
		}
		_, _, err = w.acct.SessionActor(ctx, token+"x")
		wantErr(t, err, apperr.Unauthorized, "")

		// Signing out ends only that session.
		other, _, err := w.acct.StartSession(ctx, alice.ID())
		must(t, err)
		must(t, w.acct.EndSession(ctx, other))
		_, _, err = w.acct.SessionActor(ctx, other)
		wantErr(t, err, apperr.Unauthorized, "")
		if _, _, err := w.acct.SessionActor(ctx, token); err != nil {
			t.Fatalf("the first session ended with the second: %v", err)
		}

		// A session lasts exactly SessionTTL.
		w.clock.Advance(account.SessionTTL)
		if _, _, err := w.acct.SessionActor(ctx, token); err != nil {
			t.Fatalf("session at its last millisecond: %v", err)
		}
		w.clock.Advance(time.Millisecond)
		_, _, err = w.acct.SessionActor(ctx, token)
		wantErr(t, err, apperr.Unauthorized, "")
	})
}

func TestConformanceAPITokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		alice := w.user(t, "alice@example.com")
		bob := w.user(t, "bob@example.com")

		ci, ciSecret, err := w.acct.CreateAPIToken(ctx, alice, "  ci  ")
		must(t, err)
		w.clock.Advance(time.Second)
		laptop, laptopSecret, err := w.acct.CreateAPIToken(ctx, alice, "laptop")
		must(t, err)
		if !strings.HasPrefix(ciSecret, "lsk_") || ci.Name != "ci" || ciSecret == laptopSecret {
			t.Fatalf("token %+v with secret %q", ci, ciSecret)
		}
		for _, secret := range []string{ciSecret, laptopSecret} {
			a, err := w.acct.TokenActor(ctx, secret)
			must(t, err)
			if a.ID() != alice.ID() {
				t.Fatalf("token resolved to %s, want %s", a.ID(), alice.ID())
			}
		}
		_, err = w.acct.TokenActor(ctx, "lsk_unknown")
		wantErr(t, err, apperr.Unauthorized, "")

		list, err := w.acct.ListAPITokens(ctx, alice)
		must(t, err)
		if len(list) != 2 || list[0].ID != laptop.ID || list[1].ID != ci.ID || list[1].Name != "ci" ||
			list[1].UserID != alice.ID() || !list[1].CreatedAt.Equal(ci.CreatedAt) {
			t.Fatalf("alice's tokens = %+v, want laptop then ci", list)
		}
		if list, err := w.acct.ListAPITokens(ctx, bob); err != nil || len(list) != 0 {
			t.Fatalf("bob's tokens = %+v, %v; want none", list, err)
		}

		t.Run("invalid", func(t *testing.T) {
			_, _, err := w.acct.CreateAPIToken(ctx, alice, "   ")
			wantErr(t, err, apperr.Invalid, "name")
			_, _, err = w.acct.CreateAPIToken(ctx, account.Actor{}, "ci")
			wantErr(t, err, apperr.Unauthorized, "")
		})

		t.Run("another user cannot revoke it", func(t *testing.T) {
			wantErr(t, w.acct.DeleteAPIToken(ctx, bob, ci.ID), apperr.NotFound, "")
			if _, err := w.acct.TokenActor(ctx, ciSecret); err != nil {
				t.Fatalf("token stopped working after bob's attempt: %v", err)
			}
		})

		t.Run("revoke", func(t *testing.T) {
			must(t, w.acct.DeleteAPIToken(ctx, alice, ci.ID))
			_, err := w.acct.TokenActor(ctx, ciSecret)
			wantErr(t, err, apperr.Unauthorized, "")
			wantErr(t, w.acct.DeleteAPIToken(ctx, alice, ci.ID), apperr.NotFound, "")
			list, err := w.acct.ListAPITokens(ctx, alice)
			must(t, err)
			if len(list) != 1 || list[0].ID != laptop.ID {
				t.Fatalf("tokens after revoking ci = %+v", list)
			}
		})
	})
}

func TestConformanceRoles(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		alice := w.user(t, "alice@example.com")
		bob := w.user(t, "bob@example.com")

		if got := alice.Roles(); !slices.Equal(got, []string{"viewer"}) {
			t.Fatalf("new user's roles = %v", got)
		}
		must(t, w.acct.BecomeHost(ctx, alice))
		wantErr(t, w.acct.SetAdmin(ctx, bob, alice.ID(), true), apperr.Forbidden, "")
		must(t, w.acct.SetAdmin(ctx, account.System(), alice.ID(), true))
		alice = w.actor(t, alice.ID())
		if got := alice.Roles(); !slices.Equal(got, []string{"viewer", "host", "admin"}) {
			t.Fatalf("roles = %v, want viewer host admin", got)
		}

		// Memberships: one shop owned, one staffed, one agency managed.
		owned, alice := w.shop(t, alice, alice, "Alice Farm", "standard")
		staffed, bob := w.shop(t, bob, alice, "Bob Farm", "standard")
		inv, err := w.cat.Invite(ctx, bob, staffed.ID, alice.User.Email)
		must(t, err)
		must(t, w.cat.AnswerInvitation(ctx, alice, inv.ID, true))
		ag, err := w.mcns.Create(ctx, alice, "Alice Talent")
		must(t, err)

		alice = w.actor(t, alice.ID())
		if alice.ShopRole(owned.ID) != account.ShopOwner || alice.ShopRole(staffed.ID) != account.ShopStaff ||
			!alice.ManagesMCN(ag.ID) || len(alice.ShopRoles) != 2 {
			t.Fatalf("actor = %+v", alice)
		}
		want := []string{"viewer", "host", "shop_owner", "shop_staff", "mcn_manager", "admin"}
		if got := alice.Roles(); !slices.Equal(got, want) {
			t.Fatalf("roles = %v, want %v", got, want)
		}
		if bob.ShopRole(owned.ID) != "" || bob.ShopRole(staffed.ID) != account.ShopOwner || bob.ManagesMCN(ag.ID) {
			t.Fatalf("bob = %+v", bob)
		}
	})
}
