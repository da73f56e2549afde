package flashsale

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
)

// maxBatch bounds the reservations written in one transaction.
const maxBatch = 2048

// Engine timings.
const (
	tickEvery         = 250 * time.Millisecond
	collectEveryTicks = 4 // a second
)

type request struct {
	ctx   context.Context
	in    ReserveInput
	reply chan result
}

type result struct {
	r        Reservation
	replayed bool
	err      error
}

// engine serves one sale on its owner node. Only its goroutine touches its
// fields: requests queue on reqs while a batch is being written, and the
// next batch takes them all at once (group commit), so the database sees
// one transaction per batch however many buyers there are.
type engine struct {
	repo  Repo
	pub   *events
	now   func() time.Time
	epoch int64

	sale    Sale
	sold    int
	perUser map[string]int
	byKey   map[string]Reservation // user id + "\x00" + idempotency key
	// mine lists each buyer's reservation ids, oldest first, so "my
	// reservations" needs no index on buyers in the database.
	mine map[string][]string

	reqs chan request
	ctl  chan func()
	stop chan struct{}
	done chan struct{}
	// lost is closed when the engine stops for good: fenced out, settled,
	// or told to stop.
	lost    chan struct{}
	lostErr error
	settled bool
	ticks   int
	// lastBatch is the size of the last batch, to know a busy sale.
	lastBatch int
	// latest is the sale as last decided, for readers on other goroutines.
	latest atomic.Pointer[Sale]
}

func newEngine(repo Repo, pub *events, now func() time.Time, epoch int64, st State) *engine {
	e := &engine{repo: repo, pub: pub, now: now, epoch: epoch, sale: st.Sale,
		perUser: map[string]int{}, byKey: map[string]Reservation{}, mine: map[string][]string{},
		reqs: make(chan request, 4*maxBatch), ctl: make(chan func()), stop: make(chan struct{}), done: make(chan struct{}), lost: make(chan struct{})}
	for _, r := range st.Reservations {
		e.byKey[r.UserID+"\x00"+r.IdempotencyKey] = r
		e.mine[r.UserID] = append(e.mine[r.UserID], r.ID)
		if r.Status == Held || r.Status == Paid {
			e.perUser[r.UserID] += r.Quantity
			e.sold += r.Quantity
		}
	}
	e.sale.Sold, e.sale.Remaining = e.sold, e.sale.Stock-e.sold
	e.publishLatest()
	return e
}

// snapshot is the sale as its engine sees it now. Only the engine's
// goroutine may call it; others ask through the Service's cache.
func (e *engine) snapshot() Sale {
	s := e.sale
	s.Sold, s.Remaining = e.sold, s.Stock-e.sold
	if s.Status != Scheduled && s.Status != Running {
		s.Remaining = 0
	}
	return s
}

func (e *engine) publishLatest() {
	s := e.snapshot()
	e.latest.Store(&s)
}

// reserve queues a request and waits for its durable answer.
func (e *engine) reserve(ctx context.Context, in ReserveInput) (Reservation, bool, error) {
	req := request{ctx: ctx, in: in, reply: make(chan result, 1)}
	select {
	case e.reqs <- req:
	case <-e.lost:
		return Reservation{}, false, errMoving
	case <-ctx.Done():
		return Reservation{}, false, ctx.Err()
	}
	// Once queued the answer always comes (the engine answers every
	// request it takes, even when stopping), and waiting for it keeps a
	// cancelled caller from retrying before its first try is decided.
	select {
	case res := <-req.reply:
		return res.r, res.replayed, res.err
	case <-e.done:
		select {
		case res := <-req.reply:
			return res.r, res.replayed, res.err
		default:
			return Reservation{}, false, errMoving
		}
	}
}

