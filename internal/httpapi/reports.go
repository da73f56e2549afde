package httpapi

import (
	"bytes"
	"mime"
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/report"
)

// Reports (docs/DISCOVERY.md): read-only, JSON by default, a CSV download
// with ?format=csv. The report service decides who may read each one.

var reportQuery = []string{"from", "to", "format"}

func (a *API) reportRoutes() []route {
	ok := http.StatusOK
	return []route{
		{Method: "GET", Path: v1 + "/live-sessions/{id}/report", Tag: "reports", Summary: "A live session's final report: audience totals and sales per product (format=csv: one row per product)", Auth: authUser, Query: []string{"format"}, Resp: report.SessionReport{}, Status: ok, H: a.sessionReport},
		{Method: "GET", Path: v1 + "/hosts/{id}/report", Tag: "reports", Summary: "A host's sessions, views, orders, GMV and commission per day", Auth: authUser, Query: reportQuery, Resp: report.HostReport{}, Status: ok, H: a.hostReport},
		{Method: "GET", Path: v1 + "/shops/{id}/report", Tag: "reports", Summary: "A shop's GMV, orders, fees and net per day, top products and sessions", Auth: authUser, Query: reportQuery, Resp: report.ShopReport{}, Status: ok, H: a.shopReport},
		{Method: "GET", Path: v1 + "/mcns/{id}/report", Tag: "reports", Summary: "An agency's GMV, commissions and share per host and per day", Auth: authUser, Query: reportQuery, Resp: report.MCNReport{}, Status: ok, H: a.mcnReport},
		{Method: "GET", Path: v1 + "/admin/report", Tag: "reports", Summary: "The platform per day: active users, viewing hours, sessions, GMV; top channels", Auth: authUser, Query: reportQuery, Resp: report.PlatformReport{}, Status: ok, H: a.platformReport},
	}
}

// reportFormat reads ?format=: json (the default) or csv.
func reportFormat(r *http.Request) (csv bool, err error) {
	switch r.URL.Query().Get("format") {
	case "", "json":
		return false, nil
	case "csv":
		return true, nil
	}
	return false, apperr.Field("format", "format must be json or csv")
}

// serveReport answers with the report as JSON, or as a CSV attachment.
// The CSV is written to memory first so a failure is still an error
// answer rather than half a file.
func serveReport[R report.CSV](w http.ResponseWriter, r *http.Request, build func(from, to string) (R, error)) error {
	csv, err := reportFormat(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	rep, err := build(q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	if !csv {
		writeJSON(w, http.StatusOK, rep)
		return nil
	}
	var buf bytes.Buffer
	if err := rep.WriteCSV(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": rep.Filename()}))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}

func (a *API) sessionReport(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	return serveReport(w, r, func(_, _ string) (report.SessionReport, error) {
		return a.cfg.Reports.Session(r.Context(), actor, r.PathValue("id"))
	})
}

func (a *API) hostReport(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	return serveReport(w, r, func(from, to string) (report.HostReport, error) {
		return a.cfg.Reports.Host(r.Context(), actor, r.PathValue("id"), from, to)
	})
}

func (a *API) shopReport(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	return serveReport(w, r, func(from, to string) (report.ShopReport, error) {
		return a.cfg.Reports.Shop(r.Context(), actor, r.PathValue("id"), from, to)
	})
}

func (a *API) mcnReport(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	return serveReport(w, r, func(from, to string) (report.MCNReport, error) {
		return a.cfg.Reports.MCN(r.Context(), actor, r.PathValue("id"), from, to)
	})
}

func (a *API) platformReport(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	return serveReport(w, r, func(from, to string) (report.PlatformReport, error) {
		return a.cfg.Reports.Platform(r.Context(), actor, from, to)
	})
}
