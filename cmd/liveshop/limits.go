package main

import (
	"flag"
	"fmt"
	"math"
	"time"

	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/realtime"
)

// limitsConfig holds the flags of rate limits, connection caps and the
// server's read timeout. A zero rate or cap turns that limit off.
type limitsConfig struct {
	RateIP        float64
	RateIPBurst   int
	RateUser      float64
	RateUserBurst int
	MaxInFlight   int
	WSPerIP       int
	WSPerUser     int
	WSMax         int
	TrustProxy    bool
	ReadTimeout   time.Duration
}

func limitsFlags(fs *flag.FlagSet, c *limitsConfig) {
	fs.Float64Var(&c.RateIP, "rate-ip", 100, "HTTP requests a second per client IP (429 beyond); 0 turns it off")
	fs.IntVar(&c.RateIPBurst, "rate-ip-burst", 200, "requests one client IP may send at once before --rate-ip applies")
	fs.Float64Var(&c.RateUser, "rate-user", 30, "HTTP requests a second per signed-in session or API token (429 beyond); 0 turns it off")
	fs.IntVar(&c.RateUserBurst, "rate-user-burst", 60, "requests one session or token may send at once before --rate-user applies")
	fs.IntVar(&c.MaxInFlight, "max-inflight", 1000, "HTTP requests served at once before the node sheds with 503 (WebSocket, LL-HLS and WHIP/WHEP do not count); 0 turns it off")
	fs.IntVar(&c.WSPerIP, "ws-per-ip", 200, "live room WebSockets at once per client IP (429 beyond); 0 turns it off")
	fs.IntVar(&c.WSPerUser, "ws-per-user", 20, "live room WebSockets at once per signed-in user (429 beyond); 0 turns it off")
	fs.IntVar(&c.WSMax, "ws-max", 50000, "live room WebSockets at once on this node (503 beyond); 0 turns it off")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", false, "take the client IP from the left-most X-Forwarded-For entry; only behind a proxy that sets that header")
	fs.DurationVar(&c.ReadTimeout, "read-timeout", 2*time.Minute, "longest time to read one request, headers and body (uploads must fit in it); WebSockets are not affected")
}

// resolve checks the values; each error names its flag.
func (c *limitsConfig) resolve() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"--rate-ip", c.RateIP}, {"--rate-user", c.RateUser}} {
		if f.v < 0 || math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v > 1e6 {
			return usageError{fmt.Sprintf("%s %v must be between 0 (off) and 1000000", f.name, f.v)}
		}
	}
	for _, f := range []struct {
		name string
		v    int
		max  int
	}{
		{"--rate-ip-burst", c.RateIPBurst, 1e7},
		{"--rate-user-burst", c.RateUserBurst, 1e7},
		{"--max-inflight", c.MaxInFlight, 1e7},
		{"--ws-per-ip", c.WSPerIP, 1e7},
		{"--ws-per-user", c.WSPerUser, 1e7},
		{"--ws-max", c.WSMax, 1e7},
	} {
		if f.v < 0 || f.v > f.max {
			return usageError{fmt.Sprintf("%s %d must be between 0 and %d", f.name, f.v, f.max)}
		}
	}
	// A bucket smaller than one second of its rate would refuse clients
	// that keep exactly to the rate.
	if c.RateIP > 0 && float64(c.RateIPBurst) < c.RateIP {
		return usageError{fmt.Sprintf("--rate-ip-burst %d must be at least --rate-ip %v", c.RateIPBurst, c.RateIP)}
	}
	if c.RateUser > 0 && float64(c.RateUserBurst) < c.RateUser {
		return usageError{fmt.Sprintf("--rate-user-burst %d must be at least --rate-user %v", c.RateUserBurst, c.RateUser)}
	}
	if c.ReadTimeout < 5*time.Second || c.ReadTimeout > time.Hour {
		return usageError{fmt.Sprintf("--read-timeout %s must be between 5s and 1h", c.ReadTimeout)}
	}
	return nil
}

func (c *limitsConfig) api() httpapi.Limits {
	return httpapi.Limits{RateIP: c.RateIP, BurstIP: c.RateIPBurst, RateUser: c.RateUser, BurstUser: c.RateUserBurst,
		MaxInFlight: c.MaxInFlight, TrustProxy: c.TrustProxy}
}

func (c *limitsConfig) realtime() realtime.Limits {
	return realtime.Limits{PerIP: c.WSPerIP, PerUser: c.WSPerUser, Max: c.WSMax, TrustProxy: c.TrustProxy}
}
