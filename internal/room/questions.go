package room

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
)

// Question states.
const (
	QuestionOpen     = "open"
	QuestionAnswered = "answered"
)

// Question is a viewer's question to the host. At most one question of a
// room is pinned: the one the overlay shows.
type Question struct {
	ID        string    `json:"id"`
	SessionID string    `json:"-"`
	UserID    string    `json:"user_id"`
	Name      string    `json:"name"`
	Text      string    `json:"text"`
	Status    string    `json:"status"`
	Answer    string    `json:"answer"`
	Pinned    bool      `json:"pinned"`
	CreatedAt time.Time `json:"created_at"`
}

// AnswerInput answers or pins a question. An absent answer with an absent
// pin marks the question answered, keeping any answer text (it was
// answered on camera).
type AnswerInput struct {
	Answer *string `json:"answer,omitempty"`
	Pin    *bool   `json:"pin,omitempty"`
}

// AskQuestion stores and publishes p's question. The same rules as chat
// hold, except slow mode: Unauthorized, Invalid (field text, also for a
// blocked word), Conflict unless live, Forbidden when muted or banned.
func (s *Service) AskQuestion(ctx context.Context, p Participant, roomID, text string) (Question, error) {
	text, g, now, err := s.admitPost(ctx, p, roomID, text, "ask a question")
	if err != nil {
		return Question{}, err
	}
	if err := s.screen(ctx, p, g.ShopID, text); err != nil {
		return Question{}, err
	}
	q := Question{ID: ids.New("qst"), SessionID: roomID, UserID: p.UserID, Name: p.Name, Text: text,
		Status: QuestionOpen, CreatedAt: now.UTC().Truncate(time.Millisecond)}
	if err := s.repo.AddQuestion(ctx, q); err != nil {
		return Question{}, fmt.Errorf("room: question in %s: %w", roomID, err)
	}
	s.emit(roomID, EventQuestion, q)
	return q, nil
}

// Questions lists a room's questions oldest first, optionally only the
// open or answered ones; public.
func (s *Service) Questions(ctx context.Context, roomID, status, cursor string, limit int) ([]Question, error) {
	if status != "" && status != QuestionOpen && status != QuestionAnswered {
		return nil, apperr.Field("status", "status must be open or answered")
	}
	if _, err := s.repo.RoomGate(ctx, roomID, ""); err != nil {
		return nil, err
	}
	return s.repo.ListQuestions(ctx, roomID, QuestionQuery{Status: status, Cursor: cursor, Limit: limit})
}

// AnswerQuestion answers, pins or unpins a question for the room's
// operators and publishes question.updated for it and for the question
// its pin displaced. Invalid (field answer) for a long answer, NotFound
// for a question not in the room.
func (s *Service) AnswerQuestion(ctx context.Context, a account.Actor, roomID, questionID string, in AnswerInput) (Question, error) {
	if _, err := s.operated(ctx, a, roomID); err != nil {
		return Question{}, err
	}
	c := QuestionChange{Pinned: in.Pin, AnsweredBy: a.ID(), At: s.now().UTC().Truncate(time.Millisecond)}
	if in.Answer != nil {
		answer := strings.TrimSpace(*in.Answer)
		if utf8.RuneCountInString(answer) > MaxAnswerRunes {
			return Question{}, apperr.Field("answer", "answer must be at most %d characters", MaxAnswerRunes)
		}
		c.Answer = &answer
	} else if in.Pin == nil {
		c.Answered = true
	}
	changed, err := s.repo.UpdateQuestion(ctx, roomID, questionID, c)
	if err != nil {
		return Question{}, fmt.Errorf("room: answer question in %s: %w", roomID, err)
	}
	for _, q := range changed {
		s.emit(roomID, EventQuestionUpdated, q)
	}
	return changed[0], nil
}
