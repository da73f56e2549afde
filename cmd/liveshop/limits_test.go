package main

import (
	"errors"
	"flag"
	"testing"
	"time"
)

func TestLimitsFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(c limitsConfig) bool
		wantErr string
	}{
		{"defaults", nil, nil, func(c limitsConfig) bool {
			return c.RateIP == 100 && c.RateIPBurst == 200 && c.RateUser == 30 && c.RateUserBurst == 60 && c.MaxInFlight == 1000 &&
				c.WSPerIP == 200 && c.WSPerUser == 20 && c.WSMax == 50000 && !c.TrustProxy && c.ReadTimeout == 2*time.Minute
		}, ""},
		{"all off", []string{"--rate-ip", "0", "--rate-user", "0", "--max-inflight", "0", "--ws-per-ip", "0", "--ws-per-user", "0", "--ws-max", "0"}, nil,
			func(c limitsConfig) bool {
				a, r := c.api(), c.realtime()
				return a.RateIP == 0 && a.RateUser == 0 && a.MaxInFlight == 0 && r.PerIP == 0 && r.PerUser == 0 && r.Max == 0
			}, ""},
		{"env", nil, map[string]string{"LIVESHOP_RATE_IP": "5", "LIVESHOP_RATE_IP_BURST": "5", "LIVESHOP_TRUST_PROXY": "true", "LIVESHOP_WS_MAX": "10"},
			func(c limitsConfig) bool {
				return c.RateIP == 5 && c.RateIPBurst == 5 && c.TrustProxy && c.api().TrustProxy && c.realtime().TrustProxy && c.WSMax == 10
			}, ""},
		{"fractional rate", []string{"--rate-user", "0.5", "--rate-user-burst", "1"}, nil, func(c limitsConfig) bool { return c.RateUser == 0.5 }, ""},
		{"negative rate", []string{"--rate-ip", "-1"}, nil, nil, "--rate-ip"},
		{"not a number", []string{"--rate-user", "lots"}, nil, nil, "rate-user"},
		{"NaN rate", []string{"--rate-ip", "NaN"}, nil, nil, "--rate-ip"},
		{"burst below rate", []string{"--rate-ip", "50", "--rate-ip-burst", "10"}, nil, nil, "--rate-ip-burst"},
		{"user burst below rate", []string{"--rate-user", "50", "--rate-user-burst", "10"}, nil, nil, "--rate-user-burst"},
		{"negative inflight", []string{"--max-inflight", "-1"}, nil, nil, "--max-inflight"},
		{"negative ws cap", []string{"--ws-per-ip", "-3"}, nil, nil, "--ws-per-ip"},
		{"negative ws user cap", []string{"--ws-per-user", "-3"}, nil, nil, "--ws-per-user"},
		{"huge ws max", []string{"--ws-max", "100000000"}, nil, nil, "--ws-max"},
		{"bad env", nil, map[string]string{"LIVESHOP_MAX_INFLIGHT": "many"}, nil, "LIVESHOP_MAX_INFLIGHT"},
		{"read timeout too short", []string{"--read-timeout", "1s"}, nil, nil, "--read-timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var c config
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			serveFlags(fs, &c)
			err := parseFlags(fs, tt.args)
			if err == nil {
				err = c.Limits.resolve()
			}
			if tt.wantErr != "" {
				var ue usageError
				if err == nil || !errors.As(err, &ue) || !contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want a usage error naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c.Limits) {
				t.Fatalf("limits = %+v", c.Limits)
			}
		})
	}
}
