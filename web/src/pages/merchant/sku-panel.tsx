// One SKU in the merchant's product page: price and attributes, an audited
// stock adjustment with a note, and the movements audit trail.
import { useState } from 'preact/hooks';
import { ApiError, api, list } from '../../api';
import { attrs, attrsToInput, dateTime, minorToInput, money, parseAttrs, parseMoney } from '../../format';
import { t } from '../../i18n';
import type { Movement, SKU } from '../../types';
import { Button, Field, FormError, Loaded, useAction, useAsync, val } from '../../ui';
import { movementReasonLabel } from './text';

export function SkuPanel({ sku, onChange }: { sku: SKU; onChange: () => void }) {
  const [mode, setMode] = useState<'' | 'stock' | 'edit' | 'history'>('');
  const toggle = (m: typeof mode) => setMode(mode === m ? '' : m);
  return (
    <div class="skupanel" data-testid="sku-panel" data-sku-code={sku.code}>
      <div class="skupanel-head">
        <div class="grow">
          <b class="mono">{sku.code}</b> <span class="muted">{attrs(sku.attributes)}</span>
        </div>
        <span class="price">{money(sku.price_minor, sku.currency)}</span>
        <span class={sku.stock === 0 ? 'stock warn' : 'stock'} data-testid="sku-stock">
          {t('merchant.inStock', { n: sku.stock })}
        </span>
      </div>
      <div class="actions">
        <Button kind={mode === 'stock' ? 'primary' : 'secondary'} class="small" onClick={() => toggle('stock')} data-testid="adjust-stock">
          {t('merchant.sku.adjust')}
        </Button>
        <Button kind={mode === 'edit' ? 'primary' : 'secondary'} class="small" onClick={() => toggle('edit')}>
          {t('merchant.sku.editPrice')}
        </Button>
        <Button kind={mode === 'history' ? 'primary' : 'secondary'} class="small" onClick={() => toggle('history')} data-testid="stock-history">
          {t('merchant.sku.history')}
        </Button>
      </div>
      {mode === 'stock' && (
        <StockForm
          sku={sku}
          onDone={() => {
            setMode('history');
            onChange();
          }}
        />
      )}
      {mode === 'edit' && (
        <EditSku
          sku={sku}
          onDone={() => {
            setMode('');
            onChange();
          }}
        />
      )}
      {mode === 'history' && <Movements skuID={sku.id} stock={sku.stock} />}
    </div>
  );
}

/** The common reasons a stock count changes by hand, offered as one tap each (the note says why). */
const REASONS = ['merchant.sku.why.received', 'merchant.sku.why.damaged', 'merchant.sku.why.counted', 'merchant.sku.why.returned'] as const;

/** StockForm is an audited stock adjustment: a signed change and the reason, kept in the movements. */
export function StockForm({ sku, onDone }: { sku: SKU; onDone: () => void }) {
  const [delta, setDelta] = useState('');
  const [note, setNote] = useState('');
  const n = Number(delta);
  const ok = delta.trim() !== '' && Number.isInteger(n) && n !== 0;
  const act = useAction(async () => {
    if (!ok) throw new ApiError(400, 'invalid', t('merchant.sku.deltaError'), 'delta');
    await api.post(`/skus/${sku.id}/stock`, { delta: n, note: note.trim() });
    onDone();
  });
  return (
    <form
      class="form inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        act.run();
      }}
    >
      <div class="row2">
        <Field label={t('merchant.sku.delta')} name="delta" err={act.error} hint={ok ? t('merchant.sku.becomes', { n: sku.stock + n }) : undefined}>
          <input inputMode="numeric" value={delta} onInput={(e) => setDelta(val(e))} placeholder="+20" data-testid="stock-delta" />
        </Field>
        <Field label={t('merchant.sku.note')} name="note" err={act.error}>
          <input value={note} onInput={(e) => setNote(val(e))} placeholder={t('merchant.sku.notePlaceholder')} maxLength={200} data-testid="stock-note" />
        </Field>
      </div>
      <div class="reason-chips" role="group" aria-label={t('merchant.sku.why')}>
        {REASONS.map((k) => (
          <button key={k} type="button" class={note === t(k) ? 'chip on' : 'chip'} aria-pressed={note === t(k)} onClick={() => setNote(t(k))}>
            {t(k)}
          </button>
        ))}
      </div>
      <FormError err={act.error} fields={['delta', 'note']} />
      <Button type="submit" busy={act.busy} data-testid="stock-submit">
        {t('merchant.sku.saveAdjustment')}
      </Button>
    </form>
  );
}

