// The platform report for admins (/admin/report): daily active users,
// viewing hours, sessions started and GMV per day; channels ranked by GMV
// and by viewing hours.
import { useState } from 'preact/hooks';
import { BarChart, LineChart, RankBars } from '../../components/chart';
import { money } from '../../format';
import { t } from '../../i18n';
import { Card, Empty, Loaded, useTitle } from '../../ui';
import { Counter, DownloadCSV, RangePicker, count, hours, lastDays, orders, useReport } from './common';

interface PlatformDay {
  day: string;
  active_users: number;
  watch_seconds: number;
  viewing_hours: number;
  sessions_started: number;
  orders: number;
  gmv_minor: number;
}

interface PlatformReport {
  currency: string;
  days: PlatformDay[];
  totals: PlatformDay;
  top_channels_by_gmv: { code: string; name: string; orders: number; gmv_minor: number }[];
  top_channels_by_viewing: { code: string; name: string; viewing_hours: number }[];
}

export function PlatformReportPage() {
  useTitle(t('admin.platform.title'));
  const [range, setRange] = useState(lastDays(30));
  const path = '/admin/report';
  const a = useReport<PlatformReport>(path, range);
  return (
    <div class="stack" data-testid="platform-report">
      <div class="page-head">
        <div class="grow">
          <h1>{t('admin.platform.title')}</h1>
          <p class="muted small">{t('admin.platform.lead')}</p>
        </div>
        <DownloadCSV path={path} range={range} />
      </div>
      <RangePicker range={range} onChange={setRange} />
      <Loaded a={a}>
        {(r) => {
          const m = (v: number) => money(v, r.currency);
          const days = r.days.length || 1;
          return (
            <>
              <div class="counters">
                <Counter label={t('admin.report.gmv')} value={m(r.totals.gmv_minor)} strong testid="report-gmv" />
                <Counter label={t('admin.report.paidOrders')} value={count(r.totals.orders)} testid="report-orders" />
                <Counter label={t('admin.platform.viewingHours')} value={hours(r.totals.viewing_hours)} />
                <Counter label={t('admin.platform.sessionsStarted')} value={count(r.totals.sessions_started)} />
                <Counter label={t('admin.platform.dauAverage')} value={count(Math.round(r.totals.active_users / days))} />
              </div>
              <LineChart title={t('admin.platform.dauChart')} points={r.days.map((d) => ({ label: d.day, value: d.active_users }))} format={count} testid="report-dau-chart" />
              <BarChart title={t('admin.report.gmvPerDayOrders')} points={r.days.map((d) => ({ label: d.day, value: d.gmv_minor, note: d.orders ? String(d.orders) : undefined }))} format={m} testid="report-gmv-chart" />
              <BarChart title={t('admin.platform.hoursChart')} points={r.days.map((d) => ({ label: d.day, value: d.viewing_hours }))} format={hours} testid="report-hours-chart" height={160} />
              <BarChart title={t('admin.platform.sessionsChart')} points={r.days.map((d) => ({ label: d.day, value: d.sessions_started }))} format={count} testid="report-sessions-chart" height={140} />
              <div class="grid-2" style={{ display: 'grid', gap: '12px', gridTemplateColumns: 'repeat(auto-fit, minmax(260px, 1fr))' }}>
                <Card title={t('admin.platform.channelsGMV')}>
                  {r.top_channels_by_gmv.length === 0 ? (
                    <Empty>{t('admin.report.noSales')}</Empty>
                  ) : (
                    <RankBars items={r.top_channels_by_gmv.map((c) => ({ key: c.code, label: c.name, value: c.gmv_minor, detail: orders(c.orders) }))} format={m} testid="report-channels-gmv" />
                  )}
                </Card>
                <Card title={t('admin.platform.channelsViewing')}>
                  {r.top_channels_by_viewing.length === 0 ? (
                    <Empty>{t('admin.platform.noViewing')}</Empty>
                  ) : (
                    <RankBars items={r.top_channels_by_viewing.map((c) => ({ key: c.code, label: c.name, value: c.viewing_hours }))} format={hours} testid="report-channels-viewing" />
                  )}
                </Card>
              </div>
              <p class="muted small">{t('admin.platform.footnote')}</p>
            </>
          );
        }}
      </Loaded>
    </div>
  );
}
