// Pieces shared by the buyer's and the merchant's order views.
import { useState } from 'preact/hooks';
import { attrs, dateTime, money } from '../format';
import { t } from '../i18n';
import { orderStatus } from '../i18n/order-status';
import { Link } from '../router';
import { refundReasonLabel, refundRequestOf, type RefundRequest } from './refund-request';
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

interface Step {
  key: 'placed' | 'paid' | 'shipped' | 'delivered' | 'completed' | 'refunded' | 'cancelled';
  at?: string;
}

/** steps are the stages an order goes through, with the time of those it reached. */
export function trackSteps(o: Order): Step[] {
  const placed: Step = { key: 'placed', at: o.created_at };
  if (o.status === 'cancelled') return [placed, { key: 'cancelled', at: o.cancelled_at }];
  const steps: Step[] = [placed, { key: 'paid', at: o.paid_at }];
  if (o.status === 'refunded') {
    if (o.shipped_at) steps.push({ key: 'shipped', at: o.shipped_at });
    if (o.delivered_at) steps.push({ key: 'delivered', at: o.delivered_at });
    steps.push({ key: 'refunded', at: o.refunded_at });
    return steps;
  }
  steps.push({ key: 'shipped', at: o.shipped_at }, { key: 'delivered', at: o.delivered_at }, { key: 'completed', at: o.completed_at });
  return steps;
}

/**
 * Tracking is the order's progress as a vertical timeline (readable on a
 * phone): each stage with its time, the current one marked, and the
 * carrier with a copyable tracking number once shipped. The latest refund
 * request sits among the stages at the time it was made; while it is open
 * it is the current step.
 */
export function Tracking({ o }: { o: Order }) {
  const steps = trackSteps(o);
  const reached = steps.reduce((n, s, i) => (s.at ? i : n), 0);
  const rr = refundRequestOf(o);
  const open = rr?.status === 'open';
  // The request goes after the last stage reached before it was made.
  const asked = rr ? Date.parse(rr.created_at) : NaN;
  const after = rr ? steps.reduce((n, s, i) => (s.at && Date.parse(s.at) <= asked ? i : n), 0) : -1;
  return (
    <ol class="track" aria-label={t('viewer.track.title')} data-testid="order-tracking">
      {steps.map((s, i) => {
        const state = i < reached || (open && i === reached) ? 'done' : i === reached ? 'current' : 'todo';
        return [
          <li key={s.key} class={`track-step ${state}`} data-step={s.key} data-state={state} aria-current={state === 'current' ? 'step' : undefined}>
            <b>{t(`viewer.track.${s.key}`)}</b>
            <span class="muted small">{s.at ? dateTime(s.at) : t('viewer.track.waiting')}</span>
            {s.key === 'shipped' && s.at && (o.carrier || o.tracking_number) && <Shipment o={o} />}
          </li>,
          rr && i === after && <RefundStep key="refund" rr={rr} />,
        ];
      })}
    </ol>
  );
}

function RefundStep({ rr }: { rr: RefundRequest }) {
  const state = rr.status === 'open' ? 'current' : 'done';
  let outcome = '';
  if (rr.status === 'open') outcome = t('viewer.track.refundOpen', { time: dateTime(rr.respond_by) });
  if (rr.status === 'declined') outcome = `${t('viewer.track.refundDeclined')} ${dateTime(rr.decided_at)}${rr.decline_reason ? `: ${rr.decline_reason}` : ''}`;
  if (rr.status === 'approved') outcome = `${t('viewer.track.refundApproved')} ${dateTime(rr.decided_at)}`;
  if (rr.status === 'withdrawn') outcome = `${t('viewer.track.refundWithdrawn')} ${dateTime(rr.decided_at)}`;
  return (
    <li
      class={`track-step ${state}`}
      data-step="refund_request"
      data-state={state}
      data-refund-status={rr.status}
      aria-current={state === 'current' ? 'step' : undefined}
    >
      <b>{t('viewer.track.refundRequested')}</b>
      <span class="muted small">{dateTime(rr.created_at)}</span>
      <div class="small">
        {refundReasonLabel(rr.reason)}
        {rr.note ? ` · ${rr.note}` : ''}
      </div>
      {outcome && <div class="small">{outcome}</div>}
    </li>
  );
}

function Shipment({ o }: { o: Order }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard?.writeText(o.tracking_number ?? '').then(
      () => setCopied(true),
      () => undefined,
    );
  return (
    <div class="track-ship" data-testid="order-shipment">
      {o.carrier && <span>{t('viewer.track.carrier', { carrier: o.carrier })}</span>}
      {o.tracking_number && (
        <span class="track-number">
          <span class="muted">{t('viewer.track.number')}</span> <span class="mono" data-testid="tracking-number">{o.tracking_number}</span>{' '}
          <button type="button" class="btn btn-ghost small" onClick={copy} aria-label={t('viewer.track.copyLabel', { number: o.tracking_number })}>
            {copied ? t('viewer.track.copied') : t('viewer.track.copy')}
          </button>
        </span>
      )}
    </div>
  );
}
