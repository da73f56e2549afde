package report

import (
	"cmp"
	"math"
	"slices"

	"github.com/liveshop/liveshop/internal/feed"
	"github.com/liveshop/liveshop/internal/mcn"
	"github.com/liveshop/liveshop/internal/money"
)

// day is a row of a daily series: it knows its day and how to add
// another row of the same day (or of the totals) to itself.
type day[T any] interface {
	*T
	dayOf() string
	setDay(string)
	add(T)
}

// fillDays returns one row per day of r, in order, with the rows given
// added into their day (rows outside the range are ignored), and the
// totals of the range.
func fillDays[T any, P day[T]](r Range, rows []T) ([]T, T) {
	byDay := make(map[string]T, len(rows))
	for _, row := range rows {
		cur := byDay[P(&row).dayOf()]
		P(&cur).add(row)
		byDay[P(&row).dayOf()] = cur
	}
	var total T
	out := make([]T, 0, r.Days())
	for _, d := range r.dayStrings() {
		row := byDay[d]
		P(&row).setDay(d)
		P(&total).add(row)
		out = append(out, row)
	}
	P(&total).setDay("")
	return out, total
}

func (d *HostDay) dayOf() string   { return d.Day }
func (d *HostDay) setDay(s string) { d.Day = s }
func (d *HostDay) add(o HostDay) {
	d.Sessions += o.Sessions
	d.Views += o.Views
	d.Orders += o.Orders
	d.GMVMinor += o.GMVMinor
	d.CommissionMinor += o.CommissionMinor
	d.MCNShareMinor += o.MCNShareMinor
}

func (d *ShopDay) dayOf() string   { return d.Day }
func (d *ShopDay) setDay(s string) { d.Day = s }
func (d *ShopDay) add(o ShopDay) {
	d.Orders += o.Orders
	d.Units += o.Units
	d.GMVMinor += o.GMVMinor
	d.PlatformFeeMinor += o.PlatformFeeMinor
	d.CommissionMinor += o.CommissionMinor
	d.MerchantNetMinor += o.MerchantNetMinor
}

func (d *MCNDay) dayOf() string   { return d.Day }
func (d *MCNDay) setDay(s string) { d.Day = s }
func (d *MCNDay) add(o MCNDay) {
	d.Orders += o.Orders
	d.GMVMinor += o.GMVMinor
	d.HostCommissionMinor += o.HostCommissionMinor
	d.MCNShareMinor += o.MCNShareMinor
}

func (d *PlatformDay) dayOf() string   { return d.Day }
func (d *PlatformDay) setDay(s string) { d.Day = s }
func (d *PlatformDay) add(o PlatformDay) {
	d.ActiveUsers += o.ActiveUsers
	d.WatchSeconds += o.WatchSeconds
	d.ViewingHours = hours(d.WatchSeconds)
	d.SessionsStarted += o.SessionsStarted
	d.Orders += o.Orders
	d.GMVMinor += o.GMVMinor
}

// hours turns viewer-seconds into hours with two decimals.
func hours(seconds int64) float64 { return math.Round(float64(seconds)/36) / 100 }

func currency(c string) string {
	if c == "" {
		return money.DefaultCurrency
	}
	return c
}

// finishSession sorts the products (best sellers first, then most
// clicked) and works out conversion.
func finishSession(r *SessionReport) {
	r.Currency = currency(r.Currency)
	if r.Views > 0 {
		r.Conversion = math.Round(float64(r.PaidBuyers)/float64(r.Views)*10000) / 10000
	}
	if r.Products == nil {
		r.Products = []SessionProduct{}
	}
	slices.SortFunc(r.Products, func(a, b SessionProduct) int {
		return cmp.Or(cmp.Compare(b.GMVMinor, a.GMVMinor), cmp.Compare(b.Clicks, a.Clicks), cmp.Compare(a.ProductID, b.ProductID))
	})
}

// topProducts ranks products by GMV (then units, then id) and keeps n.
func topProducts(ps []ProductSales, n int) []ProductSales {
	out := slices.Clone(ps)
	slices.SortFunc(out, func(a, b ProductSales) int {
		return cmp.Or(cmp.Compare(b.GMVMinor, a.GMVMinor), cmp.Compare(b.Units, a.Units), cmp.Compare(a.ProductID, b.ProductID))
	})
	if len(out) > n {
		out = out[:n]
	}
	if out == nil {
		out = []ProductSales{}
	}
	return out
}

