package room

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
)

func TestFilterMatching(t *testing.T) {
	tests := []struct {
		name  string
		words []string
		text  string
		want  bool
	}{
		{"no words", nil, "加我微信", false},
		{"chinese substring", []string{"微信"}, "加我微信聊", true},
		{"chinese near miss", []string{"微信"}, "关注微博", false},
		{"latin case", []string{"Buy Now"}, "please BUY NOW!!", true},
		{"full-width letters in the message", []string{"weixin"}, "加ＷＥＩＸＩＮ", true},
		{"full-width letters in the word", []string{"ＱＱ"}, "qq号123", true},
		{"full-width digits", []string{"12345"}, "电话１２３４５", true},
		{"ideographic space", []string{"a b"}, "a\u3000b", true},
		{"zero-width space inside", []string{"微信"}, "微\u200b信", true},
		{"byte order mark inside", []string{"spam"}, "sp\ufeffam", true},
		{"ordinary space still separates", []string{"微信"}, "微 信", false},
		{"greek final sigma", []string{"ΟΔΟΣ"}, "οδος", true},
		{"second of several words", []string{"刷单", "代购"}, "找我代购", true},
		{"word longer than text", []string{"很长的禁用词"}, "禁用词", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := newMatcher(tt.words).blocks(tt.text); got != tt.want {
				t.Fatalf("blocks(%q) with %q = %v, want %v", tt.text, tt.words, got, tt.want)
			}
		})
	}
}

