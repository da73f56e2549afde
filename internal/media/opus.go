package media

// OpusSamples returns the number of 48 kHz samples per channel in an Opus
// packet, read from its TOC byte (RFC 6716 §3.1), or 0 when the packet is
// malformed.
func OpusSamples(p []byte) int {
	if len(p) == 0 {
		return 0
	}
	toc := p[0]
	config := toc >> 3
	var per int // samples per frame at 48 kHz
	switch {
	case config < 12: // SILK: 10, 20, 40, 60 ms
		per = []int{480, 960, 1920, 2880}[config&3]
	case config < 16: // hybrid: 10, 20 ms
		per = []int{480, 960}[config&1]
	default: // CELT: 2.5, 5, 10, 20 ms
		per = []int{120, 240, 480, 960}[config&3]
	}
	var frames int
	switch toc & 3 {
	case 0:
		frames = 1
	case 1, 2:
		frames = 2
	default:
		if len(p) < 2 {
			return 0
		}
		frames = int(p[1] & 0x3f)
	}
	if n := per * frames; n <= 5760 { // 120 ms is the most a packet may hold
		return n
	}
	return 0
}
