package analytics

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/liveshop/liveshop/internal/ids"
)

// Sink publishes an encoded batch durably: it returns once the message is
// stored (a JetStream ack) or with an error. bus.NATS implements it with
// PublishDurable.
type Sink interface {
	PublishDurable(ctx context.Context, subject string, data []byte) error
}

// Emitter defaults.
const (
	DefaultBatchEvents = 1000
	DefaultBatchWait   = 100 * time.Millisecond
	DefaultBuffer      = 100_000
	// publishTries is how often a batch is offered to the sink before its
	// events are counted as failed.
	publishTries = 3
)

// SubjectPrefix is the first tokens of every analytics subject; a node
// publishes on SubjectPrefix + node.
const SubjectPrefix = "analytics.events."

// EmitterConfig configures an Emitter. Sink and Node are required.
type EmitterConfig struct {
	Sink Sink
	// Node names this node: the subject is analytics.events.{node}.
	Node string
	Log  *slog.Logger
	// BatchEvents and BatchWait bound a batch: whichever comes first.
	BatchEvents int
	BatchWait   time.Duration
	// Buffer bounds the events waiting; more are dropped and counted.
	Buffer int
	// PublishTimeout bounds one publish; default 5 s.
	PublishTimeout time.Duration
}

// EmitterStats are an emitter's counters since it started.
type EmitterStats struct {
	Recorded  int64 // taken into the buffer
	Dropped   int64 // refused because the buffer was full or closed
	Published int64 // events in batches the sink stored
	Failed    int64 // events in batches the sink refused every time
	Batches   int64 // batches stored
}

// Emitter is the per-node Recorder: Record appends to a bounded buffer and
// never waits; one goroutine cuts the buffer into batches and publishes
// them.
//
// Lifecycle: NewEmitter starts the publisher; Close publishes what is
// buffered and stops it. Record after Close drops.
type Emitter struct {
	sink    Sink
	subject string
	log     *slog.Logger
	max     int
	wait    time.Duration
	timeout time.Duration

	in        chan Event
	closing   chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	giveUp    sync.Once
	mu        sync.RWMutex // held for reading while sending on in; Close takes it to stop senders
	closed    bool

	recorded, dropped, published, failed, batches atomic.Int64
}

// NewEmitter starts an emitter.
func NewEmitter(c EmitterConfig) *Emitter {
	e := &Emitter{sink: c.Sink, subject: SubjectPrefix + subjectToken(c.Node), log: c.Log, max: c.BatchEvents,
		wait: c.BatchWait, timeout: c.PublishTimeout, closing: make(chan struct{}), done: make(chan struct{})}
	if e.log == nil {
		e.log = slog.Default()
	}
	if e.max <= 0 {
		e.max = DefaultBatchEvents
	}
	if e.wait <= 0 {
		e.wait = DefaultBatchWait
	}
	if e.timeout <= 0 {
		e.timeout = 5 * time.Second
	}
	size := c.Buffer
	if size <= 0 {
		size = DefaultBuffer
	}
	e.in = make(chan Event, size)
	go e.run()
	return e
}

// subjectToken keeps a node name to one subject token.
func subjectToken(node string) string {
	b := []byte(node)
	for i, c := range b {
		if !(c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "node"
	}
	return string(b)
}

// Record implements Recorder: it never blocks.
func (e *Emitter) Record(ev Event) {
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	e.mu.RLock()
	if e.closed {
		e.mu.RUnlock()
		e.dropped.Add(1)
		return
	}
	select {
	case e.in <- ev:
		e.recorded.Add(1)
	default:
		e.dropped.Add(1)
	}
	e.mu.RUnlock()
}

// Stats reports the counters.
func (e *Emitter) Stats() EmitterStats {
	return EmitterStats{Recorded: e.recorded.Load(), Dropped: e.dropped.Load(), Published: e.published.Load(),
		Failed: e.failed.Load(), Batches: e.batches.Load()}
}

// Close publishes the buffered events and stops the publisher, waiting at
// most until ctx ends.
func (e *Emitter) Close(ctx context.Context) error {
	e.closeOnce.Do(func() {
		e.mu.Lock()
		e.closed = true
		close(e.in)
		e.mu.Unlock()
	})
	select {
	case <-e.done:
		return nil
	case <-ctx.Done():
		e.giveUp.Do(func() { close(e.closing) }) // the publisher gives up its retries
		<-e.done
		return ctx.Err()
	}
}

// run collects batches: up to max events, or what arrived within wait of
// the batch's first event.
func (e *Emitter) run() {
	defer close(e.done)
	var buf []byte
	batch := make([]Event, 0, e.max)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		ev, ok := <-e.in
		if !ok {
			return
		}
		batch = append(batch[:0], ev)
		timer.Reset(e.wait)
	fill:
		for len(batch) < e.max {
			select {
			case ev, ok := <-e.in:
				if !ok {
					break fill
				}
				batch = append(batch, ev)
			case <-timer.C:
				break fill
			}
		}
		timer.Stop()
		buf = e.publish(buf[:0], batch)
	}
}

// publish encodes and sends one batch, retrying a failed publish.
func (e *Emitter) publish(buf []byte, events []Event) []byte {
	b := Batch{ID: ids.New("anb"), Events: events}
	buf, err := AppendBatch(buf, b)
	if err != nil {
		e.failed.Add(int64(len(events)))
		e.log.Error("analytics: events lost", "events", len(events), "err", err)
		return buf
	}
	for try := 1; ; try++ {
		ctx, cancel := context.WithTimeout(context.Background(), e.timeout)
		err = e.sink.PublishDurable(ctx, e.subject, buf)
		cancel()
		if err == nil {
			e.published.Add(int64(len(events)))
			e.batches.Add(1)
			return buf
		}
		if try >= publishTries {
			break
		}
		select {
		case <-time.After(time.Duration(try) * 200 * time.Millisecond):
		case <-e.closing:
			try = publishTries
		}
	}
	e.failed.Add(int64(len(events)))
	e.log.Error("analytics: events lost", "events", len(events), "batch", b.ID, "err", err)
	return buf
}

var _ Recorder = (*Emitter)(nil)
