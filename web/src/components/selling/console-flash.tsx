// The studio's flash sales: start one on a shelf SKU (price, stock, limit
// per buyer, countdown, duration) and watch each sale's stock go live,
// with End to stop it early (or cancel it during the countdown).
import { useEffect, useState } from 'preact/hooks';
import { selling } from '../../api';
import { minorToInput, money } from '../../format';
import { salePhase } from '../../live/selling';
import type { FlashSale } from '../../types';
import { Button, Card, FormError, StatusBadge, useAction } from '../../ui';
import { t } from '../../i18n';
import { firstInStock, minor, MoneyInput, NumberInput, roundedShare, SkuSelect, type SkuChoice, whole } from './console-kit';
import { StockBar } from './flash-sale';
import { Left, useServerNow } from './time';
import { tSlots } from '../../i18n/slots';

/** The sale price offered first: 20% off. */
function defaultPrice(c: SkuChoice | undefined): string {
  return c ? minorToInput(roundedShare(c.sku.price_minor, 0.8), c.sku.currency) : '';
}

export function FlashSaleConsole(p: { sessionID: string; choices: SkuChoice[]; sales: FlashSale[]; onSale: (s: FlashSale) => void; onStock: () => void; disabled: boolean }) {
  const [skuID, setSkuID] = useState('');
  const choice = p.choices.find((c) => c.sku.id === skuID) ?? firstInStock(p.choices);
  const [price, setPrice] = useState('');
  const [stock, setStock] = useState('10');
  const [limit, setLimit] = useState('1');
  const [countdown, setCountdown] = useState('10');
  const [duration, setDuration] = useState('120');
  const [window_, setWindow] = useState('300');
  // A new SKU starts with its own suggested price.
  useEffect(() => setPrice(defaultPrice(choice)), [choice?.sku.id]);

  const start = useAction(async () => {
    if (!choice) return;
    const sale = await selling.startSale(p.sessionID, {
      sku_id: choice.sku.id,
      price_minor: minor(price, choice.sku.currency, 'price_minor', t('studio.flash.price')),
      stock: whole(stock, 'stock', t('studio.flash.stock')),
      per_user_limit: whole(limit, 'per_user_limit', t('studio.flash.limit')),
      countdown_seconds: whole(countdown, 'countdown_seconds', t('studio.flash.countdown')),
      duration_seconds: whole(duration, 'duration_seconds', t('studio.flash.duration')),
      payment_window_seconds: whole(window_, 'payment_window_seconds', t('studio.flash.window')),
    });
    p.onSale(sale);
    p.onStock();
  });
  const err = start.error;
  return (
    <Card title={t('studio.flash.title')}>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          start.run();
        }}
      >
        <SkuSelect choices={p.choices} value={choice?.sku.id ?? ''} onChange={setSkuID} err={err} testid="flash-sku" />
        <div class="console-fields">
          <MoneyInput
            label={t('studio.flash.price')}
            name="price_minor"
            value={price}
            onInput={setPrice}
            err={err}
            hint={choice ? t('studio.flash.was', { price: money(choice.sku.price_minor, choice.sku.currency) }) : undefined}
            testid="flash-price-input"
          />
          <NumberInput label={t('studio.flash.stock')} name="stock" value={stock} onInput={setStock} err={err} min={1} max={choice?.sku.stock} testid="flash-stock-input" />
          <NumberInput label={t('studio.flash.limit')} name="per_user_limit" value={limit} onInput={setLimit} err={err} min={1} testid="flash-limit" />
          <NumberInput label={t('studio.flash.countdownS')} name="countdown_seconds" value={countdown} onInput={setCountdown} err={err} min={10} max={300} testid="flash-countdown-input" />
          <NumberInput label={t('studio.flash.durationS')} name="duration_seconds" value={duration} onInput={setDuration} err={err} min={10} max={3600} testid="flash-duration" />
          <NumberInput label={t('studio.flash.windowS')} name="payment_window_seconds" value={window_} onInput={setWindow} err={err} min={60} max={1800} testid="flash-window" />
        </div>
        <FormError err={err} fields={['sku_id', 'price_minor', 'stock', 'per_user_limit', 'countdown_seconds', 'duration_seconds', 'payment_window_seconds']} />
        <Button type="submit" busy={start.busy} disabled={p.disabled || !choice} data-testid="flash-start">
          {t('studio.flash.start')}
        </Button>
      </form>
      {p.sales.length > 0 && (
        <ul class="console-list">
          {[...p.sales].reverse().map((s) => (
            <SaleRow key={s.id} s={s} onSale={p.onSale} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function SaleRow({ s, onSale }: { s: FlashSale; onSale: (s: FlashSale) => void }) {
  const now = useServerNow(500);
  const phase = salePhase(s, now);
  const end = useAction(async () => {
    if (!confirm(s.status === 'scheduled' ? t('studio.flash.cancelConfirm') : t('studio.flash.endConfirm'))) return;
    onSale(await selling.endSale(s.id));
  });
  const active = s.status === 'scheduled' || s.status === 'running';
  return (
    <li class="console-row" data-testid="console-sale" data-sale-id={s.id} data-status={s.status}>
      <div class="console-row-head">
        <b class="grow">{s.title}</b>
        <StatusBadge status={s.status} />
      </div>
      <p class="muted small">
        {t('studio.flash.row', { price: money(s.price_minor, s.currency), was: money(s.original_price_minor, s.currency), sold: s.sold })}
        {phase === 'countdown' && (
          <>
            {' · '}
            {tSlots('studio.flash.startsIn', { left: <Left iso={s.starts_at} now={now} /> })}
          </>
        )}
        {phase === 'open' && (
          <>
            {' · '}
            {tSlots('studio.flash.endsIn', { left: <Left iso={s.ends_at} now={now} /> })}
          </>
        )}
      </p>
      <StockBar remaining={s.remaining} stock={s.stock} testid="console-sale-stock" />
      {active && (
        <Button kind="danger" class="small" busy={end.busy} onClick={() => end.run()} data-testid="console-sale-end">
          {s.status === 'scheduled' ? t('studio.flash.cancel') : t('studio.flash.endNow')}
        </Button>
      )}
      <FormError err={end.error} />
    </li>
  );
}
