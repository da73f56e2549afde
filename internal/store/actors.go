package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
)

// Every authenticated request resolves its caller, so the credential, the
// user and their memberships come back from one query: one row per shop
// membership or managed agency, or one row with NULLs for neither.
const actorSelect = `
	SELECT u.id, u.email, u.display_name, u.is_admin, u.is_host, u.created_at, m.kind, m.ref, m.role%s
	FROM %s
	LEFT JOIN (
		SELECT user_id AS uid, 'shop' AS kind, shop_id AS ref, role FROM shop_members
		UNION ALL
		SELECT manager_id, 'mcn', id, '' FROM mcns
	) m ON m.uid = u.id
	WHERE %s`

// loadActor runs an actorSelect and folds its rows; extra receives the
// credential's own columns from the first row.
func (s *Store) loadActor(ctx context.Context, query string, args []any, extra ...any) (account.Actor, error) {
	rows, err := s.rq.QueryContext(ctx, query, args...)
	if err != nil {
		return account.Actor{}, fmt.Errorf("store: load actor: %w", err)
	}
	defer rows.Close()
	var a account.Actor
	for rows.Next() {
		var u account.User
		var created int64
		var kind, ref, role sql.NullString
		dest := append([]any{&u.ID, &u.Email, &u.DisplayName, &u.IsAdmin, &u.IsHost, &created, &kind, &ref, &role}, extra...)
		if err := rows.Scan(dest...); err != nil {
			return account.Actor{}, fmt.Errorf("store: load actor: %w", err)
		}
		if a.User == nil {
			u.CreatedAt = fromMillis(created)
			a.User, a.ShopRoles = &u, map[string]string{}
		}
		switch kind.String {
		case "shop":
			a.ShopRoles[ref.String] = role.String
		case "mcn":
			a.MCNs = append(a.MCNs, ref.String)
		}
	}
	if err := rows.Err(); err != nil {
		return account.Actor{}, fmt.Errorf("store: load actor: %w", err)
	}
	if a.User == nil {
		return account.Actor{}, apperr.New(apperr.NotFound, "user not found")
	}
	sort.Strings(a.MCNs)
	return a, nil
}

var (
	actorByUser    = fmt.Sprintf(actorSelect, "", "users u", "u.id = $1")
	actorByToken   = fmt.Sprintf(actorSelect, ", t.id, t.name, t.created_at, t.last_used_at", "api_tokens t JOIN users u ON u.id = t.user_id", "t.token_hash = $1")
	actorBySession = fmt.Sprintf(actorSelect, ", w.token_hash, w.csrf_token, w.expires_at, w.created_at",
		"web_sessions w JOIN users u ON u.id = w.user_id", "w.token_hash = $1")
)

// ActorByUserID loads a user with their memberships.
func (s *Store) ActorByUserID(ctx context.Context, userID string) (account.Actor, error) {
	return s.loadActor(ctx, actorByUser, []any{userID})
}

// ActorByTokenHash loads an API token and its owner.
func (s *Store) ActorByTokenHash(ctx context.Context, hash string) (account.Actor, account.APIToken, error) {
	var t account.APIToken
	var created int64
	var used sql.NullInt64
	a, err := s.loadActor(ctx, actorByToken, []any{hash}, &t.ID, &t.Name, &created, &used)
	if apperr.Is(err, apperr.NotFound) {
		return a, t, apperr.New(apperr.NotFound, "API token not found")
	}
	if err != nil {
		return a, t, err
	}
	t.UserID, t.CreatedAt, t.LastUsedAt = a.User.ID, fromMillis(created), fromNullMillis(used)
	return a, t, nil
}

// TouchAPIToken records when a token was last used.
func (s *Store) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	_, err := s.write(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, millis(at), id)
	if err != nil {
		return fmt.Errorf("store: touch token: %w", err)
	}
	return nil
}

// ActorBySessionHash loads a web session and its user.
func (s *Store) ActorBySessionHash(ctx context.Context, hash string) (account.Actor, account.Session, error) {
	var sess account.Session
	var exp, created int64
	a, err := s.loadActor(ctx, actorBySession, []any{hash}, &sess.TokenHash, &sess.CSRFToken, &exp, &created)
	if apperr.Is(err, apperr.NotFound) {
		return a, sess, apperr.New(apperr.NotFound, "session not found")
	}
	if err != nil {
		return a, sess, err
	}
	sess.UserID, sess.ExpiresAt, sess.CreatedAt = a.User.ID, fromMillis(exp), fromMillis(created)
	return a, sess, nil
}
