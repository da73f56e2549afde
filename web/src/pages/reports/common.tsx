// What the report pages share: the date range picker (UTC days, both ends
// included, at most 366), the "Download CSV" link and counters.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api';
import { locale, t } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { useAsync } from '../../ui';

export interface Range {
  from: string;
  to: string;
}

const DAY = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** lastDays is the range of the last n UTC days, today included. */
export function lastDays(n: number): Range {
  const today = Date.now();
  return { from: isoDay(today - (n - 1) * DAY), to: isoDay(today) };
}

/** useReport loads a report for a range, reloading when the range changes. */
export function useReport<T>(path: string, range: Range | null) {
  return useAsync((signal) => api.get<T>(path, range ? { from: range.from, to: range.to } : undefined, signal), [path, range?.from, range?.to]);
}

const PRESETS = [7, 30, 90, 365];

/** RangePicker picks from/to days; presets or two date inputs. */
export function RangePicker({ range, onChange }: { range: Range; onChange: (r: Range) => void }) {
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const apply = (r: Range) => {
    setFrom(r.from);
    setTo(r.to);
    onChange(r);
  };
  return (
    <div class="report-range" data-testid="report-range" style={{ display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'end' }}>
      <div class="tabs small" role="tablist" aria-label={t('admin.report.presets')}>
        {PRESETS.map((n) => {
          const r = lastDays(n);
          const on = r.from === range.from && r.to === range.to;
          return (
            <button key={n} role="tab" aria-selected={on} class={on ? 'tab active' : 'tab'} onClick={() => apply(r)} data-testid={`range-${n}`}>
              {t('admin.report.days', { n })}
            </button>
          );
        })}
      </div>
      <form
        style={{ display: 'flex', gap: '6px', alignItems: 'end', flexWrap: 'wrap' }}
        onSubmit={(e) => {
          e.preventDefault();
          apply({ from, to });
        }}
      >
        <label class="small">
          {t('admin.report.from')} <input type="date" value={from} max={to} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} data-testid="range-from" />
        </label>
        <label class="small">
          {t('admin.report.to')} <input type="date" value={to} min={from} onInput={(e) => setTo((e.target as HTMLInputElement).value)} data-testid="range-to" />
        </label>
        <button class="btn btn-secondary small" type="submit" data-testid="range-apply">
          {t('admin.report.show')}
        </button>
      </form>
    </div>
  );
}

/** DownloadCSV links to the report's CSV for the range (a plain download, cookies included). */
export function DownloadCSV({ path, range }: { path: string; range?: Range }) {
  const q = new URLSearchParams({ format: 'csv' });
  if (range) {
    q.set('from', range.from);
    q.set('to', range.to);
  }
  return (
    <a class="btn btn-secondary small" href={`/api/v1${path}?${q.toString()}`} download data-testid="download-csv">
      {t('admin.report.csv')}
    </a>
  );
}

export function Counter({ label, value, strong, testid }: { label: string; value: string; strong?: boolean; testid?: string }) {
  return (
    <div class={strong ? 'counter strong' : 'counter'} data-testid={testid}>
      <div class="counter-value">{value}</div>
      <div class="counter-label">{label}</div>
    </div>
  );
}

export const count = (n: number) => n.toLocaleString(locale());
export const hours = (h: number) => t('admin.report.hours', { n: h.toLocaleString(locale(), { maximumFractionDigits: 2 }) });

/** orders renders an order count: "1 order", "3 orders". */
export const orders = (n: number) => t(n === 1 ? 'admin.report.orders.one' : 'admin.report.orders.other', { n });

/** statusWord renders a session or agreement status inside a detail line; unknown ones stay as sent. */
export function statusWord(status: string): string {
  const key = `admin.report.status.${status}` as MessageKey;
  const text = t(key);
  return text === key ? status : text;
}

/**
 * ChartScroll holds a chart that keeps a readable size on a phone and scrolls
 * sideways there; it takes keyboard focus so the scrolling works without touch.
 */
export function ChartScroll({ label, children }: { label: string; children: ComponentChildren }) {
  // Start at the right-hand end: the latest days are the ones people look for.
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (box.current) box.current.scrollLeft = box.current.scrollWidth;
  }, []);
  return (
    <div class="chart-scroll" ref={box} tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
