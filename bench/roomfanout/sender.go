package main

import (
	"context"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// load is the chat and like traffic of one step: every signed-in sender
// connection sends chats at chats/len(senders) a second and likes at
// likes/len(senders) taps a second, open loop, phases spread at random.
type load struct {
	chats, likes int // per second, for the whole room
	sentChats    atomic.Int64
	sentLikes    atomic.Int64 // taps
	writeErrs    atomic.Int64
	lateMax      atomic.Int64 // worst lag behind schedule of a chat write, ns
}

// run sends until ctx ends and returns when every sender has stopped.
func (l *load) run(ctx context.Context, senders []*websocket.Conn) {
	var wg sync.WaitGroup
	n := len(senders)
	for i, c := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.sendChats(ctx, c, i, float64(l.chats)/float64(n))
		}()
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.sendLikes(ctx, c, i, n)
		}()
	}
	wg.Wait()
}

// sendChats writes rate chats a second with the scheduled send time in
// the text, so queueing in the sender counts in the latency too.
func (l *load) sendChats(ctx context.Context, c *websocket.Conn, id int, rate float64) {
	if rate <= 0 {
		return
	}
	every := time.Duration(float64(time.Second) / rate)
	next := time.Now().Add(time.Duration(rand.Int64N(int64(every))))
	buf := make([]byte, 0, 128)
	for seq := 0; ; seq++ {
		if !sleepUntil(ctx, next) {
			return
		}
		if late := time.Since(next); late > time.Duration(l.lateMax.Load()) {
			l.lateMax.Store(int64(late))
		}
		buf = appendChat(buf[:0], id, seq, next.UnixNano())
		if err := c.Write(ctx, websocket.MessageText, buf); err != nil {
			if ctx.Err() == nil {
				l.writeErrs.Add(1)
			}
			return
		}
		l.sentChats.Add(1)
		next = next.Add(every)
	}
}

// appendChat is {"type":"chat","id":"s<id>-<seq>","data":{"text":"t=<nanos> …"}}.
func appendChat(b []byte, id, seq int, at int64) []byte {
	b = append(b, `{"type":"chat","id":"s`...)
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(seq), 10)
	b = append(b, `","data":{"text":"t=`...)
	b = strconv.AppendInt(b, at, 10)
	b = append(b, ` hello from the bench"}}`...)
	return b
}

// sendLikes taps likes/n a second (the remainder spread over the first
// senders), as one frame a second of at most 50 taps each (the most one
// frame may carry).
func (l *load) sendLikes(ctx context.Context, c *websocket.Conn, id, n int) {
	taps := l.likes / n
	if id < l.likes%n {
		taps++
	}
	if taps == 0 {
		return
	}
	next := time.Now().Add(time.Duration(rand.Int64N(int64(time.Second))))
	for {
		if !sleepUntil(ctx, next) {
			return
		}
		for left := taps; left > 0; left -= 50 {
			k := min(left, 50)
			msg := `{"type":"like","data":{"count":` + strconv.Itoa(k) + `}}`
			if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
				if ctx.Err() == nil {
					l.writeErrs.Add(1)
				}
				return
			}
			l.sentLikes.Add(int64(k))
		}
		next = next.Add(time.Second)
	}
}

func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-tm.C:
		return true
	}
}
