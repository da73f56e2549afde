// The personal feed and the channels (docs/FEED.md): the API calls, the
// vertical room cards with their ranking reasons, the channel strip and a
// viewer count that rolls to its new value.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, list } from '../api';
import { dateTime, label } from '../format';
import { t } from '../i18n';
import { messages, type MessageKey } from '../i18n/messages';
import { Link } from '../router';
import { Thumb } from '../ui';
import { Countdown, imageThumb } from './live';
import { compact } from './room-likes';
import '../styles/feed.css';

/** FeedItem is a live or upcoming room, ranked (GET /feed, /channels/{code}). */
export interface FeedItem {
  id: string;
  title: string;
  cover_image_id: string;
  status: 'live' | 'scheduled';
  shop_id: string;
  shop_name: string;
  host_id: string;
  host_name: string;
  category: string;
  programme: string;
  county: string;
  region: string;
  planned_start: string;
  started_at?: string;
  viewers: number;
  likes: number;
  host_followers: number;
  score: number;
  reasons: string[];
  exploration: boolean;
}

export interface FeedPage {
  items: FeedItem[];
  explored: number;
}

export interface ChannelInfo {
  code: string;
  name: string;
  description: string;
  live_count: number;
}

export interface County {
  county: string;
  sessions: number;
  live_count: number;
}

/** anonID is a random id this browser keeps, so an anonymous feed's exploration picks stay put for the hour. */
export function anonID(): string {
  const key = 'liveshop.anon';
  try {
    let id = localStorage.getItem(key);
    if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      const b = new Uint8Array(12);
      crypto.getRandomValues(b);
      id = 'a-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      localStorage.setItem(key, id);
    }
    return id;
  } catch {
    return '';
  }
}

export const feedAPI = {
  feed: (limit: number, signal?: AbortSignal) => {
    const anon = anonID();
    return api.get<FeedPage>('/feed', anon ? { limit, anon } : { limit }, signal);
  },
  channels: (signal?: AbortSignal) => api.get<ChannelInfo[]>('/channels', undefined, signal),
  channel: (code: string, query: { county?: string; limit?: number; cursor?: string }, signal?: AbortSignal) =>
    list<FeedItem>(`/channels/${encodeURIComponent(code)}`, query, signal),
  counties: (signal?: AbortSignal) => api.get<County[]>('/channels/rural/counties', undefined, signal),
};

/** keyOf returns key when the discover table has it, so a code the app does not know yet falls back to what the server sent. */
function keyOf(key: string): MessageKey | null {
  return key in messages.en ? (key as MessageKey) : null;
}

/** categoryName names a shop category ("fresh_produce" → "Fresh produce"); an unknown one gets label(). */
export function categoryName(code: string): string {
  const k = keyOf(`discover.category.${code}`);
  return k ? t(k) : label(code);
}

/** channelName names a channel by its code; fallback is the server's (English) name for a channel the app does not know. */
export function channelName(code: string, fallback: string): string {
  const k = keyOf(`discover.channel.${code}.name`);
  return k ? t(k) : fallback;
}

/** channelDescription is channelName for the description. */
export function channelDescription(code: string, fallback: string): string {
  const k = keyOf(`discover.channel.${code}.description`);
  return k ? t(k) : fallback;
}

// The server (internal/feed/rank.go) sends its reasons as English text.
const REASONS: Record<string, MessageKey> = {
  'followed host': 'discover.reason.followedHost',
  'followed shop': 'discover.reason.followedShop',
  'near you': 'discover.reason.nearYou',
  'popular now': 'discover.reason.popular',
  'just started': 'discover.reason.justStarted',
  'starting soon': 'discover.reason.startingSoon',
  'new host': 'discover.reason.newHost',
};
const YOU_WATCH = 'you watch ';

/** reasonText translates a ranking reason; one the app does not know is shown as sent. */
export function reasonText(r: string): string {
  const k = REASONS[r];
  if (k) return t(k);
  if (r.startsWith(YOU_WATCH)) {
    // "you watch fresh produce": the category code with its underscores turned into spaces.
    const shown = r.slice(YOU_WATCH.length);
    const code = shown.replace(/ /g, '_');
    const name = keyOf(`discover.category.${code}`) ? categoryName(code).toLowerCase() : shown;
    return t('discover.reason.youWatch', { category: name });
  }
  return r;
}

