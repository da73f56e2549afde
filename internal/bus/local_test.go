package bus

import (
	"errors"
	"testing"
	"time"
)

func TestLocalForgetsOldMessages(t *testing.T) {
	b := NewLocal(quietLog())
	now := time.Unix(1_700_000_000, 0)
	b.now = func() time.Time { return now }

	first := publish(t, b, "room.a.events", 1)
	now = now.Add(10 * time.Minute)
	second := publish(t, b, "room.a.events", 2)
	now = now.Add(6 * time.Minute) // the first one is now older than 15 minutes

	if _, err := b.Replay("room.a.events", first, 0); err != nil {
		t.Fatalf("Replay after the expired message: %v", err)
	}
	got, err := b.Replay("room.a.events", 0, 0)
	if err != nil || len(got) != 1 || got[0].Seq != second {
		t.Fatalf("Replay(all) = %v, %v", got, err)
	}
	now = now.Add(time.Hour)
	third := publish(t, b, "room.a.events", 3) // sweeps expired messages
	if third != 3 {
		t.Fatalf("numbering restarted: seq %d", third)
	}
	if _, err := b.Replay("room.a.events", first, 0); !errors.Is(err, ErrTooOld) {
		t.Fatalf("Replay across expired messages = %v, want ErrTooOld", err)
	}
	if got, err := b.Replay("room.a.events", second, 0); err != nil || len(got) != 1 {
		t.Fatalf("Replay after the last expired message = %v, %v", got, err)
	}
	if _, err := b.Replay("room.b.events", 5, 0); !errors.Is(err, ErrTooOld) {
		t.Fatalf("Replay of an unknown position = %v, want ErrTooOld", err)
	}
}

func TestLocalKeepsTheLastMessagesPerSubject(t *testing.T) {
	b := NewLocal(quietLog())
	for i := range 3*DefaultKeepPerSubject + 7 {
		publish(t, b, "room.a.events", i)
	}
	got, err := b.Replay("room.a.events", 0, 0)
	if err != nil || len(got) != DefaultKeepPerSubject {
		t.Fatalf("kept %d, %v", len(got), err)
	}
	if last := got[len(got)-1].Seq; last != 3*DefaultKeepPerSubject+7 || got[0].Seq != last-DefaultKeepPerSubject+1 {
		t.Fatalf("kept seqs %d..%d", got[0].Seq, last)
	}
	if n := numberOf(t, got[0]); n != 2*DefaultKeepPerSubject+7 {
		t.Fatalf("oldest kept is message %d", n)
	}
}
