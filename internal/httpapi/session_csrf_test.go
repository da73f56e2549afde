package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/httpapi"
)

// browser is a signed-in cookie session as a browser holds it: the
// session cookie and the CSRF token GET /me hands out.
type browser struct {
	cookie *http.Cookie
	csrf   string
}

// cookieCall sends a request with the session cookie and, when csrf is not
// empty, the X-CSRF-Token header. It returns the response (body read) and
// the body decoded as a JSON object when it is one.
func (h *apiHarness) cookieCall(method, path string, c *http.Cookie, csrf, body string) (*http.Response, map[string]any, string) {
	h.t.Helper()
	req, err := http.NewRequestWithContext(h.ctx, method, h.srv.URL+"/api/v1"+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c != nil {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	var out map[string]any
	json.Unmarshal(raw, &out) // non-object bodies leave out nil; tests check raw
	return resp, out, string(raw)
}

// sessionCookie returns the liveshop session cookie a response sets.
func sessionCookie(t *testing.T, resp *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == "liveshop_session" {
			return c
		}
	}
	t.Fatalf("no liveshop_session cookie in %v", resp.Header.Values("Set-Cookie"))
	return nil
}

// signUpBrowser signs a new user up over HTTP and returns their browser.
func (h *apiHarness) signUpBrowser(email, password string) (browser, *http.Response) {
	h.t.Helper()
	body := `{"email":"` + email + `","password":"` + password + `"}`
	resp, out, raw := h.cookieCall("POST", "/auth/signup", nil, "", body)
	if resp.StatusCode != http.StatusCreated {
		h.t.Fatalf("sign up: %d %s", resp.StatusCode, raw)
	}
	csrf, _ := out["csrf_token"].(string)
	if csrf == "" {
		h.t.Fatalf("sign up gave no csrf_token: %s", raw)
	}
	return browser{cookie: sessionCookie(h.t, resp), csrf: csrf}, resp
}

func TestSessionCookieAttributes(t *testing.T) {
	for _, secure := range []bool{false, true} {
		name := "plain"
		if secure {
			name = "secure"
		}
		t.Run(name, func(t *testing.T) {
			h := newAPIHarness(t, func(_ *apiHarness, c *httpapi.Config) { c.SecureCookies = secure })
			_, signUp := h.signUpBrowser("ada@example.com", "correct horse")
			resp, _, raw := h.cookieCall("POST", "/auth/signin", nil, "", `{"email":"ada@example.com","password":"correct horse"}`)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("sign in: %d %s", resp.StatusCode, raw)
			}
			for what, r := range map[string]*http.Response{"sign up": signUp, "sign in": resp} {
				c := sessionCookie(t, r)
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != secure || c.Path != "/" {
					t.Errorf("%s cookie: HttpOnly=%v SameSite=%v Secure=%v Path=%q; want HttpOnly, Lax, Secure=%v, /",
						what, c.HttpOnly, c.SameSite, c.Secure, c.Path, secure)
				}
				if c.Value == "" || !c.Expires.After(time.Now()) {
					t.Errorf("%s cookie has no value or has expired: %+v", what, c)
				}
			}
		})
	}
}

