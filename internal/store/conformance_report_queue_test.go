package store_test

import (
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// TestConformanceReportQueue checks the platform moderation queue: open
// reports from every room newest first and paged, admins only; resolving
// dismisses, or deletes the message through the room's audited delete and
// bans its author; a resolved report (and every report of its message)
// leaves the queue with who, when and what stored.
func TestConformanceReportQueue(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rw := newRoomWorld(t, s)
		ctx := t.Context()
		rw.goLive(t, rw.key)
		rude, err := rw.chat(t, rw.viewer, "rude words")
		must(t, err)
		fine, err := rw.chat(t, rw.viewer, "fine words")
		must(t, err)
		byHost, err := rw.chat(t, rw.host, "host words")
		must(t, err)
		r1, r2 := rw.user(t, "r1@example.com"), rw.user(t, "r2@example.com")
		report := func(a account.Actor, m room.ChatMessage, reason string) room.Report {
			t.Helper()
			rw.clock.Advance(time.Second)
			r, err := rw.svc.Report(ctx, a, rw.id, room.ReportInput{MessageID: m.ID, Reason: reason})
			must(t, err)
			return r
		}
		rudeByR1 := report(r1, rude, "insults")
		fineByR1 := report(r1, fine, "")
		hostByR1 := report(r1, byHost, "spam")
		rudeByR2 := report(r2, rude, "also rude")

		_, err = rw.svc.OpenReports(ctx, rw.owner, "", 0)
		wantErr(t, err, apperr.Forbidden, "")
		_, err = rw.svc.OpenReports(ctx, account.Actor{}, "", 0)
		wantErr(t, err, apperr.Unauthorized, "")
		queue := func(cursor string, limit int) []string {
			t.Helper()
			reps, err := rw.svc.OpenReports(ctx, rw.root, cursor, limit)
			must(t, err)
			out := []string{}
			for _, r := range reps {
				out = append(out, r.ID)
			}
			return out
		}
		all, err := rw.svc.OpenReports(ctx, rw.root, "", 0)
		must(t, err)
		if len(all) != 4 || all[0].ID != rudeByR2.ID || all[3].ID != rudeByR1.ID {
			t.Fatalf("queue = %+v", all)
		}
		if r := all[3]; r.Message == nil || r.Message.Text != "rude words" || r.Message.UserID != rw.viewer.ID() ||
			r.ReporterName != r1.User.DisplayName || r.Reason != "insults" || r.SessionTitle != "Harvest" || r.Resolution != nil {
			t.Fatalf("queued report = %+v", r)
		}
		if got := queue(all[0].ID, 2); len(got) != 2 || got[0] != hostByR1.ID || got[1] != fineByR1.ID {
			t.Fatalf("second page = %v", got)
		}

		resolve := func(a account.Actor, id string, in room.ResolveInput) (room.Report, error) {
			return rw.svc.ResolveReport(ctx, a, id, in)
		}
		_, err = resolve(rw.owner, fineByR1.ID, room.ResolveInput{Action: room.ResolveDismiss})
		wantErr(t, err, apperr.Forbidden, "")
		_, err = resolve(rw.root, fineByR1.ID, room.ResolveInput{Action: "shout"})
		wantErr(t, err, apperr.Invalid, "action")
		_, err = resolve(rw.root, fineByR1.ID, room.ResolveInput{Action: room.ResolveDismiss, Ban: true})
		wantErr(t, err, apperr.Invalid, "ban")
		_, err = resolve(rw.root, "rpt_missing", room.ResolveInput{Action: room.ResolveDismiss})
		wantErr(t, err, apperr.NotFound, "")
		// The host cannot be banned: nothing changes, the report stays queued.
		_, err = resolve(rw.root, hostByR1.ID, room.ResolveInput{Action: room.ResolveDelete, Ban: true})
		wantErr(t, err, apperr.Invalid, "ban")
		if got := rw.history(t, room.ChatQuery{}); len(got) != 3 {
			t.Fatalf("chat after a refused ban = %v", got)
		}

		// Dismiss: the message stays.
		rw.clock.Advance(time.Second)
		d, err := resolve(rw.root, fineByR1.ID, room.ResolveInput{Action: room.ResolveDismiss})
		must(t, err)
		if d.Resolution == nil || d.Resolution.Action != room.ResolveDismiss || d.Resolution.By != rw.root.ID() ||
			!d.Resolution.At.Equal(rw.clock.Now().UTC().Truncate(time.Millisecond)) {
			t.Fatalf("dismissed = %+v", d)
		}
		_, err = resolve(rw.root, fineByR1.ID, room.ResolveInput{Action: room.ResolveDismiss})
		wantErr(t, err, apperr.Conflict, "")

		// Delete and ban: both reports of the message leave the queue.
		del, err := resolve(rw.root, rudeByR1.ID, room.ResolveInput{Action: room.ResolveDelete, Ban: true, Reason: "abuse"})
		must(t, err)
		if !del.MessageDeleted || del.Resolution == nil || del.Resolution.Action != room.ResolveDelete || !del.Resolution.Banned {
			t.Fatalf("deleted = %+v", del)
		}
		if got := queue("", 0); len(got) != 1 || got[0] != hostByR1.ID {
			t.Fatalf("queue after resolving = %v", got)
		}
		if got := rw.history(t, room.ChatQuery{}); len(got) != 2 || got[0] != "fine words" {
			t.Fatalf("chat after delete = %v", got)
		}
		stored, err := s.ReportByID(ctx, rudeByR2.ID)
		must(t, err)
		if stored.Resolution == nil || stored.Resolution.Action != room.ResolveDelete || !stored.Resolution.Banned ||
			stored.Resolution.By != rw.root.ID() || !stored.MessageDeleted {
			t.Fatalf("the other report of the message = %+v", stored)
		}
		// The room's own moderation log shows the admin's ban and delete.
		log, err := rw.svc.ModerationLog(ctx, rw.owner, rw.id, "", 0)
		must(t, err)
		if len(log) < 2 || log[0].Action != room.ActionDeleteChat || log[0].MessageID != rude.ID || log[0].By != rw.root.ID() ||
			log[1].Action != room.ActionBan || log[1].UserID != rw.viewer.ID() || log[1].Reason != "abuse" {
			t.Fatalf("moderation log = %+v", log)
		}
		_, err = rw.svc.Participant(ctx, rw.viewer, rw.id)
		wantErr(t, err, apperr.Forbidden, "")
	})
}
