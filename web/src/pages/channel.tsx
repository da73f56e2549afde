// A channel: its live rooms (newest first) then its upcoming ones, with the
// other channels a tap away. The rural channel filters by county.
import { useState } from 'preact/hooks';
import { errorMessage } from '../api';
import { ChannelStrip, FeedList, channelDescription, channelName, feedAPI, type County, type FeedItem } from '../components/feed';
import { t } from '../i18n';
import { setQuery, useLocation } from '../router';
import { Empty, ErrorBox, Spinner, useAsync, usePoll, useTitle, val } from '../ui';

const PAGE = 24;
const REFRESH_MS = 15_000;

interface Loaded {
  items: FeedItem[];
  next: string;
}

export function ChannelPage({ params }: { params: Record<string, string> }) {
  const code = params.code;
  const { query } = useLocation();
  const county = query.get('county') ?? '';
  const channels = useAsync((signal) => feedAPI.channels(signal), []);
  const info = channels.data?.find((c) => c.code === code);
  useTitle(info ? channelName(info.code, info.name) : t('discover.channel.title'));
  const counties = useAsync((signal) => (code === 'rural' ? feedAPI.counties(signal) : Promise.resolve([] as County[])), [code]);
  const first = useAsync(async (signal): Promise<Loaded> => {
    const pg = await feedAPI.channel(code, { county: county || undefined, limit: PAGE }, signal);
    return { items: pg.items, next: pg.next_cursor };
  }, [code, county]);
  const [more, setMore] = useState<Loaded | null>(null);
  const [moreErr, setMoreErr] = useState('');

  // Live counts and the first page refresh quietly; pages loaded by hand stay as they are.
  usePoll(
    () => {
      feedAPI.channels().then(channels.setData, () => undefined);
      if (!more) {
        feedAPI.channel(code, { county: county || undefined, limit: PAGE }).then((pg) => first.setData({ items: pg.items, next: pg.next_cursor }), () => undefined);
      }
    },
    REFRESH_MS,
    true,
  );

  const shown = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.next : (first.data?.next ?? '');
  const loadMore = async () => {
    setMoreErr('');
    try {
      const pg = await feedAPI.channel(code, { county: county || undefined, limit: PAGE, cursor: next });
      setMore({ items: [...(more?.items ?? []), ...pg.items], next: pg.next_cursor });
    } catch (e) {
      setMoreErr(errorMessage(e));
    }
  };

  if (channels.data && !info) {
    return (
      <Empty>
        <h1>{t('discover.channel.notFound')}</h1>
      </Empty>
    );
  }
  return (
    <div class="stack" data-testid="channel-page" data-channel={code}>
      {channels.data && <ChannelStrip channels={channels.data} active={code} />}
      <div>
        <h1>{info ? channelName(info.code, info.name) : ''}</h1>
        <p class="muted">{info ? channelDescription(info.code, info.description) : undefined}</p>
      </div>
      {code === 'rural' && (
        <label class="county-picker">
          <span>{t('discover.channel.county')}</span>
          <select
            value={county}
            data-testid="county-picker"
            onChange={(e) => {
              setMore(null);
              setQuery({ county: val(e) });
            }}
          >
            <option value="">{t('discover.channel.allCounties')}</option>
            {(counties.data ?? []).map((c) => (
              <option key={c.county} value={c.county}>
                {c.live_count > 0 ? t('discover.county.withLive', { county: c.county, n: c.live_count }) : c.county}
              </option>
            ))}
          </select>
        </label>
      )}
      {first.error ? (
        <ErrorBox err={first.error} retry={first.reload} />
      ) : !first.data ? (
        <Spinner />
      ) : shown.length === 0 ? (
        <Empty>{county ? t('discover.channel.emptyCounty', { county }) : t('discover.channel.empty')}</Empty>
      ) : (
        <>
          <FeedList items={shown} testid="channel-items" />
          {next && (
            <button class="btn btn-ghost" onClick={loadMore} data-testid="channel-more">
              {t('discover.channel.showMore')}
            </button>
          )}
          {moreErr && <p class="error">{moreErr}</p>}
        </>
      )}
    </div>
  );
}
