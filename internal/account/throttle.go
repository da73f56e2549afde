package account

import (
	"sync"
	"time"
)

// SignInThrottle slows password guessing: after MaxFailures failed
// sign-ins for one email within Window, further attempts are refused
// until the window has passed. It is per node; a cluster multiplies the
// allowance by its node count, which still bounds guessing.
type SignInThrottle struct {
	MaxFailures int
	Window      time.Duration

	mu       sync.Mutex
	failures map[string][]time.Time
}

// NewSignInThrottle allows max failures per email per window.
func NewSignInThrottle(max int, window time.Duration) *SignInThrottle {
	return &SignInThrottle{MaxFailures: max, Window: window, failures: map[string][]time.Time{}}
}

// Blocked reports whether email has too many recent failures.
func (t *SignInThrottle) Blocked(email string, now time.Time) bool {
	if t == nil {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.recent(email, now)) >= t.MaxFailures
}

// Failed records a failed attempt.
func (t *SignInThrottle) Failed(email string, now time.Time) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failures[email] = append(t.recent(email, now), now)
	if len(t.failures) > 100_000 { // bound memory under a spray of emails
		for k := range t.failures {
			if len(t.recent(k, now)) == 0 {
				delete(t.failures, k)
			}
		}
	}
}

// Succeeded forgets an email's failures.
func (t *SignInThrottle) Succeeded(email string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, email)
}

func (t *SignInThrottle) recent(email string, now time.Time) []time.Time {
	fs := t.failures[email]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) > t.Window {
		i++
	}
	if i == len(fs) {
		delete(t.failures, email)
		return nil
	}
	t.failures[email] = fs[i:]
	return fs[i:]
}
