// The flash-sale panel: a countdown to the start, then Grab at the sale
// price with the stock left (live from `sale.stock`). Grab reserves one
// unit (with an Idempotency-Key kept for retries), orders the reservation
// to the saved default address and leaves for the pay page; the
// reservation's own countdown shows how long the unit stays held.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, selling } from '../../api';
import { money } from '../../format';
import { t } from '../../i18n';
import { salePhase } from '../../live/selling';
import { Link } from '../../router';
import { useSession } from '../../session';
import type { Address, FlashSale, LiveSession, Reservation } from '../../types';
import { Button, FormError, useAction } from '../../ui';
import { AddressForm, addressFieldNames } from '../checkout';

import { attribution, forgetKey, keptKey, payOrder, placeAndPay, saveAddress, signInHref, useAddresses, useTrack } from './buy';
import { Left, secondsLeft, useServerNow } from './time';
import { fillSlots } from '../../i18n/slots';

const emptyAddress: Address = { name: '', phone: '', line1: '', line2: '', city: '', region: '', postcode: '', country: 'CN' };

/** StockBar shows what is left of a fixed stock. */
export function StockBar({ remaining, stock, testid }: { remaining: number; stock: number; testid: string }) {
  const left = Math.max(0, remaining);
  const pct = stock > 0 ? Math.min(100, (left / stock) * 100) : 0;
  return (
    <div class="stockbar" data-testid={testid} data-remaining={left} data-stock={stock}>
      <div class="stockbar-track" role="progressbar" aria-valuemin={0} aria-valuemax={stock} aria-valuenow={left}>
        <div class={left === 0 ? 'stockbar-fill empty' : pct <= 25 ? 'stockbar-fill low' : 'stockbar-fill'} style={{ width: `${pct}%` }} />
      </div>
      <span class="stockbar-text">{left === 0 ? t('room.flash.noneLeft') : t('room.flash.leftOf', { n: left, stock })}</span>
    </div>
  );
}

/** percentOff is the discount of a sale price on the original, rounded. */
export function percentOff(price: number, original: number): number {
  return original > 0 ? Math.round((1 - price / original) * 100) : 0;
}

