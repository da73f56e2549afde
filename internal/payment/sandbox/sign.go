package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"time"
)

// SignatureHeader carries the webhook signature: "t=<unix>,v1=<hex>".
const SignatureHeader = "Sandbox-Signature"

// signLink signs a pay link. url.Values.Encode sorts and escapes, so the
// message is unambiguous whatever the values contain; the prefix keeps it
// apart from webhook messages signed with the same key.
func (p *Provider) signLink(l payLink) string {
	v := l.values()
	v.Set("payment", l.PaymentID)
	return hex.EncodeToString(p.mac([]byte("sandbox-pay:" + v.Encode())))
}

func (p *Provider) checkLink(l payLink, sig string) bool {
	got, err := hex.DecodeString(sig)
	if err != nil {
		return false
	}
	want, _ := hex.DecodeString(p.signLink(l))
	return hmac.Equal(got, want)
}

// SignEvent returns the Sandbox-Signature header value for a webhook body
// sent at t: "t=<unix>,v1=<hex HMAC-SHA256(secret, "<unix>.<body>")>".
// Tests elsewhere use it to forge valid webhooks.
func (p *Provider) SignEvent(body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(p.eventMAC(ts, body))
}

func (p *Provider) eventMAC(ts string, body []byte) []byte {
	msg := make([]byte, 0, len(ts)+1+len(body))
	msg = append(append(append(msg, ts...), '.'), body...)
	return p.mac(msg)
}

func (p *Provider) mac(msg []byte) []byte {
	m := hmac.New(sha256.New, p.secret)
	m.Write(msg)
	return m.Sum(nil)
}

// webhookURL is where Confirm delivers events.
func (p *Provider) webhookURL() string { return p.publicURL + WebhookPath }

// payURL is the hosted page's path for a payment, for form actions.
func payURL(paymentID string) string { return PayPath + url.PathEscape(paymentID) }
