// A small area chart of recent samples, newest on the right (bitrate and
// viewers in the studio).
import { t } from '../i18n';

export function Sparkline({ values, capacity, label, unit, testid }: { values: number[]; capacity: number; label: string; unit: string; testid: string }) {
  const W = 640;
  const H = 120;
  const pad = 6;
  if (values.length < 2) return null;
  const max = Math.max(1, ...values);
  const step = (W - 2 * pad) / (Math.max(capacity, values.length) - 1);
  const x0 = W - pad - (values.length - 1) * step;
  const pts = values.map((v, i) => `${(x0 + i * step).toFixed(1)},${(H - pad - (v / max) * (H - 2 * pad - 14)).toFixed(1)}`);
  const last = values[values.length - 1];
  const gradient = `spark-${testid}`;
  return (
    <svg class="chart sparkline" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('studio.spark.aria', { label, value: last, unit })} data-testid={testid}>
      <defs>
        <linearGradient id={gradient} x1="0" y1="0" x2="0" y2="1">
          <stop offset="0%" stop-color="#ff2d55" stop-opacity="0.35" />
          <stop offset="100%" stop-color="#ff6a00" stop-opacity="0.02" />
        </linearGradient>
      </defs>
      <line x1={pad} x2={W - pad} y1={H - pad} y2={H - pad} class="chart-axis" />
      <polygon points={`${x0.toFixed(1)},${H - pad} ${pts.join(' ')} ${W - pad},${H - pad}`} fill={`url(#${gradient})`} />
      <polyline points={pts.join(' ')} fill="none" stroke="#ff2d55" stroke-width="2.5" stroke-linejoin="round" />
      <text x={W - pad} y={14} class="chart-value" text-anchor="end">
        {t('studio.spark.peak', { value: max, unit })}
      </text>
    </svg>
  );
}
