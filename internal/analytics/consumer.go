package analytics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"
)

// Delivery is one message from the work stream. Ack tells the stream it
// was applied; a message not acknowledged in time is delivered again (to
// this node or another), which the batch ids make harmless.
type Delivery struct {
	Data []byte
	Ack  func() error
	// Nak, when set, hands the message back for redelivery at once (a
	// consumer stopping without applying it); otherwise it comes back
	// after the stream's ack wait.
	Nak func() error
}

// Source hands out messages of the durable work stream, shared by every
// node's consumer. Fetch waits a short while for up to max messages and
// may return none; it returns an error once ctx is done.
type Source interface {
	Fetch(ctx context.Context, max int) ([]Delivery, error)
}

// ErrBatchSeen is returned (wrapped) by Repo.ApplyAnalytics when one of
// the flush's batches was already applied; nothing is written then.
var ErrBatchSeen = errors.New("analytics: batch already applied")

// Repo stores the roll-ups; *store.Store implements it.
type Repo interface {
	// ApplyAnalytics writes a flush in one transaction: a row per batch id
	// in analytics_batches and every delta added to what is stored.
	// Returns ErrBatchSeen (and writes nothing) when a batch id is stored.
	ApplyAnalytics(ctx context.Context, f Flush) error
	// SeenBatches returns which of ids are stored.
	SeenBatches(ctx context.Context, ids []string) ([]string, error)
	// PruneAnalyticsBatches deletes batch ids processed before t.
	PruneAnalyticsBatches(ctx context.Context, before time.Time) (int64, error)
}

// Consumer defaults.
const (
	DefaultFlushEvery = time.Second
	// batchKeep is how long applied batch ids are kept: longer than the
	// stream keeps messages (24 h), so any redelivery finds its id.
	batchKeep  = 48 * time.Hour
	pruneEvery = 10 * time.Minute
	fetchMax   = 100
	// maxPendingEvents makes a flush happen before the second is up when
	// a backlog arrives at once.
	maxPendingEvents = 500_000
	flushTimeout     = 30 * time.Second
)

// ConsumerConfig configures a Consumer. Source and Repo are required.
type ConsumerConfig struct {
	Source   Source
	Repo     Repo
	Sessions Sessions
	// Channels names the channels of a shop category and programme for
	// the daily series (feed.ChannelsFor); nil: no channel dimensions.
	Channels   func(category, programme string) []string
	Log        *slog.Logger
	Now        func() time.Time
	FlushEvery time.Duration
}

// ConsumerStats are a consumer's counters.
type ConsumerStats struct {
	Batches    int64 // applied by this consumer
	Events     int64
	Duplicates int64 // batches skipped because they were applied before
	Corrupt    int64 // messages that did not decode (acknowledged and dropped)
	Flushes    int64
	FailedRuns int64 // flushes that failed and will be retried
	// SlowestFlush is the longest flush so far, session lookups and
	// commit included.
	SlowestFlush time.Duration
}

// Consumer rolls batches up and writes them once a second.
//
// Lifecycle: Run until its context ends; it then flushes what it holds.
type Consumer struct {
	src      Source
	repo     Repo
	sessions *sessionCache
	log      *slog.Logger
	now      func() time.Time
	every    time.Duration

	agg     *aggregator
	pending []held
	byID    map[string]int // batch id → index in pending
	pruned  time.Time

	batches, events, duplicates, corrupt, flushes, failedRuns, slowest atomic.Int64
}

// held is a fetched batch waiting for the flush that applies it.
type held struct {
	batch Batch
	acks  []func() error
	naks  []func() error
}

// NewConsumer returns a consumer; call Run.
func NewConsumer(c ConsumerConfig) *Consumer {
	k := &Consumer{src: c.Source, repo: c.Repo, log: c.Log, now: c.Now, every: c.FlushEvery,
		agg: newAggregator(), byID: map[string]int{}}
	if k.log == nil {
		k.log = slog.Default()
	}
	if k.now == nil {
		k.now = time.Now
	}
	if k.every <= 0 {
		k.every = DefaultFlushEvery
	}
	k.sessions = newSessionCache(c.Sessions, c.Channels, k.now)
	return k
}

// Stats reports the counters.
func (k *Consumer) Stats() ConsumerStats {
	return ConsumerStats{Batches: k.batches.Load(), Events: k.events.Load(), Duplicates: k.duplicates.Load(),
		Corrupt: k.corrupt.Load(), Flushes: k.flushes.Load(), FailedRuns: k.failedRuns.Load(),
		SlowestFlush: time.Duration(k.slowest.Load())}
}

// Run fetches, aggregates and flushes until ctx ends, then flushes what it
// holds (bounded by flushTimeout). Fetching runs on its own goroutine so
// that the stream keeps flowing while a flush commits.
func (k *Consumer) Run(ctx context.Context) {
	fetched := make(chan []Delivery, 16)
	go func() {
		defer close(fetched)
		for ctx.Err() == nil {
			ds, err := k.src.Fetch(ctx, fetchMax)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				k.log.Warn("analytics: fetch", "err", err)
				select {
				case <-time.After(500 * time.Millisecond):
				case <-ctx.Done():
				}
				continue
			}
			if len(ds) > 0 {
				// Handed over even when ctx has ended: the loop below
				// takes everything until the channel closes, and the final
				// flush applies it rather than leaving it to the ack wait.
				fetched <- ds
			}
		}
	}()
	t := time.NewTicker(k.every)
	defer t.Stop()
	for {
		select {
		case ds, ok := <-fetched:
			if !ok {
				k.final()
				return
			}
			k.take(ds)
			if k.agg.events >= maxPendingEvents {
				k.flush(ctx)
			}
		case <-t.C:
			k.flush(ctx)
			k.prune(ctx)
		}
	}
}

