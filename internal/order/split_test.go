package order

import "testing"

func TestSplitLine(t *testing.T) {
	tests := []struct {
		name                      string
		total                     int64
		platform, commission, mcn int
		hasHost                   bool
		want                      Split
	}{
		{"standard, no host", 10000, 500, 2000, 0, false, Split{PlatformFee: 500, MerchantNet: 9500}},
		{"rural pays no platform fee", 10000, 0, 0, 0, false, Split{MerchantNet: 10000}},
		{"host without agency", 10000, 500, 2000, 0, true, Split{PlatformFee: 500, HostCommission: 2000, MerchantNet: 7500}},
		{"host with agency taking 30%", 10000, 500, 2000, 3000, true, Split{PlatformFee: 500, HostCommission: 1400, MCNShare: 600, MerchantNet: 7500}},
		{"rounding stays whole", 999, 500, 1500, 3333, true, Split{PlatformFee: 50, HostCommission: 100, MCNShare: 50, MerchantNet: 799}},
		{"one fen", 1, 500, 2000, 5000, true, Split{MerchantNet: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitLine(tt.total, tt.platform, tt.commission, tt.hasHost, tt.mcn)
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			if sum := got.PlatformFee + got.HostCommission + got.MCNShare + got.MerchantNet; sum != tt.total {
				t.Fatalf("parts add to %d, want %d", sum, tt.total)
			}
		})
	}
}

func TestCanTransition(t *testing.T) {
	tests := []struct {
		from, to string
		want     bool
	}{
		{PendingPayment, Paid, true},
		{PendingPayment, Cancelled, true},
		{PendingPayment, Shipped, false},
		{Paid, Shipped, true},
		{Paid, Refunded, true},
		{Paid, Cancelled, false},
		{Shipped, Delivered, true},
		{Delivered, Completed, true},
		{Completed, Refunded, false},
		{Cancelled, Paid, false},
		{Refunded, Paid, false},
	}
	for _, tt := range tests {
		if got := CanTransition(tt.from, tt.to); got != tt.want {
			t.Errorf("%s → %s = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}
