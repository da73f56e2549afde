package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gohlslib/v2/pkg/playlist"
)

// hlsGet fetches u and returns its body; a non-200 answer is an error.
func hlsGet(ctx context.Context, hc *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d", u, resp.StatusCode)
	}
	return b, nil
}

// mediaPlaylists returns the media playlist URLs of a multivariant
// playlist at u (video first, then audio renditions); a media playlist
// is its own only entry.
func mediaPlaylists(ctx context.Context, hc *http.Client, u string) ([]string, error) {
	b, err := hlsGet(ctx, hc, u)
	if err != nil {
		return nil, err
	}
	pl, err := playlist.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("hls: %s: %w", u, err)
	}
	mv, ok := pl.(*playlist.Multivariant)
	if !ok {
		return []string{u}, nil
	}
	base, _ := url.Parse(u)
	var out []string
	add := func(ref string) {
		r, err := url.Parse(ref)
		if err == nil {
			out = append(out, base.ResolveReference(r).String())
		}
	}
	if len(mv.Variants) > 0 {
		add(mv.Variants[0].URI)
	}
	for _, r := range mv.Renditions {
		if r.URI != nil {
			add(*r.URI)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("hls: %s lists no media playlists", u)
	}
	return out, nil
}

// waitFirstPart polls the room's LL-HLS playlist until a media playlist
// lists a part, and returns when it did.
func waitFirstPart(ctx context.Context, hc *http.Client, base, room string) (time.Time, error) {
	var last error
	for {
		if at, err := firstPartOnce(ctx, hc, base+"/live/"+room+"/index.m3u8"); err == nil {
			return at, nil
		} else {
			last = err
		}
		select {
		case <-ctx.Done():
			return time.Time{}, fmt.Errorf("%w (last: %v)", ctx.Err(), last)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func firstPartOnce(ctx context.Context, hc *http.Client, u string) (time.Time, error) {
	rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	media, err := mediaPlaylists(rctx, hc, u)
	if err != nil {
		return time.Time{}, err
	}
	b, err := hlsGet(rctx, hc, media[0])
	if err != nil {
		return time.Time{}, err
	}
	var m playlist.Media
	if err := m.Unmarshal(b); err != nil {
		return time.Time{}, fmt.Errorf("hls: media playlist: %w", err)
	}
	if len(allParts(&m)) == 0 {
		return time.Time{}, errors.New("hls: no part yet")
	}
	return time.Now(), nil
}

// allParts lists a media playlist's parts in order: those of complete
// segments, then the trailing ones.
func allParts(m *playlist.Media) []*playlist.MediaPart {
	var out []*playlist.MediaPart
	for _, s := range m.Segments {
		out = append(out, s.Parts...)
	}
	return append(out, m.Parts...)
}

// nextPart is the (msn, part) a blocking reload should wait for: the
// part after the last one listed.
func nextPart(m *playlist.Media) (msn, part int) {
	return m.MediaSequence + len(m.Segments), len(m.Parts)
}

// partLedger records when each part URL was first listed to any viewer,
// so a viewer's share is measured against every part that existed.
type partLedger struct {
	mu       sync.Mutex
	first    map[string]int64 // part URL → unix nanos first listed
	firstErr error            // the first viewer error in the window
}

func (l *partLedger) noteErr(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.firstErr == nil {
		l.firstErr = err
	}
}

func (l *partLedger) seen(u string, now int64) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	t, ok := l.first[u]
	if !ok {
		t = now
		l.first[u] = t
	}
	return t
}

func (l *partLedger) between(from, to int64) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, t := range l.first {
		if t >= from && t < to {
			n++
		}
	}
	return n
}

// hlsViewer is one LL-HLS player: per media playlist, a loop of blocking
// playlist reloads, each followed by fetching the parts it adds.
type hlsViewer struct {
	hc     *http.Client
	ledger *partLedger
	win    *window

	parts, reloads, bytes, errs atomic.Int64 // in the window
}

// window is the measured interval in unix nanos; zero when not measuring.
type window struct{ from, to atomic.Int64 }

func (w *window) in(t int64) bool { return t >= w.from.Load() && t < w.to.Load() }

func (v *hlsViewer) run(ctx context.Context, index string) {
	var media []string
	for ctx.Err() == nil {
		var err error
		if media, err = mediaPlaylists(ctx, v.hc, index); err == nil {
			break
		}
		v.fail(ctx, err)
		sleepCtx(ctx, 200*time.Millisecond)
	}
	var wg sync.WaitGroup
	for _, u := range media {
		wg.Add(1)
		go func() { defer wg.Done(); v.follow(ctx, u) }()
	}
	wg.Wait()
}

func (v *hlsViewer) fail(ctx context.Context, err error) {
	if ctx.Err() == nil && v.win.in(time.Now().UnixNano()) {
		v.errs.Add(1)
		v.ledger.noteErr(err)
	}
}

// follow plays one media playlist until ctx ends.
func (v *hlsViewer) follow(ctx context.Context, u string) {
	base, _ := url.Parse(u)
	var lastPart string
	msn, part := -1, 0
	initDone := false
	for ctx.Err() == nil {
		pu := u
		if msn >= 0 {
			pu = u + "?_HLS_msn=" + strconv.Itoa(msn) + "&_HLS_part=" + strconv.Itoa(part)
		}
		b, err := hlsGet(ctx, v.hc, pu)
		var m playlist.Media
		if err == nil {
			err = m.Unmarshal(b)
		}
		if err != nil {
			v.fail(ctx, err)
			msn, lastPart = -1, "" // start over from a fresh playlist
			sleepCtx(ctx, 200*time.Millisecond)
			continue
		}
		now := time.Now().UnixNano()
		if v.win.in(now) {
			v.reloads.Add(1)
		}
		if !initDone && m.Map != nil {
			if _, err := v.fetch(ctx, base, m.Map.URI); err != nil {
				v.fail(ctx, err)
				continue
			}
			initDone = true
		}
		parts := allParts(&m)
		first := make([]int64, len(parts))
		start := len(parts) - 1 // a new or lost viewer starts at the live edge
		for i, p := range parts {
			// Every listed part counts as published, even one this viewer skips.
			first[i] = v.ledger.seen(p.URI, now)
			if p.URI == lastPart {
				start = i + 1
			}
		}
		for i := max(start, 0); i < len(parts); i++ {
			n, err := v.fetch(ctx, base, parts[i].URI)
			if err != nil {
				v.fail(ctx, err)
				break
			}
			lastPart = parts[i].URI
			if v.win.in(first[i]) {
				v.parts.Add(1)
				v.bytes.Add(n)
			}
		}
		msn, part = nextPart(&m)
	}
}

func (v *hlsViewer) fetch(ctx context.Context, base *url.URL, ref string) (int64, error) {
	r, err := url.Parse(ref)
	if err != nil {
		return 0, err
	}
	b, err := hlsGet(ctx, v.hc, base.ResolveReference(r).String())
	return int64(len(b)), err
}

func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
