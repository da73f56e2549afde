// The studio's lucky draws and auctions: start one on a shelf SKU and
// follow it live (entrants and winners; price, leader and time left).
import { useEffect, useState } from 'preact/hooks';
import { selling } from '../../api';
import { minorToInput, money } from '../../format';
import { shortHash } from '../../live/selling';
import type { Auction, Draw, DrawEligibility } from '../../types';
import { Button, Card, Field, FormError, StatusBadge, useAction, usePoll, val } from '../../ui';
import { firstInStock, minor, MoneyInput, NumberInput, roundedShare, SkuSelect, type SkuChoice, whole } from './console-kit';
import { Left, useServerNow } from './time';

const ELIGIBILITY: [DrawEligibility, string][] = [
  ['anyone', 'Anyone signed in'],
  ['followers', 'Followers of the shop'],
  ['keyword', 'Viewers who sent a keyword in the chat'],
  ['buyers', 'Viewers who bought in this live'],
];

export function DrawConsole(p: { sessionID: string; choices: SkuChoice[]; draws: Draw[]; onDraw: (d: Draw) => void; onStock: () => void; disabled: boolean }) {
  const [skuID, setSkuID] = useState('');
  const choice = p.choices.find((c) => c.sku.id === skuID) ?? firstInStock(p.choices);
  const [title, setTitle] = useState('Lucky draw');
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
        quantity: whole(quantity, 'quantity', 'Quantity'),
        winners: whole(winners, 'winners', 'Winners'),
        eligibility: elig,
        keyword: elig === 'keyword' ? keyword.trim() : undefined,
        countdown_seconds: whole(countdown, 'countdown_seconds', 'Countdown'),
      }),
    );
    p.onStock();
  });
  const err = start.error;
  return (
    <Card title="Lucky draw">
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          start.run();
        }}
      >
        <Field label="Title" name="title" err={err}>
          <input value={title} maxLength={100} onInput={(e) => setTitle(val(e))} data-testid="draw-title" required />
        </Field>
        <SkuSelect choices={p.choices} value={choice?.sku.id ?? ''} onChange={setSkuID} err={err} testid="draw-sku" />
        <div class="console-fields">
          <NumberInput label="Per winner" name="quantity" value={quantity} onInput={setQuantity} err={err} min={1} testid="draw-quantity" />
          <NumberInput label="Winners" name="winners" value={winners} onInput={setWinners} err={err} min={1} max={100} testid="draw-winners-input" />
          <NumberInput label="Countdown (s)" name="countdown_seconds" value={countdown} onInput={setCountdown} err={err} min={10} max={600} testid="draw-countdown" />
          <Field label="Who may enter" name="eligibility" err={err}>
            <select value={elig} onChange={(e) => setElig((e.currentTarget as HTMLSelectElement).value as DrawEligibility)} data-testid="draw-eligibility">
              {ELIGIBILITY.map(([v, t]) => (
                <option key={v} value={v}>
                  {t}
                </option>
              ))}
            </select>
          </Field>
          {elig === 'keyword' && (
            <Field label="Keyword" name="keyword" err={err}>
              <input value={keyword} maxLength={40} onInput={(e) => setKeyword(val(e))} data-testid="draw-keyword" required />
            </Field>
          )}
        </div>
        <FormError err={err} fields={['title', 'sku_id', 'quantity', 'winners', 'countdown_seconds', 'eligibility', 'keyword']} />
        <Button type="submit" kind="secondary" busy={start.busy} disabled={p.disabled || !choice} data-testid="draw-start">
          Start the draw
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
        <span data-testid="console-draw-entrants">{d.entrants}</span> entered
        {d.status === 'open' && (
          <>
            {' · draws in '}
            <Left iso={d.ends_at} now={now} over="now" />
          </>
        )}
        {' · '}
        <span class="mono" title={d.commitment}>
          commitment {shortHash(d.commitment)}
        </span>
      </p>
      {d.status === 'drawn' && <p class="small">Winners: {winners.length ? winners.map((w) => w.name || w.user_id).join(', ') : 'nobody entered'}</p>}
      {d.status === 'open' && (
        <Button class="small" busy={draw.busy} onClick={() => draw.run()} data-testid="draw-now">
          Draw now
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
        start_price_minor: minor(startPrice, currency, 'start_price_minor', 'Starting price'),
        min_increment_minor: minor(increment, currency, 'min_increment_minor', 'Increment'),
        duration_seconds: whole(duration, 'duration_seconds', 'Duration'),
      }),
    );
    p.onStock();
  });
  const err = start.error;
  return (
    <Card title="Auction">
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          start.run();
        }}
      >
        <SkuSelect choices={p.choices} value={choice?.sku.id ?? ''} onChange={setSkuID} err={err} testid="auction-sku" />
        <div class="console-fields">
          <MoneyInput label="Starting price" name="start_price_minor" value={startPrice} onInput={setStartPrice} err={err} testid="auction-start-price" />
          <MoneyInput label="Increment" name="min_increment_minor" value={increment} onInput={setIncrement} err={err} testid="auction-increment" />
          <NumberInput label="Duration (s)" name="duration_seconds" value={duration} onInput={setDuration} err={err} min={10} max={3600} hint="A bid in the last 10 s adds 10 s." testid="auction-duration" />
        </div>
        <FormError err={err} fields={['sku_id', 'start_price_minor', 'min_increment_minor', 'duration_seconds']} />
        <Button type="submit" kind="secondary" busy={start.busy} disabled={p.disabled || !choice} data-testid="auction-start">
          Start the auction
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
          <span data-testid="console-auction-leader">{a.bids > 0 ? `${a.leader_name || 'a bidder'} leads` : 'no bids yet'}</span> · {a.bids} bid{a.bids === 1 ? '' : 's'}
          {a.status === 'running' && (
            <>
              {' · '}
              <Left iso={a.ends_at} now={now} over="closing…" /> left
            </>
          )}
        </span>
      </p>
    </li>
  );
}
