// The studio's lucky draws and auctions: start one on a shelf SKU and
// follow it live (entrants and winners; price, leader and time left).
import { useEffect, useState } from 'preact/hooks';
import { selling } from '../../api';
import { minorToInput, money } from '../../format';
import { shortHash } from '../../live/selling';
import type { Auction, Draw, DrawEligibility } from '../../types';
import { Button, Card, Field, FormError, StatusBadge, useAction, usePoll, val } from '../../ui';
import { t } from '../../i18n';
import { firstInStock, minor, MoneyInput, NumberInput, roundedShare, SkuSelect, type SkuChoice, whole } from './console-kit';
import { Left, useServerNow } from './time';
import { tSlots } from '../../i18n/slots';

/** eligibility lists who may enter a draw, named in the current language. */
function eligibility(): [DrawEligibility, string][] {
  return [
    ['anyone', t('studio.draw.elig.anyone')],
    ['followers', t('studio.draw.elig.followers')],
    ['keyword', t('studio.draw.elig.keyword')],
    ['buyers', t('studio.draw.elig.buyers')],
  ];
}

export function DrawConsole(p: { sessionID: string; choices: SkuChoice[]; draws: Draw[]; onDraw: (d: Draw) => void; onStock: () => void; disabled: boolean }) {
  const [skuID, setSkuID] = useState('');
  const choice = p.choices.find((c) => c.sku.id === skuID) ?? firstInStock(p.choices);
  const [title, setTitle] = useState(() => t('studio.draw.defaultTitle'));
  const [quantity, setQuantity] = useState('1');
  const [winners, setWinners] = useState('1');
  const [elig, setElig] = useState<DrawEligibility>('anyone');
  const [keyword, setKeyword] = useState('');
  const [countdown, setCountdown] = useState('60');
  const start = useAction(async () => {
    if (!choice) return;
    p.onDraw(
      await selling.startDraw(p.sessionID, {
        title: title.trim(),
        sku_id: choice.sku.id,
        quantity: whole(quantity, 'quantity', t('studio.draw.quantity')),
        winners: whole(winners, 'winners', t('studio.draw.winners')),
        eligibility: elig,
        keyword: elig === 'keyword' ? keyword.trim() : undefined,
        countdown_seconds: whole(countdown, 'countdown_seconds', t('studio.draw.countdown')),
      }),
    );
    p.onStock();
  });
  const err = start.error;
  return (
    <Card title={t('studio.draw.title')}>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          start.run();
        }}
      >
        <Field label={t('studio.draw.name')} name="title" err={err}>
          <input value={title} maxLength={100} onInput={(e) => setTitle(val(e))} data-testid="draw-title" required />
        </Field>
        <SkuSelect choices={p.choices} value={choice?.sku.id ?? ''} onChange={setSkuID} err={err} testid="draw-sku" />
        <div class="console-fields">
          <NumberInput label={t('studio.draw.perWinner')} name="quantity" value={quantity} onInput={setQuantity} err={err} min={1} testid="draw-quantity" />
          <NumberInput label={t('studio.draw.winners')} name="winners" value={winners} onInput={setWinners} err={err} min={1} max={100} testid="draw-winners-input" />
          <NumberInput label={t('studio.draw.countdownS')} name="countdown_seconds" value={countdown} onInput={setCountdown} err={err} min={10} max={600} testid="draw-countdown" />
          <Field label={t('studio.draw.who')} name="eligibility" err={err}>
            <select value={elig} onChange={(e) => setElig((e.currentTarget as HTMLSelectElement).value as DrawEligibility)} data-testid="draw-eligibility">
              {eligibility().map(([v, text]) => (
                <option key={v} value={v}>
                  {text}
                </option>
              ))}
            </select>
          </Field>
          {elig === 'keyword' && (
            <Field label={t('studio.draw.keyword')} name="keyword" err={err}>
              <input value={keyword} maxLength={40} onInput={(e) => setKeyword(val(e))} data-testid="draw-keyword" required />
            </Field>
          )}
        </div>
        <FormError err={err} fields={['title', 'sku_id', 'quantity', 'winners', 'countdown_seconds', 'eligibility', 'keyword']} />
        <Button type="submit" kind="secondary" busy={start.busy} disabled={p.disabled || !choice} data-testid="draw-start">
          {t('studio.draw.start')}
        </Button>
      </form>
      {p.draws.length > 0 && (
        <ul class="console-list">
          {[...p.draws].reverse().map((d) => (
            <DrawRow key={d.id} d={d} onDraw={p.onDraw} />
          ))}
        </ul>
      )}
    </Card>
  );
}

/** Entries raise no room event: an open draw's row re-reads it for the entrant count. */
const DRAW_REFRESH_MS = 3000;

