// The product sheet of the room: pictures, price, the SKU picked by its
// attributes, quantity, the saved default address and the best usable
// coupon preselected, and one "Buy now" that places the order (credited
// to the room) and leaves for the pay page. With a saved address, buying
// the product being explained takes two taps: Buy on the card, Buy now.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, api, newIdempotencyKey, one, selling } from '../../api';
import { attrs, money } from '../../format';
import { t } from '../../i18n';
import { couponDiscount, msUntil } from '../../live/selling';
import { Link } from '../../router';
import { useSession } from '../../session';
import type { Address, CouponClaim, LiveProduct, LiveSession, Product, SKU } from '../../types';
import { Button, Empty, FormError, Loaded, Spinner, Thumb, useAction, useAsync } from '../../ui';
import { AddressForm, addressFieldNames, addressLine, REQUIRED_ADDRESS } from '../checkout';
import { attribution, placeAndPay, saveAddress, signInHref, useAddresses, useTrack } from './buy';
import { Sheet } from './sheet';

const emptyAddress: Address = { name: '', phone: '', line1: '', line2: '', city: '', region: '', postcode: '', country: 'CN' };

/** dimensions lists the attribute names of the SKUs with their values, in order of appearance. */
export function dimensions(skus: SKU[]): [string, string[]][] {
  const out = new Map<string, string[]>();
  for (const k of skus) {
    for (const [name, v] of Object.entries(k.attributes ?? {})) {
      const vs = out.get(name) ?? [];
      if (!vs.includes(v)) vs.push(v);
      out.set(name, vs);
    }
  }
  return [...out];
}

function matches(k: SKU, sel: Record<string, string>): boolean {
  return Object.entries(sel).every(([n, v]) => (k.attributes ?? {})[n] === v);
}

/** pick is the SKU for a choice of one attribute: the one keeping the other choices, else the first in stock with it. */
export function pick(skus: SKU[], current: SKU | undefined, name: string, value: string): SKU | undefined {
  const want = { ...(current?.attributes ?? {}), [name]: value };
  return (
    skus.find((k) => k.stock > 0 && matches(k, want)) ??
    skus.find((k) => k.stock > 0 && (k.attributes ?? {})[name] === value) ??
    skus.find((k) => (k.attributes ?? {})[name] === value)
  );
}

/** usable are the claims that can pay for this order, the biggest discount first. */
export function usable(claims: CouponClaim[], subtotal: number, currency: string): { claim: CouponClaim; off: number }[] {
  return claims
    .filter((c) => !c.used_at && !c.order_id && msUntil(c.coupon.valid_until) > 0 && msUntil(c.coupon.valid_from) <= 0)
    .map((claim) => ({ claim, off: couponDiscount(claim.coupon, subtotal, currency) }))
    .filter((x) => x.off > 0)
    .sort((a, b) => b.off - a.off);
}

/** checkAddress stops at the first required field left empty, naming it like the server does (address.name…). */
function checkAddress(a: Address): void {
  for (const [k, label] of REQUIRED_ADDRESS) {
    if (!String(a[k] ?? '').trim()) throw new ApiError(400, 'invalid', t('room.sheet.required', { field: t(label).toLowerCase() }), `address.${k}`);
  }
}

export function ProductSheet({ session, item, onClose }: { session: LiveSession; item: LiveProduct; onClose: () => void }) {
  const track = useTrack(session.id);
  const p = useAsync(async (signal) => one<Product>(await api.get(`/products/${item.product_id}`, undefined, signal), 'product'), [item.product_id]);
  useEffect(() => track('product_open', item.product_id), [item.product_id]);
  return (
    <Sheet title={item.title} onClose={onClose} testid="product-sheet">
      <Loaded a={p}>{(prod) => <ProductBuy session={session} p={prod} />}</Loaded>
    </Sheet>
  );
}

