// The shop report, a tab of the merchant console: paid GMV, orders, fees
// and net per day, the top products and the sessions that sold.
import { useState } from 'preact/hooks';
import { BarChart, RankBars } from '../../components/chart';
import { dateTime, money } from '../../format';
import { t } from '../../i18n';
import { Link } from '../../router';
import type { Shop } from '../../types';
import { Empty, Loaded } from '../../ui';
import '../../styles/merchant-console.css';
import { ChartScroll, Counter, DownloadCSV, RangePicker, count, lastDays, orders, statusWord, useReport } from './common';

interface ShopDay {
  day: string;
  orders: number;
  units: number;
  gmv_minor: number;
  platform_fee_minor: number;
  commission_minor: number;
  merchant_net_minor: number;
}

interface ShopReport {
  currency: string;
  days: ShopDay[];
  totals: ShopDay;
  top_products: { product_id: string; title: string; orders: number; units: number; gmv_minor: number }[];
  sessions: { session_id: string; title: string; status: string; started_at?: string; orders: number; gmv_minor: number }[];
}

export function ShopReportTab({ shop }: { shop: Shop }) {
  const [range, setRange] = useState(lastDays(30));
  const path = `/shops/${shop.id}/report`;
  const a = useReport<ShopReport>(path, range);
  return (
    <div class="stack" data-testid="shop-report">
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '8px', justifyContent: 'space-between', alignItems: 'end' }}>
        <RangePicker range={range} onChange={setRange} />
        <DownloadCSV path={path} range={range} />
      </div>
      <Loaded a={a}>
        {(r) => {
          const m = (v: number) => money(v, r.currency);
          return (
            <>
              <div class="counters">
                <Counter label={t('admin.report.gmv')} value={m(r.totals.gmv_minor)} strong testid="report-gmv" />
                <Counter label={t('admin.report.paidOrders')} value={count(r.totals.orders)} testid="report-orders" />
                <Counter label={t('admin.shop.net')} value={m(r.totals.merchant_net_minor)} />
                <Counter label={t('admin.shop.platformFees')} value={m(r.totals.platform_fee_minor)} />
                <Counter label={t('admin.shop.hostCommissions')} value={m(r.totals.commission_minor)} />
                <Counter label={t('admin.report.unitsSold')} value={count(r.totals.units)} />
              </div>
              <ChartScroll label={t('admin.report.gmvPerDayOrders')}>
                <BarChart title={t('admin.report.gmvPerDayOrders')} points={r.days.map((d) => ({ label: d.day, value: d.gmv_minor, note: d.orders ? String(d.orders) : undefined }))} format={m} testid="report-gmv-chart" />
              </ChartScroll>
              <ChartScroll label={t('admin.shop.netChart')}>
                <BarChart title={t('admin.shop.netChart')} points={r.days.map((d) => ({ label: d.day, value: d.merchant_net_minor }))} format={m} testid="report-net-chart" height={160} />
              </ChartScroll>
              <div class="card">
                <h3>{t('admin.shop.topProducts')}</h3>
                {r.top_products.length === 0 ? (
                  <Empty>{t('admin.report.noSales')}</Empty>
                ) : (
                  <RankBars items={r.top_products.map((p) => ({ key: p.product_id, label: p.title, value: p.gmv_minor, detail: t('admin.shop.soldIn', { units: p.units, orders: orders(p.orders) }) }))} format={m} testid="report-top-products" />
                )}
              </div>
              <div class="card">
                <h3>{t('admin.shop.sessions')}</h3>
                {r.sessions.length === 0 ? (
                  <Empty>{t('admin.shop.noSessions')}</Empty>
                ) : (
                  <RankBars
                    items={r.sessions.map((s) => ({ key: s.session_id, label: s.title, value: s.gmv_minor, detail: `${orders(s.orders)} · ${s.started_at ? t('admin.shop.started', { date: dateTime(s.started_at) }) : statusWord(s.status)}` }))}
                    format={m}
                    testid="report-sessions"
                  />
                )}
                <p class="muted small">
                  {r.sessions.map((s) => (
                    <Link key={s.session_id} href={`/reports/sessions/${s.session_id}`} style={{ marginRight: '12px' }}>
                      {t('admin.shop.sessionReport', { title: s.title })}
                    </Link>
                  ))}
                </p>
              </div>
              <p class="muted small">{t('admin.shop.footnote')}</p>
            </>
          );
        }}
      </Loaded>
    </div>
  );
}
