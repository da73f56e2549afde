// Package bus carries platform events between packages and between nodes.
// Subjects are dot-separated like NATS subjects ("room.ses_01.live") so the
// NATS-backed bus can replace the in-process one without changing publishers
// or subscribers.
//
// Subjects of the form "room.{id}.events" are stream subjects: every message
// on them gets a sequence number and the last ones are kept for Replay, so a
// client that reconnects can catch up. Every other subject is fire and forget.
package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Message is one event as delivered to subscribers.
type Message struct {
	Subject string
	// Data is shared with every other subscriber: read it, never modify it.
	Data []byte
	// Seq numbers the message on a stream subject (see Bus.Replay); it is 0
	// on core subjects. It only ever increases on a subject.
	Seq uint64
}

// Bus publishes events and delivers them to subscribers whose pattern
// matches the subject: "*" matches one token, a trailing ">" the rest.
type Bus interface {
	// Publish sends payload (JSON-encoded unless it is a []byte). On a stream
	// subject it returns once the message is stored; failures are logged.
	Publish(subject string, payload any)
	// PublishCtx is Publish for callers that must know the outcome: the
	// message's sequence number on a stream subject (0 on a core subject).
	PublishCtx(ctx context.Context, subject string, payload any) (seq uint64, err error)
	// Subscribe calls fn for each matching message. fn is never called
	// concurrently with itself, and messages of one subject arrive in order.
	// On stream subjects only messages published after Subscribe returned are
	// guaranteed; earlier ones are for Replay.
	Subscribe(pattern string, fn func(Message)) (unsubscribe func(), err error)
	// Replay returns the kept messages of one stream subject whose Seq is
	// after afterSeq, oldest first, at most max of them (max <= 0: all kept).
	// It returns ErrTooOld when messages after afterSeq may have been dropped
	// (or afterSeq was never handed out, e.g. the bus restarted), and
	// ErrNotStream when subject is not a stream subject.
	Replay(subject string, afterSeq uint64, max int) ([]Message, error)
}

var (
	// ErrTooOld means a Replay cannot be complete: the caller has to start
	// again from a fresh snapshot.
	ErrTooOld = errors.New("bus: replay position is older than the kept events")
	// ErrNotStream means Replay was asked for a subject that is not kept.
	ErrNotStream = errors.New("bus: subject is not a stream subject")
)

// DefaultSubjectPrefix is the first token of stream subjects: the stream
// keeps "room.*.events".
const DefaultSubjectPrefix = "room"

// DefaultKeepPerSubject is how many messages each stream subject keeps.
const DefaultKeepPerSubject = 2000

// streamPattern is the pattern of stream subjects for a prefix.
func streamPattern(prefix string) []string {
	return []string{prefix, "*", "events"}
}

// encode turns a payload into message bytes: []byte as it is, anything else
// as JSON.
func encode(payload any) ([]byte, error) {
	if data, ok := payload.([]byte); ok {
		return data, nil
	}
	data, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("bus: encode event: %w", err)
	}
	return data, nil
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

// validSubject checks a subject to publish on or replay: a pattern without
// wildcards.
func validSubject(s string) error {
	if err := ValidPattern(s); err != nil {
		return fmt.Errorf("bus: subject %q is invalid", s)
	}
	for _, t := range strings.Split(s, ".") {
		if t == "*" || t == ">" || strings.ContainsAny(t, " \t\r\n") {
			return fmt.Errorf("bus: subject %q is invalid", s)
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

// intersect returns the pattern matching exactly the subjects that both a
// and b match, and false when there are none. It decides whether a
// subscription needs the stream, core delivery, or both.
func intersect(a, b []string) ([]string, bool) {
	var out []string
	for i := 0; ; i++ {
		switch {
		case i < len(a) && a[i] == ">":
			return append(out, b[i:]...), i < len(b)
		case i < len(b) && b[i] == ">":
			return append(out, a[i:]...), i < len(a)
		case i == len(a) && i == len(b):
			return out, true
		case i >= len(a) || i >= len(b):
			return nil, false
		case a[i] == "*":
			out = append(out, b[i])
		case b[i] == "*" || a[i] == b[i]:
			out = append(out, a[i])
		default:
			return nil, false
		}
	}
}
