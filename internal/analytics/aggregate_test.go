package analytics

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// shops is a fixed session → shop table for build.
func shops(m map[string]SessionInfo) shopOf {
	return func(_ context.Context, id string) (SessionInfo, bool, error) {
		info, ok := m[id]
		return info, ok, nil
	}
}

func TestAggregate(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	day := Day(at)
	info := map[string]SessionInfo{"ses_1": {ID: "ses_1", ShopID: "shp_1", Category: "food", Channels: []string{"fresh"}}}
	tests := []struct {
		name   string
		events []Event
		want   Flush
	}{
		{
			name: "views: signed in and anonymous, affinity from the shop",
			events: []Event{
				{Kind: KindView, SessionID: "ses_1", UserID: "usr_1", At: at},
				{Kind: KindView, SessionID: "ses_1", At: at},
			},
			want: Flush{
				Rooms: []RoomDelta{{SessionID: "ses_1", Views: 2, ViewersSignedIn: 1}},
				Daily: []DailyDelta{{day, MetricViews, "", 2}, {day, MetricViews, "fresh", 2}, {day, MetricViews, "shp_1", 2}},
				Users: []DailyUser{{day, "usr_1"}}, Categories: []CategoryDelta{{UserID: "usr_1", Category: "food", Views: 1}},
			},
		},
		{
			name: "likes and watch: the newest report per node",
			events: []Event{
				{Kind: KindLike, SessionID: "ses_1", Count: 7, At: at},
				{Kind: KindWatch, SessionID: "ses_1", Node: "a", Count: 100, Viewers: 10, At: at.Add(10 * time.Second)},
				{Kind: KindWatch, SessionID: "ses_1", Node: "a", Count: 90, Viewers: 9, At: at},
				{Kind: KindWatch, SessionID: "ses_1", Node: "b", Count: 5, Viewers: 1, At: at},
			},
			want: Flush{
				Rooms:   []RoomDelta{{SessionID: "ses_1", Likes: 7, WatchSeconds: 195}},
				Viewers: []ViewerReport{{"ses_1", "a", 10, at.Add(10 * time.Second)}, {"ses_1", "b", 1, at}},
				Daily: []DailyDelta{{day, MetricLikes, "", 7}, {day, MetricLikes, "fresh", 7}, {day, MetricLikes, "shp_1", 7},
					{day, MetricWatchSeconds, "", 195}, {day, MetricWatchSeconds, "fresh", 195}, {day, MetricWatchSeconds, "shp_1", 195}},
			},
		},
		{
			name: "clicks, follows, orders and payments",
			events: []Event{
				{Kind: KindProductClick, SessionID: "ses_1", ProductID: "p1", At: at},
				{Kind: KindBuyClick, SessionID: "ses_1", ProductID: "p1", At: at},
				{Kind: KindFollow, SessionID: "ses_1", UserID: "usr_2", At: at},
				// one order of two lines, then paid
				{Kind: KindOrder, SessionID: "ses_1", UserID: "usr_2", ProductID: "p1", Count: 2, AmountMinor: 300, Orders: 1, Currency: "CNY", At: at},
				{Kind: KindOrder, SessionID: "ses_1", UserID: "usr_2", ProductID: "p2", Count: 1, AmountMinor: 100, Currency: "CNY", At: at},
				{Kind: KindPaid, SessionID: "ses_1", UserID: "usr_2", ProductID: "p1", Count: 2, AmountMinor: 300, Orders: 1, Currency: "CNY", At: at},
				{Kind: KindPaid, SessionID: "ses_1", UserID: "usr_2", ProductID: "p2", Count: 1, AmountMinor: 100, Currency: "CNY", At: at},
			},
			want: Flush{
				Rooms: []RoomDelta{{SessionID: "ses_1", ProductClicks: 1, BuyClicks: 1, NewFollowers: 1, Orders: 1,
					PaidOrders: 1, GMVMinor: 400, Currency: "CNY"}},
				Products: []ProductDelta{{"ses_1", "p1", 1, 1, 2, 300}, {"ses_1", "p2", 0, 1, 1, 100}},
				Daily: []DailyDelta{
					{day, MetricBuyClicks, "", 1}, {day, MetricBuyClicks, "fresh", 1}, {day, MetricBuyClicks, "shp_1", 1},
					{day, MetricFollows, "", 1}, {day, MetricFollows, "fresh", 1}, {day, MetricFollows, "shp_1", 1},
					{day, MetricGMVMinor, "", 400}, {day, MetricGMVMinor, "fresh", 400}, {day, MetricGMVMinor, "shp_1", 400},
					{day, MetricOrders, "", 1}, {day, MetricOrders, "fresh", 1}, {day, MetricOrders, "shp_1", 1},
					{day, MetricPaidOrders, "", 1}, {day, MetricPaidOrders, "fresh", 1}, {day, MetricPaidOrders, "shp_1", 1},
					{day, MetricProductClicks, "", 1}, {day, MetricProductClicks, "fresh", 1}, {day, MetricProductClicks, "shp_1", 1},
				},
				Users:      []DailyUser{{day, "usr_2"}},
				Categories: []CategoryDelta{{UserID: "usr_2", Category: "food", Orders: 1}},
			},
		},
		{
			name: "the event's category wins; unknown sessions count only on the platform",
			events: []Event{
				{Kind: KindView, SessionID: "ses_gone", UserID: "usr_3", Category: "books", At: at},
				{Kind: KindView, SessionID: "ses_gone", UserID: "usr_4", At: at},
				{Kind: KindSessionStarted, SessionID: "ses_gone", At: at.Add(24 * time.Hour)},
				{Kind: "future_kind", SessionID: "ses_gone", At: at},
			},
			want: Flush{
				Rooms:      []RoomDelta{{SessionID: "ses_gone", Views: 2, ViewersSignedIn: 2}},
				Daily:      []DailyDelta{{day, MetricViews, "", 2}, {day + 1, MetricSessionsStarted, "", 1}},
				Users:      []DailyUser{{day, "usr_3"}, {day, "usr_4"}},
				Categories: []CategoryDelta{{UserID: "usr_3", Category: "books", Views: 1}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAggregator()
			for i := range tt.events {
				a.add(&tt.events[i])
			}
			got, err := a.build(t.Context(), shops(info), at)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.At = at
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("flush\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}
}

func TestDay(t *testing.T) {
	for _, tt := range []struct {
		t    time.Time
		want int64
	}{
		{time.UnixMilli(0), 0},
		{time.UnixMilli(86_399_999), 0},
		{time.UnixMilli(86_400_000), 1},
		{time.UnixMilli(-1), -1},
		{time.Date(2026, 12, 1, 23, 59, 0, 0, time.FixedZone("x", 8*3600)), 20788}, // 15:59 UTC,
	} {
		if got := Day(tt.t); got != tt.want {
			t.Errorf("Day(%v) = %d, want %d", tt.t, got, tt.want)
		}
	}
}
