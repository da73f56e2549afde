// A replay's product moments as chips over the video (phones): tapping
// one jumps to when the host explained that product; the chip of the
// moment at the playhead is highlighted and reported, so the room can show
// that product's card with Buy.
import { useRef } from 'preact/hooks';
import { clock } from '../format';
import { t } from '../i18n';
import type { LiveProduct, Moment } from '../types';
import { Thumb } from '../ui';
import { imageThumb } from './live';
import { useMomentAt } from './moment-follow';

export function MomentChips(p: { video: HTMLVideoElement | null; moments: Moment[]; products: LiveProduct[]; onMoment?: (productID: string) => void }) {
  const list = useRef<HTMLOListElement>(null);
  // Keep the current chip in view without moving the page.
  const { moments, at } = useMomentAt(p.video, p.moments, p.onMoment, (id) => {
    const chip = list.current?.querySelector<HTMLElement>(`[data-moment-id="${id}"]`);
    if (chip && list.current) list.current.scrollTo({ left: chip.offsetLeft - 8, behavior: 'smooth' });
  });

  if (moments.length === 0) return null;
  const images = new Map(p.products.map((x) => [x.product_id, x.image_id]));
  const seek = (m: Moment) => {
    const v = p.video;
    if (!v) return;
    v.currentTime = m.offset_ms / 1000;
    v.play().catch(() => undefined);
  };
  return (
    <nav class="moment-chips" aria-label={t('room.moments.title')}>
      <ol ref={list} data-testid="moments">
        {moments.map((m) => {
          const time = clock(m.offset_ms / 1000);
          return (
            <li key={m.id}>
              <button
                type="button"
                class={m.id === at ? 'moment-chip active' : 'moment-chip'}
                aria-current={m.id === at ? 'true' : undefined}
                aria-label={t('room.moments.jump', { time, title: m.title })}
                onClick={() => seek(m)}
                disabled={!p.video}
                data-testid="moment"
                data-moment-id={m.id}
                data-offset-ms={m.offset_ms}
                data-product-id={m.product_id}
              >
                <Thumb src={imageThumb(images.get(m.product_id))} alt="" size="sm" />
                <span class="moment-chip-text">
                  <span class="moment-chip-time mono">{time}</span>
                  <span class="moment-chip-title">{m.title}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
