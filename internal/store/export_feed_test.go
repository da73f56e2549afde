package store

import "context"

// ExecFeedFixture runs one statement in a transaction. The feed's
// conformance test seeds rows that other packages own (follows, analytics
// roll-ups, sessions in exact states) with plain SQL through it.
func (s *Store) ExecFeedFixture(ctx context.Context, query string, args ...any) error {
	return s.tx(ctx, func(tx *dbtx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
}
