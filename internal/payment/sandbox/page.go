package sandbox

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
)

//go:embed pages.html
var pageFS embed.FS

func parsePages() *template.Template {
	// The template is compiled into the binary; failing to parse it is a
	// build bug that every test catches.
	return template.Must(template.ParseFS(pageFS, "pages.html"))
}

// payView is what the pay page shows and posts back.
type payView struct {
	Amount    string
	OrderID   string
	PaymentID string
	Action    string
	Fields    map[string]string
}

// problemView is the error page: what went wrong and whether to go back.
type problemView struct {
	Title   string
	Message string
	Back    string
}

// PayPage serves GET /sandbox/pay/{paymentID}: the hosted page with the
// amount and Pay / Decline buttons. A link whose signature does not match
// gets a 400 page, so an edited amount is never shown as payable.
func (p *Provider) PayPage(w http.ResponseWriter, r *http.Request) {
	l, err := p.parseLink(r.PathValue("paymentID"), r.URL.Query())
	if err != nil {
		p.problem(w, http.StatusBadRequest, problemView{
			Title:   "This payment link is not valid",
			Message: "The link was tampered with or is incomplete. Go back to the shop and start the payment again.",
		})
		return
	}
	fields := map[string]string{"sig": r.URL.Query().Get("sig")}
	for k, v := range l.values() {
		fields[k] = v[0]
	}
	p.render(w, http.StatusOK, "pay", payView{
		Amount:    formatAmount(l.AmountMinor, l.Currency),
		OrderID:   l.OrderID,
		PaymentID: l.PaymentID,
		Action:    payURL(l.PaymentID),
		Fields:    fields,
	})
}

// Confirm serves POST /sandbox/pay/{paymentID}: the buyer pressed Pay
// (outcome=succeed) or Decline (outcome=decline). It delivers the webhook
// synchronously, as a real provider would before showing "paid", and on
// 2xx or 409 (already processed) redirects 303 to the return URL with
// ?payment=succeeded|failed. The signed fields are the only credential:
// this is the provider's page, not the shop's, so there is no session to
// protect with a CSRF token.
func (p *Provider) Confirm(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		p.problem(w, http.StatusMethodNotAllowed, problemView{Title: "Method not allowed", Message: "Confirm a payment with the buttons on the payment page."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		p.problem(w, http.StatusBadRequest, problemView{Title: "Bad request", Message: "The payment form could not be read."})
		return
	}
	l, err := p.parseLink(r.PathValue("paymentID"), r.PostForm)
	if err != nil {
		p.problem(w, http.StatusBadRequest, problemView{
			Title:   "This payment link is not valid",
			Message: "The payment form was tampered with or is incomplete. Go back to the shop and start the payment again.",
		})
		return
	}
	var succeeded bool
	switch r.PostForm.Get("outcome") {
	case "succeed":
		succeeded = true
	case "decline":
	default:
		p.problem(w, http.StatusBadRequest, problemView{Title: "Bad request", Message: "Choose Pay or Decline.", Back: p.linkFor(l, r.PostForm.Get("sig"))})
		return
	}
	status, err := p.deliver(r.Context(), l, succeeded)
	if err != nil {
		p.log.ErrorContext(r.Context(), "sandbox: webhook delivery failed", "payment", l.PaymentID, "err", err)
		p.problem(w, http.StatusBadGateway, problemView{
			Title:   "The shop did not answer",
			Message: "The sandbox could not deliver the payment webhook: " + err.Error(),
			Back:    p.linkFor(l, r.PostForm.Get("sig")),
		})
		return
	}
	if status/100 != 2 && status != http.StatusConflict {
		p.log.WarnContext(r.Context(), "sandbox: webhook refused", "payment", l.PaymentID, "status", status)
		p.problem(w, http.StatusBadGateway, problemView{
			Title:   "The shop refused the payment",
			Message: fmt.Sprintf("The payment webhook was answered with HTTP %d %s.", status, http.StatusText(status)),
			Back:    p.linkFor(l, r.PostForm.Get("sig")),
		})
		return
	}
	outcome := "failed"
	if succeeded {
		outcome = "succeeded"
	}
	http.Redirect(w, r, withQuery(l.Return, "payment", outcome), http.StatusSeeOther)
}

// linkFor rebuilds the pay page link so an error page can offer a retry.
func (p *Provider) linkFor(l payLink, sig string) string {
	q := l.values()
	q.Set("sig", sig)
	return payURL(l.PaymentID) + "?" + q.Encode()
}

// withQuery sets one query parameter on a local path.
func withQuery(path, key, value string) string {
	u, err := url.Parse(path)
	if err != nil {
		return path
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

func (p *Provider) problem(w http.ResponseWriter, status int, v problemView) {
	p.render(w, status, "problem", v)
}

// render executes into a buffer first so a template error becomes a 500,
// not half a page after a 200.
func (p *Provider) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := p.pages.ExecuteTemplate(&buf, name, data); err != nil {
		p.log.Error("sandbox: render page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer") // the link's query is a capability
	// A pay page must not be framed (clickjacking the Pay button), load
	// nothing external, and post only back to itself.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}
