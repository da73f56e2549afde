package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// reserveOnce posts one reservation of one unit to node base for the
// buyer's token; status 0 means no answer.
func reserveOnce(hc *http.Client, base, saleID, token, key string) int {
	req, _ := http.NewRequest("POST", base+"/api/v1/flash-sales/"+saleID+"/reservations", bytes.NewReader([]byte(`{"quantity":1}`)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// flashClient keeps a keep-alive connection per buyer.
func flashClient(conns int) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}}
}

// runFlash has o.buyers buyers, closed loop, spread over the nodes,
// reserve one unit at a time for o.window (after o.warmup) in one sale
// with plenty of stock, which node 1 owns: two thirds of the requests
// are forwarded. Answers other than 201 (a buyer at the per-buyer
// limit: 409) count as answered requests too, and are reported.
func runFlash(ctx context.Context, o opts, c *cluster, round int, m metrics) error {
	s, perUser, err := c.newSale(c.skus[2*round], 1_000_000, 1_000_000, 10*time.Minute)
	if err != nil {
		return fmt.Errorf("flash sale: %w", err)
	}
	progress("flash sale: %d buyers over %d nodes, per-buyer limit %d, %d accounts", o.buyers, len(c.nodes), perUser, len(c.buyers))
	if err := c.waitRunning(ctx, s); err != nil {
		return err
	}
	hc := flashClient(o.buyers)
	defer hc.CloseIdleConnections()
	type acc struct {
		lat             hist
		ok, other, lost int
	}
	per := make([]*acc, len(c.nodes))
	for i := range per {
		per[i] = &acc{}
	}
	var mu sync.Mutex
	start := time.Now()
	from, end := start.Add(o.warmup), start.Add(o.warmup+o.window)
	var wg sync.WaitGroup
	var created atomic.Int64
	for b := range o.buyers {
		node := b % len(c.nodes)
		wg.Go(func() {
			var mine acc
			for seq := 0; ctx.Err() == nil; seq++ {
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				tok := c.buyers[(b+seq*o.buyers)%len(c.buyers)]
				st := reserveOnce(hc, c.nodes[node].Base, s.ID, tok, fmt.Sprintf("r%d-%d-%d", round, b, seq))
				t1 := time.Now()
				if st == http.StatusCreated {
					created.Add(1)
				}
				if t1.Before(from) || !t1.Before(end) {
					continue
				}
				mine.lat.record(t1.Sub(t0))
				switch st {
				case http.StatusCreated:
					mine.ok++
				case 0:
					mine.lost++
				default:
					mine.other++
				}
			}
			mu.Lock()
			a := per[node]
			for i := range mine.lat.counts {
				a.lat.counts[i].Add(mine.lat.counts[i].Load())
			}
			a.ok += mine.ok
			a.other += mine.other
			a.lost += mine.lost
			mu.Unlock()
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	w := o.window.Seconds()
	var all hist
	var ok, other, lost int
	for i, a := range per {
		k := "flash." + strconv.Itoa(i+1) + "."
		snap := a.lat.snapshot()
		m[k+"rps"] = float64(a.ok) / w
		m[k+"p50"], m[k+"p99"] = quantile(snap, 0.5), quantile(snap, 0.99)
		for j := range a.lat.counts {
			all.counts[j].Add(a.lat.counts[j].Load())
		}
		ok, other, lost = ok+a.ok, other+a.other, lost+a.lost
	}
	snap := all.snapshot()
	m["flash.rps"] = float64(ok) / w
	m["flash.answers"] = float64(ok+other) / w
	m["flash.other"] = float64(other)
	m["flash.lost"] = float64(lost)
	m["flash.p50"], m["flash.p99"] = quantile(snap, 0.5), quantile(snap, 0.99)
	m["flash.per_user"] = float64(perUser)
	// The sale's own count must equal the 201s the buyers got.
	var cur sale
	if err := c.nodes[1].Call("GET", "/api/v1/flash-sales/"+s.ID, "", nil, &cur); err != nil {
		return err
	}
	m["flash.sold_mismatch"] = float64(cur.Sold - int(created.Load()))
	return nil
}

// runSellout has o.selloutBuyers buyers, each its own account, spread
// over the nodes, reserve one unit at the same moment in a sale of
// o.stock: exactly o.stock must succeed.
func runSellout(ctx context.Context, o opts, c *cluster, round int, m metrics) error {
	n := min(o.selloutBuyers, len(c.buyers))
	s, _, err := c.newSale(c.skus[2*round+1], o.stock, 1, 10*time.Minute)
	if err != nil {
		return fmt.Errorf("sell-out sale: %w", err)
	}
	progress("sell-out: %d buyers over %d nodes for %d units", n, len(c.nodes), o.stock)
	if err := c.waitRunning(ctx, s); err != nil {
		return err
	}
	hc := flashClient(n)
	defer hc.CloseIdleConnections()
	// Every buyer opens its connection first, with a cheap read of the sale.
	var warm sync.WaitGroup
	sem := make(chan struct{}, 64)
	for b := range n {
		sem <- struct{}{}
		warm.Go(func() {
			defer func() { <-sem }()
			if resp, err := hc.Get(c.nodes[b%len(c.nodes)].Base + "/api/v1/flash-sales/" + s.ID); err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	warm.Wait()
	var lat hist
	var ok, sold, lost, other atomic.Int64
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for b := range n {
		wg.Go(func() {
			<-gate
			t0 := time.Now()
			st := reserveOnce(hc, c.nodes[b%len(c.nodes)].Base, s.ID, c.buyers[b], fmt.Sprintf("s%d-%d", round, b))
			lat.record(time.Since(t0))
			switch {
			case st == http.StatusCreated:
				ok.Add(1)
			case st == http.StatusConflict || st == http.StatusGone:
				sold.Add(1)
			case st == 0:
				lost.Add(1)
			default:
				other.Add(1)
			}
		})
	}
	t0 := time.Now()
	close(gate)
	wg.Wait()
	took := time.Since(t0)
	var cur sale
	if err := c.nodes[2].Call("GET", "/api/v1/flash-sales/"+s.ID, "", nil, &cur); err != nil {
		return err
	}
	snap := lat.snapshot()
	m["sellout.buyers"] = float64(n)
	m["sellout.stock"] = float64(o.stock)
	m["sellout.ok"] = float64(ok.Load())
	m["sellout.refused"] = float64(sold.Load())
	m["sellout.lost"] = float64(lost.Load())
	m["sellout.other"] = float64(other.Load())
	m["sellout.sold"] = float64(cur.Sold)
	m["sellout.oversold"] = float64(max(0, cur.Sold-cur.Stock, int(ok.Load())-cur.Stock))
	m["sellout.ms"] = float64(took.Microseconds()) / 1000
	m["sellout.p50"], m["sellout.p99"] = quantile(snap, 0.5), quantile(snap, 0.99)
	if int(ok.Load()) != o.stock || cur.Sold != o.stock {
		return fmt.Errorf("sell-out: %d × 201 and %d sold for %d units (%d lost, %d other answers)",
			ok.Load(), cur.Sold, o.stock, lost.Load(), other.Load())
	}
	return nil
}
