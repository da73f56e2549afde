package money

import "testing"

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in       string
		currency string
		want     int64
		wantErr  bool
	}{
		{"12.34", "CNY", 1234, false},
		{"12.3", "CNY", 1230, false},
		{"12", "CNY", 1200, false},
		{".5", "CNY", 50, false},
		{"-1.01", "CNY", -101, false},
		{"1.234", "CNY", 0, true},
		{"abc", "CNY", 0, true},
		{"1e3", "CNY", 0, true},
		{"", "CNY", 0, true},
		{"100", "JPY", 100, false},
		{"1.5", "JPY", 0, true},
		{"1", "XXX", 0, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, tt.currency)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Parse(%q,%s) = %d, %v; want %d, err %v", tt.in, tt.currency, got, err, tt.want, tt.wantErr)
		}
	}
	if got := Format(1234, "CNY"); got != "12.34" {
		t.Errorf("Format = %s", got)
	}
	if got := Format(-5, "CNY"); got != "-0.05" {
		t.Errorf("Format = %s", got)
	}
}

func TestBPS(t *testing.T) {
	tests := []struct {
		amount int64
		bps    int
		want   int64
	}{
		{10000, 500, 500},
		{999, 500, 50}, // 49.95 rounds half up
		{1, 5000, 1},   // 0.5 rounds up
		{1, 4999, 0},
		{12345, 0, 0},
		{12345, 10000, 12345},
	}
	for _, tt := range tests {
		if got := BPS(tt.amount, tt.bps); got != tt.want {
			t.Errorf("BPS(%d,%d) = %d, want %d", tt.amount, tt.bps, got, tt.want)
		}
	}
}
