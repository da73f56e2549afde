// An agency's report on its page: GMV, commissions and the agency's share
// per day and per host.
import { useState } from 'preact/hooks';
import { BarChart, RankBars } from '../../components/chart';
import { money } from '../../format';
import { Link } from '../../router';
import { Card, Empty, Loaded } from '../../ui';
import { Counter, DownloadCSV, RangePicker, count, lastDays, useReport } from './common';

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
    <Card title="Report" actions={<DownloadCSV path={path} range={range} />}>
      <div class="stack" data-testid="mcn-report">
        <RangePicker range={range} onChange={setRange} />
        <Loaded a={a}>
          {(r) => {
            const m = (v: number) => money(v, r.currency);
            return (
              <>
                <div class="counters">
                  <Counter label="Agency's share" value={m(r.totals.mcn_share_minor)} strong testid="report-share" />
                  <Counter label="GMV by your hosts" value={m(r.totals.gmv_minor)} testid="report-gmv" />
                  <Counter label="Hosts' commission" value={m(r.totals.host_commission_minor)} />
                  <Counter label="Paid orders" value={count(r.totals.orders)} />
                </div>
                <BarChart title="GMV per day (orders above)" points={r.days.map((d) => ({ label: d.day, value: d.gmv_minor, note: d.orders ? String(d.orders) : undefined }))} format={m} testid="report-gmv-chart" />
                <BarChart title="Agency's share per day" points={r.days.map((d) => ({ label: d.day, value: d.mcn_share_minor }))} format={m} testid="report-share-chart" height={160} />
                <h3>Hosts</h3>
                {r.hosts.length === 0 ? (
                  <Empty>No hosts on the roster yet.</Empty>
                ) : (
                  <RankBars
                    items={r.hosts.map((h) => ({ key: h.host_id, label: h.host_name || h.host_id, value: h.gmv_minor,
                      detail: `${h.orders} orders · host earned ${m(h.host_commission_minor)} · agency ${m(h.mcn_share_minor)}${h.status && h.status !== 'active' ? ` · ${h.status}` : ''}` }))}
                    format={m}
                    testid="report-hosts"
                  />
                )}
                <p class="muted small">
                  {r.hosts.map((h) => (
                    <Link key={h.host_id} href={`/reports/host?host=${h.host_id}`} style={{ marginRight: '12px' }}>
                      {h.host_name || h.host_id}'s days
                    </Link>
                  ))}
                </p>
              </>
            );
          }}
        </Loaded>
      </div>
    </Card>
  );
}
