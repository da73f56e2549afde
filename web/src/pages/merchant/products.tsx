// The console's product list: thumbnails, SKUs, prices and stock.
import { useState } from 'preact/hooks';
import { list } from '../../api';
import { firstThumb, totalStock } from '../../components/products';
import { attrs, money, percent } from '../../format';
import { t } from '../../i18n';
import { Link, setQuery } from '../../router';
import type { Product, Shop } from '../../types';
import { Button, Empty, FormError, Loaded, StatusBadge, Thumb, useAction, useAsync, val } from '../../ui';
import { StockForm } from './sku-panel';
import { plural } from './text';

export function ProductsTab({ shop }: { shop: Shop }) {
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const [extra, setExtra] = useState<{ items: Product[]; cursor: string } | null>(null);
  const a = useAsync(
    (signal) => {
      setExtra(null);
      return list<Product>('/products', { shop_id: shop.id, q: applied, limit: 50 }, signal);
    },
    [shop.id, applied],
  );
  const more = useAction(async () => {
    const pg = await list<Product>('/products', { shop_id: shop.id, q: applied, limit: 50, cursor: extra?.cursor ?? a.data?.next_cursor });
    setExtra({ items: [...(extra?.items ?? []), ...pg.items], cursor: pg.next_cursor });
  });
  return (
    <div class="stack">
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(q.trim());
        }}
      >
        <input type="search" placeholder={t('merchant.findProduct')} aria-label={t('merchant.findProduct')} value={q} onInput={(e) => setQ(val(e))} />
        <Button type="submit" kind="secondary">
          {t('merchant.products.search')}
        </Button>
        <Button type="button" onClick={() => setQuery({ tab: 'new' })} data-testid="add-product">
          {t('merchant.tab.new')}
        </Button>
      </form>
      <Loaded a={a}>
        {(pg) => {
          const items = [...pg.items, ...(extra?.items ?? [])];
          const cursor = extra ? extra.cursor : pg.next_cursor;
          if (items.length === 0)
            return <Empty>{applied ? t('merchant.products.noMatch') : t('merchant.products.none')}</Empty>;
          return (
            <>
              <ul class="list" data-testid="console-products">
                {items.map((p) => (
                  <ConsoleProduct key={p.id} p={p} shopID={shop.id} onChange={a.reload} />
                ))}
              </ul>
              <FormError err={more.error} />
              {cursor && (
                <div class="center">
                  <Button kind="secondary" busy={more.busy} onClick={() => more.run()}>
                    {t('merchant.products.loadMore')}
                  </Button>
                </div>
              )}
            </>
          );
        }}
      </Loaded>
    </div>
  );
}

function ConsoleProduct({ p, shopID, onChange }: { p: Product; shopID: string; onChange: () => void }) {
  const [adjusting, setAdjusting] = useState('');
  const href = `/merchant/shops/${shopID}/products/${p.id}`;
  const skus = p.skus ?? [];
  const stock = totalStock(p);
  return (
    <li class="card cproduct" data-testid="console-product" data-product-id={p.id} data-product-title={p.title}>
      <Link href={href} class="cproduct-img">
        <Thumb src={firstThumb(p)} alt={p.title} size="md" />
      </Link>
      <div class="grow">
        <div class="cproduct-head">
          <Link href={href} class="cproduct-title">
            {p.title}
          </Link>
          {p.status !== 'active' && <StatusBadge status={p.status} />}
        </div>
        <p class="muted small">
          {plural('merchant.products.skus.one', 'merchant.products.skus.other', skus.length)} · {t('merchant.inStock', { n: stock })} ·{' '}
          {t('merchant.products.commission', { pct: percent(p.commission_bps) })}
        </p>
        <ul class="plain skulist">
          {skus.map((k) => (
            <li key={k.id} data-testid="console-sku">
              <div class="skuline">
                <span class="mono">{k.code}</span>
                <span class="muted grow">{attrs(k.attributes)}</span>
                <span class="num">{money(k.price_minor, k.currency)}</span>
                <span class={k.stock === 0 ? 'num warn' : 'num'}>{t('merchant.inStock', { n: k.stock })}</span>
                <Button
                  kind={adjusting === k.id ? 'primary' : 'ghost'}
                  class="small"
                  aria-expanded={adjusting === k.id}
                  aria-label={t('merchant.products.adjustFor', { code: k.code })}
                  onClick={() => setAdjusting(adjusting === k.id ? '' : k.id)}
                  data-testid="console-adjust-stock"
                >
                  {t('merchant.products.stockButton')}
                </Button>
              </div>
              {adjusting === k.id && (
                <StockForm
                  sku={k}
                  onDone={() => {
                    setAdjusting('');
                    onChange();
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      </div>
    </li>
  );
}
