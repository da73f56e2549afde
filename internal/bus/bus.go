// Package bus carries platform events between packages (and, later, nodes).
// Subjects are dot-separated like NATS subjects ("room.ses_01.live") so the
// NATS-backed bus of the realtime issue can replace the in-process one
// without changing publishers or subscribers.
package bus

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
)

// Message is one event as delivered to subscribers.
type Message struct {
	Subject string
	Data    []byte
}

// Bus publishes events and delivers them to subscribers whose pattern
// matches the subject: "*" matches one token, a trailing ">" the rest.
type Bus interface {
	Publish(subject string, payload any)
	Subscribe(pattern string, fn func(Message)) (unsubscribe func(), err error)
}

// Local is the in-process bus. Each subscriber has its own goroutine and
// a bounded queue, so a slow subscriber loses events rather than stalling
// publishers.
type Local struct {
	log *slog.Logger

	mu   sync.RWMutex
	subs map[*localSub]struct{}
}

type localSub struct {
	pattern []string
	ch      chan Message
	done    chan struct{}
	once    sync.Once
}

// NewLocal returns an empty in-process bus.
func NewLocal(log *slog.Logger) *Local {
	return &Local{log: log, subs: map[*localSub]struct{}{}}
}

// Publish encodes payload as JSON (bytes are sent as they are) and queues
// it for every matching subscriber.
func (b *Local) Publish(subject string, payload any) {
	data, ok := payload.([]byte)
	if !ok {
		var err error
		if data, err = json.Marshal(payload); err != nil {
			b.log.Error("bus: encode event", "subject", subject, "err", err)
			return
		}
	}
	tokens := strings.Split(subject, ".")
	b.mu.RLock()
	defer b.mu.RUnlock()
	for s := range b.subs {
		if !Match(s.pattern, tokens) {
			continue
		}
		select {
		case s.ch <- Message{Subject: subject, Data: data}:
		default:
			b.log.Warn("bus: slow subscriber lost an event", "subject", subject)
		}
	}
}

// Subscribe calls fn for each matching event, in order, on its own goroutine.
func (b *Local) Subscribe(pattern string, fn func(Message)) (func(), error) {
	if err := ValidPattern(pattern); err != nil {
		return nil, err
	}
	s := &localSub{pattern: strings.Split(pattern, "."), ch: make(chan Message, 1024), done: make(chan struct{})}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	go func() {
		for {
			select {
			case m := <-s.ch:
				fn(m)
			case <-s.done:
				return
			}
		}
	}()
	return func() {
		s.once.Do(func() {
			b.mu.Lock()
			delete(b.subs, s)
			b.mu.Unlock()
			close(s.done)
		})
	}, nil
}

// ValidPattern checks a subscription pattern.
func ValidPattern(p string) error {
	tokens := strings.Split(p, ".")
	for i, t := range tokens {
		if t == "" {
			return fmt.Errorf("bus: pattern %q has an empty token", p)
		}
		if t == ">" && i != len(tokens)-1 {
			return fmt.Errorf("bus: pattern %q has > before its end", p)
		}
	}
	return nil
}

// Match reports whether subject tokens match pattern tokens.
func Match(pattern, subject []string) bool {
	for i, p := range pattern {
		if p == ">" {
			return len(subject) > i
		}
		if i >= len(subject) || (p != "*" && p != subject[i]) {
			return false
		}
	}
	return len(pattern) == len(subject)
}

var _ Bus = (*Local)(nil)
