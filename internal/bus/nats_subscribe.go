package bus

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// consumerIdle is how long the server keeps a subscription's consumer after
// its node stopped asking for messages (unsubscribed, crashed, partitioned).
// A node that comes back recreates it from where it was.
const consumerIdle = time.Minute

// delivery hands messages to one subscriber's fn: never concurrently (a
// pattern covering both stream and core subjects has two sources), and
// never after unsubscribe.
type delivery struct {
	mu      sync.Mutex
	fn      func(Message)
	stopped atomic.Bool
}

func (d *delivery) deliver(m Message) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.stopped.Load() {
		d.fn(m)
	}
}

// Subscribe calls fn for each message matching pattern. Stream subjects are
// read through an ordered JetStream consumer starting after the stream's
// current last message, so fn sees them in stream order with their Seq;
// other subjects through a core subscription (Seq 0). A pattern like
// "room.>" uses both.
func (n *NATS) Subscribe(pattern string, fn func(Message)) (func(), error) {
	if err := ValidPattern(pattern); err != nil {
		return nil, err
	}
	tokens := strings.Split(pattern, ".")
	d := &delivery{fn: fn}
	var stops []func()
	unsubscribe := func() {
		d.stopped.Store(true)
		for _, stop := range stops {
			stop()
		}
	}

	onStream, overlaps := intersect(tokens, n.pattern)
	if overlaps {
		stop, err := n.subscribeStream(strings.Join(onStream, "."), d)
		if err != nil {
			return nil, err
		}
		stops = append(stops, stop)
	}
	if !overlaps || !slices.Equal(onStream, tokens) {
		sub, err := n.nc.Subscribe(pattern, func(m *nats.Msg) {
			// Stream subjects also travel as plain messages (that is how
			// they are published); the consumer delivers them with their
			// sequence instead.
			if overlaps && n.isStreamSubject(m.Subject) {
				return
			}
			d.deliver(Message{Subject: m.Subject, Data: m.Data})
		})
		if err == nil {
			// The server must know the subscription before Subscribe
			// returns, or another node's next publish could miss it.
			err = n.nc.Flush()
		}
		if err != nil {
			unsubscribe()
			return nil, fmt.Errorf("bus: nats: subscribe %s: %w", pattern, err)
		}
		stops = append(stops, func() { _ = sub.Unsubscribe() })
	}
	var once sync.Once
	return func() { once.Do(unsubscribe) }, nil
}

// subscribeStream starts an ordered consumer on the stream subjects
// matching filter. It starts right after the stream's last message rather
// than with "deliver new" so that a consumer recreated before its first
// message (after a reconnect) still starts from the same place.
func (n *NATS) subscribeStream(filter string, d *delivery) (func(), error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*n.timeout)
	defer cancel()
	info, err := n.stream.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("bus: nats: subscribe %s: stream info: %w", filter, err)
	}
	cons, err := n.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects:    []string{filter},
		DeliverPolicy:     jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:       info.State.LastSeq + 1,
		InactiveThreshold: consumerIdle,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: nats: subscribe %s: %w", filter, err)
	}
	cc, err := cons.Consume(func(msg jetstream.Msg) {
		md, err := msg.Metadata()
		if err != nil {
			n.log.Error("bus: nats: stream message without metadata", "subject", msg.Subject(), "err", err)
			return
		}
		d.deliver(Message{Subject: msg.Subject(), Data: msg.Data(), Seq: md.Sequence.Stream})
	}, jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		if !d.stopped.Load() && !n.nc.IsClosed() && !n.nc.IsDraining() {
			// The ordered consumer recovers by itself (it recreates the
			// consumer after the last delivered message); this is a trace.
			n.log.Warn("bus: nats: stream subscription", "filter", filter, "err", err)
		}
	}))
	if err != nil {
		return nil, fmt.Errorf("bus: nats: subscribe %s: consume: %w", filter, err)
	}
	return cc.Stop, nil
}
