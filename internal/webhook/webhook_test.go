package webhook

import (
	"strings"
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"type":"order.paid"}`)
	sig := Sign("whsec_a", now, body)
	tests := []struct {
		name    string
		secret  string
		header  string
		body    []byte
		at      time.Time
		wantErr bool
	}{
		{"valid", "whsec_a", sig, body, now, false},
		{"valid within tolerance", "whsec_a", sig, body, now.Add(4 * time.Minute), false},
		{"stale", "whsec_a", sig, body, now.Add(6 * time.Minute), true},
		{"wrong secret", "whsec_b", sig, body, now, true},
		{"changed body", "whsec_a", sig, []byte(`{"type":"order.refunded"}`), now, true},
		{"no timestamp", "whsec_a", strings.Split(sig, ",")[1], body, now, true},
		{"garbage", "whsec_a", "nonsense", body, now, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.secret, tt.header, tt.body, tt.at, 5*time.Minute)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Verify = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}
