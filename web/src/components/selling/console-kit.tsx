// Pieces the studio's selling console shares: the shelf's products with
// their SKUs, the SKU picker, number and money inputs, and errors found
// before asking the server (shown next to the field they name).
import { api, ApiError, one } from '../../api';
import { attrs, money, parseMoney } from '../../format';
import { t } from '../../i18n';
import type { LiveSession, Product, SKU } from '../../types';
import { Field, useAsync, val } from '../../ui';

export interface SkuChoice {
  sku: SKU;
  product: Product;
}

/** useShelfSKUs loads the shelf's products (with their SKUs and stock); reload after stock moved. */
export function useShelfSKUs(s: LiveSession) {
  const ids = (s.products ?? []).map((p) => p.product_id);
  return useAsync(
    async (signal) => {
      const ps = await Promise.all(ids.map(async (id) => one<Product>(await api.get(`/products/${id}`, undefined, signal), 'product')));
      return ps.flatMap((product) => (product.skus ?? []).map((sku) => ({ sku, product })));
    },
    [ids.join(',')],
  );
}

export function skuText(c: SkuChoice): string {
  const a = attrs(c.sku.attributes) || c.sku.code;
  return `${c.product.title}${a ? ` · ${a}` : ''} · ${money(c.sku.price_minor, c.sku.currency)} · ${t('studio.kit.inStock', { n: c.sku.stock })}`;
}

/** SkuSelect picks one SKU of the shelf; the sold-out ones cannot be picked. */
export function SkuSelect(p: { choices: SkuChoice[]; value: string; onChange: (id: string) => void; err: unknown; testid: string }) {
  return (
    <Field label={t('studio.kit.product')} name="sku_id" err={p.err}>
      <select value={p.value} onChange={(e) => p.onChange((e.currentTarget as HTMLSelectElement).value)} data-testid={p.testid} required>
        {p.choices.length === 0 && <option value="">{t('studio.kit.noProduct')}</option>}
        {p.choices.map((c) => (
          <option key={c.sku.id} value={c.sku.id} disabled={c.sku.stock <= 0} data-price-minor={c.sku.price_minor}>
            {skuText(c)}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** firstInStock is the SKU a form starts with. */
export function firstInStock(choices: SkuChoice[]): SkuChoice | undefined {
  return choices.find((c) => c.sku.stock > 0) ?? choices[0];
}

/** roundedShare is a share of a price rounded down to ten minor units (¥15.92 → ¥15.90), at least 1. */
export function roundedShare(priceMinor: number, share: number): number {
  return Math.max(1, Math.floor((priceMinor * share) / 10) * 10);
}

/** NumberInput is a labelled whole-number field named after the request field it fills. */
export function NumberInput(p: { label: string; name: string; value: string; onInput: (v: string) => void; err: unknown; min?: number; max?: number; hint?: string; testid: string }) {
  return (
    <Field label={p.label} name={p.name} err={p.err} hint={p.hint}>
      <input type="number" inputMode="numeric" min={p.min} max={p.max} step={1} value={p.value} onInput={(e) => p.onInput(val(e))} data-testid={p.testid} required />
    </Field>
  );
}

/** MoneyInput is a price typed in major units ("9.90"). */
export function MoneyInput(p: { label: string; name: string; value: string; onInput: (v: string) => void; err: unknown; hint?: string; testid: string }) {
  return (
    <Field label={p.label} name={p.name} err={p.err} hint={p.hint}>
      <input inputMode="decimal" value={p.value} onInput={(e) => p.onInput(val(e))} data-testid={p.testid} required />
    </Field>
  );
}

/** invalid is an error found before asking the server, naming the request field. */
export function invalid(field: string, message: string): ApiError {
  return new ApiError(400, 'invalid', message, field);
}

/** whole reads a whole number typed in a field, or throws an error naming it. */
export function whole(v: string, field: string, what: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw invalid(field, t('studio.kit.wholeNumber', { what }));
  return n;
}

/** minor reads money typed in a field, or throws an error naming it. */
export function minor(v: string, currency: string, field: string, what: string): number {
  const n = parseMoney(v, currency);
  if (n === null) throw invalid(field, t('studio.kit.amount', { what }));
  return n;
}

