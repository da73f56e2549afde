// Wizard step 3: the first product on one screen — a photo straight from the
// phone's camera, a title, a price and the stock; one SKU. The product is
// created first (kept on the server), then the photo uploads with a visible
// progress bar; if the upload fails, a reload comes back here with the
// product kept and only the photo left to send.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, one } from '../../api';
import { money, parseMoney } from '../../format';
import { t } from '../../i18n';
import { useSession } from '../../session';
import type { Product, Shop } from '../../types';
import { Button, Field, FormError, useAction, val } from '../../ui';
import { downscale, uploadWithProgress } from './upload';
import { useDraft, useFocusInvalid } from './wizard-about';

const FIELDS = ['image', 'title', 'skus[0].price_minor', 'skus[0].stock'];
const bad = (field: string, msg: string) => new ApiError(400, 'invalid', msg, field);

/** skuCode makes the SKU code a farmer should not have to invent. */
function skuCode(): string {
  return `ITEM-${Date.now().toString(36).toUpperCase()}`;
}

export function FirstProduct({ shop, existing, onDone }: { shop: Shop; existing?: Product; onDone: () => void }) {
  const s = useSession();
  const [f, setF, clear] = useDraft(`liveshop.onboard.product.${shop.id}`, { title: '', price: '', stock: '10' });
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  // The product once saved: a failed photo upload is retried without making a second product.
  const [saved, setSaved] = useState<Product | undefined>(existing);
  const input = useRef<HTMLInputElement>(null);
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: val(e) });

  useEffect(() => {
    if (!file) return setPreview('');
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const act = useAction(async () => {
    if (!file) throw bad('image', t('merchant.wizard.err.photo'));
    if (!file.type.startsWith('image/')) throw bad('image', t('merchant.wizard.err.photoType'));
    let p = saved;
    if (!p) {
      if (!f.title.trim()) throw bad('title', t('merchant.wizard.err.title'));
      const price = parseMoney(f.price);
      if (price === null || price <= 0) throw bad('skus[0].price_minor', t('merchant.err.price'));
      const stock = Number(f.stock.trim() || '0');
      if (!Number.isInteger(stock) || stock < 0) throw bad('skus[0].stock', t('merchant.err.stock'));
      const body = {
        title: f.title.trim(),
        description: '',
        category: shop.category,
        tags: [],
        commission_bps: 0,
        skus: [{ code: skuCode(), attributes: {}, price_minor: price, currency: 'CNY', stock }],
      };
      p = one<Product>(await api.post(`/shops/${shop.id}/products`, body), 'product');
      setSaved(p);
      clear();
    }
    setProgress(0);
    const blob = await downscale(file);
    const name = blob === file ? file.name : file.name.replace(/\.[^.]*$/, '') + '.jpg';
    try {
      await uploadWithProgress(`/products/${p.id}/images`, 'image', blob, name, s.me.csrf_token, setProgress);
    } catch (e) {
      setProgress(null);
      // The product is kept; only the photo is left. Name the photo field.
      if (e instanceof ApiError && !e.field) throw new ApiError(e.status, e.code, e.message, 'image');
      throw e;
    }
    onDone();
  });
  useFocusInvalid(act.error);

  const pct = progress === null ? 0 : Math.round(progress * 100);
  return (
    <form
      class="form card"
      data-testid="wizard-product"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        act.run();
      }}
    >
      <h2>{t('merchant.wizard.step3')}</h2>
      <p class="muted">{saved ? t('merchant.wizard.photoLeft', { title: saved.title }) : t('merchant.wizard.productLead')}</p>
      <Field label={t('merchant.wizard.photo')} name="image" err={act.error} hint={t('merchant.wizard.photoHint')}>
        <span class={preview ? 'wiz-photo has' : 'wiz-photo'}>
          {preview ? <img src={preview} alt={t('merchant.wizard.photoPreview')} data-testid="wizard-photo-preview" /> : <span aria-hidden="true">📷</span>}
          <span class="wiz-photo-text">{preview ? t('merchant.wizard.photoChange') : t('merchant.wizard.photoTake')}</span>
          <input
            ref={input}
            type="file"
            name="image"
            accept="image/*"
            capture="environment"
            data-testid="wizard-photo"
            onChange={() => setFile(input.current?.files?.[0] ?? null)}
          />
        </span>
      </Field>
      {progress !== null && (
        <div class="wiz-upload" data-testid="wizard-upload">
          <div class="progress" role="progressbar" aria-label={t('merchant.wizard.uploading')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <div class="progress-bar" style={{ width: `${pct}%` }} />
          </div>
          <p class="muted small">{t('merchant.wizard.uploadingPct', { pct })}</p>
        </div>
      )}
      {saved ? (
        <p class="small" data-testid="wizard-product-kept">
          <b>{saved.title}</b> · {money(saved.skus?.[0]?.price_minor ?? 0, saved.skus?.[0]?.currency)} · {t('merchant.inStock', { n: saved.skus?.[0]?.stock ?? 0 })}
        </p>
      ) : (
        <>
          <Field label={t('merchant.wizard.productTitle')} name="title" err={act.error}>
            <input required maxLength={120} value={f.title} onInput={set('title')} placeholder={t('merchant.wizard.titlePlaceholder')} data-testid="wizard-title" />
          </Field>
          <div class="row2 wiz-pair">
            <Field label={t('merchant.wizard.price')} name="skus[0].price_minor" err={act.error}>
              <input inputMode="decimal" required value={f.price} onInput={set('price')} placeholder="19.90" data-testid="wizard-price" />
            </Field>
            <Field label={t('merchant.form.stock')} name="skus[0].stock" err={act.error}>
              <input type="number" inputMode="numeric" min={0} step={1} required value={f.stock} onInput={set('stock')} data-testid="wizard-stock" />
            </Field>
          </div>
        </>
      )}
      <FormError err={act.error} fields={FIELDS} />
      <Button type="submit" busy={act.busy} class="wide" data-testid="wizard-product-submit">
        {saved ? t('merchant.wizard.sendPhoto') : t('merchant.wizard.saveProduct')}
      </Button>
    </form>
  );
}
