package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

func TestRoomMutesAndBans(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rw := newRoomWorld(t, s)
		ctx := t.Context()
		rw.goLive(t, rw.key)
		v := rw.viewer.ID()
		five := 5
		moderate := func(a account.Actor, in room.ModerationInput) (room.ModerationAction, error) {
			return rw.svc.Moderate(ctx, a, rw.id, in)
		}
		refusals := []struct {
			name  string
			a     account.Actor
			in    room.ModerationInput
			code  string
			field string
		}{
			{"a viewer", rw.viewer, room.ModerationInput{Action: room.ActionMute, UserID: rw.staff.ID()}, apperr.Forbidden, ""},
			{"nobody", account.Actor{}, room.ModerationInput{Action: room.ActionMute, UserID: v}, apperr.Unauthorized, ""},
			{"unknown user", rw.owner, room.ModerationInput{Action: room.ActionMute, UserID: "usr_missing"}, apperr.Invalid, "user_id"},
			{"the host", rw.staff, room.ModerationInput{Action: room.ActionBan, UserID: rw.host.ID()}, apperr.Invalid, "user_id"},
			{"staff", rw.host, room.ModerationInput{Action: room.ActionMute, UserID: rw.staff.ID()}, apperr.Invalid, "user_id"},
			{"an admin", rw.owner, room.ModerationInput{Action: room.ActionBan, UserID: rw.root.ID()}, apperr.Invalid, "user_id"},
			{"bad action", rw.owner, room.ModerationInput{Action: "kick", UserID: v}, apperr.Invalid, "action"},
		}
		for _, tt := range refusals {
			_, err := moderate(tt.a, tt.in)
			if e, ok := apperr.As(err); !ok || e.Code != tt.code || e.Field != tt.field {
				t.Errorf("%s: %v, want %s %q", tt.name, err, tt.code, tt.field)
			}
		}
		_, err := rw.svc.Moderate(ctx, rw.owner, "ses_missing", room.ModerationInput{Action: room.ActionMute, UserID: v})
		wantErr(t, err, apperr.NotFound, "")

		// A five-minute mute.
		rw.ev.take()
		act, err := moderate(rw.host, room.ModerationInput{Action: room.ActionMute, UserID: v, Minutes: &five, Reason: " spam "})
		must(t, err)
		until := rw.clock.Now().Add(5 * time.Minute)
		if act.Action != room.ActionMute || act.Until == nil || !act.Until.Equal(until) || act.Reason != "spam" ||
			act.UserName != rw.viewer.User.DisplayName || act.By != rw.host.ID() {
			t.Fatalf("action = %+v", act)
		}
		evs := rw.ev.take()
		if me, _ := evs[0].Data.(room.ModerationEvent); len(evs) != 1 || evs[0].Type != room.EventModeration ||
			me.Action != room.ActionMute || me.UserID != v || !me.Until.Equal(until) {
			t.Fatalf("mute events = %+v", evs)
		}
		p := rw.participant(t, rw.viewer)
		if !p.Muted || p.MutedUntil == nil || !p.MutedUntil.Equal(until) {
			t.Fatalf("muted participant = %+v", p)
		}
		_, err = rw.svc.PostChat(ctx, p, rw.id, "hello?")
		if e, _ := apperr.As(err); e == nil || e.Code != apperr.Forbidden || e.Message != "you are muted in this room" {
			t.Fatalf("muted chat: %v", err)
		}
		_, err = rw.svc.AskQuestion(ctx, p, rw.id, "hello?")
		wantErr(t, err, apperr.Forbidden, "")
		// A participant resolved before the mute is still held: the database decides.
		_, err = rw.svc.PostChat(ctx, room.Participant{UserID: v, Name: "v", Role: room.RoleViewer}, rw.id, "sneaky")
		wantErr(t, err, apperr.Forbidden, "")
		rw.clock.Advance(5 * time.Minute)
		if p := rw.participant(t, rw.viewer); p.Muted {
			t.Fatalf("mute outlived its minutes: %+v", p)
		}
		_, err = rw.chat(t, rw.viewer, "back")
		must(t, err)

		// Muted until lifted, then unmuted.
		_, err = moderate(rw.owner, room.ModerationInput{Action: room.ActionMute, UserID: v})
		must(t, err)
		rw.clock.Advance(24 * time.Hour)
		if p := rw.participant(t, rw.viewer); !p.Muted || p.MutedUntil != nil {
			t.Fatalf("open-ended mute: %+v", p)
		}
		_, err = moderate(rw.owner, room.ModerationInput{Action: room.ActionUnmute, UserID: v})
		must(t, err)
		_, err = rw.chat(t, rw.viewer, "free")
		must(t, err)

		// Banned: cannot join, chat or ask; a ban does not reach other rooms.
		_, err = moderate(rw.staff, room.ModerationInput{Action: room.ActionBan, UserID: v, Reason: "abuse"})
		must(t, err)
		_, err = rw.svc.Participant(ctx, rw.viewer, rw.id)
		if e, _ := apperr.As(err); e == nil || e.Code != apperr.Forbidden || e.Message != "you are banned from this room" {
			t.Fatalf("banned participant: %v", err)
		}
		_, err = rw.svc.PostChat(ctx, room.Participant{UserID: v, Name: "v", Role: room.RoleViewer}, rw.id, "let me in")
		wantErr(t, err, apperr.Forbidden, "")
		elsewhere, err := rw.rooms.Schedule(ctx, rw.owner, rw.farm.ID, room.ScheduleInput{Title: "Elsewhere"})
		must(t, err)
		if _, err := rw.svc.Participant(ctx, rw.viewer, elsewhere.Session.ID); err != nil {
			t.Fatalf("ban leaked into another room: %v", err)
		}
		_, err = moderate(rw.staff, room.ModerationInput{Action: room.ActionUnban, UserID: v})
		must(t, err)
		_, err = rw.chat(t, rw.viewer, "thanks")
		must(t, err)
		// A timed ban ends by itself.
		_, err = moderate(rw.staff, room.ModerationInput{Action: room.ActionBan, UserID: v, Minutes: &five})
		must(t, err)
		rw.clock.Advance(5*time.Minute + time.Millisecond)
		rw.participant(t, rw.viewer)

		log, err := rw.svc.ModerationLog(ctx, rw.owner, rw.id, "", 0)
		must(t, err)
		var actions []string
		for _, a := range log {
			actions = append(actions, a.Action)
		}
		if want := []string{"ban", "unban", "ban", "unmute", "mute", "mute"}; !slices.Equal(actions, want) {
			t.Fatalf("audit %v, want %v", actions, want)
		}
		first := log[len(log)-1]
		if first.Minutes == nil || *first.Minutes != 5 || first.Reason != "spam" || first.ByName != rw.host.User.DisplayName ||
			first.UserName != rw.viewer.User.DisplayName || first.SessionID != rw.id {
			t.Fatalf("oldest audit entry = %+v", first)
		}
		older, err := rw.svc.ModerationLog(ctx, rw.owner, rw.id, log[1].ID, 0)
		must(t, err)
		if len(older) != 4 || older[0].ID != log[2].ID {
			t.Fatalf("audit after a cursor: %d entries", len(older))
		}
		_, err = rw.svc.ModerationLog(ctx, rw.viewer, rw.id, "", 0)
		wantErr(t, err, apperr.Forbidden, "")
	})
}