// endNow ends the sale at once (the operator's End).
func (e *engine) endNow(ctx context.Context) error {
	done := make(chan struct{})
	fn := func() {
		defer close(done)
		now := e.now()
		if e.sale.Status == Scheduled || e.sale.Status == Running {
			e.sale.EndsAt = now
			e.process(nil)
		}
	}
	select {
	case e.ctl <- fn:
	case <-e.lost:
		return errMoving
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// reservationsOf returns a buyer's reservation ids in this sale.
func (e *engine) reservationsOf(ctx context.Context, userID string) ([]string, error) {
	out := make(chan []string, 1)
	fn := func() { out <- append([]string(nil), e.mine[userID]...) }
	select {
	case e.ctl <- fn:
	case <-e.lost:
		return nil, errMoving
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case ids := <-out:
		return ids, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// errMoving answers requests an engine can no longer serve; the client
// retries with the same key and reaches the new owner.
var errMoving = apperr.New(apperr.Unavailable, "the sale is moving to another server; retry in a moment")

func (e *engine) run() {
	defer close(e.done)
	t := time.NewTicker(tickEvery)
	defer t.Stop()
	e.tick()
	for {
		select {
		case req := <-e.reqs:
			batch := e.gather(req)
			e.process(batch)
			e.lastBatch = len(batch)
		case <-t.C:
			e.tick()
		case fn := <-e.ctl:
			fn()
		case <-e.stop:
			e.shutdown(errMoving)
			return
		}
		if e.lostErr != nil {
			e.shutdown(errMoving)
			return
		}
	}
}

// linger is how long a busy engine waits for a batch to fill. After a
// big batch its buyers are answered all at once and come back within
// moments; taking only the first few of them would cut the next batch
// short and pay a whole commit for it.
const linger = time.Millisecond

// gather takes first and whatever else is queued, lingering for the rest
// of a busy sale's buyers.
func (e *engine) gather(first request) []request {
	batch := []request{first}
	var deadline <-chan time.Time
	if e.lastBatch >= 32 {
		t := time.NewTimer(linger)
		defer t.Stop()
		deadline = t.C
	}
	for len(batch) < maxBatch {
		select {
		case req := <-e.reqs:
			batch = append(batch, req)
			continue
		default:
		}
		if deadline == nil {
			break
		}
		select {
		case req := <-e.reqs:
			batch = append(batch, req)
		case <-deadline:
			return batch
		}
	}
	return batch
}

// shutdown answers whatever is still queued.
func (e *engine) shutdown(err error) {
	select {
	case <-e.lost:
	default:
		close(e.lost)
	}
	for {
		select {
		case req := <-e.reqs:
			req.reply <- result{err: err}
		default:
			return
		}
	}
}

type decided struct {
	req   request
	res   result
	fresh bool
}

// process decides a batch in memory, writes the new reservations and the
// sold count in one transaction, and answers only after it committed.
func (e *engine) process(batch []request) {
	now := e.now()
	status := e.sale.statusAt(now)
	before := e.sold
	out := make([]decided, len(batch))
	var fresh []Reservation
	for i, req := range batch {
		out[i].req = req
		r, replayed, err := e.decide(req.in, status, now)
		out[i].res = result{r: r, replayed: replayed, err: err}
		if err == nil && !replayed {
			out[i].fresh = true
			fresh = append(fresh, r)
		}
	}
	if len(fresh) > 0 || status != e.sale.Status {
		if err := e.repo.CommitBatch(context.Background(), e.sale.ID, e.epoch, e.sold, status, e.sale.EndsAt, fresh); err != nil {
			e.undo(out)
			fail := apperr.New(apperr.Unavailable, "the reservation could not be stored; retry")
			if errors.Is(err, ErrFenced) {
				e.lostErr, fail = err, errMoving
			}
			for _, d := range out {
				if d.fresh || d.res.replayed {
					d.res = result{err: fail}
				}
				d.req.reply <- d.res
			}
			return
		}
		e.changed(status)
	}
	for _, d := range out {
		d.req.reply <- d.res
	}
	e.publishLatest()
	if e.sold != before {
		e.pub.stock(e.snapshot())
		for _, d := range out {
			if d.fresh {
				e.pub.purchase(e.sale, d.req.in.Name, d.res.r.Quantity)
			}
		}
	}
}

// decide answers one request against the in-memory state, updating it
// when a reservation is made.
func (e *engine) decide(in ReserveInput, status string, now time.Time) (Reservation, bool, error) {
	key := in.UserID + "\x00" + in.Key
	if prev, ok := e.byKey[key]; ok {
		if prev.Quantity != in.Quantity {
			return Reservation{}, false, &apperr.Error{Code: apperr.Conflict, Field: "Idempotency-Key",
				Message: "this idempotency key was used for a different quantity"}
		}
		return prev, true, nil
	}
	switch status {
	case Scheduled:
		return Reservation{}, false, &apperr.Error{Code: apperr.Conflict, Field: "sale", Message: "the sale has not started"}
	case Running:
	default:
		return Reservation{}, false, &apperr.Error{Code: apperr.Conflict, Field: "sale", Message: "the sale has ended"}
	}
	if have := e.perUser[in.UserID]; have+in.Quantity > e.sale.PerUserLimit {
		return Reservation{}, false, &apperr.Error{Code: apperr.Conflict, Field: "quantity",
			Message: fmt.Sprintf("above the limit of %d per buyer (you hold %d)", e.sale.PerUserLimit, have)}
	}
	left := e.sale.Stock - e.sold
	if left == 0 {
		return Reservation{}, false, &apperr.Error{Code: apperr.Conflict, Field: "quantity", Message: "sold out"}
	}
	if in.Quantity > left {
		return Reservation{}, false, &apperr.Error{Code: apperr.Conflict, Field: "quantity", Message: fmt.Sprintf("only %d left", left)}
	}
	r := Reservation{ID: ids.New("frs"), SaleID: e.sale.ID, UserID: in.UserID, Quantity: in.Quantity,
		PriceMinor: e.sale.PriceMinor, Currency: e.sale.Currency, Status: Held,
		ExpiresAt: now.Add(time.Duration(e.sale.PaymentWindowSeconds) * time.Second), CreatedAt: now, IdempotencyKey: in.Key}
	e.byKey[key] = r
	e.mine[in.UserID] = append(e.mine[in.UserID], r.ID)
	e.perUser[in.UserID] += in.Quantity
	e.sold += in.Quantity
	return r, false, nil
}

// undo forgets the reservations of a batch that was not stored.
func (e *engine) undo(out []decided) {
	for _, d := range out {
		if !d.fresh {
			continue
		}
		r := d.res.r
		delete(e.byKey, r.UserID+"\x00"+r.IdempotencyKey)
		if ids := e.mine[r.UserID]; len(ids) > 0 && ids[len(ids)-1] == r.ID {
			e.mine[r.UserID] = ids[:len(ids)-1]
		}
		e.perUser[r.UserID] -= r.Quantity
		e.sold -= r.Quantity
	}
}

// changed records a stored status change and tells the room.
func (e *engine) changed(status string) {
	if status == e.sale.Status {
		return
	}
	e.sale.Status = status
	switch status {
	case Running:
		e.pub.lifecycle("sale.started", e.snapshot())
	case Ended:
		e.pub.lifecycle("sale.ended", e.snapshot())
	}
}

// tick moves the sale along the clock, takes back expired and released
// reservations, and settles an ended sale once nothing is held.
func (e *engine) tick() {
	now := e.now()
	if status := e.sale.statusAt(now); status != e.sale.Status {
		e.process(nil)
	}
	// Returns are collected every few ticks of real time (not the sale's
	// clock, which tests move by hand).
	e.ticks++
	if e.lostErr != nil || e.ticks%collectEveryTicks != 1 {
		return
	}
	back, err := e.repo.CollectReturns(context.Background(), e.sale.ID, e.epoch, now, e.sold)
	if errors.Is(err, ErrFenced) {
		e.lostErr = err
		return
	}
	if err != nil {
		e.pub.logError("flashsale: collect returns", e.sale.ID, err)
		return
	}
	if len(back) > 0 {
		for _, r := range back {
			e.perUser[r.UserID] -= r.Quantity
			e.sold -= r.Quantity
		}
		for _, b := range back {
			k := b.UserID + "\x00" + b.Key
			if r, ok := e.byKey[k]; ok {
				r.Status = Expired
				e.byKey[k] = r
			}
		}
		e.publishLatest()
		if e.sale.Status == Running {
			e.pub.stock(e.snapshot())
		}
	}
	if e.sale.Status == Ended {
		ok, err := e.repo.Settle(context.Background(), e.sale.ID, e.epoch, now)
		switch {
		case errors.Is(err, ErrFenced):
			e.lostErr = err
		case err != nil:
			e.pub.logError("flashsale: settle", e.sale.ID, err)
		case ok:
			e.sale.Status, e.settled = Settled, true
			e.publishLatest()
			e.lostErr = errSettled
		}
	}
}

// errSettled stops an engine whose sale is over.
var errSettled = errors.New("flashsale: sale settled")
