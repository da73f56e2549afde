package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
)

// CreateUser stores a new user; Conflict when the email is taken.
func (s *Store) CreateUser(ctx context.Context, u account.User, hash string) error {
	_, err := s.wq.ExecContext(ctx, `
		INSERT INTO users (id, email, password_hash, display_name, is_admin, is_host, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		u.ID, u.Email, hash, u.DisplayName, u.IsAdmin, u.IsHost, millis(u.CreatedAt))
	if isUnique(err) {
		return &apperr.Error{Code: apperr.Conflict, Field: "email", Message: "an account with this email already exists"}
	}
	if err != nil {
		return fmt.Errorf("store: create user: %w", err)
	}
	return nil
}

const userColumns = `id, email, display_name, is_admin, is_host, created_at`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (account.User, error) {
	var u account.User
	var created int64
	dest := append([]any{&u.ID, &u.Email, &u.DisplayName, &u.IsAdmin, &u.IsHost, &created}, extra...)
	if err := row.Scan(dest...); err != nil {
		return account.User{}, err
	}
	u.CreatedAt = fromMillis(created)
	return u, nil
}

// UserByEmail returns a user and their password hash.
func (s *Store) UserByEmail(ctx context.Context, email string) (account.User, string, error) {
	var hash string
	u, err := scanUser(s.rq.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = $1`, email), &hash)
	if err != nil {
		return account.User{}, "", notFound(err, "user")
	}
	return u, hash, nil
}

// UserIDByEmail returns the id of the user with email.
func (s *Store) UserIDByEmail(ctx context.Context, email string) (string, error) {
	var id string
	err := s.rq.QueryRowContext(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id)
	return id, notFound(err, "user")
}

// SetUserFlags changes the admin and host roles; nil leaves a flag alone.
func (s *Store) SetUserFlags(ctx context.Context, id string, isAdmin, isHost *bool) error {
	return s.tx(ctx, func(tx *dbtx) error {
		if isAdmin != nil {
			if err := execOne(ctx, tx, "user", `UPDATE users SET is_admin = $1 WHERE id = $2`, *isAdmin, id); err != nil {
				return err
			}
		}
		if isHost != nil {
			if err := execOne(ctx, tx, "user", `UPDATE users SET is_host = $1 WHERE id = $2`, *isHost, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// execOne runs a statement that must change exactly one row.
func execOne(ctx context.Context, q queryer, what, query string, args ...any) error {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: update %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: update %s: %w", what, err)
	}
	if n == 0 {
		return apperr.New(apperr.NotFound, "%s not found", what)
	}
	return nil
}

// CreateSession stores a web session.
func (s *Store) CreateSession(ctx context.Context, sess account.Session) error {
	_, err := s.wq.ExecContext(ctx, `
		INSERT INTO web_sessions (token_hash, user_id, csrf_token, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)`,
		sess.TokenHash, sess.UserID, sess.CSRFToken, millis(sess.ExpiresAt), millis(sess.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// DeleteSession signs a session out.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.wq.ExecContext(ctx, `DELETE FROM web_sessions WHERE token_hash = $1`, hash)
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// CreateAPIToken stores a token's hash.
func (s *Store) CreateAPIToken(ctx context.Context, t account.APIToken, hash string) error {
	_, err := s.wq.ExecContext(ctx, `
		INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)`,
		t.ID, t.UserID, t.Name, hash, millis(t.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: create token: %w", err)
	}
	return nil
}

// ListAPITokens lists a user's tokens.
func (s *Store) ListAPITokens(ctx context.Context, userID string) ([]account.APIToken, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT id, user_id, name, created_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: list tokens: %w", err)
	}
	defer rows.Close()
	out := []account.APIToken{}
	for rows.Next() {
		var t account.APIToken
		var created int64
		var used sql.NullInt64
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &created, &used); err != nil {
			return nil, fmt.Errorf("store: list tokens: %w", err)
		}
		t.CreatedAt, t.LastUsedAt = fromMillis(created), fromNullMillis(used)
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteAPIToken revokes a user's token.
func (s *Store) DeleteAPIToken(ctx context.Context, userID, id string) error {
	return execOne(ctx, s.wq, "API token", `DELETE FROM api_tokens WHERE id = $1 AND user_id = $2`, id, userID)
}

// strings runs a query returning one text column.
func (s *Store) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.rq.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("store: query: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// pageLimit clamps a requested page size.
func pageLimit(n int) int {
	switch {
	case n <= 0:
		return 20
	case n > 100:
		return 100
	}
	return n
}

var _ account.Repo = (*Store)(nil)
