package social

import (
	"fmt"
	"strings"
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
	}
	return "", "", false
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
