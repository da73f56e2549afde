// Package ids makes identifiers: time-ordered, URL-safe and unique across
// nodes without coordination, so that sorting by id is sorting by creation
// and a cursor is just the last id seen.
package ids

import (
	"crypto/rand"
	"encoding/binary"
	"strings"
	"sync"
	"time"
)

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz" // Crockford base32, lower case

// last is the newest id made in this process, so that ids made in the
// same millisecond still sort in the order they were made.
var last struct {
	sync.Mutex
	ms   uint64
	tail [10]byte
}

// New returns prefix + "_" + 26 characters: 48 bits of milliseconds then 80
// random bits. Within one millisecond (or if the wall clock steps back) the
// process counts up from its previous id instead of drawing new random
// bits, as ULID's monotonic mode does, so ids made one after another sort
// in that order.
func New(prefix string) string {
	var b [16]byte
	ms := uint64(time.Now().UnixMilli())
	last.Lock()
	if ms <= last.ms {
		ms = last.ms
		if !increment(last.tail[:]) {
			ms++ // 2^80 ids in one millisecond: borrow the next one
		}
	} else if _, err := rand.Read(last.tail[:]); err != nil {
		last.Unlock()
		panic("ids: crypto/rand failed: " + err.Error())
	}
	last.ms = ms
	binary.BigEndian.PutUint64(b[:8], ms<<16)
	copy(b[6:], last.tail[:])
	last.Unlock()
	var sb strings.Builder
	sb.Grow(len(prefix) + 27)
	sb.WriteString(prefix)
	sb.WriteByte('_')
	// 128 bits as 26 base32 digits, most significant first.
	hi := binary.BigEndian.Uint64(b[:8])
	lo := binary.BigEndian.Uint64(b[8:])
	var out [26]byte
	for i := 25; i >= 0; i-- {
		out[i] = alphabet[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	sb.Write(out[:])
	return sb.String()
}

// increment adds one to the big-endian number in b, reporting false when
// it wraps around to zero.
func increment(b []byte) bool {
	for i := len(b) - 1; i >= 0; i-- {
		b[i]++
		if b[i] != 0 {
			return true
		}
	}
	return false
}

// Token returns n random bytes as lower-case base32, for secrets such as
// session tokens and stream keys.
func Token(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("ids: crypto/rand failed: " + err.Error())
	}
	var sb strings.Builder
	var acc uint32
	bits := 0
	for _, c := range b {
		acc = acc<<8 | uint32(c)
		bits += 8
		for bits >= 5 {
			bits -= 5
			sb.WriteByte(alphabet[(acc>>uint(bits))&31])
		}
	}
	if bits > 0 {
		sb.WriteByte(alphabet[(acc<<uint(5-bits))&31])
	}
	return sb.String()
}
