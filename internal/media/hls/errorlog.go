package hls

import (
	"log/slog"
	"sync"
)

// errorLog logs a packager's recurring errors without flooding the log:
// the first few in full, then one in every errorLogEvery with a count.
type errorLog struct {
	logger *slog.Logger
	msg    string

	mu sync.Mutex
	n  int
}

const (
	errorLogFirst = 5
	errorLogEvery = 500
)

func newErrorLog(log *slog.Logger, msg string) *errorLog { return &errorLog{logger: log, msg: msg} }

func (e *errorLog) log(err error) {
	e.mu.Lock()
	e.n++
	n := e.n
	e.mu.Unlock()
	if n <= errorLogFirst || n%errorLogEvery == 0 {
		e.logger.Warn(e.msg, "err", err, "count", n)
	}
}
