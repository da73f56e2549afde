// The studio's live sales strip: orders, paid orders and GMV attributed
// to the room, and the funnel behind them, refreshed every 5 s, with the
// GMV over time.
import { useEffect, useState } from 'preact/hooks';
import { selling } from '../../api';
import { money } from '../../format';
import { t } from '../../i18n';
import type { FunnelCounts } from '../../types';
import { usePoll } from '../../ui';
import { Sparkline } from '../sparkline';

const REFRESH_MS = 5000;
/** Ten minutes of samples. */
const SAMPLES = 120;

/** conversionText shows the paid buyers per viewer (a ratio) as a percentage. */
export function conversionText(c: number): string {
  const pct = c * 100;
  return `${pct.toFixed(pct < 10 ? 1 : 0)}%`;
}

function Stat({ label, value, testid, strong }: { label: string; value: string; testid: string; strong?: boolean }) {
  return (
    <div class={strong ? 'counter strong' : 'counter'} data-testid={testid}>
      <div class="counter-value">{value}</div>
      <div class="counter-label">{label}</div>
    </div>
  );
}

export function SalesStrip({ sessionID, currency, live }: { sessionID: string; currency: string; live: boolean }) {
  const [f, setF] = useState<FunnelCounts | null>(null);
  const [gmv, setGmv] = useState<number[]>([]);
  const [failed, setFailed] = useState('');
  const load = () =>
    selling.funnelCounts(sessionID).then(
      (c) => {
        setF(c);
        setFailed('');
        // Whole major units: the chart shows the shape, the counter the exact amount.
        setGmv((g) => [...g, Math.round(c.gmv_minor / 100)].slice(-SAMPLES));
      },
      (e) => setFailed(String((e as Error).message ?? e)),
    );
  useEffect(() => {
    load();
  }, [sessionID]);
  usePoll(load, REFRESH_MS, live);
  const cur = f?.currency || currency;
  if (!f) return failed ? <p class="muted small" data-testid="sales-strip-error">{t('studio.stats.unavailable', { error: failed })}</p> : null;
  return (
    <div class="sales-strip" data-testid="sales-strip">
      <div class="counters">
        <Stat label={t('studio.stats.gmv')} value={money(f.gmv_minor, cur)} testid="sales-gmv" strong />
        <Stat label={t('studio.stats.orders')} value={String(f.orders)} testid="sales-orders" />
        <Stat label={t('studio.stats.paid')} value={String(f.paid_orders)} testid="sales-paid" />
        <Stat label={t('studio.stats.conversion')} value={conversionText(f.conversion)} testid="sales-conversion" />
      </div>
      <p class="muted small funnel-line" data-testid="sales-funnel">
        {t('studio.stats.funnel', { views: f.views, opens: f.product_opens, clicks: f.buy_clicks, orders: f.orders, paid: f.paid_orders })}
      </p>
      <Sparkline values={gmv} capacity={SAMPLES} label={t('studio.stats.gmv')} unit={cur} testid="gmv-chart" />
    </div>
  );
}
