// The studio's audience, live from the room's socket: viewers now, the
// peak, distinct viewers and likes, with a chart of viewers over time.
import { useEffect, useRef, useState } from 'preact/hooks';
import { compact } from '../../components/room-likes';
import { Sparkline } from '../../components/sparkline';
import type { RoomCounts } from '../../live/protocol';
import type { Connection } from '../../live/roomstate';
import { t } from '../../i18n';
import { Card } from '../../ui';

const SAMPLE_MS = 2000;
/** Five minutes of samples. */
const VIEWER_SAMPLES = 150;

function Stat({ label, value, testid, strong }: { label: string; value: string; testid: string; strong?: boolean }) {
  return (
    <div class={strong ? 'counter strong' : 'counter'} data-testid={testid}>
      <div class="counter-value">{value}</div>
      <div class="counter-label">{label}</div>
    </div>
  );
}

/** useSamples records counts.current every SAMPLE_MS while counts arrive. */
function useSamples(counts: RoomCounts | null): number[] {
  const latest = useRef(counts);
  latest.current = counts;
  const [samples, setSamples] = useState<number[]>([]);
  const on = !!counts;
  useEffect(() => {
    if (!on) return;
    const take = () => {
      const c = latest.current;
      if (c) setSamples((s) => [...s, c.current].slice(-VIEWER_SAMPLES));
    };
    take();
    const t = window.setInterval(take, SAMPLE_MS);
    return () => window.clearInterval(t);
  }, [on]);
  return samples;
}

export function AudiencePanel({ counts, connection }: { counts: RoomCounts | null; connection: Connection }) {
  const samples = useSamples(counts);
  return (
    <Card title={t('studio.audience.title')}>
      {!counts ? (
        <p class="muted" data-testid="audience-idle">
          {connection === 'open' ? t('studio.audience.waiting') : t('studio.audience.connecting')}
        </p>
      ) : (
        <>
          <div class="counters" data-testid="audience">
            <Stat label={t('studio.audience.now')} value={String(counts.current)} testid="audience-current" strong />
            <Stat label={t('studio.audience.peak')} value={String(counts.peak)} testid="audience-peak" />
            <Stat label={t('studio.audience.unique')} value={String(counts.unique)} testid="audience-unique" />
            <Stat label={t('studio.audience.likes')} value={compact(counts.likes)} testid="audience-likes" />
          </div>
          <Sparkline values={samples} capacity={VIEWER_SAMPLES} label={t('studio.audience.viewers')} unit={t('studio.unit.viewers')} testid="viewers-chart" />
        </>
      )}
    </Card>
  );
}