function EditSku({ sku, onDone }: { sku: SKU; onDone: () => void }) {
  const [price, setPrice] = useState(minorToInput(sku.price_minor, sku.currency));
  const [at, setAt] = useState(attrsToInput(sku.attributes));
  const act = useAction(async () => {
    const p = parseMoney(price, sku.currency);
    if (p === null || p <= 0) throw new ApiError(400, 'invalid', t('merchant.err.price'), 'price_minor');
    const attributes = parseAttrs(at);
    if (typeof attributes === 'string') throw new ApiError(400, 'invalid', t('merchant.err.attrs', { problem: attributes }), 'attributes');
    await api.patch(`/skus/${sku.id}`, { price_minor: p, attributes });
    onDone();
  });
  return (
    <form
      class="form inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        act.run();
      }}
    >
      <div class="row2">
        <Field label={t('merchant.form.price')} name="price_minor" err={act.error}>
          <input inputMode="decimal" value={price} onInput={(e) => setPrice(val(e))} />
        </Field>
        <Field label={t('merchant.form.attributes')} name="attributes" err={act.error}>
          <input value={at} onInput={(e) => setAt(val(e))} placeholder="colour=red, size=M" />
        </Field>
      </div>
      <FormError err={act.error} fields={['price_minor', 'attributes']} />
      <Button type="submit" busy={act.busy}>
        {t('merchant.save')}
      </Button>
    </form>
  );
}

function Movements({ skuID, stock }: { skuID: string; stock: number }) {
  // Reload when the stock changes, so a new adjustment shows at once.
  const a = useAsync((signal) => list<Movement>(`/skus/${skuID}/movements`, { limit: 50 }, signal), [skuID, stock]);
  return (
    <Loaded a={a}>
      {(pg) =>
        pg.items.length === 0 ? (
          <p class="muted">{t('merchant.sku.noMovements')}</p>
        ) : (
          <div class="tablewrap">
            <table class="table cards" data-testid="movements">
              <thead>
                <tr>
                  <th>{t('merchant.sku.when')}</th>
                  <th>{t('merchant.sku.reason')}</th>
                  <th class="num">{t('merchant.sku.change')}</th>
                  <th class="num">{t('merchant.sku.stockAfter')}</th>
                  <th>{t('merchant.sku.note')}</th>
                </tr>
              </thead>
              <tbody>
                {pg.items.map((m) => (
                  <tr key={m.id} data-testid="movement">
                    <td class="small nowrap">{dateTime(m.created_at)}</td>
                    <td data-label={t('merchant.sku.reason')}>{movementReasonLabel(m.reason)}</td>
                    <td class={m.delta < 0 ? 'num neg' : 'num pos'} data-label={t('merchant.sku.change')}>
                      {m.delta > 0 ? `+${m.delta}` : m.delta}
                    </td>
                    <td class="num" data-label={t('merchant.sku.stockAfter')}>
                      {m.stock_after}
                    </td>
                    <td class="small" data-label={t('merchant.sku.note')}>
                      {m.note}
                      {m.ref && <span class="muted mono"> {m.ref}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {pg.next_cursor && <p class="muted small">{t('merchant.sku.first50')}</p>}
          </div>
        )
      }
    </Loaded>
  );
}
