package account

import (
	"testing"
	"time"
)

func TestSignInThrottle(t *testing.T) {
	th := NewSignInThrottle(3, time.Minute)
	t0 := time.Unix(1_800_000_000, 0)
	steps := []struct {
		at      time.Duration
		fail    bool
		succeed bool
		blocked bool
	}{
		{0, true, false, false},
		{time.Second, true, false, false},
		{2 * time.Second, true, false, true},    // third failure: blocked now
		{30 * time.Second, false, false, true},  // still inside the window
		{59 * time.Second, false, false, true},  // all three are younger than a minute
		{61 * time.Second, false, false, false}, // the first has left the window
		{64 * time.Second, true, false, false},  // counting starts again
		{65 * time.Second, false, true, false},  // a success clears the count
		{66 * time.Second, true, false, false},
	}
	for i, st := range steps {
		now := t0.Add(st.at)
		if st.fail {
			th.Failed("lin@example.com", now)
		}
		if st.succeed {
			th.Succeeded("lin@example.com")
		}
		if got := th.Blocked("lin@example.com", now); got != st.blocked {
			t.Fatalf("step %d (%s): blocked = %v, want %v", i, st.at, got, st.blocked)
		}
		if th.Blocked("other@example.com", now) {
			t.Fatalf("step %d: another email is blocked", i)
		}
	}
	var none *SignInThrottle
	none.Failed("x", t0)
	if none.Blocked("x", t0) {
		t.Fatal("a nil throttle blocks")
	}
}
