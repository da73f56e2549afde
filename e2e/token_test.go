package e2e

import (
	"net/http"
	"testing"

	"github.com/liveshop/liveshop/internal/store"
)

// TestAPITokens: a program authenticates with a bearer token, needs no
// CSRF token, and the token shows when it was last used; a revoked token
// stops working.
func TestAPITokens(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			srv := Start(t, d)
			web := srv.Client()
			web.SignUp(uniqueEmail("program-owner"), "program-owner-pw")
			created := web.Must(201, "POST", "/api/v1/me/tokens", map[string]string{"name": "inventory sync"}).Map(t)
			secret := created["secret"].(string)
			id := created["token"].(map[string]any)["id"].(string)

			prog := &Client{t: t, base: srv.URL, http: http.DefaultClient, Bearer: secret}
			prog.Must(201, "POST", "/api/v1/addresses", address) // unsafe method, no CSRF token
			tokens := web.Must(200, "GET", "/api/v1/me/tokens", nil).Map(t)["items"].([]any)
			if len(tokens) != 1 || tokens[0].(map[string]any)["last_used_at"] == nil {
				t.Fatalf("tokens = %v", tokens)
			}
			if _, leaked := tokens[0].(map[string]any)["secret"]; leaked {
				t.Fatal("the token list shows the secret")
			}
			web.Must(204, "DELETE", "/api/v1/me/tokens/"+id, nil)
			prog.Must(401, "GET", "/api/v1/addresses", nil)
		})
	}
}
