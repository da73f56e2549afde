// The merchant's product page: pictures (upload, delete), details, SKUs
// with stock adjustments and their audit trail, and adding SKUs.
import { useRef, useState } from 'preact/hooks';
import { api, one } from '../../api';
import { parsePercent, percent } from '../../format';
import { t } from '../../i18n';
import { Link, useLocation } from '../../router';
import { CATEGORIES, type Product, type ProductImage } from '../../types';
import { Button, Card, Field, FormError, Loaded, Notice, StatusBadge, useAction, useAsync, useTitle, val } from '../../ui';
import { SkuFields, emptyRow, skuPayload } from './product-form';
import { SkuPanel } from './sku-panel';
import { categoryLabel } from './text';

export function MerchantProduct({ params }: { params: Record<string, string> }) {
  const a = useAsync(async (signal) => one<Product>(await api.get(`/products/${params.pid}`, undefined, signal), 'product'), [params.pid]);
  useTitle(a.data?.title ?? t('merchant.product.title'));
  return <Loaded a={a}>{(p) => <ProductManager p={p} shopID={params.id} reload={a.reload} onChange={a.setData} />}</Loaded>;
}

function ProductManager({ p, shopID, reload, onChange }: { p: Product; shopID: string; reload: () => void; onChange: (p: Product) => void }) {
  const { query } = useLocation();
  const [created, setCreated] = useState(query.get('created') === '1');
  const status = useAction(async () => {
    const next = p.status === 'active' ? 'archived' : 'active';
    onChange(one<Product>(await api.patch(`/products/${p.id}`, { status: next }), 'product'));
  });
  return (
    <div class="stack">
      <div class="page-head">
        <div class="grow">
          <p class="muted small">
            <Link href={`/merchant/shops/${shopID}`} data-testid="back-to-console">
              {t('merchant.product.back')}
            </Link>
          </p>
          <h1 data-testid="manage-product-title">{p.title}</h1>
        </div>
        <StatusBadge status={p.status} />
        <Link class="btn btn-secondary small" href={`/products/${p.id}`}>
          {t('merchant.product.viewAsBuyer')}
        </Link>
        <Button kind="ghost" class="small" busy={status.busy} onClick={() => status.run()}>
          {p.status === 'active' ? t('merchant.product.archive') : t('merchant.product.unarchive')}
        </Button>
      </div>
      <FormError err={status.error} />
      {created && (
        <Notice onClose={() => setCreated(false)}>
          {t('merchant.product.created')}
        </Notice>
      )}
      <Images p={p} reload={reload} />
      <Card title={t('merchant.product.skusAndStock')}>
        <div class="stack">
          {(p.skus ?? []).map((k) => (
            <SkuPanel key={k.id} sku={k} onChange={reload} />
          ))}
          <AddSku productID={p.id} onAdded={reload} />
        </div>
      </Card>
      <Details p={p} onChange={onChange} />
    </div>
  );
}

