// Package feed builds what viewers browse: themed channels and a personal
// feed of live and upcoming rooms ranked per viewer (docs/DISCOVERY.md,
// docs/FEED.md).
package feed

// Channel is a themed list of rooms, defined by shop categories and
// programmes.
type Channel struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Categories  []string `json:"-"`
	Programme   string   `json:"-"`
}

// Channels are the platform's channels, in display order.
var Channels = []Channel{
	{Code: "foodie", Name: "Foodie", Description: "Snacks, staples and fresh produce, tasted on air.", Categories: []string{"food", "fresh_produce"}},
	{Code: "rural", Name: "Rural / Village Live", Description: "Farmers and county cooperatives selling from the field, by county.", Programme: "rural"},
	{Code: "fashion", Name: "Fashion", Description: "Clothes, accessories and beauty.", Categories: []string{"fashion", "beauty"}},
	{Code: "home", Name: "Home & Crafts", Description: "For the home, handmade crafts and kids.", Categories: []string{"home", "crafts", "kids"}},
	{Code: "tech", Name: "Tech", Description: "Phones, gadgets and electronics.", Categories: []string{"electronics"}},
	{Code: "health", Name: "Health", Description: "Health and wellbeing.", Categories: []string{"health"}},
}

// ChannelsFor returns the codes of the channels a shop with this category
// and programme appears in (a rural food shop is in both foodie and rural).
func ChannelsFor(category, programme string) []string {
	var out []string
	for _, c := range Channels {
		if c.Programme != "" && c.Programme == programme {
			out = append(out, c.Code)
			continue
		}
		for _, k := range c.Categories {
			if k == category {
				out = append(out, c.Code)
				break
			}
		}
	}
	return out
}

// ChannelByCode finds a channel.
func ChannelByCode(code string) (Channel, bool) {
	for _, c := range Channels {
		if c.Code == code {
			return c, true
		}
	}
	return Channel{}, false
}