function ProductBuy({ session, p }: { session: LiveSession; p: Product }) {
  const me = useSession().me;
  const track = useTrack(session.id);
  const skus = p.skus ?? [];
  const images = [...(p.images ?? [])].sort((a, b) => a.position - b.position);
  const [skuID, setSkuID] = useState(() => (skus.find((k) => k.stock > 0) ?? skus[0])?.id ?? '');
  const [qty, setQty] = useState(1);
  const [img, setImg] = useState(0);
  const sku = skus.find((k) => k.id === skuID);
  const dims = dimensions(skus);
  const byAttributes = dims.length > 0 && skus.every((k) => Object.keys(k.attributes ?? {}).length > 0);
  const max = sku ? Math.min(sku.stock, 999) : 0;
  const subtotal = (sku?.price_minor ?? 0) * qty;
  const currency = sku?.currency ?? 'CNY';

  return (
    <div class="psheet">
      <div class="psheet-top">
        <div class="psheet-gallery">
          {images.length > 0 ? (
            <img class="psheet-img" src={images[Math.min(img, images.length - 1)].url} alt={p.title} data-testid="sheet-image" />
          ) : (
            <Thumb alt={p.title} size="lg" />
          )}
          {images.length > 1 && (
            <div class="gallery-strip">
              {images.map((im, i) => (
                <button key={im.id} type="button" class={i === img ? 'active' : ''} onClick={() => setImg(i)} aria-label={t('room.sheet.picture', { n: i + 1 })}>
                  <img src={im.thumb_url} alt="" />
                </button>
              ))}
            </div>
          )}
        </div>
        <div class="psheet-head">
          <div class="product-price" data-testid="sheet-price">
            {sku ? money(sku.price_minor, sku.currency) : '—'}
          </div>
          {sku && <p class="muted small">{sku.stock > 0 ? t('room.sheet.inStock', { n: sku.stock }) : t('room.soldOut')}</p>}
          <Link href={`/products/${p.id}`} class="small">
            {t('room.sheet.details')}
          </Link>
        </div>
      </div>

      {skus.length === 0 ? (
        <Empty>{t('room.sheet.noVariants')}</Empty>
      ) : byAttributes ? (
        dims.map(([name, values]) => (
          <div key={name} class="psheet-dim">
            <h3>{name}</h3>
            <div class="skus" role="radiogroup" aria-label={name}>
              {values.map((v) => {
                const on = (sku?.attributes ?? {})[name] === v;
                const inStock = skus.some((k) => k.stock > 0 && (k.attributes ?? {})[name] === v);
                return (
                  <button
                    key={v}
                    type="button"
                    role="radio"
                    aria-checked={on}
                    class={on ? 'sku active' : 'sku'}
                    disabled={!inStock}
                    data-testid="sheet-option"
                    onClick={() => {
                      const k = pick(skus, sku, name, v);
                      if (k) setSkuID(k.id);
                      setQty(1);
                    }}
                  >
                    {v}
                  </button>
                );
              })}
            </div>
          </div>
        ))
      ) : (
        <div class="skus" role="radiogroup" aria-label={t('room.sheet.variant')}>
          {skus.map((k) => (
            <button
              key={k.id}
              type="button"
              role="radio"
              aria-checked={k.id === skuID}
              class={k.id === skuID ? 'sku active' : 'sku'}
              disabled={k.stock <= 0}
              data-testid="sheet-option"
              onClick={() => {
                setSkuID(k.id);
                setQty(1);
              }}
            >
              <span>{attrs(k.attributes) || k.code}</span>
              <small>{k.stock > 0 ? t('room.sheet.left', { n: k.stock }) : t('room.sheet.skuSoldOut')}</small>
            </button>
          ))}
        </div>
      )}

      {sku && sku.stock > 0 && (
        <div class="qty">
          <span>{t('room.sheet.quantity')}</span>
          <button type="button" class="btn btn-secondary small" onClick={() => setQty(Math.max(1, qty - 1))} disabled={qty <= 1} aria-label={t('room.sheet.fewer')}>
            −
          </button>
          <b data-testid="sheet-quantity">{qty}</b>
          <button type="button" class="btn btn-secondary small" onClick={() => setQty(Math.min(max, qty + 1))} disabled={qty >= max} aria-label={t('room.sheet.more')}>
            +
          </button>
        </div>
      )}

      {!sku || sku.stock <= 0 ? null : me.user ? (
        <BuyNow session={session} p={p} sku={sku} qty={qty} subtotal={subtotal} currency={currency} onBuy={() => track('buy_click', p.id)} />
      ) : (
        <Link class="btn btn-primary wide big" href={signInHref()} data-testid="sheet-signin">
          {t('room.sheet.signin')}
        </Link>
      )}
    </div>
  );
}