// rankSessions orders sessions by GMV, then the latest start, then id.
func rankSessions(ss []SessionSales) []SessionSales {
	out := slices.Clone(ss)
	slices.SortFunc(out, func(a, b SessionSales) int {
		return cmp.Or(cmp.Compare(b.GMVMinor, a.GMVMinor), cmp.Compare(startMillis(b), startMillis(a)), cmp.Compare(a.SessionID, b.SessionID))
	})
	if out == nil {
		out = []SessionSales{}
	}
	return out
}

func startMillis(s SessionSales) int64 {
	if s.StartedAt == nil {
		return 0
	}
	return s.StartedAt.UnixMilli()
}

// withRoster adds the agency's active hosts who sold nothing, gives every
// host their agreement's status, and orders hosts by GMV, then name.
func withRoster(hosts []MCNHost, roster []mcn.Agreement) []MCNHost {
	status := make(map[string]mcn.Agreement, len(roster))
	for _, ag := range roster {
		status[ag.HostID] = ag
	}
	out := make([]MCNHost, 0, len(hosts)+len(roster))
	seen := make(map[string]bool, len(hosts))
	for _, h := range hosts {
		h.Status = status[h.HostID].Status
		seen[h.HostID] = true
		out = append(out, h)
	}
	for _, ag := range roster {
		if ag.Status == mcn.Active && !seen[ag.HostID] {
			out = append(out, MCNHost{HostID: ag.HostID, HostName: ag.HostName, Status: ag.Status})
		}
	}
	slices.SortFunc(out, func(a, b MCNHost) int {
		return cmp.Or(cmp.Compare(b.GMVMinor, a.GMVMinor), cmp.Compare(a.HostName, b.HostName), cmp.Compare(a.HostID, b.HostID))
	})
	return out
}

// buildPlatform fills the platform's days and ranks channels: sales by
// the channels of the selling shop (feed.ChannelsFor), viewing by the
// channel codes the pipeline rolls watch time up under.
func buildPlatform(r Range, d PlatformData) PlatformReport {
	rep := PlatformReport{From: r.FromString(), To: r.ToString(), Currency: currency(d.Currency)}
	rep.Days, rep.Totals = fillDays(r, d.Days)
	for i := range rep.Days {
		rep.Days[i].ViewingHours = hours(rep.Days[i].WatchSeconds)
	}
	rep.Totals.ViewingHours = hours(rep.Totals.WatchSeconds)

	gmv := map[string]*ChannelGMV{}
	for _, k := range d.ShopKinds {
		for _, code := range feed.ChannelsFor(k.Category, k.Programme) {
			c := gmv[code]
			if c == nil {
				ch, _ := feed.ChannelByCode(code)
				c = &ChannelGMV{Code: code, Name: ch.Name}
				gmv[code] = c
			}
			c.Orders += k.Orders
			c.GMVMinor += k.GMVMinor
		}
	}
	rep.TopChannelsByGMV = []ChannelGMV{}
	for _, c := range gmv {
		rep.TopChannelsByGMV = append(rep.TopChannelsByGMV, *c)
	}
	slices.SortFunc(rep.TopChannelsByGMV, func(a, b ChannelGMV) int {
		return cmp.Or(cmp.Compare(b.GMVMinor, a.GMVMinor), channelOrder(a.Code, b.Code))
	})

	rep.TopChannelsByViewing = []ChannelViewing{}
	for dim, secs := range d.WatchByDim {
		ch, ok := feed.ChannelByCode(dim)
		if !ok || secs == 0 {
			continue // other dims (shop ids) are not channels
		}
		rep.TopChannelsByViewing = append(rep.TopChannelsByViewing, ChannelViewing{Code: ch.Code, Name: ch.Name,
			WatchSeconds: secs, ViewingHours: hours(secs)})
	}
	slices.SortFunc(rep.TopChannelsByViewing, func(a, b ChannelViewing) int {
		return cmp.Or(cmp.Compare(b.WatchSeconds, a.WatchSeconds), channelOrder(a.Code, b.Code))
	})
	return rep
}

// channelOrder breaks ties by the channels' display order.
func channelOrder(a, b string) int {
	idx := func(code string) int {
		return slices.IndexFunc(feed.Channels, func(c feed.Channel) bool { return c.Code == code })
	}
	return cmp.Compare(idx(a), idx(b))
}
