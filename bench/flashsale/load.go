package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// reserveFunc makes one reservation of one unit for a buyer with an
// idempotency key and says how it went: the HTTP status (0 when the
// request never got an answer) and, for a refusal, the reason.
type reserveFunc func(buyer int, key string) (status int, reason string)

// outcome is what one measurement saw.
type outcome struct {
	lat      hist           // every answer finished inside the window
	ok       int            // 201s finished inside the window
	created  int            // every 201 of the run, warm-up and stragglers included
	replays  int            // 200s (a key used twice: never, each key is new)
	lost     int            // requests without an answer: they may or may not have reserved
	errs     map[string]int // refusals and failures inside the window, by status and reason
	window   time.Duration
	firstErr string
}

func (o *outcome) add(w *outcome) {
	o.lat.add(&w.lat)
	o.ok += w.ok
	o.created += w.created
	o.replays += w.replays
	o.lost += w.lost
	for k, v := range w.errs {
		o.errs[k] += v
	}
	if o.firstErr == "" {
		o.firstErr = w.firstErr
	}
}

func newOutcome() *outcome { return &outcome{errs: map[string]int{}} }

// closedLoop runs workers buyers, each sending its next reservation as
// soon as the previous one is answered, for warm (unmeasured) then
// window. Answers that finish inside the window count; keys are
// keyPrefix + worker + sequence, so none repeats. Worker w speaks for
// users w, w+workers, w+2·workers… (mod users) in turn, so that with
// more users than workers a per-buyer limit takes longer to bind.
func closedLoop(workers, users int, warm, window time.Duration, keyPrefix string, do reserveFunc) *outcome {
	start := time.Now()
	from, end := start.Add(warm), start.Add(warm+window)
	outs := make([]*outcome, workers)
	var wg sync.WaitGroup
	for w := range workers {
		outs[w] = newOutcome()
		wg.Add(1)
		go func(o *outcome) {
			defer wg.Done()
			prefix := keyPrefix + strconv.Itoa(w) + "-"
			for seq := 0; ; seq++ {
				t0 := time.Now()
				if !t0.Before(end) {
					return
				}
				status, reason := do((w+seq*workers)%users, prefix+strconv.Itoa(seq))
				t1 := time.Now()
				in := !t1.Before(from) && t1.Before(end)
				o.tally(status, reason, in)
				if in {
					o.lat.record(t1.Sub(t0))
				}
			}
		}(outs[w])
	}
	wg.Wait()
	sum := newOutcome()
	for _, o := range outs {
		sum.add(o)
	}
	sum.window = window
	return sum
}

func (o *outcome) tally(status int, reason string, inWindow bool) {
	switch status {
	case http.StatusCreated:
		o.created++
		if inWindow {
			o.ok++
		}
		return
	case http.StatusOK:
		o.replays++
	case 0:
		o.lost++
	}
	if inWindow || status == 0 {
		k := strconv.Itoa(status) + " " + reason
		if status == 0 {
			k = "no answer: " + reason
		}
		o.errs[k]++
		if o.firstErr == "" {
			o.firstErr = k
		}
	}
}

// burst has every buyer open its connection (warm), then, all at the
// same moment, send one reservation each. Every answer counts.
func burst(buyers int, keyPrefix string, warm func(buyer int) error, do reserveFunc) (*outcome, error) {
	outs := make([]*outcome, buyers)
	ready := make(chan error, buyers)
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for b := range buyers {
		outs[b] = newOutcome()
		wg.Add(1)
		go func(o *outcome) {
			defer wg.Done()
			ready <- warm(b)
			<-gate
			t0 := time.Now()
			status, reason := do(b, keyPrefix+strconv.Itoa(b))
			o.lat.record(time.Since(t0))
			o.tally(status, reason, true)
		}(outs[b])
	}
	var errs []error
	for range buyers {
		if err := <-ready; err != nil {
			errs = append(errs, err)
		}
	}
	start := time.Now()
	close(gate)
	wg.Wait()
	sum := newOutcome()
	for _, o := range outs {
		sum.add(o)
	}
	sum.window = time.Since(start)
	if len(errs) > 0 {
		return sum, fmt.Errorf("%d of %d buyers could not connect before the burst: %w", len(errs), buyers, errs[0])
	}
	return sum, nil
}

// httpReserve is a reserveFunc posting body(buyer) to u with the buyer's
// bearer token (token may be nil), on client c.
func httpReserve(c *http.Client, u string, body func(buyer int) []byte, token func(buyer int) string) reserveFunc {
	return func(buyer int, key string) (int, string) {
		req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(body(buyer)))
		if err != nil {
			return 0, err.Error()
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		if token != nil {
			req.Header.Set("Authorization", "Bearer "+token(buyer))
		}
		resp, err := c.Do(req)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err // without the URL
			}
			return 0, err.Error()
		}
		defer resp.Body.Close()
		if resp.StatusCode < 300 {
			_, _ = io.Copy(io.Discard, resp.Body)
			return resp.StatusCode, ""
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, errorMessage(b)
	}
}

// errorMessage is the message of an API error body
// {"error":{"code":…,"message":…}}, or the start of the body.
func errorMessage(b []byte) string {
	const tag = `"message":"`
	if i := bytes.Index(b, []byte(tag)); i >= 0 {
		rest := b[i+len(tag):]
		if j := bytes.IndexByte(rest, '"'); j >= 0 {
			return string(rest[:j])
		}
	}
	s := strings.TrimSpace(string(b))
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return s
}

// errSummary lists errors by count, largest first: "409 sold out ×12, …".
func errSummary(errs map[string]int) string {
	if len(errs) == 0 {
		return "0"
	}
	type kv struct {
		k string
		v int
	}
	var l []kv
	for k, v := range errs {
		l = append(l, kv{k, v})
	}
	sort.Slice(l, func(a, b int) bool { return l[a].v > l[b].v || l[a].v == l[b].v && l[a].k < l[b].k })
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = fmt.Sprintf("%s ×%d", strings.ReplaceAll(e.k, "|", "/"), e.v)
	}
	return strings.Join(parts, ", ")
}
