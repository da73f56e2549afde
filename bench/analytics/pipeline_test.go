// Package analyticsbench measures the analytics pipeline end to end:
// events recorded on a node's emitter, encoded into batches, published to
// the JetStream work stream of an embedded NATS server (file storage),
// fetched by the consumer, decoded, rolled up and flushed into SQLite or
// PostgreSQL once a second. The number is events a second from the first
// Record to the commit of the last event.
//
//	go test ./bench/analytics -run '^$' -bench Pipeline -benchtime 2000000x -count 3
package analyticsbench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/analytics"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/bus"
	"github.com/liveshop/liveshop/internal/feed"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

const (
	sessions         = 200
	productsPerRoom  = 10
	users            = 10_000
	maxInFlight      = 50_000 // recorded but not yet published: producers wait above it, so nothing is dropped
	producers        = 2
	drainTimeout     = 2 * time.Minute
	categoriesInPlay = 6
)

var categories = []string{"food", "fresh_produce", "fashion", "beauty", "home", "electronics"}

// shops gives every bench session a shop without the database: the
// consumer caches the lookup anyway.
type shops struct{}

func (shops) AnalyticsSession(_ context.Context, id string) (analytics.SessionInfo, error) {
	var n int
	if _, err := fmt.Sscanf(id, "ses_bench_%d", &n); err != nil {
		return analytics.SessionInfo{}, apperr.New(apperr.NotFound, "no session %s", id)
	}
	return analytics.SessionInfo{ID: id, ShopID: fmt.Sprintf("shp_bench_%d", n%50), Status: "live",
		Category: categories[n%categoriesInPlay], Programme: "standard"}, nil
}

type source struct{ d *bus.Durable }

func (s source) Fetch(ctx context.Context, max int) ([]analytics.Delivery, error) {
	ms, err := s.d.Fetch(ctx, max)
	out := make([]analytics.Delivery, len(ms))
	for i, m := range ms {
		out[i] = analytics.Delivery{Data: m.Data, Ack: m.Ack}
	}
	return out, err
}

// event draws one event of a live platform's mix: mostly likes and
// watch reports, then views, clicks, orders and payments.
func event(r *rand.Rand, now time.Time) analytics.Event {
	s := r.IntN(sessions)
	ev := analytics.Event{SessionID: fmt.Sprintf("ses_bench_%d", s), At: now}
	user := func() string { return fmt.Sprintf("usr_bench_%d", r.IntN(users)) }
	product := func() string { return fmt.Sprintf("prd_bench_%d_%d", s, r.IntN(productsPerRoom)) }
	switch p := r.IntN(100); {
	case p < 45:
		ev.Kind, ev.Count = analytics.KindLike, int64(1+r.IntN(20))
	case p < 55:
		ev.Kind, ev.Node, ev.Count, ev.Viewers = analytics.KindWatch, fmt.Sprint("node", r.IntN(4)), int64(r.IntN(5000)), r.IntN(500)
	case p < 75:
		ev.Kind, ev.UserID = analytics.KindView, user()
	case p < 87:
		ev.Kind, ev.UserID, ev.ProductID = analytics.KindProductClick, user(), product()
	case p < 93:
		ev.Kind, ev.UserID, ev.ProductID = analytics.KindBuyClick, user(), product()
	case p < 97:
		ev.Kind, ev.UserID, ev.ProductID, ev.Count, ev.AmountMinor, ev.Orders, ev.Currency =
			analytics.KindOrder, user(), product(), 1, 1990, 1, "CNY"
	default:
		ev.Kind, ev.UserID, ev.ProductID, ev.Count, ev.AmountMinor, ev.Orders, ev.Currency =
			analytics.KindPaid, user(), product(), 1, 1990, 1, "CNY"
	}
	return ev
}

func BenchmarkPipeline(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) { benchPipeline(b, d) })
	}
}

