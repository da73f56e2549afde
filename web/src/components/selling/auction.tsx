// An auction in the room: the current price and leader, the time left
// (a late bid extends it, and the panel says so), one-tap bids at the next
// minimum and above, and a max bid for proxy bidding. The winner pays from
// here once it ends.
import { useEffect, useRef, useState } from 'preact/hooks';
import { newIdempotencyKey, selling } from '../../api';
import { minorToInput, money, parseMoney } from '../../format';
import { t } from '../../i18n';
import { quickBids, nextMinBid } from '../../live/selling';
import { Link } from '../../router';
import { useSession } from '../../session';
import type { Auction } from '../../types';
import { Button, FormError, useAction, val } from '../../ui';

import { payOrder, signInHref } from './buy';
import { Left, secondsLeft, useServerNow } from './time';
import { fillSlots } from '../../i18n/slots';

/** useExtension remembers the first end time seen and says by how much the end has moved since. */
function useExtension(a: Auction): number {
  const first = useRef(a.ends_at);
  useEffect(() => {
    first.current = first.current || a.ends_at;
  }, [a.id]);
  const ms = new Date(a.ends_at).getTime() - new Date(first.current).getTime();
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms / 1000) : 0;
}

export function AuctionPanel({ a, onChange }: { a: Auction; onChange: (a: Auction) => void }) {
  const me = useSession().me;
  const now = useServerNow(250);
  const extended = useExtension(a);
  const [max, setMax] = useState('');
  const [lead, setLead] = useState<boolean | null>(null); // what the last bid's answer said
  const leaderAtBid = useRef('');
  // One key per amount, so a retry after a lost answer does not bid twice.
  const attempt = useRef<{ amount: number; key: string } | null>(null);

  const bid = useAction(async (amount: number) => {
    if (!attempt.current || attempt.current.amount !== amount) attempt.current = { amount, key: newIdempotencyKey() };
    const res = await selling.bid(a.id, amount, attempt.current.key);
    attempt.current = null;
    leaderAtBid.current = res.auction.leader_name ?? '';
    setLead(res.you_lead);
    onChange(res.auction);
  });
  const pay = useAction(async () => {
    if (a.order_id) await payOrder(a.order_id);
  });

  // Someone else took the lead since our bid.
  const outbid = lead === true && !!a.leader_name && a.leader_name !== leaderAtBid.current;
  const leading = lead === true && !outbid;
  const running = a.status === 'running';
  const won = !running && !!me.user && a.winner_user_id === me.user.id;
  const min = nextMinBid(a);
  const typed = parseMoney(max, a.currency);

  return (
    <section class="auction-panel" data-testid="auction" data-auction-id={a.id} data-status={a.status}>
      <header class="selling-head">
        <span class="selling-tag auction-tag">{t('room.auction.tag')}</span>
        <span class="selling-title grow">{a.title}</span>
        {running && (
          <span class="muted small">
            {fillSlots(t(secondsLeft(a.ends_at, now) > 0 ? 'room.timeLeft' : 'room.auction.closingLeft'), {
              time: <Left iso={a.ends_at} now={now} over={t('room.auction.closing')} testid="auction-left" />,
            })}
            {extended > 0 && (
              <span class="auction-extended" data-testid="auction-extended">
                {' '}
                +{extended}s
              </span>
            )}
          </span>
        )}
      </header>
      <div class="auction-now">
        <b class="auction-price" data-testid="auction-price" data-minor={a.current_price_minor}>
          {money(a.bids > 0 ? a.current_price_minor : a.start_price_minor, a.currency)}
        </b>
        <span class="muted small" data-testid="auction-leader">
          {a.bids > 0 ? t(a.bids === 1 ? 'room.auction.leads.one' : 'room.auction.leads.other', { name: a.leader_name || t('room.auction.aBidder'), n: a.bids }) : t('room.auction.noBids')}
        </span>
      </div>

      {running && leading && (
        <p class="ok-text" data-testid="auction-you-lead">
          {t('room.auction.youLead')}
        </p>
      )}
      {running && (outbid || lead === false) && (
        <p class="warn" data-testid="auction-outbid">
          {t('room.auction.outbid', { amount: money(min, a.currency) })}
        </p>
      )}

      {running &&
        (me.user ? (
          <>
            <div class="auction-bids">
              {quickBids(a).map((amount) => (
                <Button key={amount} kind={amount === min ? 'primary' : 'secondary'} class="small" busy={bid.busy && attempt.current?.amount === amount} disabled={bid.busy} onClick={() => bid.run(amount)} data-testid="auction-quick-bid">
                  {money(amount, a.currency)}
                </Button>
              ))}
            </div>
            <form
              class="auction-max"
              onSubmit={(e) => {
                e.preventDefault();
                if (typed !== null) bid.run(typed);
              }}
            >
              <input
                inputMode="decimal"
                placeholder={t('room.auction.maxPlaceholder', { amount: minorToInput(min, a.currency) })}
                aria-label={t('room.auction.maxLabel')}
                value={max}
                onInput={(e) => setMax(val(e))}
                data-testid="auction-max"
              />
              <Button type="submit" kind="secondary" class="small" disabled={typed === null || bid.busy} data-testid="auction-max-bid">
                {t('room.auction.setMax')}
              </Button>
            </form>
            <p class="hint">{t('room.auction.proxyHint', { step: money(a.min_increment_minor, a.currency) })}</p>
          </>
        ) : (
          <Link class="btn btn-primary wide" href={signInHref()}>
            {t('room.auction.signin')}
          </Link>
        ))}

      {!running && (
        <p data-testid="auction-result">
          {won ? (
            <>
              <b>{t('room.auction.won', { price: money(a.current_price_minor, a.currency) })}</b>{' '}
              {a.order_id && (
                <Button class="small" busy={pay.busy} onClick={() => pay.run()} data-testid="auction-pay">
                  {t('room.auction.pay')}
                </Button>
              )}
            </>
          ) : a.bids > 0 ? (
            t('room.auction.sold', { name: a.leader_name || t('room.auction.aBidder'), price: money(a.current_price_minor, a.currency) })
          ) : (
            t('room.auction.noSale')
          )}
        </p>
      )}
      <FormError err={bid.error ?? pay.error} />
    </section>
  );
}
