package feed

import (
	"strconv"
)

// Exploration gives new hosts a chance: a few positions of every feed go
// to a room whose host has few followers and sessions. Which room is a
// hash of the viewer, the hour and the room, so a viewer sees the same
// pick all hour (the feed does not jump on every refresh), another viewer
// sees another, and a test can compute it.

// FNV-1a, 64 bit, written out so that hashing thousands of rooms per
// request allocates nothing.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	h *= fnvPrime // a zero byte after each part
	return h
}

// explorePrefix hashes the viewer key and the hour (unix hours), the part
// every room of one feed shares.
func explorePrefix(viewerKey string, hour int64) uint64 {
	return fnvAdd(fnvAdd(fnvOffset, viewerKey), strconv.FormatInt(hour, 10))
}

// exploreHash is FNV-1a (64 bit) of the viewer key, the hour (unix hours)
// and the session id, each followed by a zero byte.
func exploreHash(viewerKey string, hour int64, sessionID string) uint64 {
	return fnvAdd(explorePrefix(viewerKey, hour), sessionID)
}

// explorable reports whether r may fill an exploration position for v: a
// new host's room that v does not follow.
func explorable(v Viewer, r *Room) bool {
	if !newHost(*r) {
		return false
	}
	host, shop := v.follows(*r)
	return !host && !shop
}

// candidate is a room in the exploration pool.
type candidate struct {
	idx  int
	hash uint64
	id   string
}

func lessCandidate(a, b candidate) bool {
	return a.hash < b.hash || a.hash == b.hash && a.id < b.id
}

// explorePick returns the first room of pool (sorted by hash) that is not
// placed yet; false when there is none.
func explorePick(pool []candidate, placed map[int]bool) (int, bool) {
	for _, c := range pool {
		if !placed[c.idx] {
			return c.idx, true
		}
	}
	return 0, false
}
