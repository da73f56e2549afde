// "Lin just bought…" notices over the video, from the sampled `purchase` events.
import { t } from '../../i18n';
import type { Purchase } from '../../live/selling';

import { useServerNow } from './time';
import { fillSlots } from '../../i18n/slots';

/** How long a notice stays, and how many show at once. */
const TOAST_MS = 4000;
const TOASTS = 3;

export function PurchaseToasts({ purchases }: { purchases: Purchase[] }) {
  useServerNow(1000); // re-render so notices leave on time
  const now = Date.now();
  const shown = purchases.filter((p) => now - p.at < TOAST_MS).slice(-TOASTS);
  if (shown.length === 0) return null;
  return (
    <ul class="purchase-toasts" aria-live="polite">
      {shown.map((p) => (
        <li key={p.id} class="purchase-toast" data-testid="purchase-toast">
          {fillSlots(t('room.toast.bought'), { name: <b>{p.name || t('room.toast.someone')}</b>, title: p.title })}
          {p.quantity > 1 ? ` ×${p.quantity}` : ''}
        </li>
      ))}
    </ul>
  );
}
