package main

import (
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/liveshop/liveshop/bench/internal/latency"
)

// The markers in docs/BENCHMARKS.md between which the report goes.
const (
	markBegin = "<!-- cluster-bench:begin -->"
	markEnd   = "<!-- cluster-bench:end -->"
	heading   = "## Cluster: three nodes (issue 7)"
)

// hist is a latency histogram many goroutines record into at once.
type hist struct {
	counts [latency.Buckets]atomic.Uint64
}

func (h *hist) record(d time.Duration) { h.counts[latency.Bucket(d.Microseconds())].Add(1) }

// snapshot copies the counts, for quantiles.
func (h *hist) snapshot() []uint64 {
	out := make([]uint64, latency.Buckets)
	for i := range h.counts {
		out[i] = h.counts[i].Load()
	}
	return out
}

// quantile is the p-quantile (nearest rank) of bucket counts, in
// milliseconds; 0 when there are none.
func quantile(counts []uint64, p float64) float64 {
	var n uint64
	for _, c := range counts {
		n += c
	}
	if n == 0 {
		return 0
	}
	rank := min(max(uint64(p*float64(n)+0.5), 1), n)
	var cum uint64
	for i, c := range counts {
		cum += c
		if cum >= rank {
			return float64(latency.Mid(i)) / 1000
		}
	}
	return float64(latency.MaxValue) / 1000
}

// metrics is what one round measured, by name ("ws.1.p50", …).
type metrics map[string]float64

// median is the median of key over the rounds that have it (the mean of
// the middle two for an even count); ok is false when none has it.
func median(rounds []metrics, key string) (float64, bool) {
	var v []float64
	for _, r := range rounds {
		if x, ok := r[key]; ok {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return 0, false
	}
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2], true
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2, true
}

// table is a Markdown table whose cells name metrics, formatted with
// the median over the rounds.
type table struct {
	head []string
	rows [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) String() string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(t.head, " | ") + " |\n|")
	for range t.head {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range t.rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	return b.String()
}

// cell formats the median of key with format f ("%.0f", …), or "–".
func cell(rounds []metrics, key, f string) string {
	v, ok := median(rounds, key)
	if !ok {
		return "–"
	}
	return group(fmt.Sprintf(f, v))
}

// group puts thousands separators into the integer part of a number.
func group(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	if len(intPart) <= 3 || strings.IndexFunc(intPart, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return map[bool]string{true: "-"}[neg] + s
	}
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	return map[bool]string{true: "-"}[neg] + out
}

// replaceBlock puts block between the markers of doc, adding the heading
// and the markers at the end when doc has none. Only what is between
// the markers changes.
func replaceBlock(doc, block string) (string, error) {
	block = strings.TrimRight(block, "\n") + "\n"
	i := strings.Index(doc, markBegin)
	j := strings.Index(doc, markEnd)
	switch {
	case i < 0 && j < 0:
		doc = strings.TrimRight(doc, "\n")
		if doc != "" {
			doc += "\n\n"
		}
		return doc + heading + "\n\n" + markBegin + "\n" + block + markEnd + "\n", nil
	case i < 0 || j < 0 || j < i:
		return "", fmt.Errorf("the markers %s and %s are not both there in that order", markBegin, markEnd)
	}
	return doc[:i+len(markBegin)] + "\n" + block + doc[j:], nil
}
