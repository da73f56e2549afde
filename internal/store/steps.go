package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// step is one statement of a transaction whose SQL and arguments are known
// up front, with a check of how many rows it changed.
type step struct {
	query string
	args  []any
	// check, when set, turns an unexpected row count into an error that
	// rolls the whole transaction back.
	check func(rows int64) error
}

// runSteps runs steps as one transaction. On PostgreSQL they go to the
// server in a single round trip (a pgx batch inside BEGIN … COMMIT), where
// database/sql would spend one per statement; a checkout's order went from
// seven round trips to two. On SQLite they run through the group commit.
func (s *Store) runSteps(ctx context.Context, steps []step) error {
	if s.dialect != Postgres {
		return s.tx(ctx, func(tx *dbtx) error {
			for _, st := range steps {
				res, err := tx.ExecContext(ctx, st.query, st.args...)
				if err != nil {
					return err
				}
				if st.check != nil {
					n, err := res.RowsAffected()
					if err != nil {
						return err
					}
					if err := st.check(n); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: connection: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		b := &pgx.Batch{}
		b.Queue("BEGIN")
		for _, st := range steps {
			b.Queue(st.query, pgArgs(st.args)...)
		}
		br := c.SendBatch(ctx, b)
		_, err := br.Exec() // BEGIN
		for i := 0; err == nil && i < len(steps); i++ {
			var tag interface{ RowsAffected() int64 }
			tag, err = br.Exec()
			if err == nil && steps[i].check != nil {
				err = steps[i].check(tag.RowsAffected())
			}
		}
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			// After a failed statement PostgreSQL ignores the rest; undo it all.
			if _, rerr := c.Exec(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
				return fmt.Errorf("%w (and rollback failed: %v)", err, rerr)
			}
			return err
		}
		if _, err := c.Exec(ctx, "COMMIT"); err != nil {
			return fmt.Errorf("store: commit: %w", err)
		}
		return nil
	})
}

// pgArgs unwraps database/sql null types, which pgx's batch API takes as
// driver.Valuers anyway; kept explicit so that NULLs are NULLs.
func pgArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case sql.NullString:
			if v.Valid {
				out[i] = v.String
			} else {
				out[i] = nil
			}
		case sql.NullInt64:
			if v.Valid {
				out[i] = v.Int64
			} else {
				out[i] = nil
			}
		default:
			out[i] = a
		}
	}
	return out
}