func TestRoomQuestionsAndPins(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rw := newRoomWorld(t, s)
		ctx := t.Context()
		rw.goLive(t, rw.key)
		p := rw.participant(t, rw.viewer)
		_, err := rw.svc.AskQuestion(ctx, room.Participant{Role: room.RoleAnonymous}, rw.id, "hi")
		wantErr(t, err, apperr.Unauthorized, "")
		_, err = rw.svc.AskQuestion(ctx, p, rw.id, " ")
		wantErr(t, err, apperr.Invalid, "text")
		rw.ev.take()
		var qs []room.Question
		for _, text := range []string{"产地是哪里？", "保质期多久？", "包邮吗？"} {
			q, err := rw.svc.AskQuestion(ctx, p, rw.id, text)
			must(t, err)
			qs = append(qs, q)
		}
		if qs[0].Status != room.QuestionOpen || qs[0].Pinned || qs[0].Name != rw.viewer.User.DisplayName {
			t.Fatalf("question = %+v", qs[0])
		}
		if got := types(rw.ev.take()); !slices.Equal(got, []string{"question", "question", "question"}) {
			t.Fatalf("events %v", got)
		}

		answer := func(a account.Actor, q room.Question, in room.AnswerInput) (room.Question, error) {
			return rw.svc.AnswerQuestion(ctx, a, rw.id, q.ID, in)
		}
		yes, no := true, false
		text := " 五常 "
		_, err = answer(rw.viewer, qs[0], room.AnswerInput{Answer: &text})
		wantErr(t, err, apperr.Forbidden, "")
		long := strings.Repeat("答", room.MaxAnswerRunes+1)
		_, err = answer(rw.host, qs[0], room.AnswerInput{Answer: &long})
		wantErr(t, err, apperr.Invalid, "answer")
		_, err = rw.svc.AnswerQuestion(ctx, rw.host, rw.id, "qst_missing", room.AnswerInput{})
		wantErr(t, err, apperr.NotFound, "")

		// Pin the first, then the second: the first is unpinned and both are published.
		got, err := answer(rw.host, qs[0], room.AnswerInput{Pin: &yes})
		must(t, err)
		if !got.Pinned || got.Status != room.QuestionOpen {
			t.Fatalf("pinned = %+v", got)
		}
		rw.ev.take()
		got, err = answer(rw.staff, qs[1], room.AnswerInput{Answer: &text, Pin: &yes})
		must(t, err)
		if !got.Pinned || got.Status != room.QuestionAnswered || got.Answer != "五常" {
			t.Fatalf("answered and pinned = %+v", got)
		}
		evs := rw.ev.take()
		if len(evs) != 2 || evs[0].Data.(room.Question).ID != qs[1].ID || evs[1].Data.(room.Question).ID != qs[0].ID ||
			evs[1].Data.(room.Question).Pinned || evs[1].Type != room.EventQuestionUpdated {
			t.Fatalf("pin events = %+v", evs)
		}
		// Answered on camera: no text.
		got, err = answer(rw.host, qs[2], room.AnswerInput{})
		must(t, err)
		if got.Status != room.QuestionAnswered || got.Answer != "" || got.Pinned {
			t.Fatalf("answered on camera = %+v", got)
		}

		snap, err := rw.svc.Snapshot(ctx, p, rw.id)
		must(t, err)
		var open []string
		for _, q := range snap.Questions {
			open = append(open, q.ID)
		}
		// Open or pinned: the first (open), the second (answered but pinned).
		if !slices.Equal(open, []string{qs[0].ID, qs[1].ID}) {
			t.Fatalf("snapshot questions %v", open)
		}
		list := func(status string) []string {
			got, err := rw.svc.Questions(ctx, rw.id, status, "", 0)
			must(t, err)
			out := []string{}
			for _, q := range got {
				out = append(out, q.ID)
			}
			return out
		}
		if all, ans := list(""), list(room.QuestionAnswered); len(all) != 3 || !slices.Equal(ans, []string{qs[1].ID, qs[2].ID}) {
			t.Fatalf("questions %v, answered %v", all, ans)
		}
		_, err = rw.svc.Questions(ctx, rw.id, "pinned", "", 0)
		wantErr(t, err, apperr.Invalid, "status")

		got, err = answer(rw.host, qs[1], room.AnswerInput{Pin: &no})
		must(t, err)
		if got.Pinned || got.Status != room.QuestionAnswered {
			t.Fatalf("unpinned = %+v", got)
		}
		got, err = answer(rw.host, qs[1], room.AnswerInput{}) // answered on camera again: the text stays
		must(t, err)
		if got.Answer != "五常" || got.Status != room.QuestionAnswered {
			t.Fatalf("answered again = %+v", got)
		}
		snap, _ = rw.svc.Snapshot(ctx, p, rw.id)
		if len(snap.Questions) != 1 || snap.Questions[0].ID != qs[0].ID {
			t.Fatalf("snapshot after unpin: %+v", snap.Questions)
		}
	})
}