function Images({ p, reload }: { p: Product; reload: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const images = [...(p.images ?? [])].sort((a, b) => a.position - b.position);
  const upload = useAction(async () => {
    const file = input.current?.files?.[0];
    if (!file) return;
    const form = new FormData();
    form.append('image', file);
    try {
      one<ProductImage>(await api.upload(`/products/${p.id}/images`, form), 'image');
    } finally {
      if (input.current) input.current.value = '';
    }
    reload();
  });
  const remove = useAction(async (id: string) => {
    if (!confirm(t('merchant.product.confirmDeletePicture'))) return;
    await api.del(`/images/${id}`);
    reload();
  });
  return (
    <Card title={t('merchant.product.pictures')}>
      <div class="images" data-testid="product-images">
        {images.map((im) => (
          <figure key={im.id} class="image">
            <a href={im.url} target="_blank" rel="noopener">
              <img src={im.thumb_url} alt={t('merchant.product.pictureAlt', { title: p.title, n: im.position + 1 })} data-testid="product-image" />
            </a>
            <figcaption class="muted small">
              {im.width}×{im.height}
              <button class="link danger" onClick={() => remove.run(im.id)} aria-label={t('merchant.product.deletePicture')}>
                {t('merchant.delete')}
              </button>
            </figcaption>
          </figure>
        ))}
        <label class={upload.busy ? 'image upload busy' : 'image upload'}>
          <input
            ref={input}
            type="file"
            name="image"
            accept="image/jpeg,image/png,image/gif,image/webp"
            data-testid="image-input"
            onChange={() => upload.run()}
            disabled={upload.busy}
          />
          <span>{upload.busy ? t('merchant.product.uploading') : t('merchant.product.addPicture')}</span>
          <small class="muted">{t('merchant.product.pictureTypes')}</small>
        </label>
      </div>
      <FormError err={upload.error ?? remove.error} />
    </Card>
  );
}

function AddSku({ productID, onAdded }: { productID: string; onAdded: () => void }) {
  const [open, setOpen] = useState(false);
  const [row, setRow] = useState(emptyRow());
  const act = useAction(async () => {
    await api.post(`/products/${productID}/skus`, skuPayload(row, ''));
    setRow(emptyRow());
    setOpen(false);
    onAdded();
  });
  if (!open)
    return (
      <div>
        <Button kind="secondary" onClick={() => setOpen(true)} data-testid="add-sku">
          {t('merchant.product.addSkuOpen')}
        </Button>
      </div>
    );
  return (
    <form
      class="skublock"
      onSubmit={(e) => {
        e.preventDefault();
        act.run();
      }}
    >
      <b>{t('merchant.product.newSku')}</b>
      <SkuFields row={row} onChange={setRow} err={act.error} prefix="" testid="new-sku" />
      <FormError err={act.error} fields={['code', 'attributes', 'price_minor', 'stock']} />
      <div class="actions">
        <Button type="button" kind="ghost" onClick={() => setOpen(false)}>
          {t('merchant.cancel')}
        </Button>
        <Button type="submit" busy={act.busy}>
          {t('merchant.product.addSku')}
        </Button>
      </div>
    </form>
  );
}

function Details({ p, onChange }: { p: Product; onChange: (p: Product) => void }) {
  const init = () => ({
    title: p.title,
    description: p.description,
    category: p.category,
    tags: (p.tags ?? []).join(', '),
    commission: percent(p.commission_bps).replace('%', ''),
  });
  const [f, setF] = useState(init);
  const [saved, setSaved] = useState(false);
  const set = (k: keyof typeof f) => (e: Event) => {
    setSaved(false);
    setF({ ...f, [k]: val(e) });
  };
  const act = useAction(async () => {
    const bps = parsePercent(f.commission || '0');
    if (bps === null) throw new Error(t('merchant.err.commission'));
    const tags = f.tags
      .split(/[,，]/)
      .map((tag) => tag.trim())
      .filter(Boolean);
    onChange(one<Product>(await api.patch(`/products/${p.id}`, { title: f.title, description: f.description, category: f.category, tags, commission_bps: bps }), 'product'));
    setSaved(true);
  });
  return (
    <Card title={t('merchant.product.details')}>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          act.run();
        }}
      >
        <Field label={t('merchant.field.title')} name="title" err={act.error}>
          <input required maxLength={120} value={f.title} onInput={set('title')} />
        </Field>
        <Field label={t('merchant.field.description')} name="description" err={act.error}>
          <textarea rows={4} maxLength={5000} value={f.description} onInput={set('description')} />
        </Field>
        <div class="row2">
          <Field label={t('merchant.field.category')} name="category" err={act.error}>
            <select value={f.category} onChange={set('category')}>
              <option value="">—</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {categoryLabel(c)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('merchant.field.commission')} name="commission_bps" err={act.error}>
            <input inputMode="decimal" value={f.commission} onInput={set('commission')} />
          </Field>
        </div>
        <Field label={t('merchant.field.tags')} name="tags" err={act.error}>
          <input value={f.tags} onInput={set('tags')} />
        </Field>
        <FormError err={act.error} fields={['title', 'description', 'category', 'commission_bps', 'tags']} />
        <div class="actions">
          <Button type="submit" busy={act.busy}>
            {t('merchant.product.saveDetails')}
          </Button>
          {saved && <span class="ok">{t('merchant.saved')}</span>}
        </div>
      </form>
    </Card>
  );
}

