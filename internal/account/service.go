package account

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
)

// SessionTTL is how long a web session lasts.
const SessionTTL = 30 * 24 * time.Hour

// Service signs people up and in and resolves credentials to Actors.
type Service struct {
	repo     Repo
	now      func() time.Time
	throttle *SignInThrottle
}

// NewService returns a Service over repo.
func NewService(repo Repo, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{repo: repo, now: now}
}

// WithThrottle limits failed sign-ins per email.
func (s *Service) WithThrottle(t *SignInThrottle) *Service {
	s.throttle = t
	return s
}

// SignUpInput is what a new user gives.
type SignUpInput struct {
	Email       string `json:"email"`
	Password    string `json:"password"`
	DisplayName string `json:"display_name"`
}

// Validate checks the input and normalises the email.
func (in *SignUpInput) Validate() error {
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	if in.Email == "" {
		return apperr.Field("email", "email is required")
	}
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
		return apperr.Field("email", "email %q is not a valid address", in.Email)
	}
	if utf8.RuneCountInString(in.Password) < 8 {
		return apperr.Field("password", "password must be at least 8 characters")
	}
	if len(in.Password) > 256 {
		return apperr.Field("password", "password must be at most 256 bytes")
	}
	if in.DisplayName == "" {
		in.DisplayName = strings.SplitN(in.Email, "@", 2)[0]
	}
	if utf8.RuneCountInString(in.DisplayName) > 60 {
		return apperr.Field("display_name", "display name must be at most 60 characters")
	}
	return nil
}

// SignUp creates a user. Returns Invalid for bad input, Conflict when the
// email is taken.
func (s *Service) SignUp(ctx context.Context, in SignUpInput) (User, error) {
	if err := in.Validate(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return User{}, err
	}
	u := User{ID: ids.New("usr"), Email: in.Email, DisplayName: in.DisplayName, CreatedAt: s.now().UTC()}
	if err := s.repo.CreateUser(ctx, u, hash); err != nil {
		return User{}, fmt.Errorf("account: sign up %s: %w", in.Email, err)
	}
	return u, nil
}

// CheckCredentials returns the user whose email and password match.
// Returns Unauthorized otherwise, without saying which was wrong.
func (s *Service) CheckCredentials(ctx context.Context, email, password string) (User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	now := s.now()
	if s.throttle.Blocked(email, now) {
		return User{}, apperr.New(apperr.RateLimited, "too many failed sign-ins for this email; try again in %s", s.throttle.Window)
	}
	u, hash, err := s.repo.UserByEmail(ctx, email)
	if apperr.Is(err, apperr.NotFound) {
		// Spend the same time as a real check so timing does not reveal accounts.
		CheckPassword(dummyHash(), password)
		s.throttle.Failed(email, now)
		return User{}, apperr.New(apperr.Unauthorized, "email or password is wrong")
	}
	if err != nil {
		return User{}, err
	}
	if !CheckPassword(hash, password) {
		s.throttle.Failed(email, now)
		return User{}, apperr.New(apperr.Unauthorized, "email or password is wrong")
	}
	s.throttle.Succeeded(email)
	return u, nil
}

// dummyHash is made on first use, not at start-up: hashing costs ~20 ms.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("liveshop-timing-equaliser")
	return h
})

// StartSession creates a web session and returns its secret token.
func (s *Service) StartSession(ctx context.Context, userID string) (token string, sess Session, err error) {
	token = ids.Token(32)
	now := s.now().UTC()
	sess = Session{TokenHash: HashToken(token), UserID: userID, CSRFToken: ids.Token(20), ExpiresAt: now.Add(SessionTTL), CreatedAt: now}
	if err := s.repo.CreateSession(ctx, sess); err != nil {
		return "", Session{}, fmt.Errorf("account: start session: %w", err)
	}
	return token, sess, nil
}

// EndSession signs a browser out.
func (s *Service) EndSession(ctx context.Context, token string) error {
	return s.repo.DeleteSession(ctx, HashToken(token))
}

