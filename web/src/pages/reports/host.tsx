// "My earnings": a host's sessions, views, orders, GMV and commission per
// day (/reports/host; an admin or the host's agency may pass ?host=).
import { useState } from 'preact/hooks';
import { BarChart, LineChart } from '../../components/chart';
import { money } from '../../format';
import { t } from '../../i18n';
import { useLocation } from '../../router';
import { useSession } from '../../session';
import { Loaded, useTitle } from '../../ui';
import '../../styles/merchant-console.css';
import { ChartScroll, Counter, DownloadCSV, RangePicker, count, lastDays, useReport } from './common';

interface HostDay {
  day: string;
  sessions: number;
  views: number;
  orders: number;
  gmv_minor: number;
  commission_minor: number;
  mcn_share_minor: number;
}

interface HostReport {
  host_name: string;
  currency: string;
  days: HostDay[];
  totals: HostDay;
}

export function HostReportPage() {
  useTitle(t('admin.host.title'));
  const s = useSession();
  const { query } = useLocation();
  const hostID = query.get('host') || s.me.user?.id || '';
  const [range, setRange] = useState(lastDays(30));
  const path = `/hosts/${hostID}/report`;
  const a = useReport<HostReport>(path, range);
  return (
    <div class="stack" data-testid="host-report">
      <div class="page-head">
        <div class="grow">
          <h1>{a.data && hostID !== s.me.user?.id ? t('admin.host.whose', { name: a.data.host_name }) : t('admin.host.title')}</h1>
          <p class="muted small">{t('admin.host.lead')}</p>
        </div>
        <DownloadCSV path={path} range={range} />
      </div>
      <RangePicker range={range} onChange={setRange} />
      <Loaded a={a}>
        {(r) => {
          const m = (v: number) => money(v, r.currency);
          return (
            <>
              <div class="counters">
                <Counter label={t('admin.host.commission')} value={m(r.totals.commission_minor)} strong testid="report-commission" />
                <Counter label={t('admin.host.gmv')} value={m(r.totals.gmv_minor)} testid="report-gmv" />
                <Counter label={t('admin.report.paidOrders')} value={count(r.totals.orders)} />
                <Counter label={t('admin.report.sessions')} value={count(r.totals.sessions)} />
                <Counter label={t('admin.report.views')} value={count(r.totals.views)} />
                <Counter label={t('admin.report.agencyShare')} value={m(r.totals.mcn_share_minor)} />
              </div>
              <ChartScroll label={t('admin.host.commissionChart')}>
                <BarChart title={t('admin.host.commissionChart')} points={r.days.map((d) => ({ label: d.day, value: d.commission_minor, note: d.orders ? String(d.orders) : undefined }))} format={m} testid="report-commission-chart" />
              </ChartScroll>
              <ChartScroll label={t('admin.host.gmvChart')}>
                <BarChart title={t('admin.host.gmvChart')} points={r.days.map((d) => ({ label: d.day, value: d.gmv_minor }))} format={m} testid="report-gmv-chart" height={160} />
              </ChartScroll>
              <ChartScroll label={t('admin.host.viewsChart')}>
                <LineChart title={t('admin.host.viewsChart')} points={r.days.map((d) => ({ label: d.day, value: d.views }))} format={count} testid="report-views-chart" />
              </ChartScroll>
              <p class="muted small">{t('admin.host.footnote')}</p>
            </>
          );
        }}
      </Loaded>
    </div>
  );
}
