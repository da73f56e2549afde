package bus

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, subject string
		want             bool
	}{
		{"room.*.live", "room.ses_1.live", true},
		{"room.*.live", "room.ses_1.ended", false},
		{"room.>", "room.ses_1.live", true},
		{"room.>", "room", false},
		{"room.ses_1.live", "room.ses_1.live", true},
		{"room.*", "room.ses_1.live", false},
		{"*.*.*", "a.b.c", true},
	}
	for _, c := range cases {
		if got := Match(strings.Split(c.pattern, "."), strings.Split(c.subject, ".")); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pattern, c.subject, got, c.want)
		}
	}
}

func TestValidPattern(t *testing.T) {
	for _, p := range []string{"", "a..b", "a.>.b"} {
		if ValidPattern(p) == nil {
			t.Errorf("ValidPattern(%q) accepted", p)
		}
	}
	if err := ValidPattern("room.*.>"); err != nil {
		t.Error(err)
	}
}

func TestLocalDeliversInOrderToMatchingSubscribers(t *testing.T) {
	b := NewLocal(slog.New(slog.DiscardHandler))
	got := make(chan Message, 10)
	unsub, err := b.Subscribe("room.*.live", func(m Message) { got <- m })
	if err != nil {
		t.Fatal(err)
	}
	b.Publish("room.a.live", map[string]string{"n": "1"})
	b.Publish("room.a.ended", map[string]string{"n": "x"})
	b.Publish("room.b.live", []byte(`{"n":"2"}`))
	for _, want := range []string{`{"n":"1"}`, `{"n":"2"}`} {
		select {
		case m := <-got:
			if string(m.Data) != want {
				t.Fatalf("got %s, want %s", m.Data, want)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("event not delivered")
		}
	}
	unsub()
	unsub()
	b.Publish("room.c.live", 1)
	select {
	case m := <-got:
		t.Fatalf("delivered after unsubscribe: %s", m.Subject)
	case <-time.After(50 * time.Millisecond):
	}
}
