// The cart: quantities, removal, the total, and checkout of everything in
// it (one order per shop).
import { useState } from 'preact/hooks';
import { api, list } from '../api';
import { Checkout } from '../components/checkout';
import { attrs, money } from '../format';
import { t } from '../i18n';
import { Link } from '../router';
import type { CartItem } from '../types';
import { Button, Empty, FormError, Loaded, useAction, useAsync, useTitle } from '../ui';

export function CartPage() {
  useTitle(t('viewer.cart.title'));
  const a = useAsync((signal) => list<CartItem>('/cart', undefined, signal), []);
  const [checkingOut, setCheckingOut] = useState(false);
  const change = useAction(async (skuID: string, quantity: number) => {
    const pg = await api.put<{ items: CartItem[] }>(`/cart/items/${skuID}`, { quantity });
    a.setData({ items: pg.items, next_cursor: '' });
  });
  return (
    <div>
      <h1>{t('viewer.cart.title')}</h1>
      <Loaded a={a}>
        {(pg) => {
          if (pg.items.length === 0)
            return (
              <Empty>
                {t('viewer.cart.empty')} <Link href="/">{t('viewer.cart.browse')}</Link>
                {t('viewer.cart.emptyEnd')}
              </Empty>
            );
          const currency = pg.items[0].currency;
          const total = pg.items.reduce((sum, it) => sum + it.price_minor * it.quantity, 0);
          const count = pg.items.reduce((sum, it) => sum + it.quantity, 0);
          return (
            <div class="stack">
              <ul class="list" data-testid="cart">
                {pg.items.map((it) => (
                  <li key={it.sku_id} class="card cart-item" data-testid="cart-item">
                    <div class="grow">
                      <Link href={`/products/${it.product_id}`}>
                        <b>{it.title}</b>
                      </Link>
                      <div class="muted">{attrs(it.attributes)}</div>
                      <div>{money(it.price_minor, it.currency)}</div>
                    </div>
                    <div class="qty">
                      <button class="btn btn-secondary small" aria-label={t('viewer.fewer')} disabled={change.busy} onClick={() => change.run(it.sku_id, it.quantity - 1)}>
                        −
                      </button>
                      <b>{it.quantity}</b>
                      <button
                        class="btn btn-secondary small"
                        aria-label={t('viewer.more')}
                        disabled={change.busy || it.quantity >= it.stock}
                        onClick={() => change.run(it.sku_id, it.quantity + 1)}
                      >
                        +
                      </button>
                      <button class="btn btn-ghost small" onClick={() => change.run(it.sku_id, 0)}>
                        {t('viewer.cart.remove')}
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
              <FormError err={change.error} />
              {checkingOut ? (
                <Checkout cart={{ items: count, total_minor: total, currency }} onCancel={() => setCheckingOut(false)} />
              ) : (
                <Button class="wide big" onClick={() => setCheckingOut(true)} data-testid="cart-checkout">
                  {t('viewer.cart.checkout', { price: money(total, currency) })}
                </Button>
              )}
            </div>
          );
        }}
      </Loaded>
    </div>
  );
}
