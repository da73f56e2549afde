// The "Add product" form: product fields and one or more SKUs. Prices are
// typed in yuan and sent in minor units; commission is typed in percent
// and sent in basis points.
import { useState } from 'preact/hooks';
import { ApiError, api, one } from '../../api';
import { parseAttrs, parseMoney, parsePercent } from '../../format';
import { t } from '../../i18n';
import { navigate } from '../../router';
import { CATEGORIES, type Product, type Shop } from '../../types';
import { Button, Field, FormError, useAction, val } from '../../ui';
import { categoryLabel } from './text';

export interface SkuRow {
  code: string;
  attrs: string;
  price: string;
  stock: string;
}

export const emptyRow = (): SkuRow => ({ code: '', attrs: '', price: '', stock: '0' });

function invalid(field: string, message: string): ApiError {
  return new ApiError(400, 'invalid', message, field);
}

/** skuPayload checks one row in the browser and builds its JSON. */
export function skuPayload(r: SkuRow, prefix: string) {
  const price = parseMoney(r.price);
  if (price === null || price <= 0) throw invalid(`${prefix}price_minor`, t('merchant.err.price'));
  const stock = Number(r.stock.trim() || '0');
  if (!Number.isInteger(stock) || stock < 0) throw invalid(`${prefix}stock`, t('merchant.err.stock'));
  const attributes = parseAttrs(r.attrs);
  if (typeof attributes === 'string') throw invalid(`${prefix}attributes`, t('merchant.err.attrs', { problem: attributes }));
  return { code: r.code.trim(), attributes, price_minor: price, currency: 'CNY', stock };
}

export function SkuFields({ row, onChange, err, prefix, testid }: { row: SkuRow; onChange: (r: SkuRow) => void; err: unknown; prefix: string; testid: string }) {
  const set = (k: keyof SkuRow) => (e: Event) => onChange({ ...row, [k]: val(e) });
  return (
    <div class="skurow">
      <Field label={t('merchant.form.skuCode')} name={`${prefix}code`} err={err}>
        <input required maxLength={64} value={row.code} onInput={set('code')} data-testid={`${testid}-code`} placeholder="TEA-250G" />
      </Field>
      <Field label={t('merchant.form.attributes')} name={`${prefix}attributes`} err={err}>
        <input value={row.attrs} onInput={set('attrs')} data-testid={`${testid}-attrs`} placeholder="colour=red, size=M" />
      </Field>
      <Field label={t('merchant.form.price')} name={`${prefix}price_minor`} err={err}>
        <input inputMode="decimal" required value={row.price} onInput={set('price')} data-testid={`${testid}-price`} placeholder="19.90" />
      </Field>
      <Field label={t('merchant.form.stock')} name={`${prefix}stock`} err={err}>
        <input type="number" min={0} step={1} required value={row.stock} onInput={set('stock')} data-testid={`${testid}-stock`} />
      </Field>
    </div>
  );
}

export function NewProductForm({ shop }: { shop: Shop }) {
  const [f, setF] = useState({ title: '', description: '', category: shop.category, tags: '', commission: '0' });
  const [rows, setRows] = useState<SkuRow[]>([emptyRow()]);
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: val(e) });

  const act = useAction(async () => {
    const commission = parsePercent(f.commission || '0');
    if (commission === null) throw invalid('commission_bps', t('merchant.err.commission'));
    const skus = rows.map((r, i) => skuPayload(r, `skus[${i}].`));
    const tags = f.tags
      .split(/[,，]/)
      .map((tag) => tag.trim())
      .filter(Boolean);
    const body = { title: f.title, description: f.description, category: f.category, tags, commission_bps: commission, skus };
    const p = one<Product>(await api.post(`/shops/${shop.id}/products`, body), 'product');
    navigate(`/merchant/shops/${shop.id}/products/${p.id}?created=1`);
  });

  const fields = ['title', 'description', 'category', 'tags', 'commission_bps', 'skus'];
  rows.forEach((_, i) => fields.push(...['code', 'attributes', 'price_minor', 'stock'].map((k) => `skus[${i}].${k}`)));

  return (
    <form
      class="form card"
      data-testid="product-form"
      onSubmit={(e) => {
        e.preventDefault();
        act.run();
      }}
    >
      <Field label={t('merchant.field.title')} name="title" err={act.error}>
        <input required maxLength={120} value={f.title} onInput={set('title')} data-testid="product-title-input" />
      </Field>
      <Field label={t('merchant.field.description')} name="description" err={act.error}>
        <textarea rows={4} maxLength={5000} value={f.description} onInput={set('description')} data-testid="product-description-input" />
      </Field>
      <div class="row2">
        <Field label={t('merchant.field.category')} name="category" err={act.error}>
          <select value={f.category} onChange={set('category')} data-testid="product-category-input">
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('merchant.field.commission')} name="commission_bps" err={act.error} hint={t('merchant.form.commissionHint')}>
          <input inputMode="decimal" value={f.commission} onInput={set('commission')} data-testid="product-commission-input" />
        </Field>
      </div>
      <Field label={t('merchant.field.tags')} name="tags" err={act.error} hint={t('merchant.form.tagsHint')}>
        <input value={f.tags} onInput={set('tags')} placeholder={t('merchant.form.tagsPlaceholder')} data-testid="product-tags-input" />
      </Field>

      <fieldset class="skus-fieldset">
        <legend>{t('merchant.form.skus')}</legend>
        <FormError err={act.error && (act.error as ApiError).field === 'skus' ? act.error : null} />
        {rows.map((r, i) => (
          <div key={i} class="skublock" data-testid="sku-row">
            <div class="skublock-head">
              <b>{t('merchant.form.variant', { n: i + 1 })}</b>
              {rows.length > 1 && (
                <button type="button" class="link danger" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                  {t('merchant.remove')}
                </button>
              )}
            </div>
            <SkuFields
              row={r}
              prefix={`skus[${i}].`}
              testid={`sku-${i}`}
              err={act.error}
              onChange={(nr) => setRows(rows.map((x, j) => (j === i ? nr : x)))}
            />
          </div>
        ))}
        <Button type="button" kind="secondary" onClick={() => setRows([...rows, emptyRow()])} data-testid="add-sku-row">
          {t('merchant.form.addVariant')}
        </Button>
      </fieldset>

      <FormError err={act.error} fields={fields} />
      <Button type="submit" busy={act.busy} class="wide" data-testid="product-submit">
        {t('merchant.form.create')}
      </Button>
    </form>
  );
}

