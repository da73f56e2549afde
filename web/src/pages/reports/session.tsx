// A live session's final report (/reports/sessions/:id), linked from the
// studio and the shop report: audience totals and sales per product.
import { BarChart } from '../../components/chart';
import { dateTime, money } from '../../format';
import { t } from '../../i18n';
import { Link } from '../../router';
import { Empty, Loaded, StatusBadge, useTitle } from '../../ui';
import '../../styles/merchant-console.css';
import { ChartScroll, Counter, DownloadCSV, count, useReport } from './common';

interface SessionReport {
  session_id: string;
  title: string;
  shop_id: string;
  status: string;
  started_at?: string;
  ended_at?: string;
  currency: string;
  views: number;
  viewers_signed_in: number;
  peak_viewers: number;
  watch_minutes: number;
  likes: number;
  new_followers: number;
  product_clicks: number;
  buy_clicks: number;
  orders_placed: number;
  paid_orders: number;
  paid_buyers: number;
  units: number;
  gmv_minor: number;
  platform_fee_minor: number;
  host_commission_minor: number;
  mcn_share_minor: number;
  merchant_net_minor: number;
  conversion: number;
  products: { product_id: string; title: string; clicks: number; paid_orders: number; units: number; gmv_minor: number }[];
}

export function SessionReportPage({ params }: { params: Record<string, string> }) {
  const path = `/live-sessions/${params.id}/report`;
  const a = useReport<SessionReport>(path, null);
  useTitle(a.data ? t('admin.session.titleOf', { title: a.data.title }) : t('admin.session.title'));
  return (
    <Loaded a={a}>
      {(r) => {
        const m = (v: number) => money(v, r.currency);
        return (
          <div class="stack" data-testid="session-report">
            <div class="page-head">
              <div class="grow">
                <p class="muted small">
                  <Link href={`/studio/${r.session_id}`}>{t('admin.session.studio')}</Link> ›
                </p>
                <h1>{r.title}</h1>
                <p class="muted small">{r.started_at ? `${dateTime(r.started_at)}${r.ended_at ? ` – ${dateTime(r.ended_at)}` : ''}` : t('admin.session.notStarted')}</p>
              </div>
              <StatusBadge status={r.status} />
              <DownloadCSV path={path} />
            </div>
            <div class="counters">
              <Counter label={t('admin.report.gmv')} value={m(r.gmv_minor)} strong testid="report-gmv" />
              <Counter label={t('admin.report.paidOrders')} value={count(r.paid_orders)} testid="report-orders" />
              <Counter label={t('admin.report.views')} value={count(r.views)} />
              <Counter label={t('admin.session.peakViewers')} value={count(r.peak_viewers)} />
              <Counter label={t('admin.session.watchTime')} value={t('admin.report.minutes', { n: count(r.watch_minutes) })} />
              <Counter label={t('admin.session.likes')} value={count(r.likes)} />
              <Counter label={t('admin.session.newFollowers')} value={count(r.new_followers)} />
              <Counter label={t('admin.session.conversion')} value={`${(r.conversion * 100).toFixed(2)}%`} />
              <Counter label={t('admin.report.unitsSold')} value={count(r.units)} />
              <Counter label={t('admin.session.shopNet')} value={m(r.merchant_net_minor)} />
              <Counter label={t('admin.session.hostCommission')} value={m(r.host_commission_minor + r.mcn_share_minor)} />
              <Counter label={t('admin.session.platformFee')} value={m(r.platform_fee_minor)} />
            </div>
            <BarChart title={t('admin.session.funnel')} points={[
              { label: t('admin.session.funnel.views'), value: r.views },
              { label: t('admin.session.funnel.productClicks'), value: r.product_clicks },
              { label: t('admin.session.funnel.buyClicks'), value: r.buy_clicks },
              { label: t('admin.session.funnel.orders'), value: r.orders_placed },
              { label: t('admin.session.funnel.paid'), value: r.paid_orders },
            ].map((p) => ({ ...p, note: count(p.value) }))} format={count} testid="report-funnel-chart" height={180} />
            {r.products.length === 0 ? (
              <Empty>{t('admin.session.noProducts')}</Empty>
            ) : (
              <ChartScroll label={t('admin.session.gmvPerProduct')}>
                <BarChart title={t('admin.session.gmvPerProduct')} points={r.products.map((p) => ({ label: p.title.slice(0, 14), value: p.gmv_minor, note: p.units ? t('admin.report.sold', { n: p.units }) : undefined }))} format={m} testid="report-products-chart" />
              </ChartScroll>
            )}
            <div class="tablewrap">
              <table class="table cards" data-testid="report-products">
                <thead>
                  <tr>
                    <th>{t('admin.session.colProduct')}</th>
                    <th class="num">{t('admin.session.colClicks')}</th>
                    <th class="num">{t('admin.report.paidOrders')}</th>
                    <th class="num">{t('admin.session.colUnits')}</th>
                    <th class="num">{t('admin.report.gmv')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.products.map((p) => (
                    <tr key={p.product_id}>
                      <td>{p.title}</td>
                      <td class="num" data-label={t('admin.session.colClicks')}>
                        {count(p.clicks)}
                      </td>
                      <td class="num" data-label={t('admin.report.paidOrders')}>
                        {count(p.paid_orders)}
                      </td>
                      <td class="num" data-label={t('admin.session.colUnits')}>
                        {count(p.units)}
                      </td>
                      <td class="num" data-label={t('admin.report.gmv')}>
                        {m(p.gmv_minor)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        );
      }}
    </Loaded>
  );
}
