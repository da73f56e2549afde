package httpapi

import (
	"net/http"
	"strconv"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/feed"
)

// The personal feed and the channels (docs/DISCOVERY.md, docs/FEED.md).
// All public: signed-in viewers get their own ranking, anyone else the
// engagement and freshness ranking.

func (a *API) feedRoutes() []route {
	return []route{
		{Method: "GET", Path: v1 + "/feed", Tag: "discovery", Summary: "Live and upcoming rooms ranked for the caller, with the reasons and exploration picks", Auth: authPublic, Query: []string{"limit", "anon"}, Resp: feed.Ranking{}, Status: http.StatusOK, H: a.getFeed},
		{Method: "GET", Path: v1 + "/channels", Tag: "discovery", Summary: "The channels with how many of their rooms are live", Auth: authPublic, Resp: []feed.ChannelInfo{}, Status: http.StatusOK, H: a.listChannels},
		{Method: "GET", Path: v1 + "/channels/rural/counties", Tag: "discovery", Summary: "Counties of the rural channel's shops with sessions, and how many are live", Auth: authPublic, Resp: []feed.County{}, Status: http.StatusOK, H: a.ruralCounties},
		{Method: "GET", Path: v1 + "/channels/{code}", Tag: "discovery", Summary: "A channel's rooms: live ones newest first, then upcoming ones soonest first", Auth: authPublic, Query: []string{"county", "limit", "cursor"}, Resp: Page[feed.Item]{}, Status: http.StatusOK, H: a.getChannel},
	}
}

// feedLimit reads ?limit= (1–100, default 20).
func feedLimit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 20, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > feed.MaxLimit {
		return 0, apperr.Field("limit", "limit must be a whole number from 1 to %d", feed.MaxLimit)
	}
	return n, nil
}

func (a *API) getFeed(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, err := feedLimit(r)
	if err != nil {
		return err
	}
	f, err := a.cfg.Feed.Feed(r.Context(), actor, r.URL.Query().Get("anon"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}

func (a *API) listChannels(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	chans, err := a.cfg.Feed.Channels(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, chans)
	return nil
}

func (a *API) getChannel(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	limit, err := feedLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	items, next, err := a.cfg.Feed.Channel(r.Context(), r.PathValue("code"), q.Get("county"), limit, q.Get("cursor"))
	if err != nil {
		return err
	}
	if items == nil {
		items = []feed.Item{}
	}
	writeJSON(w, http.StatusOK, Page[feed.Item]{Items: items, NextCursor: next})
	return nil
}

func (a *API) ruralCounties(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	counties, err := a.cfg.Feed.RuralCounties(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, counties)
	return nil
}
