// A live session's final report (/reports/sessions/:id), linked from the
// studio and the shop report: audience totals and sales per product.
import { BarChart } from '../../components/chart';
import { dateTime, money } from '../../format';
import { Link } from '../../router';
import { Empty, Loaded, StatusBadge, useTitle } from '../../ui';
import { Counter, DownloadCSV, count, useReport } from './common';

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
  useTitle(a.data ? `${a.data.title} · report` : 'Session report');
  return (
    <Loaded a={a}>
      {(r) => {
        const m = (v: number) => money(v, r.currency);
        return (
          <div class="stack" data-testid="session-report">
            <div class="page-head">
              <div class="grow">
                <p class="muted small">
                  <Link href={`/studio/${r.session_id}`}>Studio</Link> ›
                </p>
                <h1>{r.title}</h1>
                <p class="muted small">{r.started_at ? `${dateTime(r.started_at)}${r.ended_at ? ` – ${dateTime(r.ended_at)}` : ''}` : 'Not started yet'}</p>
              </div>
              <StatusBadge status={r.status} />
              <DownloadCSV path={path} />
            </div>
            <div class="counters">
              <Counter label="GMV" value={m(r.gmv_minor)} strong testid="report-gmv" />
              <Counter label="Paid orders" value={count(r.paid_orders)} testid="report-orders" />
              <Counter label="Views" value={count(r.views)} />
              <Counter label="Peak viewers" value={count(r.peak_viewers)} />
              <Counter label="Watch time" value={`${count(r.watch_minutes)} min`} />
              <Counter label="Likes" value={count(r.likes)} />
              <Counter label="New followers" value={count(r.new_followers)} />
              <Counter label="Paid buyers per view" value={`${(r.conversion * 100).toFixed(2)}%`} />
              <Counter label="Units sold" value={count(r.units)} />
              <Counter label="Shop's net" value={m(r.merchant_net_minor)} />
              <Counter label="Host commission" value={m(r.host_commission_minor + r.mcn_share_minor)} />
              <Counter label="Platform fee" value={m(r.platform_fee_minor)} />
            </div>
            <BarChart title="Funnel" points={[
              { label: 'views', value: r.views },
              { label: 'product clicks', value: r.product_clicks },
              { label: 'buy clicks', value: r.buy_clicks },
              { label: 'orders', value: r.orders_placed },
              { label: 'paid', value: r.paid_orders },
            ].map((p) => ({ ...p, note: count(p.value) }))} format={count} testid="report-funnel-chart" height={180} />
            {r.products.length === 0 ? (
              <Empty>No products on the shelf.</Empty>
            ) : (
              <BarChart title="GMV per product" points={r.products.map((p) => ({ label: p.title.slice(0, 14), value: p.gmv_minor, note: p.units ? `${p.units} sold` : undefined }))} format={m} testid="report-products-chart" />
            )}
            <div class="tablewrap">
              <table class="table" data-testid="report-products">
                <thead>
                  <tr>
                    <th>Product</th>
                    <th class="num">Clicks</th>
                    <th class="num">Paid orders</th>
                    <th class="num">Units</th>
                    <th class="num">GMV</th>
                  </tr>
                </thead>
                <tbody>
                  {r.products.map((p) => (
                    <tr key={p.product_id}>
                      <td>{p.title}</td>
                      <td class="num">{count(p.clicks)}</td>
                      <td class="num">{count(p.paid_orders)}</td>
                      <td class="num">{count(p.units)}</td>
                      <td class="num">{m(p.gmv_minor)}</td>
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
