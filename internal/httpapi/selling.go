package httpapi

import (
	"net/http"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/auction"
	"github.com/liveshop/liveshop/internal/coupon"
	"github.com/liveshop/liveshop/internal/draw"
	"github.com/liveshop/liveshop/internal/flashsale"
)

// Selling is what is on sale in a live room now, for a page that joins
// (or resets) to draw its panels before the room's events arrive.
type Selling struct {
	Sales    []flashsale.Sale  `json:"sales"`
	Coupons  []coupon.Coupon   `json:"coupons"`
	Draws    []draw.Draw       `json:"draws"`
	Auctions []auction.Auction `json:"auctions"`
}

// recentlyEnded is how long a finished sale stays on the room's panels.
const recentlyEnded = 10 * time.Minute

func (a *API) sellingRoutes() []route {
	return []route{
		{Method: "GET", Path: v1 + "/live-sessions/{id}/selling", Tag: "selling", Summary: "What is on sale in the room now", Auth: authPublic, Resp: Selling{}, Status: http.StatusOK, H: a.roomSelling},
	}
}

func (a *API) roomSelling(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	ctx, id := r.Context(), r.PathValue("id")
	if _, err := a.cfg.Rooms.Get(ctx, id); err != nil {
		return err
	}
	out := Selling{Sales: []flashsale.Sale{}}
	sales, err := a.cfg.FlashSales.SessionSales(ctx, id)
	if err != nil {
		return err
	}
	now := time.Now()
	for _, s := range sales {
		if s.Status == flashsale.Scheduled || s.Status == flashsale.Running || now.Sub(s.EndsAt) < recentlyEnded {
			out.Sales = append(out.Sales, s)
		}
	}
	if out.Coupons, err = a.cfg.Coupons.Dropped(ctx, id); err != nil {
		return err
	}
	if out.Draws, err = a.cfg.Draws.Recent(ctx, id); err != nil {
		return err
	}
	if out.Auctions, err = a.cfg.Auctions.Recent(ctx, id); err != nil {
		return err
	}
	if out.Coupons == nil {
		out.Coupons = []coupon.Coupon{}
	}
	if out.Draws == nil {
		out.Draws = []draw.Draw{}
	}
	if out.Auctions == nil {
		out.Auctions = []auction.Auction{}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
