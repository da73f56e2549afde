// Strings of the discover area (see ../index.ts): home, feed, channels,
// search, schedule, follows, reminders and notifications. English first;
// the Chinese table is typed against it, so a missing translation does not
// compile. A {link} or {q} placeholder that a component fills with an
// element is split out by richText (components/feed.tsx).
export const en = {
  // Home page
  'discover.home.heading': 'Live shopping, straight from the makers',
  'discover.home.tagline': 'Farms, workshops and studios sell here live. Find something good.',
  'discover.home.sell': 'Sell on liveshop',
  'discover.home.join': 'Join liveshop',
  'discover.home.searchProducts': 'Search products',
  'discover.home.search': 'Search',
  'discover.home.shops': 'Shops',
  'discover.home.village': 'Village',
  'discover.home.resultsFor': 'Results for “{q}”',
  'discover.home.justListed': 'Just listed',

  // Home feed
  'discover.feed.forYou': 'For you',
  'discover.feed.liveAndUpcoming': 'Live now and coming up',
  'discover.feed.summary': '{live} live · {upcoming} upcoming',
  'discover.feed.empty': 'Nobody is live or scheduled right now. {link}.',
  'discover.feed.seeReplays': 'See replays',
  'discover.feed.byCounty': 'Village live by county',
  'discover.feed.pickCounty': 'Pick a county…',
  'discover.county.withLive': '{county} · {n} live',

  // Feed cards and the channel strip
  'discover.card.live': 'LIVE',
  'discover.card.watching': 'watching now',
  'discover.card.onAir': 'On air now',
  'discover.channels': 'Channels',

  // Ranking reasons (the server sends these English texts)
  'discover.reason.followedHost': 'followed host',
  'discover.reason.followedShop': 'followed shop',
  'discover.reason.nearYou': 'near you',
  'discover.reason.popular': 'popular now',
  'discover.reason.justStarted': 'just started',
  'discover.reason.startingSoon': 'starting soon',
  'discover.reason.newHost': 'new host',
  'discover.reason.youWatch': 'you watch {category}',

  // Channels (by code)
  'discover.channel.foodie.name': 'Foodie',
  'discover.channel.foodie.description': 'Snacks, staples and fresh produce, tasted on air.',
  'discover.channel.rural.name': 'Rural / Village Live',
  'discover.channel.rural.description': 'Farmers and county cooperatives selling from the field, by county.',
  'discover.channel.fashion.name': 'Fashion',
  'discover.channel.fashion.description': 'Clothes, accessories and beauty.',
  'discover.channel.home.name': 'Home & Crafts',
  'discover.channel.home.description': 'For the home, handmade crafts and kids.',
  'discover.channel.tech.name': 'Tech',
  'discover.channel.tech.description': 'Phones, gadgets and electronics.',
  'discover.channel.health.name': 'Health',
  'discover.channel.health.description': 'Health and wellbeing.',

  // Shop categories (internal/catalog Categories)
  'discover.category.food': 'Food',
  'discover.category.fresh_produce': 'Fresh produce',
  'discover.category.fashion': 'Fashion',
  'discover.category.beauty': 'Beauty',
  'discover.category.home': 'Home',
  'discover.category.electronics': 'Electronics',
  'discover.category.crafts': 'Crafts',
  'discover.category.health': 'Health',
  'discover.category.kids': 'Kids',
  'discover.category.other': 'Other',

  // Channel page
  'discover.channel.title': 'Channel',
  'discover.channel.notFound': 'No such channel',
  'discover.channel.county': 'County',
  'discover.channel.allCounties': 'All counties',
  'discover.channel.empty': 'Nothing live or coming up here right now.',
  'discover.channel.emptyCounty': 'Nothing live or coming up here in {county} right now.',
  'discover.channel.showMore': 'Show more',

  // Search
  'discover.search.placeholder': 'Search rooms, shops, products…',
  'discover.search.label': 'Search',
  'discover.search.title': 'Search',
  'discover.search.titleQuery': 'Search: {q}',
  'discover.search.hint': 'Type what you are looking for in the search box: a product, a shop, a live room. English and 中文 both work.',
  'discover.search.resultsFor': 'Results for {q}',
  'discover.search.searching': 'Searching…',
  'discover.search.empty': 'Nothing found for “{q}”. Try fewer or shorter words.',
  'discover.search.more': 'More results',
  'discover.search.starts': 'Starts {when}',
  'discover.search.group.live': 'Live rooms',
  'discover.search.group.replay': 'Replays',
  'discover.search.group.shop': 'Shops',
  'discover.search.group.product': 'Products',
  'discover.search.tab.all': 'All',
  'discover.search.tab.live': 'Live',
  'discover.search.tab.replay': 'Replays',
  'discover.search.tab.shop': 'Shops',
  'discover.search.tab.product': 'Products',

  // Schedule
  'discover.schedule.title': 'Schedule',
  'discover.schedule.next7': 'Next 7 days',
  'discover.schedule.next31': 'Next 31 days',
  'discover.schedule.all': 'All',
  'discover.schedule.emptyWeek': 'Nothing scheduled this week.',
  'discover.schedule.emptyWeekChannel': 'Nothing scheduled this week in this channel.',
  'discover.schedule.emptyMonth': 'Nothing scheduled this month.',
  'discover.schedule.emptyMonthChannel': 'Nothing scheduled this month in this channel.',
  'discover.schedule.liveNow': 'See who is live now',
  'discover.schedule.loadMore': 'Load more',
  'discover.schedule.today': 'Today · {date}',
  'discover.schedule.tomorrow': 'Tomorrow · {date}',
  'discover.schedule.products.one': '{n} product',
  'discover.schedule.products.other': '{n} products',
  'discover.followers.one': '{n} follower',
  'discover.followers.other': '{n} followers',

  // Session preview
  'discover.preview.title': 'Coming up',
  'discover.preview.planned': 'Planned for {when}',
  'discover.preview.toBeShown': 'To be shown',
  'discover.preview.more': 'See what else is coming on the {link}.',
  'discover.preview.schedule': 'schedule',

  // Remind me
  'discover.remind.on': '✓ Reminder set',
  'discover.remind.off': '🔔 Remind me',

  // Follow
  'discover.follow.following': 'Following',
  'discover.follow.host': 'Follow host',
  'discover.follow.shop': 'Follow shop',
  'discover.follow.thisHost': 'this host',
  'discover.follow.thisShop': 'this shop',
  'discover.follow.stopTitle': 'Stop following {name}',
  'discover.follow.title': 'Follow {name} to hear when they go live',

  // Notifications
  'discover.notifications.title': 'Notifications',
  'discover.notifications.unread': 'Notifications, {n} unread',
  'discover.notifications.unreadOnly': 'Unread only',
  'discover.notifications.markAllRead': 'Mark all read',
  'discover.notifications.nothingUnread': 'Nothing unread.',
  'discover.notifications.none': 'No notifications yet.',
  'discover.notifications.hint': 'Follow hosts and shops, or ask to be reminded on the {link}, to hear when they go live.',
  'discover.notifications.schedule': 'schedule',
  'discover.notifications.loadMore': 'Load more',
  'discover.notifications.kind.live': 'Live now',
  'discover.notifications.kind.starting_soon': 'Starting soon',
  'discover.notifications.live.title': '{who} is live: {title}',
  'discover.notifications.live.body': 'Watch now at {shop}',
  'discover.notifications.soon.title': '{who} starts soon: {title}',
  'discover.notifications.soon.minutes': 'Starts in {n} minutes at {shop}',
  'discover.notifications.soon.minute': 'Starts in a minute at {shop}',
  'discover.notifications.soon.now': 'Starting now at {shop}',

  // Web Push
  'discover.push.turnOn': 'Turn on notifications',
  'discover.push.turnOff': 'Turn off notifications on this device',
  'discover.push.onHint': 'This device is told when hosts you follow go live.',
  'discover.push.offHint': 'Hear when hosts you follow go live, even with this tab closed.',
  'discover.push.blocked': 'notifications are blocked for this site; allow them in the browser settings',
};
