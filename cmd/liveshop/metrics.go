package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/liveshop/liveshop/internal/store"
)

// statsCollector exports platform counts on every /metrics scrape, read
// from the database so that every node reports the same, whole numbers.
type statsCollector struct {
	store *store.Store
	log   *slog.Logger

	users, shops, orders, gmv *prometheus.Desc
}

func newStatsCollector(s *store.Store, log *slog.Logger) *statsCollector {
	return &statsCollector{store: s, log: log,
		users:  prometheus.NewDesc("liveshop_users", "Registered users.", nil, nil),
		shops:  prometheus.NewDesc("liveshop_shops", "Shops by onboarding status.", []string{"status"}, nil),
		orders: prometheus.NewDesc("liveshop_orders", "Orders by status.", []string{"status"}, nil),
		gmv:    prometheus.NewDesc("liveshop_paid_gmv_minor", "Sum of paid, not refunded orders in minor units.", nil, nil),
	}
}

func (c *statsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.users
	ch <- c.shops
	ch <- c.orders
	ch <- c.gmv
}

func (c *statsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := c.store.Stats(ctx)
	if err != nil {
		c.log.Warn("metrics: platform stats unavailable", "err", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.users, prometheus.GaugeValue, float64(st.Users))
	for status, n := range st.ShopsBy {
		ch <- prometheus.MustNewConstMetric(c.shops, prometheus.GaugeValue, float64(n), status)
	}
	for status, n := range st.OrdersBy {
		ch <- prometheus.MustNewConstMetric(c.orders, prometheus.GaugeValue, float64(n), status)
	}
	ch <- prometheus.MustNewConstMetric(c.gmv, prometheus.GaugeValue, float64(st.PaidGMVMinor))
}
