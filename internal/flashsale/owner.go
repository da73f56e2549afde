package flashsale

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

// Lease is a held ownership lease.
type Lease interface {
	Renew(ctx context.Context) error
	Release(ctx context.Context) error
}

// Cluster is what ownership needs of the other nodes (internal/bus over
// NATS: a JetStream KV lease per sale, request/reply to reach the owner).
type Cluster interface {
	// Acquire takes the lease on name, or returns ErrLeaseHeld.
	Acquire(ctx context.Context, name, holder string) (Lease, error)
	// Request asks the node serving subject; ErrNoResponder when none does.
	Request(ctx context.Context, subject string, data []byte) ([]byte, error)
	// Serve answers requests on subject until stop is called; each request
	// runs in its own goroutine.
	Serve(subject string, h func(ctx context.Context, data []byte) []byte) (stop func(), err error)
}

// Errors a Cluster returns.
var (
	ErrLeaseHeld   = errors.New("flashsale: lease held by another node")
	ErrNoResponder = errors.New("flashsale: no node serves the sale")
)

// renewEvery is how often an owner renews its lease (the bus's TTL is 5 s).
const renewEvery = time.Second

func leaseName(saleID string) string      { return "flashsale." + saleID }
func reserveSubject(saleID string) string { return "flashsale." + saleID + ".reserve" }
func endSubject(saleID string) string     { return "flashsale." + saleID + ".end" }
func mineSubject(saleID string) string    { return "flashsale." + saleID + ".mine" }

// owned is a sale this node serves.
type owned struct {
	e      *engine
	ev     *events
	lease  Lease
	unsub  []func()
	cancel context.CancelFunc
	gone   chan struct{}
}

// owners are the sales this node serves.
type owners struct {
	s *Service

	mu     sync.Mutex
	m      map[string]*owned
	closed bool
}

func newOwners(s *Service) *owners { return &owners{s: s, m: map[string]*owned{}} }

func (o *owners) get(saleID string) *owned {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.m[saleID]
}

func (o *owners) latest(saleID string) (Sale, bool) {
	if w := o.get(saleID); w != nil {
		if s := w.e.latest.Load(); s != nil {
			return *s, true
		}
	}
	return Sale{}, false
}

// run claims unserved sales every interval until ctx ends.
func (o *owners) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		o.sweep(ctx)
		select {
		case <-ctx.Done():
			o.close()
			return
		case <-t.C:
		}
	}
}

func (o *owners) sweep(ctx context.Context) {
	sales, err := o.s.repo.ActiveSales(ctx)
	if err != nil {
		if ctx.Err() == nil {
			o.s.log.Error("flashsale: list active sales", "err", err)
		}
		return
	}
	for _, sale := range sales {
		o.claim(ctx, sale)
	}
}

// claim starts serving sale if no node does: take its lease, then bump its
// owner epoch (fencing out any previous owner still running), load its
// state and start its engine.
func (o *owners) claim(ctx context.Context, sale Sale) {
	if o.get(sale.ID) != nil {
		return
	}
	lease, err := o.s.cluster.Acquire(ctx, leaseName(sale.ID), o.s.node)
	if errors.Is(err, ErrLeaseHeld) {
		return
	}
	if err != nil {
		o.s.log.Error("flashsale: acquire lease", "sale", sale.ID, "err", err)
		return
	}
	epoch, st, err := o.s.repo.TakeOver(ctx, sale.ID)
	if err != nil || st.Sale.Status == Settled || st.Sale.Status == Cancelled {
		if err != nil {
			o.s.log.Error("flashsale: take over", "sale", sale.ID, "err", err)
		}
		lease.Release(context.Background())
		return
	}
	ev := newEvents(o.s.pub, o.s.log, o.s.now, st.Sale.SessionID)
	e := newEngine(o.s.repo, ev, o.s.now, epoch, st)
	kctx, cancel := context.WithCancel(context.Background())
	w := &owned{e: e, ev: ev, lease: lease, cancel: cancel, gone: make(chan struct{})}
	for subject, h := range map[string]func(context.Context, []byte) []byte{
		reserveSubject(sale.ID): w.serveReserve,
		endSubject(sale.ID):     w.serveEnd,
		mineSubject(sale.ID):    w.serveMine,
	} {
		stop, err := o.s.cluster.Serve(subject, h)
		if err != nil {
			o.s.log.Error("flashsale: serve", "subject", subject, "err", err)
			continue
		}
		w.unsub = append(w.unsub, stop)
	}
	go e.run()
	o.mu.Lock()
	if o.closed || o.m[sale.ID] != nil {
		o.mu.Unlock()
		cancel()
		w.release()
		return
	}
	o.m[sale.ID] = w
	o.mu.Unlock()
	o.s.log.Info("flashsale: serving sale", "sale", sale.ID, "epoch", epoch, "node", o.s.node)
	go o.keep(kctx, sale.ID, w)
}

// keep renews the lease while the engine runs; when either fails, the
// sale is let go so that another node (or this one, later) takes it.
func (o *owners) keep(ctx context.Context, saleID string, w *owned) {
	defer close(w.gone)
	t := time.NewTicker(renewEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
		case <-w.e.done:
		case <-t.C:
			rctx, cancel := context.WithTimeout(ctx, renewEvery)
			err := w.lease.Renew(rctx)
			cancel()
			if err == nil {
				continue
			}
			o.s.log.Warn("flashsale: lease lost; stopping the engine", "sale", saleID, "err", err)
		}
		break
	}
	o.mu.Lock()
	if o.m[saleID] == w {
		delete(o.m, saleID)
	}
	o.mu.Unlock()
	w.release()
}

