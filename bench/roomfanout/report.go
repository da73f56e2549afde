package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// reset zeroes the counters at the start of a window.
func (t *tally) reset() {
	for _, c := range []interface{ Store(int64) }{&t.frames, &t.envs, &t.chats, &t.likes, &t.counts, &t.badJSON} {
		c.Store(0)
	}
	t.mu.Lock()
	clear(t.errs)
	clear(t.closes)
	t.mu.Unlock()
}

// problems lists what went wrong since the window began: error frames
// by code, connections the server closed, failed writes, undecodable
// messages, and how far the senders fell behind their schedule.
func (t *tally) problems(l *load) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for _, k := range slices.Sorted(maps.Keys(t.errs)) {
		out = append(out, fmt.Sprintf("%d %s", t.errs[k], k))
	}
	for _, k := range slices.Sorted(maps.Keys(t.closes)) {
		out = append(out, fmt.Sprintf("%d %s", t.closes[k], k))
	}
	if n := l.writeErrs.Load(); n > 0 {
		out = append(out, fmt.Sprintf("%d write errors", n))
	}
	if n := t.badJSON.Load(); n > 0 {
		out = append(out, fmt.Sprintf("%d bad JSON", n))
	}
	if late := time.Duration(l.lateMax.Load()); late > 50*time.Millisecond {
		out = append(out, "senders up to "+ms(late)+" ms late")
	}
	if len(out) == 0 {
		return "–"
	}
	return strings.Join(out, ", ")
}

// closeSummary lists the connections the server closed so far, by reason.
func (t *tally) closeSummary() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for _, k := range slices.Sorted(maps.Keys(t.closes)) {
		out = append(out, fmt.Sprintf("%d %s", t.closes[k], k))
	}
	if len(out) == 0 {
		return "–"
	}
	return strings.Join(out, ", ")
}

// table prints a markdown table.
type table struct {
	head []string
	rows [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) String() string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(t.head, " | ") + " |\n")
	b.WriteString(strings.Repeat("|---", len(t.head)) + "|\n")
	for _, r := range t.rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	return b.String()
}

// ms formats a duration in milliseconds with one decimal.
func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64)
}

// pct formats a share as a percentage.
func pct(num, den float64) string {
	if den <= 0 {
		return "–"
	}
	return strconv.FormatFloat(100*num/den, 'f', 1, 64) + " %"
}

// mib formats bytes in MiB.
func mib(b int64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) }

// usPer is CPU seconds per event, in microseconds.
func usPer(cpuSeconds, events float64) string {
	if events <= 0 {
		return "–"
	}
	return strconv.FormatFloat(cpuSeconds/events*1e6, 'f', 2, 64)
}

// intList parses "50,200,1000".
type intList []int

func (v *intList) String() string {
	s := make([]string, len(*v))
	for i, n := range *v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func (v *intList) Set(s string) error {
	*v = nil
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 100000 {
			return fmt.Errorf("%q must be a number between 1 and 100000", f)
		}
		*v = append(*v, n)
	}
	return nil
}
