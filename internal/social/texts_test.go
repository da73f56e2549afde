package social

import "testing"

func TestNotificationText(t *testing.T) {
	p := NotificationParams{Host: "Ann", Shop: "Farm", Title: "Rice"}
	soon := func(m int) NotificationParams { q := p; q.Minutes = m; return q }
	noHost := NotificationParams{Shop: "Farm", Title: "Rice"}
	ship := NotificationParams{Shop: "Farm", Carrier: "SF Express", TrackingNumber: "SF123", Reason: "Opened", TotalMinor: 12850, Currency: "CNY"}
	for _, tt := range []struct {
		kind        string
		p           NotificationParams
		locale      string
		title, body string
	}{
		{KindLive, p, LocaleEnglish, "Ann is live: Rice", "Watch now at Farm"},
		{KindLive, noHost, LocaleEnglish, "Farm is live: Rice", "Watch now at Farm"},
		{KindLive, p, LocaleChinese, "Ann 开播了：Rice", "去 Farm 的直播间看看"},
		{KindStartingSoon, soon(5), LocaleEnglish, "Ann starts soon: Rice", "Starts in 5 minutes at Farm"},
		{KindStartingSoon, soon(1), LocaleEnglish, "Ann starts soon: Rice", "Starts in a minute at Farm"},
		{KindStartingSoon, soon(0), LocaleEnglish, "Ann starts soon: Rice", "Starting now at Farm"},
		{KindStartingSoon, soon(5), LocaleChinese, "Ann 即将开播：Rice", "5 分钟后在 Farm 开播"},
		{KindStartingSoon, soon(0), LocaleChinese, "Ann 即将开播：Rice", "马上在 Farm 开播"},
		{KindOrderShipped, ship, LocaleEnglish, "Your order from Farm has shipped", "SF Express tracking number SF123"},
		{KindOrderShipped, ship, LocaleChinese, "你在 Farm 的订单已发货", "SF Express 运单号 SF123"},
		{KindOrderDelivered, ship, LocaleChinese, "你在 Farm 的订单已送达", "收到后请确认收货；有问题可以申请退款"},
		{KindOrderRefunded, ship, LocaleEnglish, "Your order from Farm was refunded", "128.50 CNY goes back the way you paid"},
		{KindRefundDeclined, ship, LocaleEnglish, "Farm declined your refund request", "Reason: Opened"},
		{KindRefundDeclined, ship, LocaleChinese, "Farm 拒绝了你的退款申请", "理由：Opened"},
	} {
		title, body, ok := notificationText(tt.kind, tt.p, tt.locale)
		if !ok || title != tt.title || body != tt.body {
			t.Errorf("%s %+v %s = %q / %q (%v), want %q / %q", tt.kind, tt.p, tt.locale, title, body, ok, tt.title, tt.body)
		}
	}
	// Unknown kinds and notifications stored before params keep their text.
	old := Notification{Kind: KindLive, Title: "stored", Body: "text"}
	if title, body := localized(old, LocaleChinese); title != "stored" || body != "text" {
		t.Errorf("without params: %q / %q", title, body)
	}
	other := Notification{Kind: "reminder", Title: "stored", Body: "text", Params: p}
	if title, body := localized(other, LocaleChinese); title != "stored" || body != "text" {
		t.Errorf("unknown kind: %q / %q", title, body)
	}
	for in, want := range map[string]string{"": "en", "en-US": "en", "zh": "zh-CN", "zh-TW": "zh-CN", "ZH-cn": "zh-CN"} {
		if got, ok := normalizeLocale(in); !ok || got != want {
			t.Errorf("normalizeLocale(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	if _, ok := normalizeLocale("fr"); ok {
		t.Error("fr accepted")
	}
}
