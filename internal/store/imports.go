package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/catalog"
)

// CreateImportJob records a new import.
func (s *Store) CreateImportJob(ctx context.Context, j catalog.ImportJob) error {
	_, err := s.wq.ExecContext(ctx, `
		INSERT INTO import_jobs (id, shop_id, actor_id, filename, format, status, total, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		j.ID, j.ShopID, j.ActorID, j.Filename, j.Format, j.Status, j.Total, millis(j.CreatedAt), millis(j.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store: create import: %w", err)
	}
	return nil
}

// SaveImportProgress writes counters, errors and status.
func (s *Store) SaveImportProgress(ctx context.Context, j catalog.ImportJob) error {
	errs, _ := json.Marshal(j.Errors)
	var finished sql.NullInt64
	if j.FinishedAt != nil {
		finished = sql.NullInt64{Int64: millis(*j.FinishedAt), Valid: true}
	}
	return execOne(ctx, s.wq, "import", `
		UPDATE import_jobs SET status = $1, processed = $2, created = $3, errors = $4, updated_at = $5, finished_at = $6 WHERE id = $7`,
		j.Status, j.Processed, j.Created, string(errs), millis(j.UpdatedAt), finished, j.ID)
}

const importColumns = `id, shop_id, actor_id, filename, format, status, total, processed, created, errors, created_at, updated_at, finished_at`

func scanImport(row interface{ Scan(...any) error }) (catalog.ImportJob, error) {
	var j catalog.ImportJob
	var errs string
	var created, updated int64
	var finished sql.NullInt64
	if err := row.Scan(&j.ID, &j.ShopID, &j.ActorID, &j.Filename, &j.Format, &j.Status, &j.Total, &j.Processed, &j.Created,
		&errs, &created, &updated, &finished); err != nil {
		return catalog.ImportJob{}, err
	}
	j.Errors = []catalog.RowError{}
	json.Unmarshal([]byte(errs), &j.Errors)
	j.CreatedAt, j.UpdatedAt, j.FinishedAt = fromMillis(created), fromMillis(updated), fromNullMillis(finished)
	return j, nil
}

// ImportJobByID returns an import job.
func (s *Store) ImportJobByID(ctx context.Context, id string) (catalog.ImportJob, error) {
	j, err := scanImport(s.rq.QueryRowContext(ctx, `SELECT `+importColumns+` FROM import_jobs WHERE id = $1`, id))
	return j, notFound(err, "import")
}

// ListImportJobs lists a shop's imports, newest first.
func (s *Store) ListImportJobs(ctx context.Context, shopID string) ([]catalog.ImportJob, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+importColumns+` FROM import_jobs WHERE shop_id = $1 ORDER BY id DESC LIMIT 50`, shopID)
	if err != nil {
		return nil, fmt.Errorf("store: list imports: %w", err)
	}
	defer rows.Close()
	out := []catalog.ImportJob{}
	for rows.Next() {
		j, err := scanImport(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list imports: %w", err)
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// FailInterruptedImports marks jobs a stopped process left running. With
// several nodes only jobs untouched for a while are taken as abandoned.
func (s *Store) FailInterruptedImports(ctx context.Context, at time.Time) (int, error) {
	res, err := s.wq.ExecContext(ctx, `
		UPDATE import_jobs SET status = 'failed', finished_at = $1, updated_at = $1
		WHERE status = 'running' AND updated_at < $2`, millis(at), millis(at.Add(-10*time.Minute)))
	if err != nil {
		return 0, fmt.Errorf("store: fail interrupted imports: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

var _ catalog.ImportRepo = (*Store)(nil)