func TestRoomAnnouncementsLikesAndPeak(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rw := newRoomWorld(t, s)
		ctx := t.Context()
		snap, err := rw.svc.Snapshot(ctx, room.Participant{Role: room.RoleAnonymous}, rw.id)
		must(t, err)
		if snap.Announcement != nil || len(snap.Chat) != 0 || len(snap.Questions) != 0 || snap.Likes != 0 {
			t.Fatalf("empty snapshot = %+v", snap)
		}
		_, err = rw.svc.Announce(ctx, rw.viewer, rw.id, "hi")
		wantErr(t, err, apperr.Forbidden, "")
		_, err = rw.svc.Announce(ctx, rw.owner, rw.id, "")
		wantErr(t, err, apperr.Invalid, "text")
		rw.ev.take()
		first, err := rw.svc.Announce(ctx, rw.owner, rw.id, "今晚八点开播") // before the start
		must(t, err)
		rw.goLive(t, rw.key)
		second, err := rw.svc.Announce(ctx, rw.host, rw.id, "全场包邮")
		must(t, err)
		if got := types(rw.ev.take()); !slices.Equal(got, []string{"announcement", "announcement"}) || first.By != rw.owner.ID() {
			t.Fatalf("events %v, first %+v", got, first)
		}

		must(t, rw.svc.AddLikes(ctx, rw.id, 3))
		must(t, rw.svc.AddLikes(ctx, rw.id, 40))
		wantErr(t, rw.svc.AddLikes(ctx, rw.id, 0), apperr.Invalid, "count")
		wantErr(t, rw.svc.AddLikes(ctx, "ses_missing", 1), apperr.NotFound, "")
		must(t, rw.svc.RecordPeak(ctx, rw.id, 120))
		must(t, rw.svc.RecordPeak(ctx, rw.id, 80)) // never lowers it
		wantErr(t, rw.svc.RecordPeak(ctx, "ses_missing", 1), apperr.NotFound, "")
		_, err = rw.svc.SetSlowMode(ctx, rw.owner, rw.id, 30)
		must(t, err)

		snap, err = rw.svc.Snapshot(ctx, rw.participant(t, rw.host), rw.id)
		must(t, err)
		if snap.Announcement == nil || snap.Announcement.ID != second.ID || snap.Likes != 43 || snap.Peak != 120 ||
			snap.SlowModeSeconds != 30 || snap.Session.Likes != 43 || snap.Session.PeakViewers != 120 ||
			snap.You.Role != room.RoleHost {
			t.Fatalf("snapshot = %+v", snap)
		}
		_, err = rw.svc.Snapshot(ctx, snap.You, "ses_missing")
		wantErr(t, err, apperr.NotFound, "")

		_, err = rw.rooms.End(ctx, rw.owner, rw.id)
		must(t, err)
		_, err = rw.svc.Announce(ctx, rw.owner, rw.id, "too late")
		wantErr(t, err, apperr.Conflict, "")
	})
}