func benchPipeline(b *testing.B, d store.Dialect) {
	ctx := b.Context()
	emb, err := bus.StartEmbedded(bus.EmbeddedConfig{StoreDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer emb.Shutdown()
	stream, err := emb.Bus().Durable(ctx, bus.DurableConfig{})
	if err != nil {
		b.Fatal(err)
	}
	st := storetest.Open(b, d, store.Options{})
	em := analytics.NewEmitter(analytics.EmitterConfig{Sink: stream, Node: "bench"})
	k := analytics.NewConsumer(analytics.ConsumerConfig{Source: source{stream}, Repo: st, Sessions: shops{},
		Channels: feed.ChannelsFor})
	cctx, stop := context.WithCancel(context.Background())
	consumed := make(chan struct{})
	go func() {
		defer close(consumed)
		k.Run(cctx)
	}()
	defer func() {
		stop()
		<-consumed
	}()

	// The events are drawn before the clock starts, so that the producers
	// cost what a live path costs: building one event and Record.
	var pool [producers][]analytics.Event
	for p := range pool {
		r := rand.New(rand.NewPCG(uint64(p), 42))
		now := time.Now()
		pool[p] = make([]analytics.Event, 1<<16)
		for i := range pool[p] {
			pool[p][i] = event(r, now)
		}
	}
	// Views are counted to check the totals afterwards.
	var views [producers]int64
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for p := range producers {
		n := b.N / producers
		if p == 0 {
			n += b.N % producers
		}
		evs := pool[p]
		wg.Go(func() {
			for i := range n {
				if i%1024 == 0 {
					for st := em.Stats(); st.Recorded-st.Published-st.Failed > maxInFlight; st = em.Stats() {
						runtime.Gosched()
						time.Sleep(50 * time.Microsecond)
					}
				}
				ev := evs[i%len(evs)]
				if ev.Kind == analytics.KindView {
					views[p]++
				}
				em.Record(ev)
			}
		})
	}
	wg.Wait()
	recorded := time.Since(start)
	deadline := time.Now().Add(drainTimeout)
	for k.Stats().Events < int64(b.N) {
		if time.Now().After(deadline) {
			b.Fatalf("applied %d of %d events within %s (emitter %+v)", k.Stats().Events, b.N, drainTimeout, em.Stats())
		}
		time.Sleep(2 * time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()

	es, ks := em.Stats(), k.Stats()
	if es.Dropped != 0 || es.Failed != 0 || ks.Events != int64(b.N) {
		b.Fatalf("emitter %+v consumer %+v, want every one of %d events applied once", es, ks, b.N)
	}
	var stored int64
	for s := range sessions {
		t, err := st.RoomTotals(ctx, fmt.Sprintf("ses_bench_%d", s))
		if err != nil {
			b.Fatal(err)
		}
		stored += t.Views
	}
	if want := views[0] + views[1]; stored != want {
		b.Fatalf("stored views %d, recorded %d", stored, want)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(recorded.Nanoseconds())/float64(b.N), "record-ns/event")
	b.ReportMetric(float64(ks.Flushes), "flushes")
	b.ReportMetric(float64(ks.SlowestFlush.Milliseconds()), "slowest-flush-ms")
	b.ReportMetric(float64(es.Batches), "batches")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkCodec is the encoding alone: one batch of 1,000 events.
func BenchmarkCodec(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	now := time.Now()
	evs := make([]analytics.Event, 1000)
	for i := range evs {
		evs[i] = event(r, now)
	}
	batch := analytics.Batch{ID: "anb_bench", Events: evs}
	data, _ := analytics.AppendBatch(nil, batch)
	b.Run("encode", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf, _ = analytics.AppendBatch(buf[:0], batch)
		}
		b.ReportMetric(float64(b.N*len(evs))/b.Elapsed().Seconds(), "events/s")
		b.ReportMetric(float64(len(data))/float64(len(evs)), "bytes/event")
	})
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			if _, err := analytics.DecodeBatch(data); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*len(evs))/b.Elapsed().Seconds(), "events/s")
	})
	// JSON of the short-keyed Event, the alternative the binary codec replaced.
	js, _ := json.Marshal(evs)
	b.Run("json-encode", func(b *testing.B) {
		for b.Loop() {
			if _, err := json.Marshal(evs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*len(evs))/b.Elapsed().Seconds(), "events/s")
		b.ReportMetric(float64(len(js))/float64(len(evs)), "bytes/event")
	})
	b.Run("json-decode", func(b *testing.B) {
		for b.Loop() {
			var out []analytics.Event
			if err := json.Unmarshal(js, &out); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*len(evs))/b.Elapsed().Seconds(), "events/s")
	})
}
