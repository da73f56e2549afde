// The studio's coupons: create one for the shop, drop it in the room for a
// grab window, and watch how many viewers grabbed it.
import { useState } from 'preact/hooks';
import { selling } from '../../api';
import { minorToInput } from '../../format';
import { couponOpen } from '../../live/selling';
import type { Coupon } from '../../types';
import { Button, Card, Field, FormError, Loaded, StatusBadge, useAction, useAsync, val } from '../../ui';
import { t } from '../../i18n';
import { minor, MoneyInput, NumberInput, whole } from './console-kit';
import { couponLabel } from './coupon';
import { Left, useServerNow } from './time';
import { tSlots } from '../../i18n/slots';

/** inAWeek is the default end of validity, as a datetime-local value in local time. */
function inAWeek(): string {
  const d = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function CouponConsole(p: { sessionID: string; shopID: string; currency: string; live: Coupon[]; onDrop: (c: Coupon) => void; disabled: boolean }) {
  const list = useAsync((signal) => selling.shopCoupons(p.shopID, signal), [p.shopID]);
  const [title, setTitle] = useState(() => t('studio.coupon.defaultTitle'));
  const [kind, setKind] = useState<'amount' | 'percent'>('amount');
  const [amount, setAmount] = useState(minorToInput(500, p.currency));
  const [pct, setPct] = useState('10');
  const [minSpend, setMinSpend] = useState('0');
  const [until, setUntil] = useState(inAWeek);
  const [total, setTotal] = useState('100');
  const [perUser, setPerUser] = useState('1');
  const [grab, setGrab] = useState('60');

  const create = useAction(async () => {
    const end = new Date(until);
    await selling.createCoupon(p.shopID, {
      title: title.trim(),
      kind,
      amount_off_minor: kind === 'amount' ? minor(amount, p.currency, 'amount_off_minor', t('studio.coupon.amountOff')) : undefined,
      percent_off: kind === 'percent' ? whole(pct, 'percent_off', t('studio.coupon.percentOff')) : undefined,
      min_spend_minor: minor(minSpend || '0', p.currency, 'min_spend_minor', t('studio.coupon.minSpend')),
      currency: p.currency,
      valid_until: Number.isNaN(end.getTime()) ? until : end.toISOString(),
      total_limit: whole(total, 'total_limit', t('studio.coupon.total')),
      per_user_limit: whole(perUser, 'per_user_limit', t('studio.coupon.perUser')),
    });
    list.reload();
  });
  const err = create.error;
  // The room's events carry the live count of grabs.
  const live = new Map(p.live.map((c) => [c.id, c]));
  return (
    <Card title={t('studio.coupon.title')}>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          create.run();
        }}
      >
        <Field label={t('studio.coupon.name')} name="title" err={err}>
          <input value={title} maxLength={100} onInput={(e) => setTitle(val(e))} data-testid="coupon-title" required />
        </Field>
        <div class="console-fields">
          <Field label={t('studio.coupon.kind')} name="kind" err={err}>
            <select value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as 'amount' | 'percent')} data-testid="coupon-kind">
              <option value="amount">{t('studio.coupon.amountOff')}</option>
              <option value="percent">{t('studio.coupon.percentOff')}</option>
            </select>
          </Field>
          {kind === 'amount' ? (
            <MoneyInput label={t('studio.coupon.amountOff')} name="amount_off_minor" value={amount} onInput={setAmount} err={err} testid="coupon-amount" />
          ) : (
            <NumberInput label={t('studio.coupon.percentOff')} name="percent_off" value={pct} onInput={setPct} err={err} min={1} max={90} testid="coupon-percent" />
          )}
          <MoneyInput label={t('studio.coupon.minSpend')} name="min_spend_minor" value={minSpend} onInput={setMinSpend} err={err} testid="coupon-min-spend" />
          <NumberInput label={t('studio.coupon.total')} name="total_limit" value={total} onInput={setTotal} err={err} min={1} testid="coupon-total" />
          <NumberInput label={t('studio.coupon.perUser')} name="per_user_limit" value={perUser} onInput={setPerUser} err={err} min={1} testid="coupon-per-user" />
          <Field label={t('studio.coupon.validUntil')} name="valid_until" err={err}>
            <input type="datetime-local" value={until} onInput={(e) => setUntil(val(e))} data-testid="coupon-until" />
          </Field>
        </div>
        <FormError err={err} fields={['title', 'kind', 'amount_off_minor', 'percent_off', 'min_spend_minor', 'total_limit', 'per_user_limit', 'valid_until']} />
        <Button type="submit" kind="secondary" busy={create.busy} data-testid="coupon-create">
          {t('studio.coupon.create')}
        </Button>
      </form>

      <div class="console-drop">
        <h3 class="sub-title grow">{t('studio.coupon.dropTitle')}</h3>
        <NumberInput label={t('studio.coupon.grabSeconds')} name="grab_seconds" value={grab} onInput={setGrab} err={null} min={10} max={600} testid="coupon-grab-seconds" />
      </div>
      <Loaded a={list}>
        {(pg) =>
          pg.items.length === 0 ? (
            <p class="muted small">{t('studio.coupon.none')}</p>
          ) : (
            <ul class="console-list">
              {pg.items.map((c) => (
                <CouponRow key={c.id} c={{ ...c, ...(live.get(c.id) ?? {}) }} sessionID={p.sessionID} grab={grab} disabled={p.disabled} onDrop={(d) => { p.onDrop(d); list.reload(); }} />
              ))}
            </ul>
          )
        }
      </Loaded>
    </Card>
  );
}

function CouponRow(p: { c: Coupon; sessionID: string; grab: string; disabled: boolean; onDrop: (c: Coupon) => void }) {
  const { c } = p;
  const now = useServerNow(1000);
  const drop = useAction(async () => p.onDrop(await selling.dropCoupon(p.sessionID, c.id, whole(p.grab, 'grab_seconds', t('studio.coupon.grabWindowName')))));
  const open = couponOpen(c, now);
  return (
    <li class="console-row" data-testid="console-coupon" data-coupon-id={c.id} data-title={c.title}>
      <div class="console-row-head">
        <b class="grow">{c.title}</b>
        <StatusBadge status={c.status} />
      </div>
      <p class="muted small">
        {tSlots('studio.coupon.claimed', { label: couponLabel(c), claimed: <span data-testid="console-coupon-claimed">{c.claimed}</span>, total: c.total_limit })}
        {open && (
          <>
            {' · '}
            {tSlots('studio.coupon.grabWindow', { left: <Left iso={c.grab_ends_at} now={now} /> })}
          </>
        )}
      </p>
      <Button class="small" busy={drop.busy} disabled={p.disabled || open} onClick={() => drop.run()} data-testid="coupon-drop">
        {open ? t('studio.coupon.inRoom') : t('studio.coupon.drop')}
      </Button>
      <FormError err={drop.error} />
    </li>
  );
}
