package bus

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go"
)

// Requests reach whichever node serves a subject and wait for its answer
// (a flash sale's reservations go to the node owning the sale).

// ErrNoResponder means no node serves the subject right now.
var ErrNoResponder = errors.New("bus: no node serves this subject")

// Handler answers one request. Each request runs in its own goroutine so
// that a server can batch requests that arrive together.
type Handler func(ctx context.Context, data []byte) []byte

// Request sends data to the node serving subject and returns its answer.
func (n *NATS) Request(ctx context.Context, subject string, data []byte) ([]byte, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, n.timeout)
		defer cancel()
	}
	msg, err := n.nc.RequestWithContext(ctx, subject, data)
	if errors.Is(err, nats.ErrNoResponders) {
		return nil, ErrNoResponder
	}
	if err != nil {
		return nil, fmt.Errorf("bus: nats: request %s: %w", subject, err)
	}
	return msg.Data, nil
}

// Serve answers requests on subject with h until stop is called.
func (n *NATS) Serve(subject string, h Handler) (stop func(), err error) {
	ctx, cancel := context.WithCancel(context.Background())
	sub, err := n.nc.Subscribe(subject, func(m *nats.Msg) {
		go func() {
			if err := m.Respond(h(ctx, m.Data)); err != nil {
				n.log.Warn("bus: nats: respond", "subject", subject, "err", err)
			}
		}()
	})
	if err == nil {
		// Once Serve returns, the server routes requests here (and, after
		// stop, no longer does): other nodes may ask at once.
		if err = n.nc.FlushTimeout(n.timeout); err != nil {
			_ = sub.Unsubscribe()
		}
	}
	if err != nil {
		cancel()
		return nil, fmt.Errorf("bus: nats: serve %s: %w", subject, err)
	}
	return func() {
		_ = sub.Unsubscribe()
		if err := n.nc.FlushTimeout(n.timeout); err != nil {
			n.log.Warn("bus: nats: stop serving", "subject", subject, "err", err)
		}
		cancel()
	}, nil
}
