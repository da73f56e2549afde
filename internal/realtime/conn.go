package realtime

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// conn is one socket in a room. The handler goroutine reads client
// frames; a writer goroutine sends what the hub queued.
type conn struct {
	srv      *Server
	ws       *websocket.Conn
	roomID   string
	p        Participant // set before the conn joins its hub
	identity []byte      // for unique viewers: user id or the client's anonymous id
	q        *queue

	// ctx bounds reads and writes; cancelling it cuts the socket.
	ctx    context.Context
	cancel context.CancelFunc

	sent    uint64  // highest seq written; writer-owned once it runs
	likes   *bucket // reader-owned
	strikes int     // reader-owned

	failOnce sync.Once
	done     chan struct{} // closed when the conn starts closing
	closed   chan struct{} // closed when the close handshake is over
}

func newConn(s *Server, ws *websocket.Conn, roomID string, identity []byte) *conn {
	ctx, cancel := context.WithCancel(s.ctx)
	return &conn{srv: s, ws: ws, roomID: roomID, identity: identity, q: newQueue(s.opt.QueueLen),
		ctx: ctx, cancel: cancel, likes: newBucket(s.opt.LikeRate, s.opt.LikeBurst, s.now()),
		done: make(chan struct{}), closed: make(chan struct{})}
}

// fail closes the socket with code. It never blocks: the close handshake
// runs on its own goroutine, and after CloseGrace the socket is cut
// (a peer that does not read never answers the handshake).
func (c *conn) fail(code websocket.StatusCode, reason string) {
	c.failOnce.Do(func() {
		close(c.done)
		if code == CloseSlowConsumer {
			c.srv.log.Info("realtime: closing a slow consumer", "room", c.roomID, "user", c.p.UserID)
		}
		go func() {
			defer close(c.closed)
			cut := time.AfterFunc(c.srv.opt.CloseGrace, c.cancel)
			defer cut.Stop()
			_ = c.ws.Close(code, reason) // fails when the peer is gone: nothing to do
		}()
	})
}

// send queues an ephemeral frame for this socket alone.
func (c *conn) send(data []byte) {
	if !c.q.push(item{n: 1, data: data}) {
		c.fail(CloseSlowConsumer, "slow consumer")
	}
}

// writeLoop sends everything queued as one message per wake-up, then
// honours a queued close (banned, room ended) after the last frame.
func (c *conn) writeLoop() {
	var buf []byte
	for {
		select {
		case <-c.q.wake:
		case <-c.done:
			return
		}
		its, code, reason := c.q.take()
		var err error
		if buf, err = c.writeBatch(buf[:0], its); err != nil {
			c.fail(c.writeFailure(err))
			return
		}
		if code != 0 {
			c.fail(code, reason)
			return
		}
	}
}

// writeBatch writes items as one message, skipping events this socket
// already has (a resume or snapshot covered them).
func (c *conn) writeBatch(buf []byte, its []item) ([]byte, error) {
	n, single := 0, -1
	for i, it := range its {
		if it.seq != 0 && it.seq <= c.sent {
			continue
		}
		n += it.n
		single = i
	}
	if n == 0 {
		return buf, nil
	}
	var msg []byte
	if n == 1 {
		msg = its[single].data
	} else {
		buf = append(buf, '[')
		first := true
		for _, it := range its {
			if it.seq != 0 && it.seq <= c.sent {
				continue
			}
			if !first {
				buf = append(buf, ',')
			}
			first = false
			buf = append(buf, it.data...)
		}
		msg = append(buf, ']')
	}
	for _, it := range its {
		c.sent = max(c.sent, it.seq)
	}
	return buf, c.write(msg)
}

// writeFailure is the close code after a failed write: a write that timed
// out is a slow consumer's; otherwise the socket is gone anyway.
func (c *conn) writeFailure(err error) (websocket.StatusCode, string) {
	if errors.Is(err, context.DeadlineExceeded) {
		return CloseSlowConsumer, "slow consumer"
	}
	return closeInternal, "write failed"
}

func (c *conn) write(msg []byte) error {
	ctx, cancel := context.WithTimeout(c.ctx, c.srv.opt.WriteTimeout)
	defer cancel()
	return c.ws.Write(ctx, websocket.MessageText, msg)
}

// writeInitial writes the join frames (a snapshot, or the missed events)
// before the writer starts, in messages of at most 100 frames.
func (c *conn) writeInitial(its []item) error {
	const perMessage = 100
	var buf []byte
	for len(its) > 0 {
		k := 0
		for n := 0; k < len(its) && n < perMessage; k++ {
			n += its[k].n
		}
		var err error
		if buf, err = c.writeBatch(buf[:0], its[:k]); err != nil {
			return err
		}
		its = its[k:]
	}
	return nil
}
