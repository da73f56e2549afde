package media

import (
	"context"
	"io"
	"sync/atomic"
)

// Reader receives a stream's frames through a bounded queue. A reader
// that falls behind loses frames up to the next keyframe instead of
// slowing the publisher or other readers.
type Reader struct {
	Protocol Protocol
	stream   *Stream
	id       int
	ch       chan *Frame
	done     chan struct{}
	// needKey is set after an overflow: video is skipped until the next
	// keyframe so the decoder never sees a broken reference chain.
	needKey bool
	dropped atomic.Int64
}

// offer queues f without blocking; called with the stream's lock held.
func (r *Reader) offer(f *Frame) {
	if r.needKey {
		if f.Codec.Video() && !f.Key {
			r.dropped.Add(1)
			return
		}
		if f.Codec.Video() {
			r.needKey = false
		}
	}
	select {
	case r.ch <- f:
	default:
		r.dropped.Add(1)
		r.needKey = r.stream.tracks.Video != nil
	}
}

// Read returns the next frame, io.EOF when the stream has ended or the
// reader was closed, or ctx's error.
func (r *Reader) Read(ctx context.Context) (*Frame, error) {
	select {
	case f, ok := <-r.ch:
		if !ok {
			return nil, io.EOF
		}
		return f, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// C exposes the queue for select loops; it is closed at the end.
func (r *Reader) C() <-chan *Frame { return r.ch }

// Dropped counts frames this reader lost by falling behind.
func (r *Reader) Dropped() int64 { return r.dropped.Load() }

// Stream returns the stream being read.
func (r *Reader) Stream() *Stream { return r.stream }

// Close stops the reader; further frames are not queued for it.
func (r *Reader) Close() { r.stream.unsubscribe(r) }