// final flushes on the way out, with a context of its own; what it could
// not write goes back to the stream for another consumer at once.
func (k *Consumer) final() {
	ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
	defer cancel()
	if k.flush(ctx) == nil {
		return
	}
	for _, h := range k.pending {
		for _, nak := range h.naks {
			_ = nak()
		}
	}
	k.clear()
}

// take decodes deliveries into the pending batches and the sums. A batch
// already pending (redelivered while waiting for its flush) is not counted
// again; its ack joins the first copy's.
func (k *Consumer) take(ds []Delivery) {
	for _, d := range ds {
		b, err := DecodeBatch(d.Data)
		if err != nil {
			k.corrupt.Add(1)
			k.log.Error("analytics: dropped a message that does not decode", "bytes", len(d.Data), "err", err)
			_ = d.Ack()
			continue
		}
		if i, ok := k.byID[b.ID]; ok {
			k.pending[i].acks = append(k.pending[i].acks, d.Ack)
			if d.Nak != nil {
				k.pending[i].naks = append(k.pending[i].naks, d.Nak)
			}
			continue
		}
		k.byID[b.ID] = len(k.pending)
		h := held{batch: b, acks: []func() error{d.Ack}}
		if d.Nak != nil {
			h.naks = []func() error{d.Nak}
		}
		k.pending = append(k.pending, h)
		for i := range b.Events {
			k.agg.add(&b.Events[i])
		}
	}
}

// Flush writes what is pending now; for tests and shutdown.
func (k *Consumer) Flush(ctx context.Context) error { return k.flush(ctx) }

// flush applies the pending batches in one transaction and acknowledges
// them after the commit. Batches another consumer applied first are
// acknowledged and left out, and the rest is summed again. On failure
// everything stays pending for the next tick.
func (k *Consumer) flush(ctx context.Context) error {
	start := time.Now()
	defer func() {
		if d := int64(time.Since(start)); len(k.pending) == 0 && d > k.slowest.Load() {
			k.slowest.Store(d)
		}
	}()
	for attempt := 0; len(k.pending) > 0; attempt++ {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushTimeout)
		f, err := k.agg.build(fctx, k.sessions.get, k.now())
		if err == nil {
			f.BatchIDs = make([]string, len(k.pending))
			for i, h := range k.pending {
				f.BatchIDs[i] = h.batch.ID
			}
			err = k.repo.ApplyAnalytics(fctx, f)
		}
		if errors.Is(err, ErrBatchSeen) && attempt < 3 {
			err = k.dropSeen(fctx, f.BatchIDs)
			cancel()
			if err == nil {
				continue
			}
		} else {
			cancel()
		}
		if err != nil {
			k.failedRuns.Add(1)
			k.log.Error("analytics: flush failed, retrying on the next tick", "batches", len(k.pending), "err", err)
			return fmt.Errorf("analytics: flush %d batches: %w", len(k.pending), err)
		}
		for _, h := range k.pending {
			for _, ack := range h.acks {
				_ = ack() // a lost ack means a redelivery, which the batch id skips
			}
		}
		k.flushes.Add(1)
		k.batches.Add(int64(len(k.pending)))
		k.events.Add(int64(k.agg.events))
		k.clear()
		return nil
	}
	return nil
}

// dropSeen acknowledges and removes the pending batches storage already
// has, and sums the others again.
func (k *Consumer) dropSeen(ctx context.Context, ids []string) error {
	seen, err := k.repo.SeenBatches(ctx, ids)
	if err != nil {
		return err
	}
	skip := make(map[string]bool, len(seen))
	for _, id := range seen {
		skip[id] = true
	}
	keep := k.pending[:0]
	for _, h := range k.pending {
		if skip[h.batch.ID] {
			for _, ack := range h.acks {
				_ = ack()
			}
			k.duplicates.Add(1)
			continue
		}
		keep = append(keep, h)
	}
	k.pending = keep
	k.agg.reset()
	clear(k.byID)
	for i, h := range k.pending {
		k.byID[h.batch.ID] = i
		for j := range h.batch.Events {
			k.agg.add(&h.batch.Events[j])
		}
	}
	return nil
}

func (k *Consumer) clear() {
	clear(k.pending)
	k.pending = k.pending[:0]
	clear(k.byID)
	k.agg.reset()
}

// prune deletes old batch ids now and then.
func (k *Consumer) prune(ctx context.Context) {
	now := k.now()
	if now.Sub(k.pruned) < pruneEvery {
		return
	}
	k.pruned = now
	pctx, cancel := context.WithTimeout(ctx, flushTimeout)
	defer cancel()
	if n, err := k.repo.PruneAnalyticsBatches(pctx, now.Add(-batchKeep)); err != nil {
		k.log.Warn("analytics: prune batch ids", "err", err)
	} else if n > 0 {
		k.log.Debug("analytics: pruned batch ids", "count", n)
	}
}
