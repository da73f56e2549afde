package realtime

import (
	"fmt"
	"time"
)

// presenceReport is what a node publishes on room.{id}.presence.
type presenceReport struct {
	Node    string `json:"node"`
	Current int    `json:"current"`
	HLL     []byte `json:"hll"`
}

// nodeReport is a decoded report with when it arrived.
type nodeReport struct {
	current int
	uniques Sketch
	at      time.Time
}

// presence aggregates the nodes' reports of one room.
type presence struct {
	uniques Uniques
	ttl     time.Duration
	reports map[string]nodeReport
}

func newPresence(u Uniques, ttl time.Duration) *presence {
	return &presence{uniques: u, ttl: ttl, reports: map[string]nodeReport{}}
}

// record keeps a node's latest report.
func (p *presence) record(r presenceReport, at time.Time) error {
	sk, err := p.uniques.Decode(r.HLL)
	if err != nil {
		return fmt.Errorf("realtime: presence of node %s: %w", r.Node, err)
	}
	p.reports[r.Node] = nodeReport{current: r.Current, uniques: sk, at: at}
	return nil
}

// recordLocal keeps this node's own report without a round trip.
func (p *presence) recordLocal(node string, current int, uniques Sketch, at time.Time) {
	p.reports[node] = nodeReport{current: current, uniques: uniques, at: at}
}

// current sums the viewers of fresh reports, forgetting reports older
// than the TTL (a node that went away).
func (p *presence) current(now time.Time) int {
	n := 0
	for node, r := range p.reports {
		if now.Sub(r.at) > p.ttl {
			delete(p.reports, node)
			continue
		}
		n += r.current
	}
	return n
}

// unique merges the identities of the reports kept.
func (p *presence) unique() uint64 {
	merged := p.uniques.New()
	for _, r := range p.reports {
		_ = merged.Merge(r.uniques) // sketches all come from p.uniques
	}
	return merged.Count()
}
