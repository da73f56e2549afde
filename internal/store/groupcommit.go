package store

import (
	"context"
	"fmt"
	"sync"
)

// SQLite has one writer. Instead of committing every transaction on its
// own, a single goroutine owns the write connection and runs whatever
// transactions are queued as one SQLite transaction, each inside its own
// savepoint: a transaction that fails is rolled back to its savepoint
// without disturbing the others, and every caller hears back only after
// the shared COMMIT, so an acknowledged write is durable. Many small
// commits touch the same index pages; one commit writes them once.

// maxBatch bounds how many transactions share one commit.
const maxBatch = 128

type writeJob struct {
	ctx  context.Context
	fn   func(*dbtx) error
	done chan error
}

type groupCommitter struct {
	s    *Store
	jobs chan *writeJob
	stop chan struct{}
	wg   sync.WaitGroup
}

func newGroupCommitter(s *Store) *groupCommitter {
	g := &groupCommitter{s: s, jobs: make(chan *writeJob), stop: make(chan struct{})}
	g.wg.Go(g.run)
	return g
}

func (g *groupCommitter) close() {
	close(g.stop)
	g.wg.Wait()
}

// do runs fn in the next batch and waits for its commit.
func (g *groupCommitter) do(ctx context.Context, fn func(*dbtx) error) error {
	j := &writeJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case g.jobs <- j:
	case <-ctx.Done():
		return ctx.Err()
	case <-g.stop:
		return fmt.Errorf("store: closed")
	}
	// Always wait: once taken, the job may commit even if ctx ends now.
	return <-j.done
}

func (g *groupCommitter) run() {
	for {
		select {
		case <-g.stop:
			return
		case j := <-g.jobs:
			batch := []*writeJob{j}
		collect:
			for len(batch) < maxBatch {
				select {
				case j := <-g.jobs:
					batch = append(batch, j)
				default:
					break collect
				}
			}
			g.commit(batch)
		}
	}
}

func (g *groupCommitter) commit(batch []*writeJob) {
	results := make([]error, len(batch))
	var missed []string
	fail := func(err error) {
		for i := range results {
			if results[i] == nil {
				results[i] = err
			}
		}
	}
	// The batch's own context never ends: cancelling one caller must not
	// roll back the others (SQLite undoes the whole transaction when a
	// write is interrupted).
	bg := context.Background()
	tx, err := g.s.db.BeginTx(bg, nil)
	if err != nil {
		fail(fmt.Errorf("store: begin: %w", err))
	} else {
		ok := true
		// A job alone needs no savepoint: if it fails, the whole
		// transaction is rolled back. Savepoints are not free on SQLite:
		// each keeps a journal of the pages it changes, which for a big
		// write (a flash sale's batch of reservations) costs more than the
		// write itself.
		alone := len(batch) == 1
		for i, j := range batch {
			if err := j.ctx.Err(); err != nil {
				results[i] = err
				continue
			}
			t := &dbtx{tx: tx, cache: g.s.wq, ctx: context.WithoutCancel(j.ctx)}
			if alone {
				results[i] = call(j.fn, t)
				missed = append(missed, t.missed...)
				ok = results[i] == nil
				break
			}
			if _, err := t.ExecContext(bg, `SAVEPOINT job`); err != nil {
				fail(fmt.Errorf("store: savepoint: %w", err))
				ok = false
				break
			}
			results[i] = call(j.fn, t)
			missed = append(missed, t.missed...)
			if results[i] != nil {
				if _, err := t.ExecContext(bg, `ROLLBACK TO job`); err != nil {
					fail(fmt.Errorf("store: rollback to savepoint: %w", err))
					ok = false
					break
				}
			}
			if _, err := t.ExecContext(bg, `RELEASE job`); err != nil {
				fail(fmt.Errorf("store: release savepoint: %w", err))
				ok = false
				break
			}
		}
		if !ok {
			tx.Rollback()
		} else if err := tx.Commit(); err != nil {
			fail(fmt.Errorf("store: commit: %w", err))
		}
	}
	if len(missed) > 0 {
		g.s.wq.prepareMissed(bg, missed)
	}
	for i, j := range batch {
		j.done <- results[i]
	}
}

// call runs fn, turning a panic into an error so that one bad
// transaction cannot stop every writer.
func call(fn func(*dbtx) error, t *dbtx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("store: transaction panicked: %v", v)
		}
	}()
	return fn(t)
}
