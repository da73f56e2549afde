// The console's sales: live counters (refreshed every 15 s) and a chart of
// paid orders and GMV per day, from GET /shops/{id}/sales.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { money } from '../../format';
import { t } from '../../i18n';
import type { Shop } from '../../types';
import { Loaded, useAsync } from '../../ui';
import { plural } from './text';

interface DaySales {
  day: string;
  orders: number;
  gmv_minor: number;
}

interface SalesSummary {
  currency: string;
  days: DaySales[];
  paid_orders: number;
  gmv_minor: number;
  merchant_net_minor: number;
  platform_fee_minor: number;
  host_commission_minor: number;
  awaiting_payment: number;
  to_ship: number;
  refund_requests: number;
  refunded: number;
}

const REFRESH_MS = 15_000;

export function SalesTab({ shop }: { shop: Shop }) {
  const [days, setDays] = useState(14);
  const a = useAsync((signal) => api.get<SalesSummary>(`/shops/${shop.id}/sales`, { days }, signal), [shop.id, days]);
  useEffect(() => {
    const timer = setInterval(a.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [a.reload]);
  return (
    <div class="stack" data-testid="sales">
      <div class="tabs small" role="tablist">
        {[7, 14, 30, 90].map((d) => (
          <button key={d} role="tab" aria-selected={d === days} class={d === days ? 'tab active' : 'tab'} onClick={() => setDays(d)}>
            {t('merchant.sales.days', { n: d })}
          </button>
        ))}
      </div>
      <Loaded a={a}>
        {(s) => (
          <>
            <div class="counters">
              <Counter label={t('merchant.sales.gmv')} value={money(s.gmv_minor, s.currency)} strong testid="sales-gmv" />
              <Counter label={t('merchant.sales.paidOrders')} value={String(s.paid_orders)} testid="sales-orders" />
              <Counter label={t('merchant.sales.toShip')} value={String(s.to_ship)} />
              <Counter label={t('merchant.sales.refundRequests')} value={String(s.refund_requests)} testid="sales-refund-requests" />
              <Counter label={t('merchant.sales.awaitingPayment')} value={String(s.awaiting_payment)} />
              <Counter label={t('merchant.sales.net')} value={money(s.merchant_net_minor, s.currency)} />
              <Counter label={t('merchant.sales.fees')} value={money(s.platform_fee_minor, s.currency)} />
              <Counter label={t('merchant.sales.commissions')} value={money(s.host_commission_minor, s.currency)} />
              <Counter label={t('merchant.sales.refunded')} value={String(s.refunded)} />
            </div>
            <DayChart days={s.days} currency={s.currency} />
            <p class="muted small">{t('merchant.sales.note', { s: REFRESH_MS / 1000 })}</p>
          </>
        )}
      </Loaded>
    </div>
  );
}

function Counter({ label, value, strong, testid }: { label: string; value: string; strong?: boolean; testid?: string }) {
  return (
    <div class={strong ? 'counter strong' : 'counter'} data-testid={testid}>
      <div class="counter-value">{value}</div>
      <div class="counter-label">{label}</div>
    </div>
  );
}

/** DayChart draws GMV per day as bars, with the order count above each. */
function DayChart({ days, currency }: { days: DaySales[]; currency: string }) {
  const W = 640;
  const H = 220;
  const pad = { top: 24, bottom: 28, left: 8, right: 8 };
  const max = Math.max(1, ...days.map((d) => d.gmv_minor));
  const slot = (W - pad.left - pad.right) / Math.max(1, days.length);
  const bar = Math.max(2, slot * 0.7);
  const plotH = H - pad.top - pad.bottom;
  const labelEvery = Math.ceil(days.length / 7);
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('merchant.sales.chart')} data-testid="sales-chart">
      <defs>
        <linearGradient id="bar" x1="0" y1="0" x2="0" y2="1">
          <stop offset="0%" stop-color="#ff2d55" />
          <stop offset="100%" stop-color="#ff6a00" />
        </linearGradient>
      </defs>
      <line x1={pad.left} x2={W - pad.right} y1={H - pad.bottom} y2={H - pad.bottom} class="chart-axis" />
      {days.map((d, i) => {
        const h = (d.gmv_minor / max) * plotH;
        const x = pad.left + i * slot + (slot - bar) / 2;
        const y = H - pad.bottom - h;
        return (
          <g key={d.day}>
            <title>{plural('merchant.sales.bar.one', 'merchant.sales.bar.other', d.orders, { day: d.day, amount: money(d.gmv_minor, currency) })}</title>
            <rect x={x} y={y} width={bar} height={Math.max(h, d.gmv_minor > 0 ? 2 : 0)} rx={3} fill="url(#bar)" />
            {d.orders > 0 && (
              <text x={x + bar / 2} y={y - 6} class="chart-value" text-anchor="middle">
                {d.orders}
              </text>
            )}
            {i % labelEvery === 0 && (
              <text x={x + bar / 2} y={H - 8} class="chart-label" text-anchor="middle">
                {d.day.slice(5)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
