package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
)

// Import job statuses.
const (
	ImportRunning = "running"
	ImportDone    = "done"
	ImportFailed  = "failed"
)

// ImportJob is a bulk import and its progress.
type ImportJob struct {
	ID         string     `json:"id"`
	ShopID     string     `json:"shop_id"`
	ActorID    string     `json:"actor_id"`
	Filename   string     `json:"filename"`
	Format     string     `json:"format"`
	Status     string     `json:"status"`
	Total      int        `json:"total"`
	Processed  int        `json:"processed"`
	Created    int        `json:"created"`
	Errors     []RowError `json:"errors"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

// ImportRepo stores import jobs.
type ImportRepo interface {
	CreateImportJob(ctx context.Context, j ImportJob) error
	// SaveImportProgress writes the job's counters, errors and status.
	SaveImportProgress(ctx context.Context, j ImportJob) error
	ImportJobByID(ctx context.Context, id string) (ImportJob, error)
	ListImportJobs(ctx context.Context, shopID string) ([]ImportJob, error)
	// FailInterruptedImports marks jobs left running by a stopped process.
	FailInterruptedImports(ctx context.Context, at time.Time) (int, error)
}

// Importer runs catalog imports in the background.
type Importer struct {
	catalog *Service
	repo    ImportRepo
	log     *slog.Logger
	base    context.Context
	wg      sync.WaitGroup
}

// NewImporter returns an importer whose jobs run until base ends.
func NewImporter(base context.Context, catalog *Service, repo ImportRepo, log *slog.Logger) *Importer {
	return &Importer{catalog: catalog, repo: repo, log: log, base: base}
}

// Wait blocks until running jobs have stopped.
func (im *Importer) Wait() { im.wg.Wait() }

// Start checks the file, records the job and imports it in the background.
// Returns Invalid when the file cannot be read at all; bad rows are
// reported in the job instead.
func (im *Importer) Start(ctx context.Context, a account.Actor, shopID, filename string, data []byte) (ImportJob, error) {
	if err := requireOperate(a, shopID); err != nil {
		return ImportJob{}, err
	}
	sh, err := im.catalog.repo.ShopByID(ctx, shopID)
	if err != nil {
		return ImportJob{}, err
	}
	if sh.Status != ShopApproved {
		return ImportJob{}, apperr.New(apperr.Conflict, "shop %s is %s; import once it is approved", shopID, sh.Status)
	}
	format := strings.TrimPrefix(strings.ToLower(path.Ext(filename)), ".")
	if format != "csv" && format != "json" {
		return ImportJob{}, &apperr.Error{Code: apperr.Unsupported, Field: "file", Message: "import a .csv or .json file"}
	}
	rows, err := ParseImport(format, data)
	if err != nil {
		return ImportJob{}, err
	}
	now := im.catalog.now().UTC()
	job := ImportJob{ID: ids.New("imp"), ShopID: shopID, ActorID: a.ID(), Filename: path.Base(filename), Format: format,
		Status: ImportRunning, Total: len(rows), Errors: []RowError{}, CreatedAt: now, UpdatedAt: now}
	if err := im.repo.CreateImportJob(ctx, job); err != nil {
		return ImportJob{}, fmt.Errorf("catalog: create import: %w", err)
	}
	im.wg.Add(1)
	go func() {
		defer im.wg.Done()
		im.run(job, a, rows)
	}()
	return job, nil
}

// Progress is saved every progressEvery products or progressInterval,
// whichever comes first, so a progress bar moves even on small files.
const (
	progressEvery    = 25
	progressInterval = 500 * time.Millisecond
)

func (im *Importer) run(job ImportJob, a account.Actor, rows []ImportRow) {
	ctx := im.base
	lastSave := time.Now()
	for i, row := range rows {
		if ctx.Err() != nil {
			break
		}
		if row.Err != nil {
			job.Errors = append(job.Errors, *row.Err)
		} else {
			p := im.catalog.buildProduct(job.ShopID, row.Product)
			if err := im.catalog.repo.CreateProduct(ctx, p, a.ID()); err != nil {
				e, ok := apperr.As(err)
				if !ok {
					im.log.Error("import row failed", "job", job.ID, "row", row.Row, "err", err)
					e = &apperr.Error{Message: "internal error"}
				}
				job.Errors = append(job.Errors, RowError{Row: row.Row, Field: e.Field, Message: e.Message})
			} else {
				job.Created++
			}
		}
		job.Processed = i + 1
		if job.Processed%progressEvery == 0 || time.Since(lastSave) > progressInterval {
			lastSave = time.Now()
			job.UpdatedAt = im.catalog.now().UTC()
			if err := im.repo.SaveImportProgress(ctx, job); err != nil {
				im.log.Error("import progress", "job", job.ID, "err", err)
			}
		}
	}
	now := im.catalog.now().UTC()
	job.Status, job.UpdatedAt, job.FinishedAt = ImportDone, now, &now
	if job.Processed < job.Total {
		job.Status = ImportFailed
		job.Errors = append(job.Errors, RowError{Row: 0, Message: "the import was interrupted by a shutdown"})
	}
	// Finish even if the server is stopping, so the job does not stay running.
	fin, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := im.repo.SaveImportProgress(fin, job); err != nil {
		im.log.Error("import finish", "job", job.ID, "err", err)
	}
	im.log.Info("import finished", "job", job.ID, "shop", job.ShopID, "created", job.Created, "errors", len(job.Errors))
}

// Job returns an import job to a member of its shop.
func (im *Importer) Job(ctx context.Context, a account.Actor, id string) (ImportJob, error) {
	j, err := im.repo.ImportJobByID(ctx, id)
	if err != nil {
		return ImportJob{}, err
	}
	if err := requireOperate(a, j.ShopID); err != nil {
		return ImportJob{}, err
	}
	return j, nil
}

// Jobs lists a shop's imports, newest first.
func (im *Importer) Jobs(ctx context.Context, a account.Actor, shopID string) ([]ImportJob, error) {
	if err := requireOperate(a, shopID); err != nil {
		return nil, err
	}
	return im.repo.ListImportJobs(ctx, shopID)
}
