package media

import "testing"

func TestOpusSamples(t *testing.T) {
	tests := []struct {
		name string
		p    []byte
		want int
	}{
		{"CELT 20 ms", []byte{0xfc}, 960},
		{"SILK 20 ms", []byte{0x08}, 960},
		{"CELT 10 ms, two frames", []byte{0xf1}, 960},
		{"code 3 with 3 frames of 20 ms", []byte{0xfb, 0x03}, 2880},
		{"empty", nil, 0},
		{"code 3 too many frames", []byte{0xfb, 0x3f}, 0},
	}
	for _, tt := range tests {
		if got := OpusSamples(tt.p); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
}
