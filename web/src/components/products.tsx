// Product cards and a paged product grid, shared by the home and shop pages.
import { useState } from 'preact/hooks';
import { errorMessage, list } from '../api';
import { priceRange } from '../format';
import { t } from '../i18n';
import { categoryLabel } from '../i18n/order-status';
import { Link } from '../router';
import type { Product, Shop } from '../types';
import { Button, Empty, ErrorBox, Spinner, Thumb, useAsync } from '../ui';

export function firstThumb(p: Product): string | undefined {
  const imgs = p.images ?? [];
  if (imgs.length === 0) return undefined;
  const first = [...imgs].sort((a, b) => a.position - b.position)[0];
  return first.thumb_url;
}

export function totalStock(p: Product): number {
  return (p.skus ?? []).reduce((n, s) => n + s.stock, 0);
}

export function ProductCard({ p, shop }: { p: Product; shop?: Shop }) {
  const stock = totalStock(p);
  return (
    <Link href={`/products/${p.id}`} class="pcard" data-testid="product-card" data-product-id={p.id}>
      <div class="pcard-img">
        <Thumb src={firstThumb(p)} alt={p.title} size="lg" />
        {stock === 0 && <span class="pcard-flag">{t('viewer.product.soldOut')}</span>}
      </div>
      <div class="pcard-body">
        <h3 class="pcard-title">{p.title}</h3>
        <div class="pcard-meta">
          <span class="price">{priceRange(p.skus)}</span>
        </div>
        <div class="pcard-sub muted">
          {shop ? shop.name : p.category ? categoryLabel(p.category) : ''}
        </div>
      </div>
    </Link>
  );
}

/** ProductGrid lists GET /products with a query, loading more pages on demand. */
export function ProductGrid({ query, shops }: { query: Record<string, string>; shops?: Map<string, Shop> }) {
  const key = JSON.stringify(query);
  const first = useAsync((signal) => list<Product>('/products', { ...query, limit: 24 }, signal), [key]);
  const [more, setMore] = useState<{ key: string; items: Product[]; cursor: string } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreErr, setMoreErr] = useState<unknown>(null);

  if (first.error) return <ErrorBox err={first.error} retry={first.reload} />;
  if (!first.data) return <Spinner />;
  const extra = more && more.key === key ? more : null;
  const items = [...first.data.items, ...(extra?.items ?? [])];
  const cursor = extra ? extra.cursor : first.data.next_cursor;
  if (items.length === 0) return <Empty>{t('viewer.products.empty')}</Empty>;

  const loadMore = async () => {
    setLoadingMore(true);
    setMoreErr(null);
    try {
      const pg = await list<Product>('/products', { ...query, limit: 24, cursor });
      setMore({ key, items: [...(extra?.items ?? []), ...pg.items], cursor: pg.next_cursor });
    } catch (e) {
      setMoreErr(e);
    } finally {
      setLoadingMore(false);
    }
  };
  return (
    <>
      <div class="grid" data-testid="product-grid">
        {items.map((p) => (
          <ProductCard key={p.id} p={p} shop={shops?.get(p.shop_id)} />
        ))}
      </div>
      {moreErr ? <p class="form-error">{errorMessage(moreErr)}</p> : null}
      {cursor && (
        <div class="center">
          <Button kind="secondary" busy={loadingMore} onClick={loadMore}>
            {t('viewer.loadMore')}
          </Button>
        </div>
      )}
    </>
  );
}
