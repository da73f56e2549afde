// The studio's live dashboard (docs/DISCOVERY.md): counters for the room
// right now, viewers over time, the funnel as bars and sales per product.
// The REST route gives the first numbers; after that the room socket's
// `dashboard` frames (every 2 s, operators only) keep them live, and the
// last frames make the viewers chart.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { money } from '../format';
import { t } from '../i18n';
import type { Envelope, RoomDashboard } from '../live/protocol';
import type { RoomSocket } from '../live/roomsocket';
import { useRoomEvents } from '../live/useroom';
import { Card } from '../ui';
import { type RankItem, RankBars } from './chart';
import { Sparkline } from './sparkline';

/** Three minutes of 2-second frames. */
const SAMPLES = 90;

function Counter({ label, value, testid, strong }: { label: string; value: string; testid: string; strong?: boolean }) {
  return (
    <div class={strong ? 'counter strong' : 'counter'} data-testid={testid}>
      <div class="counter-value">{value}</div>
      <div class="counter-label">{label}</div>
    </div>
  );
}

function pct(r: number): string {
  const p = r * 100;
  return `${p.toFixed(p < 10 ? 1 : 0)}%`;
}

function isDashboard(env: Envelope): env is Envelope & { data: RoomDashboard } {
  return env.type === 'dashboard' && !!env.data && typeof (env.data as RoomDashboard).session_id === 'string';
}

export interface Dashboard {
  /** The latest numbers, or null before the first answer. */
  d: RoomDashboard | null;
  /** Viewers now, one sample per frame (the chart). */
  viewers: number[];
  /** Why the first numbers could not be read ('' when they could). */
  failed: string;
}

/**
 * useDashboard reads the room's dashboard once over REST, then follows the
 * socket's frames. The studio holds it so the counters over the camera and
 * the dashboard panel share one feed.
 */
export function useDashboard(sessionID: string, sock: RoomSocket | null): Dashboard {
  const [d, setD] = useState<RoomDashboard | null>(null);
  const [viewers, setViewers] = useState<number[]>([]);
  const [failed, setFailed] = useState('');
  const take = (next: RoomDashboard) => {
    setD(next);
    setViewers((v) => [...v, next.current_viewers].slice(-SAMPLES));
  };
  useEffect(() => {
    const ctl = new AbortController();
    api.get<RoomDashboard>(`/live-sessions/${sessionID}/dashboard`, undefined, ctl.signal).then(
      (x) => {
        setFailed('');
        take(x);
      },
      (e) => {
        if ((e as Error).name !== 'AbortError') setFailed(String((e as Error).message ?? e));
      },
    );
    return () => ctl.abort();
  }, [sessionID]);
  useRoomEvents(sock, (env) => {
    if (isDashboard(env) && env.data.session_id === sessionID) take(env.data);
  });
  return { d, viewers, failed };
}

export function DashboardPanel({ dash, title = true }: { dash: Dashboard; title?: boolean }) {
  const { d, viewers, failed } = dash;
  if (!d) return failed ? <p class="muted small" data-testid="dashboard-error">{t('studio.dash.unavailable', { error: failed })}</p> : null;
  const cur = d.currency || d.funnel.currency || 'CNY';
  const f = d.funnel;
  const steps: RankItem[] = [
    { key: 'views', label: t('studio.dash.step.views'), value: d.unique_viewers },
    { key: 'opens', label: t('studio.dash.step.opens'), value: f.product_opens },
    { key: 'clicks', label: t('studio.dash.step.clicks'), value: f.buy_clicks },
    { key: 'orders', label: t('studio.dash.step.orders'), value: f.orders },
    { key: 'paid', label: t('studio.dash.step.paid'), value: f.paid_orders },
  ];
  const products: RankItem[] = d.products.map((p) => ({
    key: p.product_id,
    label: p.title || p.product_id,
    value: p.gmv_minor,
    detail: t('studio.dash.productDetail', { units: p.units, orders: p.orders, clicks: p.clicks }),
  }));
  return (
    <Card title={title ? t('studio.dash.title') : undefined}>
      <div class="dashboard" data-testid="dashboard">
        <div class="counters">
          <Counter label={t('studio.dash.now')} value={String(d.current_viewers)} testid="dash-current" strong />
          <Counter label={t('studio.dash.peak')} value={String(d.peak_viewers)} testid="dash-peak" />
          <Counter label={t('studio.dash.watchMinutes')} value={String(d.watch_minutes)} testid="dash-watch" />
          <Counter label={t('studio.dash.likes')} value={String(d.likes)} testid="dash-likes" />
          <Counter label={t('studio.dash.followers')} value={String(d.new_followers)} testid="dash-followers" />
          <Counter label={t('studio.dash.clicks')} value={String(d.product_clicks)} testid="dash-clicks" />
          <Counter label={t('studio.dash.orders')} value={`${d.paid_orders} / ${d.orders}`} testid="dash-orders" />
          <Counter label={t('studio.dash.gmv')} value={money(d.gmv_minor, cur)} testid="dash-gmv" strong />
          <Counter label={t('studio.dash.conversion')} value={pct(d.conversion)} testid="dash-conversion" />
        </div>
        <h3 class="small muted">{t('studio.dash.viewers')}</h3>
        {viewers.length < 2 ? (
          <p class="hint">{t('studio.dash.chartWait')}</p>
        ) : (
          <Sparkline values={viewers} capacity={SAMPLES} label={t('studio.dash.viewers')} unit={t('studio.unit.viewers')} testid="dash-viewers-chart" />
        )}
        <h3 class="small muted">{t('studio.dash.funnel')}</h3>
        <RankBars items={steps} format={(v) => String(v)} testid="dash-funnel" />
        <h3 class="small muted">{t('studio.dash.products')}</h3>
        {products.length === 0 ? (
          <p class="hint">{t('studio.dash.noProducts')}</p>
        ) : (
          <RankBars items={products} format={(v) => money(v, cur)} testid="dash-products" />
        )}
      </div>
    </Card>
  );
}
