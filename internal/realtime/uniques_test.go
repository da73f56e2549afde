package realtime

import (
	"encoding/binary"
	"errors"
	"hash/fnv"
)

// exactUniques counts exactly, to check the counts without HyperLogLog's
// error: a set of 64-bit identity hashes.
type exactUniques struct{}

// New returns an empty set.
func (exactUniques) New() Sketch { return &exactSet{m: map[uint64]struct{}{}} }

// Decode reads a set MarshalBinary wrote.
func (exactUniques) Decode(b []byte) (Sketch, error) {
	if len(b)%8 != 0 {
		return nil, errors.New("realtime: exact set: length is not a multiple of 8")
	}
	s := &exactSet{m: make(map[uint64]struct{}, len(b)/8)}
	for i := 0; i < len(b); i += 8 {
		s.m[binary.BigEndian.Uint64(b[i:])] = struct{}{}
	}
	return s, nil
}

type exactSet struct{ m map[uint64]struct{} }

func (s *exactSet) Add(id []byte) {
	h := fnv.New64a()
	h.Write(id)
	s.m[h.Sum64()] = struct{}{}
}

func (s *exactSet) Merge(other Sketch) error {
	o, ok := other.(*exactSet)
	if !ok {
		return errors.New("realtime: exact set: cannot merge another kind of sketch")
	}
	for k := range o.m {
		s.m[k] = struct{}{}
	}
	return nil
}

func (s *exactSet) Count() uint64 { return uint64(len(s.m)) }

func (s *exactSet) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 8*len(s.m))
	for k := range s.m {
		b = binary.BigEndian.AppendUint64(b, k)
	}
	return b, nil
}
