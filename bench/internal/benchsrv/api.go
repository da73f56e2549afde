package benchsrv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Call sends JSON with a bearer token and decodes the answer into out.
// Errors never include the request body (it may hold a stream key).
func (s *Server) Call(method, path, token string, body, out any) error {
	var rdr io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rdr = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.Base+path, rdr)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(b))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: decode: %w", method, path, err)
		}
	}
	return nil
}

// APIToken authenticates at path as a browser would, then creates a
// bearer token with the session cookie and CSRF token.
func (s *Server) APIToken(path string, want int, email, password string) (string, error) {
	req, _ := http.NewRequest("POST", s.Base+path, strings.NewReader(fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.HTTP.Do(req)
	if err != nil {
		return "", err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		return "", fmt.Errorf("%s %s: %d %s", path, email, resp.StatusCode, bytes.TrimSpace(b))
	}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	_ = json.Unmarshal(b, &me)
	req, _ = http.NewRequest("POST", s.Base+"/api/v1/me/tokens", strings.NewReader(`{"name":"bench"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", me.CSRF)
	for _, ck := range resp.Cookies() {
		req.AddCookie(ck)
	}
	resp, err = s.HTTP.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok struct {
		Secret string `json:"secret"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.Secret == "" {
		return "", fmt.Errorf("token for %s: %d", email, resp.StatusCode)
	}
	return tok.Secret, nil
}

// SignUpMany creates n accounts ("{prefix}{i}@bench.test") with an API
// token each, four at a time (every sign-up hashes a password with
// argon2id), and returns the tokens in order.
func (s *Server) SignUpMany(prefix string, n int) ([]string, error) {
	toks := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			email := fmt.Sprintf("%s%05d@bench.test", prefix, i)
			toks[i], errs[i] = s.APIToken("/api/v1/auth/signup", http.StatusCreated, email, "bench-"+prefix+"-pw")
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("sign up %s accounts: %w", prefix, err)
		}
	}
	return toks, nil
}