function DrawRow({ d, onDraw }: { d: Draw; onDraw: (d: Draw) => void }) {
  const now = useServerNow(1000);
  const draw = useAction(async () => onDraw(await selling.drawNow(d.id)));
  usePoll(
    () => {
      selling.getDraw(d.id).then((x) => x.entrants !== d.entrants && x.status === d.status && onDraw(x), () => undefined);
    },
    DRAW_REFRESH_MS,
    d.status === 'open',
  );
  const winners = d.winners ?? [];
  return (
    <li class="console-row" data-testid="console-draw" data-draw-id={d.id} data-status={d.status}>
      <div class="console-row-head">
        <b class="grow">{d.title}</b>
        <StatusBadge status={d.status} />
      </div>
      <p class="muted small">
        {tSlots('studio.draw.entered', { n: <span data-testid="console-draw-entrants">{d.entrants}</span> })}
        {d.status === 'open' && (
          <>
            {' · '}
            {tSlots('studio.draw.drawsIn', { left: <Left iso={d.ends_at} now={now} over={t('studio.draw.now')} /> })}
          </>
        )}
        {' · '}
        <span class="mono" title={d.commitment}>
          {t('studio.draw.commitment', { hash: shortHash(d.commitment) })}
        </span>
      </p>
      {d.status === 'drawn' && <p class="small">{t('studio.draw.winnerList', { names: winners.length ? winners.map((w) => w.name || w.user_id).join(t('studio.list.sep')) : t('studio.draw.nobody') })}</p>}
      {d.status === 'open' && (
        <Button class="small" busy={draw.busy} onClick={() => draw.run()} data-testid="draw-now">
          {t('studio.draw.drawNow')}
        </Button>
      )}
      <FormError err={draw.error} />
    </li>
  );
}

export function AuctionConsole(p: { sessionID: string; choices: SkuChoice[]; auctions: Auction[]; onAuction: (a: Auction) => void; onStock: () => void; disabled: boolean }) {
  const [skuID, setSkuID] = useState('');
  const choice = p.choices.find((c) => c.sku.id === skuID) ?? firstInStock(p.choices);
  const currency = choice?.sku.currency ?? 'CNY';
  const [startPrice, setStartPrice] = useState('');
  const [increment, setIncrement] = useState(minorToInput(100, currency));
  const [duration, setDuration] = useState('60');
  useEffect(() => setStartPrice(choice ? minorToInput(roundedShare(choice.sku.price_minor, 0.5), currency) : ''), [choice?.sku.id]);
  const start = useAction(async () => {
    if (!choice) return;
    p.onAuction(
      await selling.startAuction(p.sessionID, {
        sku_id: choice.sku.id,
        start_price_minor: minor(startPrice, currency, 'start_price_minor', t('studio.auction.startPrice')),
        min_increment_minor: minor(increment, currency, 'min_increment_minor', t('studio.auction.increment')),
        duration_seconds: whole(duration, 'duration_seconds', t('studio.auction.duration')),
      }),
    );
    p.onStock();
  });
  const err = start.error;
  return (
    <Card title={t('studio.auction.title')}>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          start.run();
        }}
      >
        <SkuSelect choices={p.choices} value={choice?.sku.id ?? ''} onChange={setSkuID} err={err} testid="auction-sku" />
        <div class="console-fields">
          <MoneyInput label={t('studio.auction.startPrice')} name="start_price_minor" value={startPrice} onInput={setStartPrice} err={err} testid="auction-start-price" />
          <MoneyInput label={t('studio.auction.increment')} name="min_increment_minor" value={increment} onInput={setIncrement} err={err} testid="auction-increment" />
          <NumberInput label={t('studio.auction.durationS')} name="duration_seconds" value={duration} onInput={setDuration} err={err} min={10} max={3600} hint={t('studio.auction.durationHint')} testid="auction-duration" />
        </div>
        <FormError err={err} fields={['sku_id', 'start_price_minor', 'min_increment_minor', 'duration_seconds']} />
        <Button type="submit" kind="secondary" busy={start.busy} disabled={p.disabled || !choice} data-testid="auction-start">
          {t('studio.auction.start')}
        </Button>
      </form>
      {p.auctions.length > 0 && (
        <ul class="console-list">
          {[...p.auctions].reverse().map((a) => (
            <AuctionRow key={a.id} a={a} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function AuctionRow({ a }: { a: Auction }) {
  const now = useServerNow(500);
  return (
    <li class="console-row" data-testid="console-auction" data-auction-id={a.id} data-status={a.status} data-bids={a.bids}>
      <div class="console-row-head">
        <b class="grow">{a.title}</b>
        <StatusBadge status={a.status} />
      </div>
      <p class="small">
        <b data-testid="console-auction-price">{money(a.bids > 0 ? a.current_price_minor : a.start_price_minor, a.currency)}</b>
        <span class="muted">
          {' · '}
          <span data-testid="console-auction-leader">{a.bids > 0 ? t('studio.auction.leads', { name: a.leader_name || t('studio.auction.aBidder') }) : t('studio.auction.noBids')}</span>
          {' · '}
          {t(a.bids === 1 ? 'studio.auction.bids.one' : 'studio.auction.bids.other', { n: a.bids })}
          {a.status === 'running' && (
            <>
              {' · '}
              {tSlots('studio.auction.left', { left: <Left iso={a.ends_at} now={now} over={t('studio.auction.closing')} /> })}
            </>
          )}
        </span>
      </p>
    </li>
  );
}
