// Following a replay's playhead through its product moments: shared by the
// moments list beside the replay (desktop) and the chips over it (phones).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Moment } from '../types';

/** momentAt is the last moment at or before t seconds (a quarter second early counts: a seek lands just before). */
export function momentAt(moments: Moment[], t: number): Moment | undefined {
  let cur: Moment | undefined;
  for (const m of moments) if (m.offset_ms <= t * 1000 + 250) cur = m;
  return cur;
}

/**
 * useMomentAt sorts moments and follows video's playhead through them: it
 * returns the sorted moments and the id of the one at the playhead, reports
 * that moment's product to onMoment, and calls onChange with the new id.
 */
export function useMomentAt(
  video: HTMLVideoElement | null,
  given: Moment[],
  onMoment?: (productID: string) => void,
  onChange?: (momentID: string) => void,
): { moments: Moment[]; at: string } {
  const [at, setAt] = useState('');
  const moments = [...given].sort((a, b) => a.offset_ms - b.offset_ms);
  const callbacks = useRef({ onMoment, onChange });
  callbacks.current = { onMoment, onChange };
  const key = moments.map((m) => m.id).join();

  useEffect(() => {
    const v = video;
    if (!v) return;
    let last = '';
    const follow = () => {
      const m = momentAt(moments, v.currentTime);
      if ((m?.id ?? '') === last) return;
      last = m?.id ?? '';
      setAt(last);
      callbacks.current.onMoment?.(m?.product_id ?? '');
      callbacks.current.onChange?.(last);
    };
    follow();
    v.addEventListener('timeupdate', follow);
    v.addEventListener('seeked', follow);
    return () => {
      v.removeEventListener('timeupdate', follow);
      v.removeEventListener('seeked', follow);
    };
  }, [video, key]);

  return { moments, at };
}
