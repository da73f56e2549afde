package order

import (
	"context"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
)

// DaySales is one UTC day of a shop's paid orders.
type DaySales struct {
	Day      string `json:"day"` // YYYY-MM-DD, UTC
	Orders   int    `json:"orders"`
	GMVMinor int64  `json:"gmv_minor"`
}

// SalesSummary is a shop's recent sales, for its console chart.
type SalesSummary struct {
	ShopID          string     `json:"shop_id"`
	Currency        string     `json:"currency"`
	Days            []DaySales `json:"days"`
	PaidOrders      int        `json:"paid_orders"`
	GMVMinor        int64      `json:"gmv_minor"`
	MerchantNet     int64      `json:"merchant_net_minor"`
	PlatformFees    int64      `json:"platform_fee_minor"`
	HostCommissions int64      `json:"host_commission_minor"`
	AwaitingPayment int        `json:"awaiting_payment"`
	ToShip          int        `json:"to_ship"`
	Refunded        int        `json:"refunded"`
	// RefundRequests counts the open refund requests waiting for the shop.
	RefundRequests int `json:"refund_requests"`
}

// Sales returns a shop's sales over the last days (1–90) for its members.
func (s *Service) Sales(ctx context.Context, a account.Actor, shopID string, days int) (SalesSummary, error) {
	if err := signedIn(a); err != nil {
		return SalesSummary{}, err
	}
	if !catalog.CanOperate(a, shopID) {
		return SalesSummary{}, apperr.New(apperr.Forbidden, "you are not a member of shop %s", shopID)
	}
	if days < 1 || days > 90 {
		return SalesSummary{}, apperr.Field("days", "days must be from 1 to 90")
	}
	now := s.now().UTC()
	to := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	from := to.AddDate(0, 0, -days)
	sum, err := s.repo.ShopSales(ctx, shopID, from, to)
	if err != nil {
		return SalesSummary{}, err
	}
	// Every day appears, sales or not, so a chart has no gaps.
	byDay := map[string]DaySales{}
	for _, d := range sum.Days {
		byDay[d.Day] = d
	}
	sum.Days = make([]DaySales, 0, days)
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		key := d.Format("2006-01-02")
		ds := byDay[key]
		ds.Day = key
		sum.Days = append(sum.Days, ds)
	}
	sum.ShopID = shopID
	if sum.Currency == "" {
		sum.Currency = "CNY"
	}
	return sum, nil
}
