package hll

// FNV-1a spreads different inputs well but its high bits (which choose the
// register) react weakly to the last bytes; the MurmurHash3 finaliser
// mixes every input bit into every output bit. Both are fixed functions,
// so every node hashes an item the same way.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hash64(b []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return fmix64(h)
}

func hashString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return fmix64(h)
}

func fmix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}
