package bus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// The durable work stream (docs/DISCOVERY.md): analytics batches published
// by every node are kept on disk until a consumer acknowledges them, and
// every node's consumer pulls from one durable consumer, so each message
// goes to one of them. A message not acknowledged within AckWait (its
// consumer died) is delivered again.

// Defaults of the analytics work stream.
const (
	DurableStreamName   = "LIVESHOP_ANALYTICS"
	DurableSubjects     = "analytics.events.>"
	DurableConsumerName = "analytics"
)

// DurableConfig describes a work stream and its consumer. The zero value
// is the production analytics stream; tests use names of their own.
type DurableConfig struct {
	Stream        string        // default LIVESHOP_ANALYTICS
	Subjects      string        // default "analytics.events.>"
	Consumer      string        // the durable consumer, default "analytics"
	MaxAge        time.Duration // how long an unacknowledged message is kept, default 24 h
	AckWait       time.Duration // default 30 s
	MaxAckPending int           // messages handed out and not yet acknowledged, default 10,000
	FetchWait     time.Duration // longest wait of one Fetch, default 250 ms
	Replicas      int           // default: the bus's StreamConfig.Replicas
}

func (c DurableConfig) withDefaults() DurableConfig {
	if c.Stream == "" {
		c.Stream = DurableStreamName
	}
	if c.Subjects == "" {
		c.Subjects = DurableSubjects
	}
	if c.Consumer == "" {
		c.Consumer = DurableConsumerName
	}
	if c.MaxAge <= 0 {
		c.MaxAge = 24 * time.Hour
	}
	if c.AckWait <= 0 {
		c.AckWait = 30 * time.Second
	}
	if c.MaxAckPending <= 0 {
		c.MaxAckPending = 10_000
	}
	if c.FetchWait <= 0 {
		c.FetchWait = 250 * time.Millisecond
	}
	if c.Replicas <= 0 {
		c.Replicas = 1
	}
	return c
}

// Durable is a work stream on JetStream (file storage) with its durable
// pull consumer.
type Durable struct {
	n    *NATS
	cfg  DurableConfig
	cons jetstream.Consumer
}

// Delivered is one message handed out by Fetch. Ack acknowledges it;
// until then (and AckWait after) no other fetch gets it.
type Delivered struct {
	Subject string
	Data    []byte
	Ack     func() error
	// Nak hands the message back for redelivery at once.
	Nak func() error
}

// Durable creates or updates the work stream and its durable consumer. On
// the embedded server the stream's files live in its store directory
// (<data>/nats).
func (n *NATS) Durable(ctx context.Context, cfg DurableConfig) (*Durable, error) {
	if cfg.Replicas <= 0 {
		cfg.Replicas = n.cfg.Replicas // as many copies as the room stream
	}
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, 2*n.timeout)
	defer cancel()
	s, err := n.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        cfg.Stream,
		Description: "liveshop work queue: kept on disk until a consumer acknowledges",
		Subjects:    []string{cfg.Subjects},
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.WorkQueuePolicy,
		Discard:     jetstream.DiscardOld,
		MaxAge:      cfg.MaxAge,
		Replicas:    cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: nats: create or update stream %s: %w", cfg.Stream, err)
	}
	cons, err := s.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable:       cfg.Consumer,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       cfg.AckWait,
		MaxAckPending: cfg.MaxAckPending,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		MaxDeliver:    -1, // a batch that keeps failing is retried until it expires
	})
	if err != nil {
		return nil, fmt.Errorf("bus: nats: consumer %s on %s: %w", cfg.Consumer, cfg.Stream, err)
	}
	return &Durable{n: n, cfg: cfg, cons: cons}, nil
}

// PublishDurable stores data on subject (one of the stream's subjects) and
// returns once JetStream has acknowledged it.
func (d *Durable) PublishDurable(ctx context.Context, subject string, data []byte) error {
	if err := validSubject(subject); err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d.n.timeout)
		defer cancel()
	}
	if _, err := d.n.js.Publish(ctx, subject, data, jetstream.WithExpectStream(d.cfg.Stream)); err != nil {
		return fmt.Errorf("bus: nats: publish durable %s: %w", subject, err)
	}
	return nil
}

// Fetch returns up to max messages, waiting at most FetchWait (or until
// ctx ends); none is not an error. Messages that arrived before ctx ended
// are returned (the caller owns them: ack or nak them); with none, ctx's
// error is.
func (d *Durable) Fetch(ctx context.Context, max int) ([]Delivered, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fctx, cancel := context.WithTimeout(ctx, d.cfg.FetchWait)
	defer cancel()
	batch, err := d.cons.Fetch(max, jetstream.FetchContext(fctx))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("bus: nats: fetch from %s: %w", d.cfg.Consumer, err)
	}
	var out []Delivered
	for m := range batch.Messages() {
		out = append(out, Delivered{Subject: m.Subject(), Data: m.Data(), Ack: m.Ack, Nak: m.Nak})
	}
	if err := batch.Error(); err != nil && !errors.Is(err, context.DeadlineExceeded) &&
		!errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, context.Canceled) {
		return out, fmt.Errorf("bus: nats: fetch from %s: %w", d.cfg.Consumer, err)
	}
	if len(out) == 0 && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return out, nil
}

// PublishDurable publishes on the production analytics stream, creating
// it (and its consumer) on first use.
func (n *NATS) PublishDurable(ctx context.Context, subject string, data []byte) error {
	d, err := n.defaultDurable(ctx)
	if err != nil {
		return err
	}
	return d.PublishDurable(ctx, subject, data)
}

func (n *NATS) defaultDurable(ctx context.Context) (*Durable, error) {
	n.kvMu.Lock()
	defer n.kvMu.Unlock()
	if n.durable != nil {
		return n.durable, nil
	}
	d, err := n.Durable(ctx, DurableConfig{})
	if err != nil {
		return nil, err
	}
	n.durable = d
	return d, nil
}