func TestRoomReports(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rw := newRoomWorld(t, s)
		ctx := t.Context()
		rw.goLive(t, rw.key)
		rude, err := rw.chat(t, rw.viewer, "rude words")
		must(t, err)
		other, err := rw.rooms.Schedule(ctx, rw.owner, rw.farm.ID, room.ScheduleInput{Title: "Other"})
		must(t, err)
		reporter := rw.user(t, "reporter@example.com")

		report := func(a account.Actor, roomID string, in room.ReportInput) (room.Report, error) {
			return rw.svc.Report(ctx, a, roomID, in)
		}
		_, err = report(account.Actor{}, rw.id, room.ReportInput{MessageID: rude.ID})
		wantErr(t, err, apperr.Unauthorized, "")
		_, err = report(reporter, rw.id, room.ReportInput{})
		wantErr(t, err, apperr.Invalid, "message_id")
		_, err = report(reporter, rw.id, room.ReportInput{MessageID: "msg_missing"})
		wantErr(t, err, apperr.Invalid, "message_id")
		_, err = report(reporter, other.Session.ID, room.ReportInput{MessageID: rude.ID})
		wantErr(t, err, apperr.Invalid, "message_id")
		_, err = report(reporter, "ses_missing", room.ReportInput{MessageID: rude.ID})
		wantErr(t, err, apperr.NotFound, "")
		r, err := report(reporter, rw.id, room.ReportInput{MessageID: rude.ID, Reason: " insults "})
		must(t, err)
		if r.Reason != "insults" || r.ReporterID != reporter.ID() || r.MessageID != rude.ID {
			t.Fatalf("report = %+v", r)
		}
		_, err = report(reporter, rw.id, room.ReportInput{MessageID: rude.ID})
		wantErr(t, err, apperr.Conflict, "")
		_, err = report(rw.host, rw.id, room.ReportInput{MessageID: rude.ID})
		must(t, err)

		_, err = rw.svc.Reports(ctx, reporter, rw.id, "", 0)
		wantErr(t, err, apperr.Forbidden, "")
		must(t, rw.svc.DeleteChat(ctx, rw.owner, rw.id, rude.ID))
		reps, err := rw.svc.Reports(ctx, rw.staff, rw.id, "", 0)
		must(t, err)
		if len(reps) != 2 || reps[1].ID != r.ID || reps[1].Message == nil || reps[1].Message.Text != "rude words" ||
			reps[1].Message.UserID != rw.viewer.ID() || !reps[1].MessageDeleted || reps[1].ReporterName != reporter.User.DisplayName {
			t.Fatalf("reports = %+v", reps)
		}
		page, err := rw.svc.Reports(ctx, rw.staff, rw.id, reps[0].ID, 0)
		must(t, err)
		if len(page) != 1 || page[0].ID != r.ID {
			t.Fatalf("reports after a cursor = %+v", page)
		}
	})
}

