package bus

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Local is the in-process bus. Each subscriber has its own goroutine and
// a bounded queue, so a slow subscriber loses events rather than stalling
// publishers. Stream subjects ("room.*.events") are numbered per subject
// (1, 2, 3…) and their last DefaultKeepPerSubject messages are kept for
// Replay, for at most localMaxAge like the NATS stream.
type Local struct {
	log    *slog.Logger
	stream []string
	keep   int
	now    func() time.Time

	mu        sync.RWMutex
	subs      map[*localSub]struct{}
	logs      map[string]*subjectLog
	lastSweep time.Time
}

// localMaxAge matches the NATS stream's MaxAge so both buses forget alike.
const localMaxAge = 15 * time.Minute

// localSweepEvery bounds how often Publish looks for expired messages.
const localSweepEvery = time.Minute

type localSub struct {
	pattern []string
	ch      chan Message
	done    chan struct{}
	stopped atomic.Bool
	once    sync.Once
}

// NewLocal returns an empty in-process bus.
func NewLocal(log *slog.Logger) *Local {
	return &Local{
		log:    log,
		stream: streamPattern(DefaultSubjectPrefix),
		keep:   DefaultKeepPerSubject,
		now:    time.Now,
		subs:   map[*localSub]struct{}{},
		logs:   map[string]*subjectLog{},
	}
}

// Publish encodes payload as JSON (bytes are sent as they are) and queues
// it for every matching subscriber.
func (b *Local) Publish(subject string, payload any) {
	if _, err := b.PublishCtx(context.Background(), subject, payload); err != nil {
		b.log.Error("bus: publish", "subject", subject, "err", err)
	}
}

// PublishCtx is Publish returning the message's sequence number (0 on core
// subjects). It fails only when the payload cannot be encoded or the
// subject is invalid.
func (b *Local) PublishCtx(_ context.Context, subject string, payload any) (uint64, error) {
	if err := validSubject(subject); err != nil {
		return 0, err
	}
	data, err := encode(payload)
	if err != nil {
		return 0, err
	}
	tokens := strings.Split(subject, ".")
	m := Message{Subject: subject, Data: data}
	// The lock is held while queueing so that numbering and delivery happen
	// in the same order for every subscriber.
	if Match(b.stream, tokens) {
		b.mu.Lock()
		defer b.mu.Unlock()
		m.Seq = b.store(subject, data)
	} else {
		b.mu.RLock()
		defer b.mu.RUnlock()
	}
	for s := range b.subs {
		if !Match(s.pattern, tokens) {
			continue
		}
		select {
		case s.ch <- m:
		default:
			b.log.Warn("bus: slow subscriber lost an event", "subject", subject)
		}
	}
	return m.Seq, nil
}

// store numbers and keeps a stream message. b.mu must be held for writing.
func (b *Local) store(subject string, data []byte) uint64 {
	now := b.now()
	if now.Sub(b.lastSweep) >= localSweepEvery {
		b.lastSweep = now
		for _, l := range b.logs {
			l.expire(now.Add(-localMaxAge))
		}
	}
	l := b.logs[subject]
	if l == nil {
		l = &subjectLog{}
		b.logs[subject] = l
	}
	return l.append(subject, data, now, b.keep)
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
				// A queued message must not reach a subscriber that has
				// already unsubscribed.
				if s.stopped.Load() {
					return
				}
				fn(m)
			case <-s.done:
				return
			}
		}
	}()
	return func() {
		s.once.Do(func() {
			s.stopped.Store(true)
			b.mu.Lock()
			delete(b.subs, s)
			b.mu.Unlock()
			close(s.done)
		})
	}, nil
}

// Replay returns kept messages of a stream subject after afterSeq.
func (b *Local) Replay(subject string, afterSeq uint64, max int) ([]Message, error) {
	if err := validSubject(subject); err != nil {
		return nil, err
	}
	if !Match(b.stream, strings.Split(subject, ".")) {
		return nil, ErrNotStream
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	l := b.logs[subject]
	if l == nil {
		l = &subjectLog{}
	}
	return l.after(afterSeq, max, b.now().Add(-localMaxAge))
}

var _ Bus = (*Local)(nil)