export function FlashSalePanel({ session, sale }: { session: LiveSession; sale: FlashSale }) {
  const me = useSession().me;
  const now = useServerNow(250);
  const phase = salePhase(sale, now);
  const track = useTrack(session.id);
  const addrs = useAddresses(!!me.user);
  const [res, setRes] = useState<Reservation | null>(null);
  const [addr, setAddr] = useState<Address>(emptyAddress);

  // A reservation made before a reload (or on another tab) is still the viewer's to pay.
  useEffect(() => {
    if (!me.user) return;
    const ctl = new AbortController();
    selling.myReservations(sale.id, ctl.signal).then(
      (p) => {
        const r = p.items.find((x) => x.status === 'held') ?? p.items.find((x) => x.status === 'paid');
        if (r) setRes(r);
      },
      () => undefined,
    );
    return () => ctl.abort();
  }, [sale.id, me.user?.id]);

  /** order places the order for a held reservation and leaves for the pay page. */
  const order = async (r: Reservation) => {
    if (r.order_id) {
      await payOrder(r.order_id);
      return;
    }
    let addressID = addrs.preferred?.id ?? '';
    if (!addressID) {
      addressID = await saveAddress(addr);
      addrs.reload();
    }
    await placeAndPay({ reservation_id: r.id, address_id: addressID, attribution: attribution(session) }, `flash-${r.id}-${addressID}`);
  };

  const grab = useAction(async () => {
    track('buy_click', sale.product_id);
    const name = `grab.${sale.id}`;
    let r: Reservation;
    try {
      r = await selling.reserve(sale.id, 1, keptKey(name));
    } catch (e) {
      // A refusal is final for this key; a lost answer is retried with it.
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) forgetKey(name);
      throw e;
    }
    forgetKey(name);
    setRes(r);
    // Without a saved address the panel asks for one first.
    if (addrs.preferred) await order(r);
  });
  const pay = useAction(async () => {
    if (res) await order(res);
  });

  const held = res?.status === 'held' && secondsLeft(res.expires_at, now) > 0 ? res : null;
  const expired = res?.status === 'held' && !held;
  const off = percentOff(sale.price_minor, sale.original_price_minor);
  return (
    <section class={`flash-sale phase-${phase}`} data-testid="flash-sale" data-sale-id={sale.id} data-phase={phase}>
      <header class="selling-head">
        <span class="selling-tag flash-tag">{t('room.flash.tag')}</span>
        <span class="selling-title grow">{sale.title}</span>
        {phase === 'open' && (
          <span class="muted small">
            {fillSlots(t('room.flash.endsIn'), { time: <Left iso={sale.ends_at} now={now} testid="flash-ends" /> })}
          </span>
        )}
      </header>
      <div class="flash-prices">
        <b class="flash-price" data-testid="flash-price">
          {money(sale.price_minor, sale.currency)}
        </b>
        {sale.original_price_minor > sale.price_minor && (
          <>
            <s class="muted" data-testid="flash-original">
              {money(sale.original_price_minor, sale.currency)}
            </s>
            {off > 0 && <span class="flash-off">−{off}%</span>}
          </>
        )}
      </div>
      <StockBar remaining={sale.remaining} stock={sale.stock} testid="flash-stock" />

      {held ? (
        <div class="flash-reservation" data-testid="flash-reservation" data-reservation-id={held.id}>
          <p>
            <b>{t('room.flash.yours')}</b> {fillSlots(t('room.flash.held'), { time: <Left iso={held.expires_at} now={now} testid="reservation-left" /> })}
          </p>
          {!addrs.preferred && !held.order_id && <AddressForm value={addr} onChange={setAddr} err={pay.error ?? grab.error} />}
          <Button class="wide" busy={pay.busy || grab.busy} onClick={() => pay.run()} data-testid="flash-pay">
            {t('room.flash.pay', { amount: money(held.price_minor * held.quantity, held.currency) })}
          </Button>
        </div>
      ) : res?.status === 'paid' ? (
        <p class="flash-done" data-testid="flash-paid">
          {t('room.flash.paid')}
          {res.order_id && (
            <>
              {' '}
              <Link href={`/orders/${res.order_id}`}>{t('room.seeOrder')}</Link>
            </>
          )}
        </p>
      ) : phase === 'countdown' ? (
        <button type="button" class="btn btn-secondary wide big flash-wait" disabled data-testid="flash-countdown">
          {fillSlots(t('room.flash.startsIn'), { time: <Left iso={sale.starts_at} now={now} /> })}
        </button>
      ) : phase === 'sold_out' ? (
        <button type="button" class="btn btn-secondary wide big" disabled data-testid="flash-sold-out">
          {t('room.soldOut')}
        </button>
      ) : phase === 'over' ? (
        <p class="muted" data-testid="flash-over">
          {t('room.flash.over')}
        </p>
      ) : me.user ? (
        <Button class="wide big flash-grab" busy={grab.busy} onClick={() => grab.run()} data-testid="flash-grab">
          {t('room.flash.grab', { price: money(sale.price_minor, sale.currency) })}
        </Button>
      ) : (
        <Link class="btn btn-primary wide big" href={signInHref()} data-testid="flash-signin">
          {t('room.flash.signin')}
        </Link>
      )}
      {expired && <p class="muted small">{t('room.flash.expired')}</p>}
      <FormError err={grab.error ?? pay.error} fields={!addrs.preferred ? addressFieldNames() : []} />
      {sale.per_user_limit > 0 && phase !== 'over' && <p class="hint">{t('room.flash.limit', { n: sale.per_user_limit })}</p>}
    </section>
  );
}
