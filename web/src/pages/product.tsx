// The buyer's product page: gallery, SKU picker, quantity and "Buy now".
import { useState } from 'preact/hooks';
import { api, one } from '../api';
import { Checkout } from '../components/checkout';
import { attrs, money, percent } from '../format';
import { t } from '../i18n';
import { categoryLabel } from '../i18n/order-status';
import { Link } from '../router';
import { shopRole, useSession } from '../session';
import type { Product, SKU, Shop } from '../types';
import { Button, Empty, FormError, Loaded, StatusBadge, Thumb, useAction, useAsync, useTitle } from '../ui';

export function skuLabel(s: SKU): string {
  return attrs(s.attributes) || s.code;
}

export function ProductPage({ params }: { params: Record<string, string> }) {
  const a = useAsync(async (signal) => {
    const p = one<Product>(await api.get(`/products/${params.id}`, undefined, signal), 'product');
    const shop = await api
      .get(`/shops/${p.shop_id}`, undefined, signal)
      .then((b) => one<Shop>(b, 'shop'))
      .catch(() => null);
    return { p, shop };
  }, [params.id]);
  useTitle(a.data?.p.title ?? t('viewer.product.title'));
  return <Loaded a={a}>{({ p, shop }) => <ProductView p={p} shop={shop} />}</Loaded>;
}

function ProductView({ p, shop }: { p: Product; shop: Shop | null }) {
  const s = useSession();
  const skus = p.skus ?? [];
  const images = [...(p.images ?? [])].sort((x, y) => x.position - y.position);
  const [skuID, setSkuID] = useState(() => (skus.find((k) => k.stock > 0) ?? skus[0])?.id ?? '');
  const [qty, setQty] = useState(1);
  const [img, setImg] = useState(0);
  const [buying, setBuying] = useState(false);
  const sku = skus.find((k) => k.id === skuID);
  const max = sku ? Math.min(sku.stock, 999) : 0;
  const member = shopRole(s.me, p.shop_id);

  return (
    <div class="product">
      <div class="gallery">
        {images.length > 0 ? (
          <img class="gallery-main" src={images[Math.min(img, images.length - 1)].url} alt={p.title} />
        ) : (
          <Thumb alt={p.title} size="lg" />
        )}
        {images.length > 1 && (
          <div class="gallery-strip">
            {images.map((im, i) => (
              <button key={im.id} class={i === img ? 'active' : ''} onClick={() => setImg(i)} aria-label={t('viewer.product.picture', { n: i + 1 })}>
                <img src={im.thumb_url} alt="" />
              </button>
            ))}
          </div>
        )}
      </div>

      <div class="product-info">
        {shop && (
          <Link href={`/shops/${shop.id}`} class="muted">
            {shop.name}
            {shop.programme === 'rural' ? ` · ${t('viewer.programme.rural')}` : ''}
          </Link>
        )}
        <h1 data-testid="product-title">{p.title}</h1>
        {p.status === 'archived' && <StatusBadge status="archived" />}
        <div class="product-price" data-testid="product-price">
          {sku ? money(sku.price_minor, sku.currency) : '—'}
        </div>
        {p.category && <p class="muted">{categoryLabel(p.category)}</p>}
        {(p.tags ?? []).length > 0 && (
          <p class="tags">
            {(p.tags ?? []).map((tag) => (
              <span key={tag} class="tag">
                #{tag}
              </span>
            ))}
          </p>
        )}
        {member && (
          <p class="hint">
            {t('viewer.product.yourShop', { rate: percent(p.commission_bps) })}{' '}
            <Link href={`/merchant/shops/${p.shop_id}/products/${p.id}`}>{t('viewer.product.manage')}</Link>
          </p>
        )}

        {skus.length === 0 ? (
          <Empty>{t('viewer.product.noVariants')}</Empty>
        ) : (
          <>
            <h3>{t('viewer.product.choose')}</h3>
            <div class="skus" role="radiogroup" aria-label={t('viewer.product.variant')}>
              {skus.map((k) => (
                <button
                  key={k.id}
                  role="radio"
                  aria-checked={k.id === skuID}
                  class={k.id === skuID ? 'sku active' : 'sku'}
                  disabled={k.stock <= 0}
                  data-testid="sku-option"
                  onClick={() => {
                    setSkuID(k.id);
                    setQty(1);
                  }}
                >
                  <span>{skuLabel(k)}</span>
                  <small>{k.stock > 0 ? t('viewer.product.left', { n: k.stock }) : t('viewer.product.skuSoldOut')}</small>
                </button>
              ))}
            </div>
            {sku && sku.stock > 0 && !buying && (
              <>
                <div class="qty">
                  <span>{t('viewer.product.quantity')}</span>
                  <button class="btn btn-secondary small" onClick={() => setQty(Math.max(1, qty - 1))} disabled={qty <= 1} aria-label={t('viewer.fewer')}>
                    −
                  </button>
                  <b data-testid="quantity">{qty}</b>
                  <button class="btn btn-secondary small" onClick={() => setQty(Math.min(max, qty + 1))} disabled={qty >= max} aria-label={t('viewer.more')}>
                    +
                  </button>
                </div>
                {s.me.user ? (
                  <>
                    <Button class="wide big" onClick={() => setBuying(true)} data-testid="buy-now" disabled={p.status !== 'active'}>
                      {t('viewer.product.buyNow', { price: money(sku.price_minor * qty, sku.currency) })}
                    </Button>
                    <AddToCart skuID={sku.id} quantity={qty} disabled={p.status !== 'active'} />
                  </>
                ) : (
                  <Link class="btn btn-primary wide big" href={`/signin?next=${encodeURIComponent(location.pathname)}`}>
                    {t('viewer.product.signInToBuy')}
                  </Link>
                )}
              </>
            )}
            {sku && buying && <Checkout sku={sku} quantity={qty} onCancel={() => setBuying(false)} />}
          </>
        )}
        {p.description && (
          <section class="description">
            <h3>{t('viewer.product.about')}</h3>
            <p>{p.description}</p>
          </section>
        )}
      </div>
    </div>
  );
}

function AddToCart({ skuID, quantity, disabled }: { skuID: string; quantity: number; disabled: boolean }) {
  const [added, setAdded] = useState(false);
  const add = useAction(async () => {
    await api.put(`/cart/items/${skuID}`, { quantity });
    setAdded(true);
  });
  return (
    <div class="add-to-cart">
      <Button kind="secondary" class="wide" busy={add.busy} disabled={disabled} onClick={() => add.run()} data-testid="add-to-cart">
        {added ? t('viewer.product.updateCart') : t('viewer.product.addToCart')}
      </Button>
      {added && (
        <p class="hint">
          {t('viewer.product.inCart')} · <Link href="/cart">{t('viewer.product.viewCart')}</Link>
        </p>
      )}
      <FormError err={add.error} />
    </div>
  );
}
