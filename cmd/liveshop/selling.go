package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/auction"
	"github.com/liveshop/liveshop/internal/bus"
	"github.com/liveshop/liveshop/internal/coupon"
	"github.com/liveshop/liveshop/internal/draw"
	"github.com/liveshop/liveshop/internal/flashsale"
	"github.com/liveshop/liveshop/internal/funnel"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
)

// selling wires what is sold in live rooms (docs/SELLING.md): flash sales,
// coupons, lucky draws, auctions and the funnel.
type selling struct {
	flash    *flashsale.Service
	coupons  *coupon.Service
	draws    *draw.Service
	auctions *auction.Service
	funnel   *funnel.Service
}

func newSelling(st *store.Store, events bus.Bus, rooms *room.Service, orders *order.Service, log *slog.Logger) *selling {
	host, _ := os.Hostname()
	var cluster flashsale.Cluster
	if n, ok := events.(*bus.NATS); ok {
		cluster = natsCluster{n}
	}
	s := &selling{
		flash: flashsale.NewService(flashsale.Config{Repo: st, SKUs: st, Rooms: rooms, Cluster: cluster, Publisher: events,
			Node: fmt.Sprintf("%s:%d", host, os.Getpid()), Log: log, Now: time.Now}),
		coupons:  coupon.NewService(coupon.Config{Repo: st, Rooms: rooms, Publisher: events, Now: time.Now}),
		draws:    draw.NewService(draw.Config{Repo: st, Rooms: rooms, Awards: orders, Follows: st, Publisher: events, Now: time.Now, Log: log}),
		auctions: auction.NewService(auction.Config{Repo: st, Rooms: rooms, Awards: orders, Publisher: events, Now: time.Now, Log: log}),
		funnel:   funnel.NewService(funnel.Config{Repo: st, Rooms: rooms, Now: time.Now, Log: log}),
	}
	orders.UseCoupons(s.coupons)
	return s
}

// run starts the background work of selling until ctx ends.
func (s *selling) run(ctx context.Context, wg *sync.WaitGroup) {
	wg.Go(func() { s.flash.Run(ctx, time.Second) })
	wg.Go(func() { s.draws.Run(ctx, time.Second) })
	wg.Go(func() { s.auctions.Run(ctx, time.Second) })
}

// close flushes what is buffered (funnel events, coupon counts) and lets
// this node's flash sales go, after the HTTP server has stopped.
func (s *selling) close() {
	s.flash.Close()
	s.funnel.Close()
	s.coupons.Close()
}

// natsCluster gives flash sales their leases and request/reply over NATS.
type natsCluster struct{ n *bus.NATS }

func (c natsCluster) Acquire(ctx context.Context, name, holder string) (flashsale.Lease, error) {
	l, err := c.n.Acquire(ctx, name, holder)
	if errors.Is(err, bus.ErrLeaseHeld) {
		return nil, flashsale.ErrLeaseHeld
	}
	return l, err
}

func (c natsCluster) Request(ctx context.Context, subject string, data []byte) ([]byte, error) {
	resp, err := c.n.Request(ctx, subject, data)
	if errors.Is(err, bus.ErrNoResponder) {
		return nil, flashsale.ErrNoResponder
	}
	return resp, err
}

func (c natsCluster) Serve(subject string, h func(context.Context, []byte) []byte) (func(), error) {
	return c.n.Serve(subject, bus.Handler(h))
}
