// SVG charts for reports and consoles: bars per day (with an optional
// count above each bar), a line per day, and horizontal ranking bars.
// Generalised from the console's sales chart; values are plain numbers and
// `format` renders them (money, hours, counts).
import { t } from '../i18n';

export interface Point {
  label: string; // x label, e.g. "2026-11-01"
  value: number;
  note?: string; // drawn above a bar, e.g. the order count
}

interface ChartProps {
  points: Point[];
  title: string;
  format: (v: number) => string;
  testid?: string;
  height?: number;
}

const W = 640;
const PAD = { top: 26, bottom: 28, left: 8, right: 8 };

function shortDay(label: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(label) ? label.slice(5) : label;
}

/** BarChart draws one bar per point, scaled to the largest. */
export function BarChart({ points, title, format, testid, height = 220 }: ChartProps) {
  const H = height;
  const max = Math.max(1, ...points.map((p) => p.value));
  const slot = (W - PAD.left - PAD.right) / Math.max(1, points.length);
  const bar = Math.max(1.5, slot * 0.7);
  const plotH = H - PAD.top - PAD.bottom;
  const labelEvery = Math.ceil(points.length / 7);
  const gradient = `bar-${testid ?? 'chart'}`;
  const total = points.reduce((s, p) => s + p.value, 0);
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('studio.chart.total', { title, total: format(total) })} data-testid={testid}>
      <defs>
        <linearGradient id={gradient} x1="0" y1="0" x2="0" y2="1">
          <stop offset="0%" stop-color="#ff2d55" />
          <stop offset="100%" stop-color="#ff6a00" />
        </linearGradient>
      </defs>
      <text x={PAD.left + 4} y={16} class="chart-label">
        {title}
      </text>
      <text x={W - PAD.right} y={16} class="chart-value" text-anchor="end">
        {t('studio.chart.max', { value: format(Math.max(0, ...points.map((p) => p.value))) })}
      </text>
      <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} class="chart-axis" />
      {points.map((p, i) => {
        const h = (p.value / max) * plotH;
        const x = PAD.left + i * slot + (slot - bar) / 2;
        const y = H - PAD.bottom - h;
        return (
          <g key={`${p.label}-${i}`}>
            <title>{`${p.label}: ${format(p.value)}${p.note ? ` · ${p.note}` : ''}`}</title>
            <rect x={x} y={y} width={bar} height={Math.max(h, p.value > 0 ? 2 : 0)} rx={Math.min(3, bar / 2)} fill={`url(#${gradient})`} />
            {p.note && points.length <= 45 && (
              <text x={x + bar / 2} y={y - 5} class="chart-value" text-anchor="middle">
                {p.note}
              </text>
            )}
            {i % labelEvery === 0 && (
              <text x={x + bar / 2} y={H - 8} class="chart-label" text-anchor="middle">
                {shortDay(p.label)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** LineChart draws the points as a line with the area under it. */
export function LineChart({ points, title, format, testid, height = 180 }: ChartProps) {
  const H = height;
  const max = Math.max(1, ...points.map((p) => p.value));
  const plotH = H - PAD.top - PAD.bottom;
  const step = (W - PAD.left - PAD.right) / Math.max(1, points.length - 1);
  const xy = points.map((p, i) => [PAD.left + (points.length === 1 ? (W - PAD.left - PAD.right) / 2 : i * step), H - PAD.bottom - (p.value / max) * plotH]);
  const line = xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
  const labelEvery = Math.ceil(points.length / 7);
  const gradient = `line-${testid ?? 'chart'}`;
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} data-testid={testid}>
      <defs>
        <linearGradient id={gradient} x1="0" y1="0" x2="0" y2="1">
          <stop offset="0%" stop-color="#ff2d55" stop-opacity="0.35" />
          <stop offset="100%" stop-color="#ff6a00" stop-opacity="0.02" />
        </linearGradient>
      </defs>
      <text x={PAD.left + 4} y={16} class="chart-label">
        {title}
      </text>
      <text x={W - PAD.right} y={16} class="chart-value" text-anchor="end">
        {t('studio.chart.peak', { value: format(Math.max(0, ...points.map((p) => p.value))) })}
      </text>
      <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} class="chart-axis" />
      {xy.length > 0 && (
        <polygon points={`${xy[0][0].toFixed(1)},${H - PAD.bottom} ${line} ${xy[xy.length - 1][0].toFixed(1)},${H - PAD.bottom}`} fill={`url(#${gradient})`} />
      )}
      <polyline points={line} fill="none" stroke="#ff2d55" stroke-width="2.5" stroke-linejoin="round" />
      {points.map((p, i) => (
        <g key={`${p.label}-${i}`}>
          <circle cx={xy[i][0]} cy={xy[i][1]} r={points.length <= 45 ? 3 : 0} fill="#ff2d55">
            <title>{`${p.label}: ${format(p.value)}`}</title>
          </circle>
          {i % labelEvery === 0 && (
            <text x={xy[i][0]} y={H - 8} class="chart-label" text-anchor="middle">
              {shortDay(p.label)}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}

export interface RankItem {
  key: string;
  label: string;
  value: number;
  detail?: string;
}

/** RankBars lists items with a bar proportional to the largest value. */
export function RankBars({ items, format, testid }: { items: RankItem[]; format: (v: number) => string; testid?: string }) {
  const max = Math.max(1, ...items.map((i) => i.value));
  return (
    <ul class="rank-bars" data-testid={testid} style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: '8px' }}>
      {items.map((it) => (
        <li key={it.key}>
          <div style={{ display: 'flex', justifyContent: 'space-between', gap: '8px' }}>
            <span>{it.label}</span>
            <b style={{ fontVariantNumeric: 'tabular-nums' }}>{format(it.value)}</b>
          </div>
          <div style={{ background: '#f3f4f6', borderRadius: '6px', height: '8px', overflow: 'hidden' }}>
            <div style={{ width: `${(it.value / max) * 100}%`, height: '100%', background: 'linear-gradient(90deg, #ff6a00, #ff2d55)' }} />
          </div>
          {it.detail && <div class="muted small">{it.detail}</div>}
        </li>
      ))}
    </ul>
  );
}