// SessionActor resolves a session token. Returns Unauthorized when the
// session is unknown or expired.
func (s *Service) SessionActor(ctx context.Context, token string) (Actor, Session, error) {
	a, sess, err := s.repo.ActorBySessionHash(ctx, HashToken(token))
	if apperr.Is(err, apperr.NotFound) || (err == nil && s.now().After(sess.ExpiresAt)) {
		return Actor{}, Session{}, apperr.New(apperr.Unauthorized, "session expired; sign in again")
	}
	if err != nil {
		return Actor{}, Session{}, fmt.Errorf("account: session: %w", err)
	}
	return a, sess, nil
}

// TokenActor resolves a bearer API token.
func (s *Service) TokenActor(ctx context.Context, token string) (Actor, error) {
	a, t, err := s.repo.ActorByTokenHash(ctx, HashToken(token))
	if apperr.Is(err, apperr.NotFound) {
		return Actor{}, apperr.New(apperr.Unauthorized, "unknown API token")
	}
	if err != nil {
		return Actor{}, fmt.Errorf("account: token: %w", err)
	}
	// "Last used" to the hour is enough, and spares a write per request.
	now := s.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Hour {
		if err := s.repo.TouchAPIToken(ctx, t.ID, now.UTC()); err != nil {
			return Actor{}, fmt.Errorf("account: token: %w", err)
		}
	}
	return a, nil
}

// ActorFor loads a user with their memberships.
func (s *Service) ActorFor(ctx context.Context, userID string) (Actor, error) {
	a, err := s.repo.ActorByUserID(ctx, userID)
	if err != nil {
		return Actor{}, fmt.Errorf("account: actor %s: %w", userID, err)
	}
	return a, nil
}

// CreateAPIToken makes a bearer token for the actor; the secret is
// returned once and only its hash is kept.
func (s *Service) CreateAPIToken(ctx context.Context, a Actor, name string) (APIToken, string, error) {
	if a.Anonymous() {
		return APIToken{}, "", apperr.New(apperr.Unauthorized, "sign in to create API tokens")
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 60 {
		return APIToken{}, "", apperr.Field("name", "token name must be 1–60 characters")
	}
	secret := "lsk_" + ids.Token(32)
	t := APIToken{ID: ids.New("tok"), UserID: a.ID(), Name: name, CreatedAt: s.now().UTC()}
	if err := s.repo.CreateAPIToken(ctx, t, HashToken(secret)); err != nil {
		return APIToken{}, "", fmt.Errorf("account: create token: %w", err)
	}
	return t, secret, nil
}

// ListAPITokens lists the actor's tokens (never their secrets).
func (s *Service) ListAPITokens(ctx context.Context, a Actor) ([]APIToken, error) {
	if a.Anonymous() {
		return nil, apperr.New(apperr.Unauthorized, "sign in to list API tokens")
	}
	return s.repo.ListAPITokens(ctx, a.ID())
}

// DeleteAPIToken revokes one of the actor's tokens.
func (s *Service) DeleteAPIToken(ctx context.Context, a Actor, id string) error {
	if a.Anonymous() {
		return apperr.New(apperr.Unauthorized, "sign in to revoke API tokens")
	}
	return s.repo.DeleteAPIToken(ctx, a.ID(), id)
}

// BecomeHost turns on the host role for the actor: any user may host.
func (s *Service) BecomeHost(ctx context.Context, a Actor) error {
	if a.Anonymous() {
		return apperr.New(apperr.Unauthorized, "sign in to become a host")
	}
	t := true
	return s.repo.SetUserFlags(ctx, a.ID(), nil, &t)
}

// SetAdmin grants or removes the admin role; only for bootstrapping from
// the command line or by another admin.
func (s *Service) SetAdmin(ctx context.Context, by Actor, userID string, admin bool) error {
	if !by.IsAdmin() {
		return apperr.New(apperr.Forbidden, "only admins can change admin rights")
	}
	audit := NewAuditEntry(by, AuditUserAdmin, "user", userID, strconv.FormatBool(admin), s.now())
	if err := s.repo.SetAdminFlag(ctx, userID, admin, audit); err != nil {
		return fmt.Errorf("account: set admin %s: %w", userID, err)
	}
	return nil
}

// System is the actor used by the command line and background jobs.
func System() Actor {
	return Actor{User: &User{ID: "", DisplayName: "system", IsAdmin: true}}
}

// HashToken is how secrets are stored: SHA-256, hex.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
