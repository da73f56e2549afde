package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// dist is a sorted set of durations.
type dist []time.Duration

func newDist(v []time.Duration) dist {
	d := slices.Clone(v)
	slices.Sort(d)
	return d
}

// pct returns the p-quantile (nearest rank), 0 when empty.
func (d dist) pct(p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := int(p*float64(len(d))+0.5) - 1
	return d[min(max(i, 0), len(d)-1)]
}

func (d dist) max() time.Duration { return d.pct(1) }

// ms formats a duration in milliseconds with one decimal.
func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64)
}

// pctStr formats a share as a percentage.
func pctStr(num, den float64) string {
	if den <= 0 {
		return "–"
	}
	return strconv.FormatFloat(100*num/den, 'f', 1, 64) + " %"
}

// mb formats bytes in MiB.
func mb(b int64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) }

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

// viewerList parses "250,500,1000".
type viewerList []int

func (v *viewerList) String() string {
	s := make([]string, len(*v))
	for i, n := range *v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func (v *viewerList) Set(s string) error {
	*v = nil
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 20000 {
			return fmt.Errorf("viewer count %q must be between 1 and 20000", f)
		}
		*v = append(*v, n)
	}
	return nil
}
