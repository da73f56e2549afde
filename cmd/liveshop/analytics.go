package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/liveshop/liveshop/internal/analytics"
	"github.com/liveshop/liveshop/internal/bus"
	"github.com/liveshop/liveshop/internal/feed"
	"github.com/liveshop/liveshop/internal/funnel"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/realtime"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
)

// analyticsWiring is the event pipeline of this node (docs/DISCOVERY.md):
// the emitter every producer records into, publishing batches to the
// JetStream work stream, and a consumer rolling batches up into the
// database; every node runs both.
type analyticsWiring struct {
	emitter  *analytics.Emitter
	consumer *analytics.Consumer
	service  *analytics.Service
	node     string
	stop     context.CancelFunc
	done     chan struct{}
}

func startAnalytics(ctx context.Context, st *store.Store, events bus.Bus, rooms *room.Service, orders *order.Service,
	funnels *funnel.Service, reg *prometheus.Registry, log *slog.Logger) (*analyticsWiring, error) {
	host, _ := os.Hostname()
	node := fmt.Sprintf("%s-%d", host, os.Getpid())
	var sink analytics.Sink
	var source analytics.Source
	if n, ok := events.(*bus.NATS); ok {
		d, err := n.Durable(ctx, bus.DurableConfig{})
		if err != nil {
			return nil, fmt.Errorf("analytics: %w", err)
		}
		sink, source = d, durableSource{d}
	} else { // a bus without JetStream: this node alone, in memory
		mem := analytics.NewMemory()
		sink, source = mem, mem
	}
	w := &analyticsWiring{
		emitter: analytics.NewEmitter(analytics.EmitterConfig{Sink: sink, Node: node, Log: log}),
		consumer: analytics.NewConsumer(analytics.ConsumerConfig{Source: source, Repo: st, Sessions: st,
			Channels: feed.ChannelsFor, Log: log}),
		service: analytics.NewService(analytics.ServiceConfig{Reader: st, Sessions: st, Funnels: funnelCounts{st}}),
		node:    node,
		done:    make(chan struct{}),
	}
	rooms.UseRecorder(w.emitter)
	orders.UseRecorder(w.emitter)
	funnels.UseRecorder(w.emitter)
	reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "liveshop_analytics_events_recorded_total",
			Help: "Analytics events taken into this node's buffer."}, func() float64 { return float64(w.emitter.Stats().Recorded) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "liveshop_analytics_events_dropped_total",
			Help: "Analytics events dropped because this node's buffer was full."}, func() float64 { return float64(w.emitter.Stats().Dropped) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "liveshop_analytics_events_failed_total",
			Help: "Analytics events lost because the stream refused their batch."}, func() float64 { return float64(w.emitter.Stats().Failed) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "liveshop_analytics_events_applied_total",
			Help: "Analytics events this node's consumer wrote to the roll-ups."}, func() float64 { return float64(w.consumer.Stats().Events) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "liveshop_analytics_batches_duplicate_total",
			Help: "Redelivered analytics batches skipped because they were applied before."}, func() float64 { return float64(w.consumer.Stats().Duplicates) }),
	)
	cctx, stop := context.WithCancel(context.Background())
	w.stop = stop
	go func() {
		defer close(w.done)
		w.consumer.Run(cctx)
	}()
	return w, nil
}

// realtime is what the room sockets report through.
func (w *analyticsWiring) realtime() realtime.Analytics { return realtimeEvents{w.emitter, w.node} }

// dashboards feeds the operators' dashboard frames.
func (w *analyticsWiring) dashboards() realtime.Dashboards { return roomDashboards{w.service} }

// close publishes what the emitter holds, then stops the consumer, which
// writes what it has fetched. Call it once the producers have stopped;
// batches still in the stream are applied at the next start (the stream
// is on disk).
func (w *analyticsWiring) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = w.emitter.Close(ctx)
	w.stop()
	<-w.done
}

// durableSource adapts the bus's work stream to analytics.Source.
type durableSource struct{ d *bus.Durable }

func (s durableSource) Fetch(ctx context.Context, max int) ([]analytics.Delivery, error) {
	ms, err := s.d.Fetch(ctx, max)
	out := make([]analytics.Delivery, len(ms))
	for i, m := range ms {
		out[i] = analytics.Delivery{Data: m.Data, Ack: m.Ack, Nak: m.Nak}
	}
	return out, err
}

// funnelCounts reads the room's funnel for the dashboard.
type funnelCounts struct{ st *store.Store }

func (f funnelCounts) RoomFunnel(ctx context.Context, sessionID string) (analytics.FunnelCounts, error) {
	c, err := f.st.FunnelCounts(ctx, sessionID)
	if err != nil {
		return analytics.FunnelCounts{}, err
	}
	out := analytics.FunnelCounts{Views: c.Views, ProductOpens: c.ProductOpens, BuyClicks: c.BuyClicks, Orders: c.Orders,
		PaidOrders: c.PaidOrders, PaidBuyers: c.PaidBuyers, GMVMinor: c.GMVMinor, Currency: c.Currency}
	if c.Views > 0 {
		out.Conversion = float64(int64(float64(c.PaidBuyers)/float64(c.Views)*10000+0.5)) / 10000
	}
	return out, nil
}

// realtimeEvents turns the room sockets' reports into events.
type realtimeEvents struct {
	rec  analytics.Recorder
	node string
}

func (r realtimeEvents) Viewed(roomID, userID string) {
	r.rec.Record(analytics.Event{Kind: analytics.KindView, SessionID: roomID, UserID: userID, Node: r.node, At: time.Now()})
}

func (r realtimeEvents) Liked(roomID string, n int) {
	r.rec.Record(analytics.Event{Kind: analytics.KindLike, SessionID: roomID, Count: int64(n), Node: r.node, At: time.Now()})
}

func (r realtimeEvents) Watched(roomID string, viewerSeconds int64, viewers int) {
	r.rec.Record(analytics.Event{Kind: analytics.KindWatch, SessionID: roomID, Count: viewerSeconds, Viewers: viewers,
		Node: r.node, At: time.Now()})
}

// roomDashboards adapts the service to the sockets' interface.
type roomDashboards struct{ s *analytics.Service }

func (d roomDashboards) RoomDashboard(ctx context.Context, roomID string) (any, error) {
	return d.s.RoomDashboard(ctx, roomID)
}
