// A lucky draw: what is won, who may enter, the countdown and the
// commitment to the secret seed; once drawn, the winners with a link to
// the proof, and "Claim prize" for a winner.
import { useState } from 'preact/hooks';
import { selling } from '../../api';
import { t } from '../../i18n';
import { shortHash } from '../../live/selling';
import { Link } from '../../router';
import { useSession } from '../../session';
import type { Draw, LiveProduct, Order } from '../../types';
import { Button, FormError, useAction } from '../../ui';

import { signInHref } from './buy';
import { Left, secondsLeft, useServerNow } from './time';
import { fillSlots } from '../../i18n/slots';

/** eligibilityText says who may enter, in the viewer's words. */
export function eligibilityText(d: Draw): string {
  switch (d.eligibility) {
    case 'followers':
      return t('room.draw.followers');
    case 'keyword':
      return d.keyword ? t('room.draw.keyword', { keyword: d.keyword }) : t('room.draw.keywordAny');
    case 'buyers':
      return t('room.draw.buyers');
    default:
      return t('room.draw.anyone');
  }
}

/** prizeText names the prize: its product's title (from the shelf when the draw lacks it). */
export function prizeText(d: Draw, shelf: LiveProduct[]): string {
  const what = d.product_title || shelf.find((p) => p.product_id === d.product_id)?.title || t('room.draw.aPrize');
  return d.quantity > 1 ? `${d.quantity} × ${what}` : what;
}

function enteredKey(id: string): string {
  return `liveshop.draw.${id}`;
}

function wasEntered(id: string): boolean {
  try {
    return sessionStorage.getItem(enteredKey(id)) === '1';
  } catch {
    return false;
  }
}

export function DrawPanel({ d, shelf }: { d: Draw; shelf: LiveProduct[] }) {
  const me = useSession().me;
  const now = useServerNow(500);
  const [entered, setEntered] = useState(() => wasEntered(d.id));
  const [claimed, setClaimed] = useState<Order | null>(null);
  const enter = useAction(async () => {
    await selling.enterDraw(d.id);
    setEntered(true);
    try {
      sessionStorage.setItem(enteredKey(d.id), '1');
    } catch {
      // storage disabled: the button comes back after a reload, entering again is a no-op
    }
  });
  const claim = useAction(async () => setClaimed(await selling.claimPrize(d.id)));
  const winners = d.winners ?? [];
  const mine = me.user ? winners.find((w) => w.user_id === me.user?.id) : undefined;
  const orderID = claimed?.id || mine?.order_id;
  return (
    <section class="draw-panel" data-testid="draw-panel" data-draw-id={d.id} data-status={d.status}>
      <header class="selling-head">
        <span class="selling-tag draw-tag">{t('room.draw.tag')}</span>
        <span class="selling-title grow">{d.title}</span>
        {d.status === 'open' && (
          <span class="muted small">
            {fillSlots(t(secondsLeft(d.ends_at, now) > 0 ? 'room.draw.drawsIn' : 'room.draw.drawsNow'), {
              time: <Left iso={d.ends_at} now={now} over={t('room.draw.now')} testid="draw-left" />,
            })}
          </span>
        )}
      </header>
      <p class="draw-prize">
        {fillSlots(t('room.draw.win'), { prize: <b>{prizeText(d, shelf)}</b> })}
        {d.winner_count ? ` · ${t(d.winner_count === 1 ? 'room.draw.winners.one' : 'room.draw.winners.other', { n: d.winner_count })}` : ''}
      </p>
      <p class="muted small">
        {d.status === 'open' && `${eligibilityText(d)} · `}
        {t('room.draw.entered', { n: d.entrants })} ·{' '}
        <span class="mono" title={t('room.draw.commitmentTitle', { hash: d.commitment })} data-testid="draw-commitment">
          {t('room.draw.commitment', { hash: shortHash(d.commitment) })}
        </span>
      </p>
      {d.status === 'open' && d.eligibility_note && <p class="hint">{d.eligibility_note}</p>}

      {d.status === 'open' &&
        (entered ? (
          <p class="ok-text" data-testid="draw-entered">
            {t('room.draw.youAreIn')}
          </p>
        ) : me.user ? (
          <Button class="wide" busy={enter.busy} onClick={() => enter.run()} data-testid="draw-enter">
            {t('room.draw.enter')}
          </Button>
        ) : (
          <Link class="btn btn-primary wide" href={signInHref()}>
            {t('room.draw.signin')}
          </Link>
        ))}

      {d.status === 'drawn' && (
        <>
          <p class="draw-winners" data-testid="draw-winners">
            {winners.length === 0
              ? t('room.draw.nobody')
              : t('room.draw.winnersList', {
                  names: winners.map((w) => (w.user_id === me.user?.id ? t('room.draw.you') : w.name || t('room.draw.aViewer')) + (w.forfeited ? t('room.draw.unclaimed') : '')).join(t('room.listSep')),
                })}
          </p>
          <p class="small">
            <a href={selling.proofURL(d.id)} target="_blank" rel="noopener" data-testid="draw-verify">
              {t('room.draw.verify')}
            </a>{' '}
            <span class="muted">{t('room.draw.verifyHint')}</span>
          </p>
          {mine &&
            !mine.forfeited &&
            (orderID ? (
              <p class="ok-text" data-testid="draw-claimed">
                {t('room.draw.prizeClaimed')} · <Link href={`/orders/${orderID}`}>{t('room.seeOrder')}</Link>
              </p>
            ) : (
              <Button class="wide" busy={claim.busy} onClick={() => claim.run()} data-testid="draw-claim">
                {t('room.draw.claim')}
              </Button>
            ))}
        </>
      )}
      {d.status === 'cancelled' && <p class="muted">{t('room.draw.cancelled')}</p>}
      <FormError err={enter.error ?? claim.error} />
    </section>
  );
}
