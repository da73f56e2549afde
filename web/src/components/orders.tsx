// Pieces shared by the buyer's and the merchant's order views.
import { attrs, dateTime, money } from '../format';
import { t } from '../i18n';
import { orderStatus } from '../i18n/order-status';
import { Link } from '../router';
import type { Order, OrderStatus, StatusChange } from '../types';
import { StatusBadge } from '../ui';

export const ORDER_STATUSES: OrderStatus[] = [
  'pending_payment',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunded',
];

export function OrderLines({ o, linkProducts = true }: { o: Order; linkProducts?: boolean }) {
  return (
    <ul class="lines">
      {(o.lines ?? []).map((l) => (
        <li key={l.id}>
          <div class="grow">
            {linkProducts ? <Link href={`/products/${l.product_id}`}>{l.title}</Link> : l.title}
            {l.sku_attributes && Object.keys(l.sku_attributes).length > 0 && <div class="muted small">{attrs(l.sku_attributes)}</div>}
          </div>
          <span class="muted">
            {l.quantity} × {money(l.unit_price_minor, o.currency)}
          </span>
          <b>{money(l.line_total_minor, o.currency)}</b>
        </li>
      ))}
    </ul>
  );
}

export function OrderHead({ o, href }: { o: Order; href?: string }) {
  return (
    <div class="order-head">
      <div class="grow">
        {href ? (
          <Link href={href} class="mono">
            {o.id}
          </Link>
        ) : (
          <span class="mono">{o.id}</span>
        )}
        <div class="muted small">{dateTime(o.created_at)}</div>
      </div>
      <StatusBadge status={o.status} testid="order-status" />
      <b class="order-total">{money(o.total_minor, o.currency)}</b>
    </div>
  );
}

/** When tells what happened last to an order, with its time. */
export function OrderWhen({ o }: { o: Order }) {
  const parts: string[] = [];
  if (o.status === 'pending_payment' && o.expires_at) parts.push(t('viewer.when.payBy', { time: dateTime(o.expires_at) }));
  if (o.paid_at) parts.push(t('viewer.when.paid', { time: dateTime(o.paid_at) }));
  if (o.shipped_at) {
    const time = dateTime(o.shipped_at);
    parts.push(
      o.carrier
        ? t('viewer.when.shippedWith', { time, carrier: o.carrier, tracking: o.tracking_number ?? '' })
        : t('viewer.when.shipped', { time }),
    );
  }
  if (o.delivered_at) parts.push(t('viewer.when.delivered', { time: dateTime(o.delivered_at) }));
  if (o.completed_at) parts.push(t('viewer.when.completed', { time: dateTime(o.completed_at) }));
  if (o.cancelled_at) {
    const time = dateTime(o.cancelled_at);
    parts.push(o.cancel_reason ? t('viewer.when.cancelledWhy', { time, reason: o.cancel_reason }) : t('viewer.when.cancelled', { time }));
  }
  if (o.refunded_at) parts.push(t('viewer.when.refunded', { time: dateTime(o.refunded_at) }));
  if (parts.length === 0) return null;
  return <p class="muted small">{parts.join(' · ')}</p>;
}

export function History({ items }: { items: StatusChange[] }) {
  if (items.length === 0) return null;
  return (
    <ol class="timeline">
      {items.map((h, i) => (
        <li key={i}>
          <b>{orderStatus(h.to)}</b>
          <span class="muted small"> {dateTime(h.created_at)}</span>
          {h.note && <div class="small">{h.note}</div>}
        </li>
      ))}
    </ol>
  );
}
