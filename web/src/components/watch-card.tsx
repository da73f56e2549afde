// One screen of the watch feed: the room's cover (its poster), the muted
// preview while it is the card on screen, and over it the host, title,
// viewers, the product being explained, Follow, sound and "enter".
// The whole card is a link to the room (a stretched link under the
// controls, so the controls stay separate buttons for screen readers).
import { useEffect, useState } from 'preact/hooks';
import { live } from '../api';
import { t } from '../i18n';
import { Link } from '../router';
import type { LiveProduct, LiveSession } from '../types';
import { Price, Thumb } from '../ui';
import { LiveNumber, type FeedItem } from './feed';
import { FollowButton } from './follow';
import { Countdown, imageFull, imageThumb, shelf } from './live';
import { PreviewPlayer } from './preview-player';
import { RemindButton } from './remind';

/** How often the card on screen re-reads its session (the product being explained changes). */
const SESSION_MS = 10_000;

export interface WatchCardProps {
  it: FeedItem;
  /** active: this card is the one on screen (it plays). */
  active: boolean;
  /** near: on screen or next to it: worth loading its details and controls. */
  near: boolean;
  muted: boolean;
  setMuted: (m: boolean) => void;
  n: number;
  total: number;
}

/** featured is the product being explained, else the first on the shelf. */
function featured(s: LiveSession | null): { p: LiveProduct; explaining: boolean } | null {
  if (!s) return null;
  const products = shelf(s);
  const x = s.explaining_product_id ? products.find((p) => p.product_id === s.explaining_product_id) : undefined;
  if (x) return { p: x, explaining: true };
  return products.length > 0 ? { p: products[0], explaining: false } : null;
}

/** useSessionOf loads the room's session once it is near, and re-reads it while on screen. */
function useSessionOf(id: string, near: boolean, active: boolean): LiveSession | null {
  const [s, setS] = useState<LiveSession | null>(null);
  useEffect(() => {
    if (!near) return;
    const ctl = new AbortController();
    const load = () => live.get(id, ctl.signal).then(setS, () => undefined);
    if (!s || active) load();
    const timer = active ? window.setInterval(load, SESSION_MS) : 0;
    return () => {
      ctl.abort();
      window.clearInterval(timer);
    };
  }, [id, near, active]);
  return s;
}

export function WatchCard({ it, active, near, muted, setMuted, n, total }: WatchCardProps) {
  const s = useSessionOf(it.id, near, active);
  const status = s?.status ?? it.status;
  const isLive = status === 'live';
  const cover = it.cover_image_id || (s ? shelf(s).find((p) => p.image_id)?.image_id : '') || '';
  const poster = imageFull(cover || undefined);
  const f = featured(s);
  const who = it.host_name || it.shop_name;
  return (
    <article
      class={active ? 'watch-card active' : 'watch-card'}
      data-testid="watch-card"
      data-session-id={it.id}
      data-status={status}
      data-active={active ? 'true' : undefined}
      aria-label={t('watch.position', { n, total })}
    >
      {poster ? <img class="watch-poster" src={poster} alt="" loading={near ? 'eager' : 'lazy'} /> : <div class="watch-poster watch-poster-empty" aria-hidden="true" />}
      {active && isLive && (
        <PreviewPlayer roomID={it.id} poster={poster} muted={muted} onMuted={setMuted} label={t('watch.video', { title: it.title })} />
      )}
      <Link href={`/live/${it.id}`} class="watch-open-area" data-testid="watch-open" aria-label={t('watch.openRoom', { title: it.title })} tabIndex={active ? 0 : -1} />
      <div class="watch-top">
        {isLive ? (
          <span class="live-badge" data-testid="live-badge">
            <span class="live-dot" aria-hidden="true" />
            {t('discover.card.live')}
          </span>
        ) : status === 'scheduled' ? (
          <span class="watch-chip">
            {t('watch.comingUp')} · <Countdown iso={it.planned_start} />
          </span>
        ) : (
          <span class="watch-chip">{t('watch.ended')}</span>
        )}
        {isLive && (
          <span class="watch-chip" data-testid="watch-viewers">
            <svg class="watch-icon" viewBox="0 0 24 24" aria-hidden="true">
              <path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z" />
              <circle cx="12" cy="12" r="3" />
            </svg>
            <span class="sr-only">{t('watch.watching', { n: it.viewers })}</span>
            <span aria-hidden="true">
              <LiveNumber n={it.viewers} />
            </span>
          </span>
        )}
      </div>
      <div class="watch-info">
        <div class="watch-who">
          <b>{who}</b>
          {it.host_name && it.shop_name ? <span> · {it.shop_name}</span> : null}
        </div>
        <h2 class="watch-title">{it.title}</h2>
        {near && f && (
          <Link href={`/products/${f.p.product_id}`} class="watch-product" data-testid="watch-product" tabIndex={active ? 0 : -1}>
            <Thumb src={imageThumb(f.p.image_id)} alt="" size="sm" />
            <span class="watch-product-text">
              <span class="watch-product-tag">{f.explaining ? t('watch.explaining') : t('watch.onShelf')}</span>
              <span class="watch-product-title">{f.p.title}</span>
              <Price minor={f.p.price_minor} currency={f.p.currency} />
            </span>
          </Link>
        )}
        {near && (
          <div class="watch-actions">
            {it.host_id ? <FollowButton kind="host" id={it.host_id} name={it.host_name} roomID={it.id} /> : <FollowButton kind="shop" id={it.shop_id} name={it.shop_name} roomID={it.id} />}
            {status === 'scheduled' && <RemindButton sessionID={it.id} />}
            {isLive && active && (
              <button type="button" class="btn btn-light small" aria-pressed={!muted} onClick={() => setMuted(!muted)} data-testid="watch-unmute">
                <svg class="watch-icon" viewBox="0 0 24 24" aria-hidden="true">
                  <path d="M4 9h4l5-4v14l-5-4H4z" />
                  {muted ? <path d="M17 9l5 6M22 9l-5 6" /> : <path d="M17 8.5a5 5 0 0 1 0 7M19.5 6a8.5 8.5 0 0 1 0 12" />}
                </svg>
                {muted ? t('watch.unmute') : t('watch.mute')}
              </button>
            )}
            <Link href={`/live/${it.id}`} class="btn btn-primary small" tabIndex={active ? 0 : -1}>
              {t('watch.open')}
            </Link>
          </div>
        )}
      </div>
    </article>
  );
}