// release stops the engine, then the subscriptions and the lease.
func (w *owned) release() {
	select {
	case <-w.e.stop:
	default:
		close(w.e.stop)
	}
	for _, stop := range w.unsub {
		stop()
	}
	select {
	case <-w.e.done:
	case <-time.After(5 * time.Second):
	}
	w.ev.close()
	w.lease.Release(context.Background())
}

func (o *owners) close() {
	o.mu.Lock()
	o.closed = true
	ws := make([]*owned, 0, len(o.m))
	for _, w := range o.m {
		ws = append(ws, w)
	}
	o.mu.Unlock()
	for _, w := range ws {
		w.cancel()
		<-w.gone
	}
}

// wireResult is a reservation answer between nodes.
type wireResult struct {
	Reservation Reservation `json:"reservation"`
	Key         string      `json:"key"`
	Replayed    bool        `json:"replayed"`
	Code        string      `json:"code,omitempty"`
	Field       string      `json:"field,omitempty"`
	Message     string      `json:"message,omitempty"`
}

func encodeResult(r Reservation, replayed bool, err error) []byte {
	res := wireResult{Reservation: r, Key: r.IdempotencyKey, Replayed: replayed}
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			res.Code, res.Field, res.Message = ae.Code, ae.Field, ae.Message
		} else {
			res.Code, res.Message = apperr.Unavailable, "the sale could not answer; retry"
		}
	}
	data, _ := json.Marshal(res)
	return data
}

func decodeResult(data []byte) (Reservation, bool, error) {
	var res wireResult
	if err := json.Unmarshal(data, &res); err != nil {
		return Reservation{}, false, apperr.New(apperr.Unavailable, "the sale's server answered badly; retry")
	}
	if res.Code != "" {
		return Reservation{}, false, &apperr.Error{Code: res.Code, Field: res.Field, Message: res.Message}
	}
	res.Reservation.IdempotencyKey = res.Key
	return res.Reservation, res.Replayed, nil
}

func (w *owned) serveReserve(ctx context.Context, data []byte) []byte {
	var in ReserveInput
	if err := json.Unmarshal(data, &in); err != nil {
		return encodeResult(Reservation{}, false, apperr.New(apperr.Invalid, "bad reservation request"))
	}
	r, replayed, err := w.e.reserve(ctx, in)
	return encodeResult(r, replayed, err)
}

func (w *owned) serveEnd(ctx context.Context, _ []byte) []byte {
	return encodeResult(Reservation{}, false, w.e.endNow(ctx))
}

// reserve sends a request to the sale's engine, here or on its owner.
func (o *owners) reserve(ctx context.Context, saleID string, in ReserveInput) (Reservation, bool, error) {
	if w := o.get(saleID); w != nil {
		return w.e.reserve(ctx, in)
	}
	data, _ := json.Marshal(in)
	resp, err := o.s.cluster.Request(ctx, reserveSubject(saleID), data)
	if errors.Is(err, ErrNoResponder) {
		w, err := o.adopt(ctx, saleID)
		if err != nil {
			return Reservation{}, false, err
		}
		return w.e.reserve(ctx, in)
	}
	if err != nil {
		return Reservation{}, false, apperr.New(apperr.Unavailable, "the sale's server did not answer; retry")
	}
	return decodeResult(resp)
}

// end asks the sale's engine to end it.
func (o *owners) end(ctx context.Context, saleID string) error {
	if w := o.get(saleID); w != nil {
		return w.e.endNow(ctx)
	}
	resp, err := o.s.cluster.Request(ctx, endSubject(saleID), nil)
	if errors.Is(err, ErrNoResponder) {
		w, err := o.adopt(ctx, saleID)
		if err != nil {
			return err
		}
		return w.e.endNow(ctx)
	}
	if err != nil {
		return apperr.New(apperr.Unavailable, "the sale's server did not answer; retry")
	}
	_, _, err = decodeResult(resp)
	return err
}

// adopt serves a sale nobody answers for: unknown and finished sales get
// their final answer, others are taken over if their lease is free.
func (o *owners) adopt(ctx context.Context, saleID string) (*owned, error) {
	sale, err := o.s.repo.Sale(ctx, saleID)
	if err != nil {
		return nil, err
	}
	if sale.Status != Scheduled && sale.Status != Running {
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "sale", Message: "the sale has ended"}
	}
	o.claim(ctx, sale)
	if w := o.get(saleID); w != nil {
		return w, nil
	}
	return nil, errMoving
}

func (w *owned) serveMine(ctx context.Context, userID []byte) []byte {
	ids, err := w.e.reservationsOf(ctx, string(userID))
	if err != nil {
		return nil
	}
	data, _ := json.Marshal(ids)
	return data
}

// mine returns a buyer's reservation ids from the sale's engine; known is
// false when no engine serves the sale (it is over, or moving).
func (o *owners) mine(ctx context.Context, saleID, userID string) (ids []string, known bool) {
	if w := o.get(saleID); w != nil {
		ids, err := w.e.reservationsOf(ctx, userID)
		return ids, err == nil
	}
	resp, err := o.s.cluster.Request(ctx, mineSubject(saleID), []byte(userID))
	if err != nil || resp == nil || json.Unmarshal(resp, &ids) != nil {
		return nil, false
	}
	return ids, true
}
