package webhook

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// NewClient returns the HTTP client deliveries go out with. Unless
// allowPrivate, it refuses to connect to loopback, private, link-local and
// other non-public addresses, checked on the address actually dialled, so
// a merchant's URL cannot reach the platform's own network (SSRF), even
// through a DNS name that later resolves somewhere else.
func NewClient(timeout time.Duration, allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if !allowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("webhook: unexpected address %q", address)
			}
			if !publicAddr(ap.Addr()) {
				return fmt.Errorf("webhook: refusing to connect to non-public address %s", ap.Addr())
			}
			return nil
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = d.DialContext
	tr.Proxy = nil
	return &http.Client{Timeout: timeout, Transport: tr,
		// A redirect could point anywhere; endpoints must answer directly.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func publicAddr(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsGlobalUnicast() && !a.IsPrivate() && !a.IsLoopback() && !a.IsLinkLocalUnicast() &&
		!netip.MustParsePrefix("100.64.0.0/10").Contains(a) && // carrier-grade NAT
		!netip.MustParsePrefix("fc00::/7").Contains(a)
}