func TestRoomDemoResetClearsTheRoom(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rw := newRoomWorld(t, s)
		ctx := t.Context()
		const key = "demo-key-123456"
		_, err := rw.rooms.EnsureDemoRoom(ctx, rw.farm.ID, rw.host.ID(), "Demo", key, nil)
		must(t, err)
		rw.goLive(t, key)
		p, err := rw.svc.Participant(ctx, rw.viewer, room.DemoRoomID)
		must(t, err)
		m, err := rw.svc.PostChat(ctx, p, room.DemoRoomID, "hello demo")
		must(t, err)
		_, err = rw.svc.Report(ctx, rw.owner, room.DemoRoomID, room.ReportInput{MessageID: m.ID})
		must(t, err)
		_, err = rw.svc.AskQuestion(ctx, p, room.DemoRoomID, "a question")
		must(t, err)
		_, err = rw.svc.Announce(ctx, rw.owner, room.DemoRoomID, "an announcement")
		must(t, err)
		_, err = rw.svc.Moderate(ctx, rw.owner, room.DemoRoomID, room.ModerationInput{Action: room.ActionBan, UserID: rw.viewer.ID()})
		must(t, err)
		must(t, rw.svc.AddLikes(ctx, room.DemoRoomID, 5))
		_, err = rw.svc.SetSlowMode(ctx, rw.owner, room.DemoRoomID, 5)
		must(t, err)

		ses, err := rw.rooms.EnsureDemoRoom(ctx, rw.farm.ID, rw.host.ID(), "Demo", key, nil)
		must(t, err)
		if ses.Likes != 0 || ses.SlowModeSeconds != 0 || ses.PeakViewers != 0 {
			t.Fatalf("demo after reset = %+v", ses)
		}
		if _, err := rw.svc.Participant(ctx, rw.viewer, room.DemoRoomID); err != nil {
			t.Fatalf("the ban survived the reset: %v", err)
		}
		snap, err := rw.svc.Snapshot(ctx, p, room.DemoRoomID)
		must(t, err)
		if len(snap.Chat) != 0 || len(snap.Questions) != 0 || snap.Announcement != nil {
			t.Fatalf("room after reset = %+v", snap)
		}
		// The audit log stays.
		if log, _ := rw.svc.ModerationLog(ctx, rw.owner, room.DemoRoomID, "", 0); len(log) != 2 {
			t.Fatalf("audit after reset: %d entries", len(log))
		}
	})
}
