package httpapi

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/social"
)

// Follows, reminders, notifications, Web Push subscriptions and the
// schedule (docs/DISCOVERY.md).

func (a *API) socialRoutes() []route {
	ok, created, noContent := http.StatusOK, http.StatusCreated, http.StatusNoContent
	return []route{
		{Method: "POST", Path: v1 + "/follows", Tag: "social", Summary: "Follow a host or a shop (200 when already following)", Auth: authUser, Body: social.FollowInput{}, Resp: social.Follow{}, Status: created, H: a.follow},
		{Method: "DELETE", Path: v1 + "/follows/{kind}/{id}", Tag: "social", Summary: "Stop following a host or a shop", Auth: authUser, Status: noContent, H: a.unfollow},
		{Method: "GET", Path: v1 + "/me/follows", Tag: "social", Summary: "Hosts and shops I follow, newest first", Auth: authUser, Query: listQuery, Resp: Page[social.Follow]{}, Status: ok, H: a.myFollows},
		{Method: "GET", Path: v1 + "/hosts/{id}", Tag: "social", Summary: "A host: followers, whether I follow, live and upcoming sessions", Auth: authPublic, Resp: social.HostProfile{}, Status: ok, H: a.hostProfile},
		{Method: "GET", Path: v1 + "/shops/{id}/followers/count", Tag: "social", Summary: "A shop's followers and whether I follow it", Auth: authPublic, Resp: social.Followers{}, Status: ok, H: a.shopFollowers},
		{Method: "GET", Path: v1 + "/live-sessions/{id}/reminder", Tag: "social", Summary: "Whether I asked to be reminded of a session", Auth: authPublic, Resp: social.ReminderState{}, Status: ok, H: a.getReminder},
		{Method: "POST", Path: v1 + "/live-sessions/{id}/reminder", Tag: "social", Summary: "Remind me when a scheduled session starts (200 when already set)", Auth: authUser, Resp: social.Reminder{}, Status: created, H: a.remind},
		{Method: "DELETE", Path: v1 + "/live-sessions/{id}/reminder", Tag: "social", Summary: "Cancel my reminder", Auth: authUser, Status: noContent, H: a.unremind},
		{Method: "GET", Path: v1 + "/me/notifications", Tag: "social", Summary: "My notifications, newest first", Auth: authUser, Query: append([]string{"unread"}, listQuery...), Resp: Page[social.Notification]{}, Status: ok, H: a.myNotifications},
		{Method: "GET", Path: v1 + "/me/notifications/unread-count", Tag: "social", Summary: "How many of my notifications are unread", Auth: authUser, Resp: social.UnreadCount{}, Status: ok, H: a.unreadCount},
		{Method: "POST", Path: v1 + "/me/notifications/read", Tag: "social", Summary: "Mark notifications read (ids, or all)", Auth: authUser, Body: social.ReadInput{}, Status: noContent, H: a.markRead},
		{Method: "GET", Path: v1 + "/push/vapid-public-key", Tag: "social", Summary: "The key browsers subscribe to Web Push with", Auth: authPublic, Resp: social.VAPIDPublicKey{}, Status: ok, H: a.vapidKey},
		{Method: "POST", Path: v1 + "/me/push-subscriptions", Tag: "social", Summary: "Subscribe this browser to Web Push", Auth: authUser, Body: social.PushSubscriptionInput{}, Resp: social.PushSubscription{}, Status: created, H: a.subscribePush},
		{Method: "DELETE", Path: v1 + "/me/push-subscriptions", Tag: "social", Summary: "Unsubscribe a browser (query endpoint)", Auth: authUser, Query: []string{"endpoint"}, Status: noContent, H: a.unsubscribePush},
		{Method: "GET", Path: v1 + "/schedule", Tag: "social", Summary: "Upcoming sessions, soonest first", Auth: authPublic, Query: append([]string{"from", "to", "channel"}, listQuery...), Resp: Page[social.ScheduledSession]{}, Status: ok, H: a.schedule},
	}
}

func (a *API) follow(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in social.FollowInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	f, created, err := a.cfg.Social.Follow(r.Context(), actor, in)
	if err != nil {
		return err
	}
	writeJSON(w, createdOrOK(created), f)
	return nil
}

func createdOrOK(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

func (a *API) unfollow(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	if err := a.cfg.Social.Unfollow(r.Context(), actor, r.PathValue("kind"), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) myFollows(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	fs, next, err := a.cfg.Social.Following(r.Context(), actor, cursor, limit)
	if err != nil {
		return err
	}
	if fs == nil {
		fs = []social.Follow{}
	}
	writeJSON(w, http.StatusOK, Page[social.Follow]{Items: fs, NextCursor: next})
	return nil
}

func (a *API) hostProfile(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	p, err := a.cfg.Social.Host(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (a *API) shopFollowers(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	f, err := a.cfg.Social.ShopFollowers(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}

func (a *API) getReminder(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	st, err := a.cfg.Social.Reminded(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (a *API) remind(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	rem, created, err := a.cfg.Social.Remind(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, createdOrOK(created), rem)
	return nil
}

func (a *API) unremind(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	if err := a.cfg.Social.Unremind(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) myNotifications(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	unread := false
	switch r.URL.Query().Get("unread") {
	case "", "false", "0":
	case "true", "1":
		unread = true
	default:
		return apperr.Field("unread", "unread must be true or false")
	}
	ns, err := a.cfg.Social.Notifications(r.Context(), actor, unread, cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(ns, limit, func(n social.Notification) string { return n.ID }))
	return nil
}

func (a *API) unreadCount(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	n, err := a.cfg.Social.Unread(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, n)
	return nil
}

func (a *API) markRead(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in social.ReadInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := a.cfg.Social.MarkRead(r.Context(), actor, in); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) vapidKey(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	k, err := a.cfg.Social.VAPIDPublicKey()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, k)
	return nil
}

func (a *API) subscribePush(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in social.PushSubscriptionInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	sub, err := a.cfg.Social.SubscribePush(r.Context(), actor, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, sub)
	return nil
}

func (a *API) unsubscribePush(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	if err := a.cfg.Social.UnsubscribePush(r.Context(), actor, r.URL.Query().Get("endpoint")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) schedule(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	items, next, err := a.cfg.Social.Schedule(r.Context(), actor, social.ScheduleQuery{From: q.Get("from"), To: q.Get("to"),
		Channel: q.Get("channel"), Cursor: cursor, Limit: limit})
	if err != nil {
		return err
	}
	if items == nil {
		items = []social.ScheduledSession{}
	}
	writeJSON(w, http.StatusOK, Page[social.ScheduledSession]{Items: items, NextCursor: next})
	return nil
}
