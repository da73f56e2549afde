package analytics

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// memRepo is Repo in memory, with the same batch-id rule as storage.
type memRepo struct {
	mu      sync.Mutex
	batches map[string]bool
	rooms   map[string]RoomDelta
	flushes int
	fail    error // returned (once) by the next ApplyAnalytics
}

func newMemRepo() *memRepo {
	return &memRepo{batches: map[string]bool{}, rooms: map[string]RoomDelta{}}
}

func (r *memRepo) ApplyAnalytics(_ context.Context, f Flush) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.fail; err != nil {
		r.fail = nil
		return err
	}
	for _, id := range f.BatchIDs {
		if r.batches[id] {
			return fmt.Errorf("batch %s: %w", id, ErrBatchSeen)
		}
	}
	for _, id := range f.BatchIDs {
		r.batches[id] = true
	}
	for _, d := range f.Rooms {
		t := r.rooms[d.SessionID]
		t.SessionID = d.SessionID
		t.Views += d.Views
		t.Likes += d.Likes
		t.PaidOrders += d.PaidOrders
		t.GMVMinor += d.GMVMinor
		r.rooms[d.SessionID] = t
	}
	r.flushes++
	return nil
}

func (r *memRepo) SeenBatches(_ context.Context, ids []string) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, id := range ids {
		if r.batches[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

func (r *memRepo) PruneAnalyticsBatches(context.Context, time.Time) (int64, error) { return 0, nil }

func (r *memRepo) room(id string) RoomDelta {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rooms[id]
}

// eventually polls cond for up to 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func runConsumer(t *testing.T, src Source, repo Repo) (*Consumer, func()) {
	k := NewConsumer(ConsumerConfig{Source: src, Repo: repo, FlushEvery: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		k.Run(ctx)
	}()
	stop := func() {
		cancel()
		<-done
	}
	t.Cleanup(stop)
	return k, stop
}

func TestPipelineCountsEveryEventOnce(t *testing.T) {
	mem := NewMemory()
	em := NewEmitter(EmitterConfig{Sink: mem, Node: "n1", BatchEvents: 7, BatchWait: 5 * time.Millisecond})
	const views, likes = 1000, 250
	for i := range views {
		em.Record(Event{Kind: KindView, SessionID: "ses_1", UserID: fmt.Sprint("usr_", i%10)})
	}
	for range likes {
		em.Record(Event{Kind: KindLike, SessionID: "ses_1", Count: 2})
	}
	if err := em.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	st := em.Stats()
	if st.Recorded != views+likes || st.Published != views+likes || st.Dropped != 0 || st.Failed != 0 {
		t.Fatalf("emitter stats = %+v", st)
	}
	em.Record(Event{Kind: KindView}) // after Close: dropped, never blocks
	if em.Stats().Dropped != 1 {
		t.Fatalf("record after close: %+v", em.Stats())
	}

	repo := newMemRepo()
	k, _ := runConsumer(t, mem, repo)
	eventually(t, "every event applied", func() bool {
		r := repo.room("ses_1")
		return r.Views == views && r.Likes == 2*likes && mem.Pending() == 0
	})
	if s := k.Stats(); s.Batches != st.Batches || s.Events != views+likes || s.Duplicates != 0 {
		t.Fatalf("consumer stats = %+v, emitter stats %+v", s, st)
	}
}

func TestRedeliveredBatchesCountOnce(t *testing.T) {
	mem := NewMemory()
	publish := func(id string, n int) []byte {
		t.Helper()
		evs := make([]Event, n)
		for i := range evs {
			evs[i] = Event{Kind: KindView, SessionID: "ses_1"}
		}
		data, err := AppendBatch(nil, Batch{ID: id, Events: evs})
		if err != nil {
			t.Fatal(err)
		}
		if err := mem.PublishDurable(t.Context(), "s", data); err != nil {
			t.Fatal(err)
		}
		return data
	}
	repo := newMemRepo()

	// A consumer takes two batches and dies before its flush: nothing was
	// acknowledged, so both come back for the next consumer.
	first := NewConsumer(ConsumerConfig{Source: mem, Repo: repo})
	a := publish("anb_a", 3)
	publish("anb_b", 4)
	ds, err := mem.Fetch(t.Context(), 10)
	if err != nil || len(ds) != 2 {
		t.Fatalf("fetch: %d, %v", len(ds), err)
	}
	first.take(ds)
	mem.Redeliver()

	k, _ := runConsumer(t, mem, repo)
	eventually(t, "both batches", func() bool { return repo.room("ses_1").Views == 7 && mem.Pending() == 0 })

	// The same batch again (its ack was lost) and a new one: skipped, added.
	if err := mem.PublishDurable(t.Context(), "s", a); err != nil {
		t.Fatal(err)
	}
	publish("anb_c", 5)
	eventually(t, "the new batch", func() bool { return repo.room("ses_1").Views == 12 && mem.Pending() == 0 })
	eventually(t, "the duplicate counted", func() bool { return k.Stats().Duplicates == 1 })
}

func TestFailedFlushIsRetried(t *testing.T) {
	mem := NewMemory()
	repo := newMemRepo()
	repo.fail = errors.New("database is down")
	em := NewEmitter(EmitterConfig{Sink: mem, Node: "n1", BatchWait: time.Millisecond})
	for range 10 {
		em.Record(Event{Kind: KindPaid, SessionID: "ses_1", Orders: 1, AmountMinor: 100})
	}
	if err := em.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	k, _ := runConsumer(t, mem, repo)
	eventually(t, "the retry", func() bool {
		r := repo.room("ses_1")
		return r.PaidOrders == 10 && r.GMVMinor == 1000 && mem.Pending() == 0
	})
	if k.Stats().FailedRuns < 1 {
		t.Fatalf("stats = %+v, want a failed run", k.Stats())
	}
}

func TestConsumerFlushesOnStop(t *testing.T) {
	mem := NewMemory()
	repo := newMemRepo()
	k := NewConsumer(ConsumerConfig{Source: mem, Repo: repo, FlushEvery: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		k.Run(ctx)
	}()
	em := NewEmitter(EmitterConfig{Sink: mem, Node: "n1", BatchWait: time.Millisecond})
	em.Record(Event{Kind: KindLike, SessionID: "ses_1", Count: 3})
	if err := em.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the batch fetched", func() bool {
		mem.mu.Lock()
		defer mem.mu.Unlock()
		return len(mem.inflight) == 1
	})
	cancel()
	<-done
	if repo.room("ses_1").Likes != 3 || mem.Pending() != 0 {
		t.Fatalf("after stop: likes %d, pending %d", repo.room("ses_1").Likes, mem.Pending())
	}
}

// blockingSink never stores: the emitter's buffer fills.
type blockingSink struct{ release chan struct{} }

func (s blockingSink) PublishDurable(ctx context.Context, _ string, _ []byte) error {
	select {
	case <-s.release:
		return errors.New("released")
	case <-ctx.Done():
		return ctx.Err()
	}
}

func TestEmitterDropsWhenFull(t *testing.T) {
	sink := blockingSink{release: make(chan struct{})}
	em := NewEmitter(EmitterConfig{Sink: sink, Node: "n1", Buffer: 10, BatchEvents: 5, BatchWait: time.Millisecond})
	for range 1000 {
		em.Record(Event{Kind: KindLike, SessionID: "ses_1", Count: 1})
	}
	st := em.Stats()
	if st.Recorded+st.Dropped != 1000 || st.Dropped < 900 {
		t.Fatalf("stats = %+v: want nearly all dropped, none lost from the count", st)
	}
	close(sink.release)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_ = em.Close(ctx)
	if st := em.Stats(); st.Published != 0 || st.Failed != st.Recorded {
		t.Fatalf("after close: %+v, want every recorded event failed", st)
	}
}

func TestStoppingWithAFailedFlushHandsBatchesBack(t *testing.T) {
	mem := NewMemory()
	repo := newMemRepo()
	repo.fail = errors.New("database is down")
	k := NewConsumer(ConsumerConfig{Source: mem, Repo: repo, FlushEvery: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		k.Run(ctx)
	}()
	em := NewEmitter(EmitterConfig{Sink: mem, Node: "n1", BatchWait: time.Millisecond})
	em.Record(Event{Kind: KindLike, SessionID: "ses_1", Count: 3})
	if err := em.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the batch fetched", func() bool {
		mem.mu.Lock()
		defer mem.mu.Unlock()
		return len(mem.inflight) == 1
	})
	cancel()
	<-done
	mem.mu.Lock()
	ready, inflight := len(mem.ready), len(mem.inflight)
	mem.mu.Unlock()
	if ready != 1 || inflight != 0 || repo.room("ses_1").Likes != 0 {
		t.Fatalf("after a failed final flush: %d ready, %d in flight, likes %d; want the batch handed back", ready, inflight,
			repo.room("ses_1").Likes)
	}
}
