package ratelimit

import (
	"net"
	"net/netip"
	"strings"
)

// ClientKey is the key that identifies a client for per-IP limits, from
// a request's remote address ("host:port") and X-Forwarded-For header.
//
// Only when trustProxy is set is the left-most X-Forwarded-For entry
// used: anyone can send the header, so trusting it without a proxy that
// rewrites it would let every request pick its own bucket. An IPv6
// client is keyed by its /64, since one host usually owns the whole
// prefix and could otherwise rotate addresses to get fresh buckets.
func ClientKey(remoteAddr, forwardedFor string, trustProxy bool) string {
	if trustProxy && forwardedFor != "" {
		first, _, _ := strings.Cut(forwardedFor, ",")
		if k, ok := addrKey(strings.TrimSpace(first)); ok {
			return k
		}
	}
	host := remoteAddr
	if h, _, err := net.SplitHostPort(remoteAddr); err == nil {
		host = h
	}
	if k, ok := addrKey(host); ok {
		return k
	}
	return host // not an IP (a unix socket, a test): still one key per value
}

func addrKey(s string) (string, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		// "1.2.3.4:5678" or "[::1]:80" in a forwarded header.
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return "", false
		}
		a = ap.Addr()
	} else if a.Is4() {
		return s, true // already canonical (ParseAddr refuses leading zeros): no allocation
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String(), true
	}
	return a.String(), true
}
