package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
)

// handler serves one route for an already-resolved actor.
type handler func(w http.ResponseWriter, r *http.Request, a account.Actor) error

// route is one API endpoint and its documentation; the router and the
// OpenAPI document are both built from the same table.
type route struct {
	Method  string
	Path    string // a ServeMux pattern path, e.g. /api/v1/shops/{id}
	Summary string
	Tag     string
	Auth    string // authPublic, authUser or authProvider
	Body    any    // request body type, for the document
	Resp    any    // success response type, for the document
	Status  int    // success status
	Query   []string
	Headers []string
	H       handler
	// Hot marks a buyer's action thousands send at once (hotauth.go).
	Hot bool
}

const (
	authPublic   = "public"   // anyone; signed-in callers are recognised
	authUser     = "user"     // a signed-in user
	authProvider = "provider" // a payment provider, authenticated by signature
)

// endpoint wraps a route's handler with authentication and CSRF checks.
func (a *API) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		authenticate := a.authenticate
		if rt.Hot {
			authenticate = a.authenticateHot
		}
		actor, viaCookie, csrf, err := authenticate(r)
		if err != nil {
			a.clearCookieIfStale(w, r, err)
			a.fail(w, r, err)
			return
		}
		if rt.Auth == authUser && actor.Anonymous() {
			writeError(w, r, a.log, apperr.New(apperr.Unauthorized, "sign in first"))
			return
		}
		if viaCookie && r.Method != http.MethodGet && r.Method != http.MethodHead && !csrfExempt(rt) {
			if got := r.Header.Get("X-CSRF-Token"); got == "" || got != csrf {
				writeError(w, r, a.log, &apperr.Error{Code: apperr.Forbidden, Field: "X-CSRF-Token",
					Message: "missing or wrong CSRF token; send the token from GET /api/v1/me in X-CSRF-Token"})
				return
			}
		}
		if viaCookie {
			r = r.WithContext(context.WithValue(r.Context(), csrfKey, csrf))
		}
		if err := rt.H(w, r, actor); err != nil {
			a.fail(w, r, err)
		}
	})
}

// Signing in and up happen before a browser has a token.
func csrfExempt(rt route) bool {
	return strings.HasPrefix(rt.Path, "/api/v1/auth/") || rt.Auth == authProvider
}
