// The home page's feed: live and upcoming rooms ranked for whoever is
// looking (signed in: their follows, tastes and region), the channel
// strip and the rural channel's county picker. Refreshed every 15 s.
import { useSession } from '../session';
import { ChannelStrip, FeedList, feedAPI, type County } from '../components/feed';
import { t } from '../i18n';
import { Link, navigate } from '../router';
import { Empty, Loaded, useAsync, usePoll } from '../ui';
import { fillSlots } from '../i18n/slots';

const LIMIT = 30;
const REFRESH_MS = 15_000;

export function HomeFeed() {
  const s = useSession();
  const signedIn = !!s.me.user;
  const feed = useAsync((signal) => feedAPI.feed(LIMIT, signal), [signedIn]);
  const channels = useAsync((signal) => feedAPI.channels(signal), []);
  const counties = useAsync((signal) => feedAPI.counties(signal), []);
  // Quiet refreshes: a failed one keeps what is shown.
  usePoll(
    () => {
      feedAPI.feed(LIMIT).then(feed.setData, () => undefined);
      feedAPI.channels().then(channels.setData, () => undefined);
    },
    REFRESH_MS,
    true,
  );
  const items = feed.data?.items ?? [];
  const live = items.filter((it) => it.status === 'live').length;
  return (
    <section class="stack" data-testid="home-feed">
      {channels.data && <ChannelStrip channels={channels.data} />}
      <RuralCounties counties={counties.data ?? []} />
      <div class="section-head">
        <h2 class="section-title">{signedIn ? t('discover.feed.forYou') : t('discover.feed.liveAndUpcoming')}</h2>
        <span class="small muted" data-testid="feed-summary">
          {feed.data ? t('discover.feed.summary', { live, upcoming: items.length - live }) : ''}
        </span>
        {live > 0 && (
          <Link href="/watch" class="btn btn-primary small" data-testid="feed-watch">
            <span aria-hidden="true">▶ </span>
            {t('watch.swipe')}
          </Link>
        )}
      </div>
      <Loaded a={feed}>
        {(d) =>
          d.items.length === 0 ? (
            <Empty>
              {fillSlots(t('discover.feed.empty'), { link: <Link href="/live">{t('discover.feed.seeReplays')}</Link> })}
            </Empty>
          ) : (
            <FeedList items={d.items} testid="feed" />
          )
        }
      </Loaded>
    </section>
  );
}

/** RuralCounties jumps to the rural channel of one county. */
function RuralCounties({ counties }: { counties: County[] }) {
  if (counties.length === 0) return null;
  return (
    <label class="county-picker small">
      <span>{t('discover.feed.byCounty')}</span>
      <select
        data-testid="home-county-picker"
        value=""
        onChange={(e) => {
          const c = (e.currentTarget as HTMLSelectElement).value;
          navigate(`/channels/rural${c ? `?county=${encodeURIComponent(c)}` : ''}`);
        }}
      >
        <option value="">{t('discover.feed.pickCounty')}</option>
        {counties.map((c) => (
          <option key={c.county} value={c.county}>
            {c.live_count > 0 ? t('discover.county.withLive', { county: c.county, n: c.live_count }) : c.county}
          </option>
        ))}
      </select>
    </label>
  );
}
