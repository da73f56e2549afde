package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
)

const sessionCookie = "liveshop_session"

// authenticate resolves the caller: a bearer token, a session cookie, or
// nobody. A bad bearer token is an error; a stale cookie makes the caller
// anonymous, so a signed-out browser can still browse.
func (a *API) authenticate(r *http.Request) (actor account.Actor, viaCookie bool, csrf string, err error) {
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			return account.Actor{}, false, "", &apperr.Error{Code: apperr.Unauthorized, Field: "Authorization", Message: "use Authorization: Bearer <token>"}
		}
		actor, err := a.cfg.Accounts.TokenActor(r.Context(), token)
		return actor, false, "", err
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return account.Actor{}, false, "", nil
	}
	actor, sess, err := a.cfg.Accounts.SessionActor(r.Context(), c.Value)
	if apperr.Is(err, apperr.Unauthorized) || apperr.Is(err, apperr.NotFound) {
		return account.Actor{}, false, "", nil
	}
	if err != nil {
		return account.Actor{}, false, "", err
	}
	return actor, true, sess.CSRFToken, nil
}

func (a *API) clearCookieIfStale(w http.ResponseWriter, r *http.Request, err error) {
	if apperr.Is(err, apperr.Unauthorized) {
		a.setSessionCookie(w, "", time.Unix(0, 0))
	}
}

func (a *API) setSessionCookie(w http.ResponseWriter, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", Expires: expires, HttpOnly: true,
		Secure: a.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// MeResponse describes the caller.
type MeResponse struct {
	User      *account.User     `json:"user"`
	Roles     []string          `json:"roles"`
	ShopRoles map[string]string `json:"shop_roles"`
	MCNs      []string          `json:"mcns"`
	CSRFToken string            `json:"csrf_token,omitempty"`
}

func me(a account.Actor, csrf string) MeResponse {
	m := MeResponse{User: a.User, Roles: a.Roles(), ShopRoles: a.ShopRoles, MCNs: a.MCNs, CSRFToken: csrf}
	if m.ShopRoles == nil {
		m.ShopRoles = map[string]string{}
	}
	if m.MCNs == nil {
		m.MCNs = []string{}
	}
	return m
}

// SignInRequest is an email and password.
type SignInRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (a *API) signUp(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	var in account.SignUpInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u, err := a.cfg.Accounts.SignUp(r.Context(), in)
	if err != nil {
		return err
	}
	return a.startSession(w, r, u.ID, http.StatusCreated)
}

func (a *API) signIn(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	var in SignInRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u, err := a.cfg.Accounts.CheckCredentials(r.Context(), in.Email, in.Password)
	if err != nil {
		return err
	}
	return a.startSession(w, r, u.ID, http.StatusOK)
}

func (a *API) startSession(w http.ResponseWriter, r *http.Request, userID string, status int) error {
	token, sess, err := a.cfg.Accounts.StartSession(r.Context(), userID)
	if err != nil {
		return err
	}
	actor, err := a.cfg.Accounts.ActorFor(r.Context(), userID)
	if err != nil {
		return err
	}
	a.setSessionCookie(w, token, sess.ExpiresAt)
	writeJSON(w, status, me(actor, sess.CSRFToken))
	return nil
}

func (a *API) signOut(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := a.cfg.Accounts.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
		a.hot.forget(r)
	}
	a.setSessionCookie(w, "", time.Unix(0, 0))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) getMe(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	csrf, _ := r.Context().Value(csrfKey).(string)
	writeJSON(w, http.StatusOK, me(actor, csrf))
	return nil
}

func (a *API) becomeHost(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	if err := a.cfg.Accounts.BecomeHost(r.Context(), actor); err != nil {
		return err
	}
	return a.getMe(w, r, actor)
}

// TokenRequest names a new API token.
type TokenRequest struct {
	Name string `json:"name"`
}

// TokenCreated carries a new token's secret, shown once.
type TokenCreated struct {
	Token  account.APIToken `json:"token"`
	Secret string           `json:"secret"`
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in TokenRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	t, secret, err := a.cfg.Accounts.CreateAPIToken(r.Context(), actor, in.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, TokenCreated{Token: t, Secret: secret})
	return nil
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	ts, err := a.cfg.Accounts.ListAPITokens(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[account.APIToken]{Items: ts})
	return nil
}

func (a *API) deleteToken(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	if err := a.cfg.Accounts.DeleteAPIToken(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	// Only the token's id is known here, not its secret: forget everyone.
	a.hot.forgetAll()
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Authenticate resolves a request's caller as the API does (bearer token
// or session cookie), for handlers served beside the API such as the
// live room's WebSocket. No or stale credentials give an anonymous actor.
func (a *API) Authenticate(r *http.Request) (account.Actor, error) {
	actor, _, _, err := a.authenticate(r)
	return actor, err
}
