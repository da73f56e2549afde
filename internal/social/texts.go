package social

import (
	"fmt"
	"strings"

	"github.com/liveshop/liveshop/internal/money"
)

// The languages a notification is written in: the stored text is English
// (any reader, old clients); Web Push uses the language the app spoke
// when the browser subscribed. The web app writes known kinds itself from
// Params, in the same words (web/src/i18n/messages/discover.ts).
const (
	LocaleEnglish = "en"
	LocaleChinese = "zh-CN"
)

// normalizeLocale maps what a browser may send to a language we write
// in: "" and English variants to "en", Chinese ones to "zh-CN". ok is
// false for anything else.
func normalizeLocale(l string) (string, bool) {
	switch low := strings.ToLower(strings.TrimSpace(l)); {
	case low == "" || low == "en" || strings.HasPrefix(low, "en-"):
		return LocaleEnglish, true
	case low == "zh" || strings.HasPrefix(low, "zh-"):
		return LocaleChinese, true
	}
	return "", false
}

// presenterOf names who is on air: the host, or the shop without one.
func presenterOf(p NotificationParams) string {
	if p.Host != "" {
		return p.Host
	}
	return p.Shop
}

// notificationText writes a notification of kind in locale. ok is false
// for a kind it does not know (the caller keeps the stored text).
func notificationText(kind string, p NotificationParams, locale string) (title, body string, ok bool) {
	who := presenterOf(p)
	zh := locale == LocaleChinese
	switch kind {
	case KindLive:
		if zh {
			return fmt.Sprintf("%s 开播了：%s", who, p.Title), "去 " + p.Shop + " 的直播间看看", true
		}
		return fmt.Sprintf("%s is live: %s", who, p.Title), "Watch now at " + p.Shop, true
	case KindStartingSoon:
		if zh {
			body = fmt.Sprintf("%d 分钟后在 %s 开播", p.Minutes, p.Shop)
			if p.Minutes <= 0 {
				body = "马上在 " + p.Shop + " 开播"
			}
			return fmt.Sprintf("%s 即将开播：%s", who, p.Title), body, true
		}
		switch {
		case p.Minutes > 1:
			body = fmt.Sprintf("Starts in %d minutes at %s", p.Minutes, p.Shop)
		case p.Minutes == 1:
			body = "Starts in a minute at " + p.Shop
		default:
			body = "Starting now at " + p.Shop
		}
		return fmt.Sprintf("%s starts soon: %s", who, p.Title), body, true
	case KindOrderShipped:
		if zh {
			return "你在 " + p.Shop + " 的订单已发货", fmt.Sprintf("%s 运单号 %s", p.Carrier, p.TrackingNumber), true
		}
		return "Your order from " + p.Shop + " has shipped", fmt.Sprintf("%s tracking number %s", p.Carrier, p.TrackingNumber), true
	case KindOrderDelivered:
		if zh {
			return "你在 " + p.Shop + " 的订单已送达", "收到后请确认收货；有问题可以申请退款", true
		}
		return "Your order from " + p.Shop + " was delivered", "Confirm you received it, or ask for a refund if something is wrong", true
	case KindOrderRefunded:
		amount := money.Format(p.TotalMinor, p.Currency) + " " + p.Currency
		if zh {
			return "你在 " + p.Shop + " 的订单已退款", amount + " 将原路退回", true
		}
		return "Your order from " + p.Shop + " was refunded", amount + " goes back the way you paid", true
	case KindRefundDeclined:
		if zh {
			return p.Shop + " 拒绝了你的退款申请", "理由：" + p.Reason, true
		}
		return p.Shop + " declined your refund request", "Reason: " + p.Reason, true
	}
	return "", "", false
}

// EnglishText is a notification of a known kind as it is stored (and
// pushed to English browsers); ok is false for a kind it does not know.
func EnglishText(kind string, p NotificationParams) (title, body string, ok bool) {
	return notificationText(kind, p, LocaleEnglish)
}

// localized is n in locale: the stored text when the locale is English,
// the kind is unknown or the notification predates Params.
func localized(n Notification, locale string) (title, body string) {
	if locale != LocaleChinese || n.Params == (NotificationParams{}) {
		return n.Title, n.Body
	}
	if t, b, ok := notificationText(n.Kind, n.Params, locale); ok {
		return t, b
	}
	return n.Title, n.Body
}