/** BuyNow: address and coupon (preselected), the total, and the one button that orders and pays. */
function BuyNow(p: { session: LiveSession; p: Product; sku: SKU; qty: number; subtotal: number; currency: string; onBuy: () => void }) {
  const addrs = useAddresses(true);
  const claims = useAsync((signal) => selling.myCoupons(p.p.shop_id, signal).catch(() => ({ items: [] as CouponClaim[], next_cursor: '' })), [p.p.shop_id]);
  const [choice, setChoice] = useState(''); // a saved address id, "new", or "" for the preferred one
  const [addr, setAddr] = useState<Address>(emptyAddress);
  const [coupon, setCoupon] = useState<string | null>(null); // null: the best one
  const attempt = useRef<{ body: string; key: string } | null>(null);

  const offers = useMemo(() => usable(claims.data?.items ?? [], p.subtotal, p.currency), [claims.data, p.subtotal, p.currency]);
  const couponID = coupon === null ? (offers[0]?.claim.id ?? '') : coupon;
  const off = offers.find((o) => o.claim.id === couponID)?.off ?? 0;
  const selected = choice || addrs.preferred?.id || '';
  const useNew = addrs.saved.length === 0 || selected === 'new';

  const buy = useAction(async () => {
    p.onBuy();
    let addressID = useNew ? '' : selected;
    if (useNew) {
      checkAddress(addr);
      // The first address becomes the default: the next purchase needs no typing.
      addressID = await saveAddress({ ...addr, is_default: addrs.saved.length === 0 });
      setChoice(addressID);
      addrs.reload();
    }
    const body: Record<string, unknown> = {
      items: [{ sku_id: p.sku.id, quantity: p.qty }],
      address_id: addressID,
      attribution: attribution(p.session),
    };
    if (couponID) body.coupon_claim_id = couponID;
    const text = JSON.stringify(body);
    if (!attempt.current || attempt.current.body !== text) attempt.current = { body: text, key: newIdempotencyKey() };
    await placeAndPay(body, attempt.current.key);
  });

  if (addrs.loading) return <Spinner text={t('room.sheet.loadingAddresses')} />;
  return (
    <form
      class="psheet-buy"
      onSubmit={(e) => {
        e.preventDefault();
        buy.run();
      }}
    >
      {addrs.saved.length > 0 && (
        <label class="psheet-row">
          <span class="psheet-label">{t('room.sheet.shipTo')}</span>
          <select value={selected} onChange={(e) => setChoice((e.currentTarget as HTMLSelectElement).value)} data-testid="sheet-address">
            {addrs.saved.map((a) => (
              <option key={a.id} value={a.id}>
                {addressLine(a)}
              </option>
            ))}
            <option value="new">{t('room.sheet.newAddress')}</option>
          </select>
        </label>
      )}
      {useNew && (
        <>
          <h3>{t('room.sheet.shipTo')}</h3>
          <AddressForm value={addr} onChange={setAddr} err={buy.error} />
        </>
      )}
      {offers.length > 0 && (
        <label class="psheet-row">
          <span class="psheet-label">{t('room.sheet.coupon')}</span>
          <select value={couponID} onChange={(e) => setCoupon((e.currentTarget as HTMLSelectElement).value)} data-testid="sheet-coupon">
            <option value="">{t('room.sheet.noCoupon')}</option>
            {offers.map((o) => (
              <option key={o.claim.id} value={o.claim.id}>
                {o.claim.coupon.title} · −{money(o.off, p.currency)}
              </option>
            ))}
          </select>
        </label>
      )}
      <div class="checkout-total">
        <span>
          {p.qty} × {money(p.sku.price_minor, p.currency)}
          {off > 0 && <span class="ok small"> · {t('room.sheet.couponOff', { amount: money(off, p.currency) })}</span>}
        </span>
        <b data-testid="sheet-total">{money(p.subtotal - off, p.currency)}</b>
      </div>
      <FormError err={buy.error} fields={useNew ? addressFieldNames() : []} />
      <Button type="submit" class="wide big" busy={buy.busy} disabled={p.p.status !== 'active'} data-testid="sheet-buy">
        {t('room.sheet.buyNow', { amount: money(p.subtotal - off, p.currency) })}
      </Button>
      <p class="hint">{t('room.sheet.sandbox')}</p>
    </form>
  );
}