/** LiveNumber shows n and rolls from its last value to a new one instead of jumping. */
export function LiveNumber({ n, testid }: { n: number; testid?: string }) {
  const [shown, setShown] = useState(n);
  const from = useRef(n);
  useEffect(() => {
    const start = from.current;
    if (start === n) return;
    const t0 = performance.now();
    const ms = 600;
    let raf = 0;
    const step = (t: number) => {
      const k = Math.min(1, (t - t0) / ms);
      const v = Math.round(start + (n - start) * (1 - (1 - k) * (1 - k)));
      setShown(v);
      from.current = v;
      if (k < 1) raf = requestAnimationFrame(step);
    };
    raf = requestAnimationFrame(step);
    return () => cancelAnimationFrame(raf);
  }, [n]);
  return (
    <span class="live-number" data-testid={testid} data-value={n}>
      {compact(shown)}
    </span>
  );
}

/** FeedCard is one room of the feed: cover, LIVE with viewers or the start time, title, host and shop, and why it is here. */
export function FeedCard({ it, position }: { it: FeedItem; position?: number }) {
  const live = it.status === 'live';
  return (
    <Link
      href={`/live/${it.id}`}
      class={live ? 'fcard live' : 'fcard'}
      data-testid="feed-item"
      data-room-id={it.id}
      data-status={it.status}
      data-position={position}
      data-exploration={it.exploration ? 'true' : undefined}
    >
      <div class="fcard-img">
        <Thumb src={imageThumb(it.cover_image_id)} alt={it.title} size="lg" />
        <div class="fcard-flag">
          {live ? (
            <span class="live-badge" data-testid="live-badge">
              <span class="live-dot" aria-hidden="true" />
              {t('discover.card.live')}
            </span>
          ) : (
            <span class="room-flag">
              <Countdown iso={it.planned_start} />
            </span>
          )}
        </div>
        {live && (
          <div class="fcard-viewers" title={t('discover.card.watching')}>
            <span aria-hidden="true">👁 </span>
            <LiveNumber n={it.viewers} testid="feed-viewers" />
          </div>
        )}
      </div>
      <div class="fcard-body">
        <h3 class="fcard-title">{it.title}</h3>
        <div class="fcard-sub muted">
          {it.host_name ? `${it.host_name} · ` : ''}
          {it.shop_name}
          {it.county ? ` · ${it.county}` : ''}
        </div>
        <div class="fcard-sub muted">{live ? (it.likes > 0 ? `♥ ${compact(it.likes)}` : t('discover.card.onAir')) : dateTime(it.planned_start)}</div>
        {it.reasons.length > 0 && (
          <div class="fcard-reasons" data-testid="feed-reasons">
            {it.reasons.map((r) => (
              <span key={r} class={r === 'new host' ? 'reason reason-new' : 'reason'} data-testid="feed-reason">
                {reasonText(r)}
              </span>
            ))}
          </div>
        )}
      </div>
    </Link>
  );
}

/** FeedList lays feed items out one under another (two columns on wide screens). */
export function FeedList({ items, testid }: { items: FeedItem[]; testid?: string }) {
  return (
    <div class="feed-list" data-testid={testid}>
      {items.map((it, i) => (
        <FeedCard key={it.id} it={it} position={i + 1} />
      ))}
    </div>
  );
}

/** ChannelStrip links every channel, with its live count, in one scrolling row. */
export function ChannelStrip({ channels, active }: { channels: ChannelInfo[]; active?: string }) {
  return (
    <nav class="channel-strip" aria-label={t('discover.channels')} data-testid="channel-strip">
      {channels.map((c) => (
        <Link
          key={c.code}
          href={`/channels/${c.code}`}
          class={c.code === active ? 'channel-chip active' : 'channel-chip'}
          data-testid={`channel-${c.code}`}
          title={channelDescription(c.code, c.description)}
        >
          <span>{channelName(c.code, c.name)}</span>
          {c.live_count > 0 && (
            <span class="channel-live" data-testid="channel-live-count">
              <span class="live-dot" aria-hidden="true" />
              <LiveNumber n={c.live_count} />
            </span>
          )}
        </Link>
      ))}
    </nav>
  );
}
