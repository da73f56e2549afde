package main

import (
	"time"

	"github.com/liveshop/liveshop/internal/mcn"
	"github.com/liveshop/liveshop/internal/report"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
)

// newReports wires the reports (docs/DISCOVERY.md): read-only queries over
// paid order lines and the analytics roll-ups, with the access rules of
// the room, catalog and MCN services.
func newReports(st *store.Store, rooms *room.Service, agencies *mcn.Service) *report.Service {
	return report.NewService(report.Config{Repo: st, Rooms: rooms, Agencies: agencies, Agreements: st, Now: time.Now})
}