func TestCSRF(t *testing.T) {
	h := newAPIHarness(t, nil)
	b, _ := h.signUpBrowser("bea@example.com", "correct horse")

	// GET /me repeats the session's token to a page that lost it.
	resp, out, raw := h.cookieCall("GET", "/me", b.cookie, "", "")
	if resp.StatusCode != http.StatusOK || out["csrf_token"] != b.csrf {
		t.Fatalf("GET /me with the cookie: %d %s, want csrf_token %q", resp.StatusCode, raw, b.csrf)
	}

	refused := []struct{ name, method, path, csrf, body string }{
		{"POST without a token", "POST", "/me/tokens", "", `{"name":"x"}`},
		{"POST with a wrong token", "POST", "/me/tokens", b.csrf + "x", `{"name":"x"}`},
		{"POST with another case", "POST", "/me/tokens", strings.ToUpper(b.csrf), `{"name":"x"}`},
		{"PUT without a token", "PUT", "/cart/items/sku_none", "", `{"quantity":1}`},
		{"PATCH without a token", "PATCH", "/shops/shp_none", "", `{"name":"x"}`},
		{"DELETE without a token", "DELETE", "/me/tokens/tok_none", "", ""},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			resp, out, raw := h.cookieCall(tt.method, tt.path, b.cookie, tt.csrf, tt.body)
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("%s %s: %d %s, want 403", tt.method, tt.path, resp.StatusCode, raw)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q, want JSON", ct)
			}
			e, _ := out["error"].(map[string]any)
			if e["code"] != apperr.Forbidden || errField(out) != "X-CSRF-Token" {
				t.Errorf("error = %s, want code %s naming X-CSRF-Token", raw, apperr.Forbidden)
			}
		})
	}
	// Nothing refused was done.
	if resp, out, raw := h.cookieCall("GET", "/me/tokens", b.cookie, "", ""); resp.StatusCode != http.StatusOK || len(out["items"].([]any)) != 0 {
		t.Fatalf("after refusals: %d %s, want no tokens", resp.StatusCode, raw)
	}

	// The right token lets the same call through.
	resp, out, raw = h.cookieCall("POST", "/me/tokens", b.cookie, b.csrf, `{"name":"cli"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST with the right token: %d %s", resp.StatusCode, raw)
	}
	secret, _ := out["secret"].(string)
	tokenID, _ := out["token"].(map[string]any)["id"].(string)

	// Safe methods need no token.
	for _, m := range []string{"GET", "HEAD"} {
		if resp, _, raw := h.cookieCall(m, "/me/tokens", b.cookie, "", ""); resp.StatusCode != http.StatusOK {
			t.Errorf("%s without a token: %d %s, want 200", m, resp.StatusCode, raw)
		}
	}

	// A bearer token is not sent by browsers on their own, so it needs no
	// CSRF token; a stray cookie beside it changes nothing.
	if code, _, raw := h.call("POST", "/me/tokens", secret, `{"name":"bearer"}`); code != http.StatusCreated {
		t.Errorf("bearer POST without a CSRF token: %d %s, want 201", code, raw)
	}
	req, _ := http.NewRequestWithContext(h.ctx, "DELETE", h.srv.URL+"/api/v1/me/tokens/"+tokenID, nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	req.AddCookie(&http.Cookie{Name: b.cookie.Name, Value: b.cookie.Value})
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != http.StatusNoContent {
		t.Errorf("bearer DELETE with a cookie and no CSRF token: %d, want 204", r2.StatusCode)
	}
}

func TestSignOutInvalidatesCookie(t *testing.T) {
	h := newAPIHarness(t, nil)
	b, _ := h.signUpBrowser("cy@example.com", "correct horse")
	if resp, _, raw := h.cookieCall("GET", "/me/tokens", b.cookie, "", ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("signed in: %d %s", resp.StatusCode, raw)
	}
	resp, _, raw := h.cookieCall("POST", "/auth/signout", b.cookie, "", "")
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("sign out: %d %s", resp.StatusCode, raw)
	}
	if c := sessionCookie(t, resp); c.Value != "" || c.Expires.After(time.Now()) && c.MaxAge >= 0 {
		t.Errorf("sign out left the cookie set: %+v", c)
	}
	// A replayed cookie is a dead session: anonymous, so 401 on a
	// signed-in route and no user on /me.
	if resp, _, raw := h.cookieCall("GET", "/me/tokens", b.cookie, "", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("replayed cookie: %d %s, want 401", resp.StatusCode, raw)
	}
	if resp, _, raw := h.cookieCall("POST", "/me/tokens", b.cookie, b.csrf, `{"name":"x"}`); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("replayed cookie and CSRF token: %d %s, want 401", resp.StatusCode, raw)
	}
	if resp, out, raw := h.cookieCall("GET", "/me", b.cookie, "", ""); resp.StatusCode != http.StatusOK || out["user"] != nil || out["csrf_token"] != nil {
		t.Errorf("GET /me with a replayed cookie: %d %s, want an anonymous caller", resp.StatusCode, raw)
	}
	if _, _, err := h.st.ActorBySessionHash(h.ctx, account.HashToken(b.cookie.Value)); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("session row after sign out: err = %v, want NotFound", err)
	}
}

func TestExpiredSession(t *testing.T) {
	h := newAPIHarness(t, nil)
	u := h.user("Dee")
	token := "expired-session-token"
	past := time.Now().Add(-time.Minute).UTC()
	if err := h.st.CreateSession(h.ctx, account.Session{TokenHash: account.HashToken(token), UserID: u.ID(), CSRFToken: "csrf-dee",
		ExpiresAt: past, CreatedAt: past.Add(-account.SessionTTL)}); err != nil {
		t.Fatal(err)
	}
	c := &http.Cookie{Name: "liveshop_session", Value: token}
	if resp, _, raw := h.cookieCall("GET", "/me/tokens", c, "", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("expired session: %d %s, want 401", resp.StatusCode, raw)
	}
	if resp, _, raw := h.cookieCall("POST", "/me/tokens", c, "csrf-dee", `{"name":"x"}`); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("expired session with its CSRF token: %d %s, want 401", resp.StatusCode, raw)
	}
	// The same row a minute from expiry still works, so the 401 is the expiry.
	live := "live-session-token"
	if err := h.st.CreateSession(h.ctx, account.Session{TokenHash: account.HashToken(live), UserID: u.ID(), CSRFToken: "csrf-live",
		ExpiresAt: time.Now().Add(time.Minute).UTC(), CreatedAt: past}); err != nil {
		t.Fatal(err)
	}
	if resp, _, raw := h.cookieCall("GET", "/me/tokens", &http.Cookie{Name: "liveshop_session", Value: live}, "", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("live session: %d %s, want 200", resp.StatusCode, raw)
	}
}

// TestSecretsStoredHashed checks what the tables keep: a session under
// the SHA-256 of its token (the token itself finds nothing) and a
// password as a slow hash, never the text.
func TestSecretsStoredHashed(t *testing.T) {
	h := newAPIHarness(t, nil)
	const password = "correct horse battery"
	b, _ := h.signUpBrowser("eve@example.com", password)

	if _, _, err := h.st.ActorBySessionHash(h.ctx, b.cookie.Value); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("looking the session up by its raw token: err = %v, want NotFound", err)
	}
	actor, sess, err := h.st.ActorBySessionHash(h.ctx, account.HashToken(b.cookie.Value))
	if err != nil {
		t.Fatalf("looking the session up by its hash: %v", err)
	}
	if actor.User == nil || actor.User.Email != "eve@example.com" {
		t.Errorf("session belongs to %+v", actor.User)
	}
	if sess.TokenHash == b.cookie.Value || strings.Contains(sess.TokenHash, b.cookie.Value) || sess.CSRFToken == b.cookie.Value {
		t.Errorf("the session row holds the raw token: %+v", sess)
	}

	_, hash, err := h.st.UserByEmail(h.ctx, "eve@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if hash == "" || strings.Contains(hash, password) {
		t.Errorf("stored password = %q, want a hash not containing the password", hash)
	}
	if !account.CheckPassword(hash, password) || account.CheckPassword(hash, password+"x") {
		t.Error("the stored hash does not check the password")
	}
}
