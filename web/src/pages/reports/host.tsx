// "My earnings": a host's sessions, views, orders, GMV and commission per
// day (/reports/host; an admin or the host's agency may pass ?host=).
import { useState } from 'preact/hooks';
import { BarChart, LineChart } from '../../components/chart';
import { money } from '../../format';
import { useLocation } from '../../router';
import { useSession } from '../../session';
import { Loaded, useTitle } from '../../ui';
import { Counter, DownloadCSV, RangePicker, count, lastDays, useReport } from './common';

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
  useTitle('My earnings');
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
          <h1>{a.data && hostID !== s.me.user?.id ? `${a.data.host_name}'s earnings` : 'My earnings'}</h1>
          <p class="muted small">What you earned from live selling: your commission after your agency's share.</p>
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
                <Counter label="Commission earned" value={m(r.totals.commission_minor)} strong testid="report-commission" />
                <Counter label="GMV sold" value={m(r.totals.gmv_minor)} testid="report-gmv" />
                <Counter label="Paid orders" value={count(r.totals.orders)} />
                <Counter label="Sessions" value={count(r.totals.sessions)} />
                <Counter label="Views" value={count(r.totals.views)} />
                <Counter label="Agency's share" value={m(r.totals.mcn_share_minor)} />
              </div>
              <BarChart title="Commission per day (orders above)" points={r.days.map((d) => ({ label: d.day, value: d.commission_minor, note: d.orders ? String(d.orders) : undefined }))} format={m} testid="report-commission-chart" />
              <BarChart title="GMV per day" points={r.days.map((d) => ({ label: d.day, value: d.gmv_minor }))} format={m} testid="report-gmv-chart" height={160} />
              <LineChart title="Views of the sessions started each day" points={r.days.map((d) => ({ label: d.day, value: d.views }))} format={count} testid="report-views-chart" />
              <p class="muted small">Days are UTC. Money counts paid orders; refunds are taken out.</p>
            </>
          );
        }}
      </Loaded>
    </div>
  );
}
