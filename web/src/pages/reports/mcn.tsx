// An agency's report on its page: GMV, commissions and the agency's share
// per day and per host.
import { useState } from 'preact/hooks';
import { BarChart, RankBars } from '../../components/chart';
import { money } from '../../format';
import { t } from '../../i18n';
import { Link } from '../../router';
import { Card, Empty, Loaded } from '../../ui';
import '../../styles/merchant-console.css';
import { ChartScroll, Counter, DownloadCSV, RangePicker, count, lastDays, orders, statusWord, useReport } from './common';

interface MCNDay {
  day: string;
  orders: number;
  gmv_minor: number;
  host_commission_minor: number;
  mcn_share_minor: number;
}

interface MCNReport {
  currency: string;
  days: MCNDay[];
  totals: MCNDay;
  hosts: { host_id: string; host_name: string; status: string; orders: number; gmv_minor: number; host_commission_minor: number; mcn_share_minor: number }[];
}

export function MCNReportCard({ mcnID }: { mcnID: string }) {
  const [range, setRange] = useState(lastDays(30));
  const path = `/mcns/${mcnID}/report`;
  const a = useReport<MCNReport>(path, range);
  return (
    <Card title={t('admin.mcn.title')} actions={<DownloadCSV path={path} range={range} />}>
      <div class="stack" data-testid="mcn-report">
        <RangePicker range={range} onChange={setRange} />
        <Loaded a={a}>
          {(r) => {
            const m = (v: number) => money(v, r.currency);
            return (
              <>
                <div class="counters">
                  <Counter label={t('admin.report.agencyShare')} value={m(r.totals.mcn_share_minor)} strong testid="report-share" />
                  <Counter label={t('admin.mcn.gmv')} value={m(r.totals.gmv_minor)} testid="report-gmv" />
                  <Counter label={t('admin.mcn.commission')} value={m(r.totals.host_commission_minor)} />
                  <Counter label={t('admin.report.paidOrders')} value={count(r.totals.orders)} />
                </div>
                <ChartScroll label={t('admin.report.gmvPerDayOrders')}>
                <BarChart title={t('admin.report.gmvPerDayOrders')} points={r.days.map((d) => ({ label: d.day, value: d.gmv_minor, note: d.orders ? String(d.orders) : undefined }))} format={m} testid="report-gmv-chart" />
              </ChartScroll>
                <ChartScroll label={t('admin.mcn.shareChart')}>
                <BarChart title={t('admin.mcn.shareChart')} points={r.days.map((d) => ({ label: d.day, value: d.mcn_share_minor }))} format={m} testid="report-share-chart" height={160} />
              </ChartScroll>
                <h3>{t('admin.mcn.hosts')}</h3>
                {r.hosts.length === 0 ? (
                  <Empty>{t('admin.mcn.hostsEmpty')}</Empty>
                ) : (
                  <RankBars
                    items={r.hosts.map((h) => ({ key: h.host_id, label: h.host_name || h.host_id, value: h.gmv_minor,
                      detail: `${orders(h.orders)} · ${t('admin.mcn.hostEarned', { amount: m(h.host_commission_minor) })} · ${t('admin.mcn.agency', { amount: m(h.mcn_share_minor) })}${h.status && h.status !== 'active' ? ` · ${statusWord(h.status)}` : ''}` }))}
                    format={m}
                    testid="report-hosts"
                  />
                )}
                <ul class="plain host-links small">
                  {r.hosts.map((h) => (
                    <li key={h.host_id}>
                      <Link href={`/reports/host?host=${h.host_id}`} data-testid="report-host-link">
                        {t('admin.mcn.hostDays', { name: h.host_name || h.host_id })}
                      </Link>
                    </li>
                  ))}
                </ul>
              </>
            );
          }}
        </Loaded>
      </div>
    </Card>
  );
}