func TestCleanWords(t *testing.T) {
	many := make([]string, MaxFilterWords+1)
	for i := range many {
		many[i] = "w" + strings.Repeat("x", i%30)
	}
	tests := []struct {
		name  string
		words []string
		want  []string
		field string
	}{
		{"trimmed and kept in order", []string{" 微信 ", "QQ"}, []string{"微信", "QQ"}, ""},
		{"duplicates after folding dropped", []string{"QQ", "ｑｑ", "qq", "微信"}, []string{"QQ", "微信"}, ""},
		{"none", []string{}, []string{}, ""},
		{"empty word", []string{"ok", "  "}, nil, "words[1]"},
		{"invisible only", []string{"\u200b"}, nil, "words[0]"},
		{"40 chinese characters", []string{strings.Repeat("禁", 40)}, []string{strings.Repeat("禁", 40)}, ""},
		{"41 characters", []string{strings.Repeat("禁", 41)}, nil, "words[0]"},
		{"control character", []string{"a\nb"}, nil, "words[0]"},
		{"invalid UTF-8", []string{"a\xffb"}, nil, "words[0]"},
		{"too many", many, nil, "words"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cleanWords(tt.words)
			if tt.field != "" {
				if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || e.Field != tt.field {
					t.Fatalf("err = %v, want invalid %s", err, tt.field)
				}
				return
			}
			if err != nil || strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("cleanWords = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestRoleIn(t *testing.T) {
	user := func(id string, admin bool, shops map[string]string) account.Actor {
		return account.Actor{User: &account.User{ID: id, IsAdmin: admin}, ShopRoles: shops}
	}
	tests := []struct {
		name  string
		a     account.Actor
		host  string
		want  string
		exmpt bool
	}{
		{"nobody", account.Actor{}, "usr_h", RoleAnonymous, false},
		{"signed in", user("usr_v", false, nil), "usr_h", RoleViewer, false},
		{"member of another shop", user("usr_v", false, map[string]string{"shp_other": account.ShopOwner}), "", RoleViewer, false},
		{"the session's host", user("usr_h", false, nil), "usr_h", RoleHost, true},
		{"host who is also staff", user("usr_h", false, map[string]string{"shp_1": account.ShopStaff}), "usr_h", RoleHost, true},
		{"owner", user("usr_o", false, map[string]string{"shp_1": account.ShopOwner}), "usr_h", RoleOperator, true},
		{"staff", user("usr_s", false, map[string]string{"shp_1": account.ShopStaff}), "", RoleOperator, true},
		{"admin, even as host", user("usr_h", true, nil), "usr_h", RoleAdmin, true},
		{"no host set", user("usr_v", false, nil), "", RoleViewer, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := roleIn(tt.a, "shp_1", tt.host)
			if got != tt.want || exemptRole(got) != tt.exmpt {
				t.Fatalf("roleIn = %s (exempt %v), want %s (exempt %v)", got, exemptRole(got), tt.want, tt.exmpt)
			}
		})
	}
}

func TestSlowModeWait(t *testing.T) {
	now := time.Date(2026, 6, 1, 20, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	tests := []struct {
		name    string
		seconds int
		last    *time.Time
		want    time.Duration
		message string
	}{
		{"off", 0, ago(time.Second), 0, ""},
		{"first message", 10, nil, 0, ""},
		{"just wrote", 10, ago(0), 10 * time.Second, "slow mode: wait 10 s"},
		{"part way", 10, ago(3500 * time.Millisecond), 6500 * time.Millisecond, "slow mode: wait 7 s"},
		{"nearly there", 10, ago(9999 * time.Millisecond), time.Millisecond, "slow mode: wait 1 s"},
		{"exactly over", 10, ago(10 * time.Second), 0, ""},
		{"long ago", 300, ago(time.Hour), 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slowModeWait(tt.seconds, tt.last, now)
			if got != tt.want {
				t.Fatalf("wait = %v, want %v", got, tt.want)
			}
			if got > 0 {
				e, _ := apperr.As(slowModeError(got))
				if e.Code != apperr.RateLimited || e.Message != tt.message {
					t.Fatalf("error = %v, want %q", e, tt.message)
				}
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		name, text, want string
		ok               bool
	}{
		{"plain", "hello", "hello", true},
		{"trimmed", "  你好 \n", "你好", true},
		{"200 chinese characters", strings.Repeat("好", 200), strings.Repeat("好", 200), true},
		{"201 characters", strings.Repeat("好", 201), "", false},
		{"empty", "", "", false},
		{"only spaces", " \t\u3000", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cleanText("text", tt.text, MaxChatRunes)
			if tt.ok != (err == nil) || got != tt.want {
				t.Fatalf("cleanText = %q, %v", got, err)
			}
			if err != nil {
				if e, _ := apperr.As(err); e.Field != "text" {
					t.Fatalf("field %q, want text", e.Field)
				}
			}
		})
	}
}

func TestCheckModeration(t *testing.T) {
	n := func(v int) *int { return &v }
	tests := []struct {
		name  string
		in    ModerationInput
		field string
	}{
		{"mute until lifted", ModerationInput{Action: ActionMute, UserID: "usr_1"}, ""},
		{"timed ban with reason", ModerationInput{Action: ActionBan, UserID: "usr_1", Minutes: n(30), Reason: "spam"}, ""},
		{"unban", ModerationInput{Action: ActionUnban, UserID: "usr_1"}, ""},
		{"unknown action", ModerationInput{Action: "kick", UserID: "usr_1"}, "action"},
		{"slow mode is its own route", ModerationInput{Action: ActionSlowMode, UserID: "usr_1"}, "action"},
		{"no user", ModerationInput{Action: ActionMute}, "user_id"},
		{"minutes on unmute", ModerationInput{Action: ActionUnmute, UserID: "usr_1", Minutes: n(5)}, "minutes"},
		{"zero minutes", ModerationInput{Action: ActionMute, UserID: "usr_1", Minutes: n(0)}, "minutes"},
		{"more than a week", ModerationInput{Action: ActionBan, UserID: "usr_1", Minutes: n(MaxModerationMinutes + 1)}, "minutes"},
		{"long reason", ModerationInput{Action: ActionBan, UserID: "usr_1", Reason: strings.Repeat("原", 201)}, "reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := checkModeration(tt.in)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if e, ok := apperr.As(err); !ok || e.Field != tt.field {
				t.Fatalf("err = %v, want field %s", err, tt.field)
			}
		})
	}
}

func TestStanding(t *testing.T) {
	now := time.Date(2026, 6, 1, 20, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Minute), now.Add(time.Minute)
	viewer, host := Participant{UserID: "usr_v", Role: RoleViewer}, Participant{UserID: "usr_h", Role: RoleHost}
	tests := []struct {
		name    string
		p       Participant
		m       Moderation
		message string
	}{
		{"nothing", viewer, Moderation{}, ""},
		{"muted until lifted", viewer, Moderation{Muted: true}, "you are muted in this room"},
		{"mute running", viewer, Moderation{Muted: true, MutedUntil: &future}, "you are muted in this room"},
		{"mute over", viewer, Moderation{Muted: true, MutedUntil: &past}, ""},
		{"banned", viewer, Moderation{Banned: true}, "you are banned from this room"},
		{"ban over", viewer, Moderation{Banned: true, BannedUntil: &past}, ""},
		{"banned and muted: the ban speaks", viewer, Moderation{Banned: true, Muted: true}, "you are banned from this room"},
		{"the host is never held", host, Moderation{Banned: true, Muted: true}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := standing(tt.p, tt.m, now)
			if tt.message == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if e, ok := apperr.As(err); !ok || e.Code != apperr.Forbidden || e.Message != tt.message {
				t.Fatalf("err = %v, want forbidden %q", err, tt.message)
			}
		})
	}
}

func TestOpenForPosting(t *testing.T) {
	for status, want := range map[string]string{
		Live:      "",
		Scheduled: "this live session has not started",
		Ended:     "this live session has ended",
		Replay:    "this live session has ended",
	} {
		err := openForPosting(status)
		if e, _ := apperr.As(err); (want == "" && err != nil) || (want != "" && (e == nil || e.Code != apperr.Conflict || e.Message != want)) {
			t.Errorf("%s: %v, want %q", status, err, want)
		}
	}
}

// FuzzFilter checks the folding the keyword filter relies on: it is
// idempotent, leaves no invisible format characters, and a word that
// appears in a message is always found, however the message is written.
func FuzzFilter(f *testing.F) {
	f.Add("加我微信聊", "微信")
	f.Add("ＢＵＹ　ＮＯＷ", "buy now")
	f.Add("sp\u200bam", "SPAM")
	f.Add("ΣΊΣΥΦΟΣ", "σίσυφος")
	f.Fuzz(func(t *testing.T, text, word string) {
		once := foldText(text)
		if foldText(once) != once {
			t.Fatalf("foldText not idempotent on %q", text)
		}
		if strings.ContainsFunc(once, func(r rune) bool { return r == '\u200b' || r == '\ufeff' }) {
			t.Fatalf("foldText(%q) kept an invisible character", text)
		}
		if !utf8.ValidString(text) || !utf8.ValidString(word) || foldText(word) == "" {
			return
		}
		if strings.Contains(text, word) && !newMatcher([]string{word}).blocks(text) {
			t.Fatalf("%q contains %q but was not blocked", text, word)
		}
	})
}
