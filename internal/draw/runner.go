package draw

import (
	"context"
	"fmt"
	"time"
)

// batch bounds the draws one pass of the runner handles.
const batch = 100

// Run draws due draws and returns unclaimed prizes every interval until
// ctx ends. Every node may run it: a draw is drawn by whichever node moves
// it from open first, and prizes are returned once.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.FinishDue(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("draw: finish due draws", "err", err)
		}
		if _, err := s.ReturnUnclaimed(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("draw: return unclaimed prizes", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// FinishDue draws the open draws whose deadline has passed and reports
// how many this call drew (others may have been drawn by another node).
func (s *Service) FinishDue(ctx context.Context) (int, error) {
	due, err := s.repo.DueDraws(ctx, s.now(), batch)
	if err != nil {
		return 0, fmt.Errorf("draw: due draws: %w", err)
	}
	n := 0
	var first error
	for _, id := range due {
		d, err := s.repo.Draw(ctx, id)
		if err == nil && d.Status == Open {
			var ok bool
			ok, err = s.finish(ctx, d)
			if ok {
				n++
			}
		}
		if err != nil {
			s.log.Error("draw: finish", "draw", id, "err", err)
			if first == nil {
				first = err
			}
		}
	}
	return n, first
}

// ReturnUnclaimed gives back the prizes that were not claimed within the
// claim window and reports how many prizes went back.
func (s *Service) ReturnUnclaimed(ctx context.Context) (int, error) {
	now := s.now().UTC()
	ids, err := s.repo.ClaimsClosed(ctx, now, batch)
	if err != nil {
		return 0, fmt.Errorf("draw: closed claims: %w", err)
	}
	total := 0
	for _, id := range ids {
		n, err := s.repo.ForfeitPrizes(ctx, id, now)
		if err != nil {
			return total, fmt.Errorf("draw: forfeit prizes of %s: %w", id, err)
		}
		if n > 0 {
			s.log.Info("draw prizes returned", "draw", id, "prizes", n)
		}
		total += n
	}
	return total, nil
}
