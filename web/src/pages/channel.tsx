// A channel: its live rooms (newest first) then its upcoming ones, with the
// other channels a tap away. The rural channel filters by county.
import { useState } from 'preact/hooks';
import { errorMessage } from '../api';
import { ChannelStrip, FeedList, feedAPI, type County, type FeedItem } from '../components/feed';
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
  useTitle(info?.name ?? 'Channel');
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
        <h1>No such channel</h1>
      </Empty>
    );
  }
  return (
    <div class="stack" data-testid="channel-page" data-channel={code}>
      {channels.data && <ChannelStrip channels={channels.data} active={code} />}
      <div>
        <h1>{info?.name ?? ''}</h1>
        <p class="muted">{info?.description}</p>
      </div>
      {code === 'rural' && (
        <label class="county-picker">
          <span>County</span>
          <select
            value={county}
            data-testid="county-picker"
            onChange={(e) => {
              setMore(null);
              setQuery({ county: val(e) });
            }}
          >
            <option value="">All counties</option>
            {(counties.data ?? []).map((c) => (
              <option key={c.county} value={c.county}>
                {c.county}
                {c.live_count > 0 ? ` · ${c.live_count} live` : ''}
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
        <Empty>Nothing live or coming up here{county ? ` in ${county}` : ''} right now.</Empty>
      ) : (
        <>
          <FeedList items={shown} testid="channel-items" />
          {next && (
            <button class="btn btn-ghost" onClick={loadMore} data-testid="channel-more">
              Show more
            </button>
          )}
          {moreErr && <p class="error">{moreErr}</p>}
        </>
      )}
    </div>
  );
}
