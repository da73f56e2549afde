package ids

import (
	"sort"
	"strings"
	"sync"
	"testing"
)

func TestNewIsOrderedAndUnique(t *testing.T) {
	const n = 20000
	got := make([]string, 0, n)
	for i := 0; i < n; i++ {
		got = append(got, New("ord"))
	}
	if !sort.StringsAreSorted(got) {
		t.Fatal("ids made one after another are not in order")
	}
	seen := map[string]bool{}
	for _, id := range got {
		if seen[id] {
			t.Fatalf("duplicate id %s", id)
		}
		seen[id] = true
		if !strings.HasPrefix(id, "ord_") || len(id) != 30 {
			t.Fatalf("id %q has the wrong shape", id)
		}
	}
}

func TestNewConcurrent(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for i := 0; i < 2000; i++ {
				id := New("x")
				mu.Lock()
				if seen[id] {
					t.Errorf("duplicate id %s", id)
				}
				seen[id] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

func TestToken(t *testing.T) {
	a, b := Token(32), Token(32)
	if a == b || len(a) != 52 {
		t.Fatalf("tokens %q %q", a, b)
	}
	for _, c := range a {
		if !strings.ContainsRune(alphabet, c) {
			t.Fatalf("token %q has %q outside the alphabet", a, c)
		}
	}
}
