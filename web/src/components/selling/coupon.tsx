// A coupon the host dropped in the room: what it takes off, how long it
// can be grabbed, how many are gone, and Grab. A grabbed coupon is offered
// (preselected when it is the best) in the product sheet.
import { useState } from 'preact/hooks';
import { ApiError, selling } from '../../api';
import { money } from '../../format';
import { t } from '../../i18n';
import { couponOpen } from '../../live/selling';
import { Link } from '../../router';
import { useSession } from '../../session';
import type { Coupon } from '../../types';
import { Button, FormError, useAction } from '../../ui';

import { signInHref } from './buy';
import { Left, useServerNow } from './time';
import { fillSlots } from '../../i18n/slots';

/**
 * couponLabel says what a coupon takes off: "¥5.00 off orders over ¥50.00",
 * "15% off" (in Chinese "满¥50.00可用，立减¥5.00", "8.5折": a discount is said
 * as the share paid, in tenths).
 */
export function couponLabel(c: Coupon): string {
  const pct = c.percent_off ?? 0;
  const off =
    c.kind === 'percent'
      ? t('room.coupon.percentOff', { pct, zhe: Number(((100 - pct) / 10).toFixed(2)) })
      : t('room.coupon.amountOff', { amount: money(c.amount_off_minor ?? 0, c.currency) });
  return c.min_spend_minor > 0 ? t('room.coupon.minSpend', { off, min: money(c.min_spend_minor, c.currency) }) : off;
}

export function CouponCard({ c, mine, onClaimed }: { c: Coupon; mine: boolean; onClaimed: (couponID: string) => void }) {
  const me = useSession().me;
  const now = useServerNow(500);
  const [done, setDone] = useState(false);
  const grab = useAction(async () => {
    try {
      await selling.claimCoupon(c.id);
    } catch (e) {
      // Already holding as many as allowed: it is in the wallet all the same.
      if (e instanceof ApiError && e.status === 409 && /limit/i.test(e.message)) {
        setDone(true);
        onClaimed(c.id);
      }
      throw e;
    }
    setDone(true);
    onClaimed(c.id);
  });
  const claimed = done || mine;
  const open = couponOpen(c, now);
  const gone = c.total_limit > 0 && c.claimed >= c.total_limit;
  return (
    <section class="coupon-card" data-testid="coupon-card" data-coupon-id={c.id} data-claimed={claimed ? 'true' : undefined}>
      <div class="coupon-value">
        <b>{c.kind === 'percent' ? `${c.percent_off ?? 0}%` : money(c.amount_off_minor ?? 0, c.currency)}</b>
        <span>{t('room.coupon.off')}</span>
      </div>
      <div class="coupon-body grow">
        <div class="selling-title">{c.title}</div>
        <div class="muted small">{couponLabel(c)}</div>
        <div class="muted small">
          {fillSlots(t('room.coupon.grabbed'), {
            n: (
              <span data-testid="coupon-claimed-count">
                {c.claimed}
                {c.total_limit > 0 ? ` / ${c.total_limit}` : ''}
              </span>
            ),
          })}
          {open && (
            <>
              {' · '}
              {fillSlots(t('room.timeLeft'), { time: <Left iso={c.grab_ends_at} now={now} testid="coupon-countdown" /> })}
            </>
          )}
        </div>
        <FormError err={claimed ? null : grab.error} />
      </div>
      {claimed ? (
        <span class="coupon-claimed" data-testid="coupon-claimed">
          {t('room.coupon.inWallet')}
        </span>
      ) : !open || gone ? (
        <span class="muted small" data-testid="coupon-closed">
          {gone ? t('room.coupon.allGrabbed') : t('room.coupon.closed')}
        </span>
      ) : me.user ? (
        <Button class="small" busy={grab.busy} onClick={() => grab.run()} data-testid="coupon-grab">
          {t('room.coupon.grab')}
        </Button>
      ) : (
        <Link class="btn btn-primary small" href={signInHref()}>
          {t('auth.signin')}
        </Link>
      )}
    </section>
  );
}
