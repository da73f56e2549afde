package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/room"
)

// Questions to the host and announcements (room.ChatRepo).

const questionColumns = `id, session_id, user_id, name, text, status, answer, pinned, created_at`

func scanQuestion(row interface{ Scan(...any) error }) (room.Question, error) {
	var q room.Question
	var created int64
	if err := row.Scan(&q.ID, &q.SessionID, &q.UserID, &q.Name, &q.Text, &q.Status, &q.Answer, &q.Pinned, &created); err != nil {
		return room.Question{}, err
	}
	q.CreatedAt = fromMillis(created)
	return q, nil
}

// AddQuestion stores an open question.
func (s *Store) AddQuestion(ctx context.Context, q room.Question) error {
	_, err := s.write(ctx, `
		INSERT INTO room_questions (id, session_id, user_id, name, text, status, created_at)
		VALUES ($1, $2, $3, $4, $5, 'open', $6)`, q.ID, q.SessionID, q.UserID, q.Name, q.Text, millis(q.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: add question: %w", err)
	}
	return nil
}

// ListQuestions lists a room's questions oldest first, after cursor.
func (s *Store) ListQuestions(ctx context.Context, roomID string, q room.QuestionQuery) ([]room.Question, error) {
	return s.queryQuestions(ctx, `
		SELECT `+questionColumns+` FROM room_questions
		WHERE session_id = $1 AND ($2 = '' OR status = $2) AND ($3 = '' OR id > $3)
		ORDER BY id LIMIT $4`, roomID, q.Status, q.Cursor, pageLimit(q.Limit))
}

// OpenQuestions returns the room's open or pinned questions, oldest first.
func (s *Store) OpenQuestions(ctx context.Context, roomID string, limit int) ([]room.Question, error) {
	return s.queryQuestions(ctx, `
		SELECT `+questionColumns+` FROM room_questions
		WHERE session_id = $1 AND (status = 'open' OR pinned)
		ORDER BY id LIMIT $2`, roomID, limit)
}

func (s *Store) queryQuestions(ctx context.Context, query string, args ...any) ([]room.Question, error) {
	rows, err := s.rq.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: read questions: %w", err)
	}
	defer rows.Close()
	out := []room.Question{}
	for rows.Next() {
		q, err := scanQuestion(rows)
		if err != nil {
			return nil, fmt.Errorf("store: read questions: %w", err)
		}
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read questions: %w", err)
	}
	return out, nil
}

// UpdateQuestion answers and pins or unpins a question in one
// transaction. Pinning first unpins the room's pinned question, which is
// returned after this one; the unique index on pinned questions catches
// two pins racing on PostgreSQL (Conflict).
func (s *Store) UpdateQuestion(ctx context.Context, roomID, questionID string, c room.QuestionChange) ([]room.Question, error) {
	var out []room.Question
	err := s.tx(ctx, func(tx *dbtx) error {
		get := func(id string) (room.Question, error) {
			q, err := scanQuestion(tx.QueryRowContext(ctx, `
				SELECT `+questionColumns+` FROM room_questions WHERE id = $1 AND session_id = $2`, id, roomID))
			return q, notFound(err, "question")
		}
		if _, err := get(questionID); err != nil {
			return err
		}
		var unpinned string
		if c.Pinned != nil && *c.Pinned {
			err := tx.QueryRowContext(ctx, `
				SELECT id FROM room_questions WHERE session_id = $1 AND pinned AND id <> $2`, roomID, questionID).Scan(&unpinned)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: pin question: %w", err)
			}
			if unpinned != "" {
				if _, err := tx.ExecContext(ctx, `UPDATE room_questions SET pinned = FALSE WHERE id = $1`, unpinned); err != nil {
					return fmt.Errorf("store: pin question: %w", err)
				}
			}
		}
		if c.Pinned != nil {
			_, err := tx.ExecContext(ctx, `UPDATE room_questions SET pinned = $1 WHERE id = $2`, *c.Pinned, questionID)
			if isUnique(err) {
				return apperr.New(apperr.Conflict, "another question was pinned at the same moment; try again")
			}
			if err != nil {
				return fmt.Errorf("store: pin question: %w", err)
			}
		}
		switch {
		case c.Answer != nil:
			if _, err := tx.ExecContext(ctx, `
				UPDATE room_questions SET status = 'answered', answer = $1, answered_at = $2, answered_by = $3
				WHERE id = $4`, *c.Answer, millis(c.At), c.AnsweredBy, questionID); err != nil {
				return fmt.Errorf("store: answer question: %w", err)
			}
		case c.Answered:
			if _, err := tx.ExecContext(ctx, `
				UPDATE room_questions SET status = 'answered', answered_at = $1, answered_by = $2
				WHERE id = $3 AND status = 'open'`, millis(c.At), c.AnsweredBy, questionID); err != nil {
				return fmt.Errorf("store: answer question: %w", err)
			}
		}
		out = out[:0]
		for _, id := range []string{questionID, unpinned} {
			if id == "" {
				continue
			}
			q, err := get(id)
			if err != nil {
				return err
			}
			out = append(out, q)
		}
		return nil
	})
	return out, err
}

// AddAnnouncement stores an announcement.
func (s *Store) AddAnnouncement(ctx context.Context, a room.Announcement) error {
	_, err := s.write(ctx, `
		INSERT INTO room_announcements (id, session_id, text, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`,
		a.ID, a.SessionID, a.Text, a.By, millis(a.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: add announcement: %w", err)
	}
	return nil
}

// LatestAnnouncement returns a room's newest announcement, nil for none.
func (s *Store) LatestAnnouncement(ctx context.Context, roomID string) (*room.Announcement, error) {
	var a room.Announcement
	var created int64
	err := s.rq.QueryRowContext(ctx, `
		SELECT id, session_id, text, created_by, created_at FROM room_announcements
		WHERE session_id = $1 ORDER BY id DESC LIMIT 1`, roomID).Scan(&a.ID, &a.SessionID, &a.Text, &a.By, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: latest announcement: %w", err)
	}
	a.CreatedAt = fromMillis(created)
	return &a, nil
}
