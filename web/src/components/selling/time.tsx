// Countdowns against the server's clock (live/selling.ts learns the offset).
import { useEffect, useState } from 'preact/hooks';
import { clock } from '../../format';
import { msUntil, serverNow } from '../../live/selling';

/** useServerNow re-renders the caller every ms and returns the server's time. */
export function useServerNow(ms = 500): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const t = window.setInterval(() => setTick((n) => n + 1), ms);
    return () => window.clearInterval(t);
  }, [ms]);
  return serverNow();
}

/** secondsLeft is the whole seconds until iso (0 once passed), rounded up so that "0:00" means it is over. */
export function secondsLeft(iso: string | undefined, now: number): number {
  return Math.max(0, Math.ceil(msUntil(iso, now) / 1000));
}

/** Left shows the time until iso as "1:05", or `over` once it has passed. */
export function Left({ iso, now, over = '0:00', testid }: { iso: string | undefined; now: number; over?: string; testid?: string }) {
  const s = secondsLeft(iso, now);
  return (
    <span class="left" data-testid={testid} data-seconds={s}>
      {s > 0 ? clock(s) : over}
    </span>
  );
}
