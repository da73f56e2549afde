package draw

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// SeedSize is the secret seed's length in bytes.
const SeedSize = 32

// newSeed returns a fresh secret seed as hex.
func newSeed() (string, error) {
	b := make([]byte, SeedSize)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("draw: seed: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// Commitment returns hex(SHA-256(seed)) of a hex seed.
func Commitment(seedHex string) (string, error) {
	seed, err := decodeSeed(seedHex)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(seed)
	return hex.EncodeToString(sum[:]), nil
}

func decodeSeed(seedHex string) ([]byte, error) {
	seed, err := hex.DecodeString(seedHex)
	if err != nil || len(seed) != SeedSize {
		return nil, fmt.Errorf("draw: the seed must be %d bytes of hex", SeedSize)
	}
	return seed, nil
}

// stream is the draw's randomness: the n-th number is the first 8 bytes
// (big-endian) of HMAC-SHA256(seed, "liveshop-draw|" + draw id + "|" + n),
// n counting 0, 1, 2, … in decimal over every number read, rejected ones
// included.
type stream struct {
	mac     []byte
	prefix  string
	counter uint64
	key     []byte
}

func newStream(seed []byte, drawID string) *stream {
	return &stream{key: seed, prefix: "liveshop-draw|" + drawID + "|"}
}

func (s *stream) next() uint64 {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte(s.prefix + strconv.FormatUint(s.counter, 10)))
	s.counter++
	s.mac = h.Sum(s.mac[:0])
	return binary.BigEndian.Uint64(s.mac[:8])
}

// below returns a number uniform in [0, n) for n ≥ 1: numbers from the top
// 2^64 mod n values are rejected and the next one read, so that taking the
// remainder favours no result.
func (s *stream) below(n uint64) uint64 {
	skip := (math.MaxUint64%n + 1) % n // 2^64 mod n
	for {
		if x := s.next(); x <= math.MaxUint64-skip {
			return x % n
		}
	}
}

// Pick returns the winners of a draw: the entrants sorted by user id
// (duplicates dropped), shuffled by Fisher–Yates (for i from the last
// index down to 1, swap element i with element j, j uniform in [0, i],
// drawn from the stream above), and the first min(count, entrants) of
// them. It is deterministic: the same seed, draw id and entrants give the
// same winners, on any machine.
func Pick(seedHex, drawID string, entrants []string, count int) ([]string, error) {
	seed, err := decodeSeed(seedHex)
	if err != nil {
		return nil, err
	}
	order := slices.Clone(entrants)
	slices.Sort(order)
	order = slices.Compact(order)
	r := newStream(seed, drawID)
	for i := len(order) - 1; i > 0; i-- {
		j := r.below(uint64(i) + 1)
		order[i], order[j] = order[j], order[i]
	}
	count = max(0, min(count, len(order)))
	return order[:count:count], nil
}

// Verify checks a draw's proof: the seed hashes to the commitment, the
// entrants are sorted by user id without duplicates, and the winners are
// exactly the ones Pick gives. It needs nothing but the proof.
func Verify(p Proof) error {
	c, err := Commitment(p.Seed)
	if err != nil {
		return err
	}
	if !hmac.Equal([]byte(c), []byte(p.Commitment)) {
		return errors.New("draw: the seed does not match the commitment")
	}
	for i := 1; i < len(p.Entrants); i++ {
		if p.Entrants[i-1] >= p.Entrants[i] {
			return fmt.Errorf("draw: entrants are not sorted by user id without duplicates at %d", i)
		}
	}
	if p.WinnerCount < MinWinners {
		return fmt.Errorf("draw: winner count %d is below %d", p.WinnerCount, MinWinners)
	}
	want, err := Pick(p.Seed, p.DrawID, p.Entrants, p.WinnerCount)
	if err != nil {
		return err
	}
	if !slices.Equal(want, p.Winners) {
		return fmt.Errorf("draw: the winners do not follow from the seed: want %v, the proof has %v", want, p.Winners)
	}
	return nil
}
