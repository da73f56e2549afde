// Pieces shared by the live pages: status badges, countdowns, room cards
// and the product shelf.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { countdown, dateTime } from '../format';
import { t } from '../i18n';
import { Link } from '../router';
import type { LiveHealth, LiveProduct, LiveSession } from '../types';
import { Price, Thumb } from '../ui';
import { fillSlots } from '../i18n/slots';

export function imageThumb(id: string | undefined): string | undefined {
  return id ? `/media/images/${encodeURIComponent(id)}/thumb` : undefined;
}

export function imageFull(id: string | undefined): string | undefined {
  return id ? `/media/images/${encodeURIComponent(id)}` : undefined;
}

/** coverImage is the session's cover, else its first product's picture. */
export function coverImage(s: LiveSession): string {
  return s.cover_image_id || shelf(s).find((p) => p.image_id)?.image_id || '';
}

/** shelf returns the session's products in shelf order. */
export function shelf(s: LiveSession): LiveProduct[] {
  return [...(s.products ?? [])].sort((a, b) => a.position - b.position);
}

/** viewerTotal adds up the viewers of every delivery protocol. */
export function viewerTotal(h: LiveHealth | null | undefined): number {
  return Object.values(h?.viewers ?? {}).reduce((n, v) => n + v, 0);
}

/** useNow re-renders the caller every ms and returns the current time. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(t);
  }, [ms]);
  return now;
}

/** LiveBadge is the red "LIVE" marker, with a viewer count when known. */
export function LiveBadge({ viewers }: { viewers?: number }) {
  return (
    <span class="live-badge" data-testid="live-badge">
      <span class="live-dot" aria-hidden="true" />
      {t('room.badge.live')}
      {viewers !== undefined && (
        <span class="live-viewers">
          {' · '}
          {fillSlots(t('room.badge.watching'), { n: <span data-testid="viewer-count">{viewers}</span> })}
        </span>
      )}
    </span>
  );
}

/** Countdown shows the time left until iso, or "starting soon" once it has passed. */
export function Countdown({ iso }: { iso: string }) {
  const now = useNow(1000);
  const left = countdown(new Date(iso).getTime() - now);
  return <span data-testid="countdown">{left ? t('room.startsIn', { time: left }) : t('room.startingSoon')}</span>;
}

function RoomFlag({ s, viewers }: { s: LiveSession; viewers?: number }) {
  if (s.status === 'live') return <LiveBadge viewers={viewers} />;
  if (s.status === 'scheduled')
    return (
      <span class="room-flag">
        <Countdown iso={s.planned_start} />
      </span>
    );
  return <span class="room-flag">{s.status === 'replay' ? t('room.flag.replay') : t('room.flag.ended')}</span>;
}

/** RoomCard links to a room, with its cover, state, title and shop. */
export function RoomCard({ s, viewers }: { s: LiveSession; viewers?: number }) {
  const n = (s.products ?? []).length;
  return (
    <Link href={`/live/${s.id}`} class="pcard rcard" data-testid="room-card" data-room-id={s.id} data-status={s.status}>
      <div class="rcard-img">
        <Thumb src={imageThumb(coverImage(s))} alt={s.title} size="lg" />
        <div class="rcard-flag">
          <RoomFlag s={s} viewers={viewers} />
        </div>
      </div>
      <div class="pcard-body">
        <h3 class="pcard-title">{s.title}</h3>
        <div class="pcard-sub muted">
          {s.shop_name}
          {s.host_name ? ` · ${s.host_name}` : ''}
        </div>
        <div class="pcard-sub muted">
          {s.status === 'scheduled' ? dateTime(s.planned_start) : t(n === 1 ? 'room.products.one' : 'room.products.other', { n })}
        </div>
      </div>
    </Link>
  );
}

/**
 * Shelf lists a session's products with the one being explained picked
 * out; action renders extra controls per product (the studio's "Explain").
 */
export function Shelf(p: { products: LiveProduct[]; explaining: string; action?: (x: LiveProduct) => ComponentChildren; label?: string }) {
  if (p.products.length === 0) return <p class="muted small">{t('room.shelf.empty')}</p>;
  return (
    <ol class="shelf" data-testid="shelf">
      {p.products.map((x) => {
        const on = x.product_id === p.explaining;
        return (
          <li key={x.product_id} class={on ? 'shelf-item explaining' : 'shelf-item'} data-testid="shelf-item" data-product-id={x.product_id} data-explaining={on ? 'true' : undefined}>
            <Link href={`/products/${x.product_id}`} class="shelf-link">
              <span class="shelf-pos">{x.position}</span>
              <Thumb src={imageThumb(x.image_id)} alt={x.title} size="sm" />
              <span class="shelf-text">
                <span class="shelf-title">{x.title}</span>
                <Price minor={x.price_minor} currency={x.currency} />
                {on && <span class="explaining-tag">{p.label ?? t('room.shelf.explainingNow')}</span>}
              </span>
            </Link>
            {p.action?.(x)}
          </li>
        );
      })}
    </ol>
  );
}

/**
 * ExplainingCard floats over the live video: the product the host is
 * presenting right now, with its price and a link to buy it.
 */
export function ExplainingCard({ product }: { product: LiveProduct | undefined }) {
  if (!product) return null;
  return (
    <Link href={`/products/${product.product_id}`} class="explaining-card" data-testid="explaining-card" data-product-id={product.product_id}>
      <Thumb src={imageThumb(product.image_id)} alt={product.title} size="sm" />
      <span class="explaining-card-text">
        <span class="explaining-tag">{t('room.shelf.explainingNow')}</span>
        <span class="explaining-card-title">{product.title}</span>
        <Price minor={product.price_minor} currency={product.currency} />
      </span>
    </Link>
  );
}
