package httpapi

import (
	"net/http"
	"strconv"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/room"
)

// The realtime room's REST side (docs/REALTIME.md): chat history for
// replays, moderation, Q&A answers, announcements, reports and the shops'
// keyword filters. Chatting, asking and liking go over the WebSocket.

func (a *API) chatHistory(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	from, err := millisParam(r, "from_ms")
	if err != nil {
		return err
	}
	to, err := millisParam(r, "to_ms")
	if err != nil {
		return err
	}
	ms, err := a.cfg.Rooms.ChatHistory(r.Context(), r.PathValue("id"), from, to, cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(ms, limit, func(m room.ChatMessage) string { return m.ID }))
	return nil
}

// millisParam reads an optional non-negative whole number of milliseconds.
func millisParam(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, apperr.Field(name, "%s must be a whole number of milliseconds", name)
	}
	return n, nil
}

func (a *API) deleteChat(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	if err := a.cfg.Rooms.DeleteChat(r.Context(), actor, r.PathValue("id"), r.PathValue("messageID")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) moderate(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in room.ModerationInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	act, err := a.cfg.Rooms.Moderate(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, act)
	return nil
}

func (a *API) setSlowMode(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in room.SlowModeInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	ses, err := a.cfg.Rooms.SetSlowMode(r.Context(), actor, r.PathValue("id"), in.Seconds)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ses)
	return nil
}

func (a *API) moderationLog(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	acts, err := a.cfg.Rooms.ModerationLog(r.Context(), actor, r.PathValue("id"), cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(acts, limit, func(m room.ModerationAction) string { return m.ID }))
	return nil
}

func (a *API) reportChat(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in room.ReportInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	rep, err := a.cfg.Rooms.Report(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rep)
	return nil
}

func (a *API) listReports(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	reps, err := a.cfg.Rooms.Reports(r.Context(), actor, r.PathValue("id"), cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(reps, limit, func(rep room.Report) string { return rep.ID }))
	return nil
}

func (a *API) getChatFilter(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	f, err := a.cfg.Rooms.ChatFilter(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}

func (a *API) setChatFilter(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in room.ChatFilterInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Words == nil {
		return apperr.Field("words", "words is required (an empty list clears the filter)")
	}
	f, err := a.cfg.Rooms.SetChatFilter(r.Context(), actor, r.PathValue("id"), in.Words)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}

func (a *API) listQuestions(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	qs, err := a.cfg.Rooms.Questions(r.Context(), r.PathValue("id"), r.URL.Query().Get("status"), cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(qs, limit, func(q room.Question) string { return q.ID }))
	return nil
}

func (a *API) answerQuestion(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in room.AnswerInput
	if r.ContentLength != 0 { // an empty body marks the question answered
		if err := decode(w, r, &in); err != nil {
			return err
		}
	}
	q, err := a.cfg.Rooms.AnswerQuestion(r.Context(), actor, r.PathValue("id"), r.PathValue("qid"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, q)
	return nil
}

func (a *API) announce(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in room.AnnounceInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	an, err := a.cfg.Rooms.Announce(r.Context(), actor, r.PathValue("id"), in.Text)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, an)
	return nil
}
