// The room's shelf for buyers: the bag button over the video with the
// number of products, the numbered list it opens, and the card of the
// product being explained with its Buy button.
import { money } from '../../format';
import { t } from '../../i18n';
import { Link } from '../../router';
import type { LiveProduct } from '../../types';
import { Button, Price, Thumb } from '../../ui';
import { imageThumb } from '../live';
import { Sheet } from './sheet';

export function BagButton({ count, onOpen, replay }: { count: number; onOpen: () => void; replay?: boolean }) {
  return (
    <button type="button" class={replay ? 'bag-button replay' : 'bag-button'} onClick={onOpen} aria-label={t(count === 1 ? 'room.bag.label.one' : 'room.bag.label.other', { n: count })} data-testid="bag-button">
      <svg class="bag-icon" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M6 8h12l-1 12H7L6 8z" fill="currentColor" />
        <path d="M9 8V6.5a3 3 0 0 1 6 0V8" fill="none" stroke="currentColor" stroke-width="2" />
      </svg>
      <span class="bag-count" data-testid="bag-count">
        {count}
      </span>
    </button>
  );
}

export function ShelfSheet(p: { products: LiveProduct[]; explaining: string; onBuy: (x: LiveProduct) => void; onClose: () => void }) {
  return (
    <Sheet title={t('room.shelf.sheetTitle', { n: p.products.length })} onClose={p.onClose} testid="shelf-sheet">
      {p.products.length === 0 ? (
        <p class="muted">{t('room.shelf.emptyYet')}</p>
      ) : (
        <ol class="shelf">
          {p.products.map((x) => {
            const on = x.product_id === p.explaining;
            return (
              <li key={x.product_id} class={on ? 'shelf-item explaining' : 'shelf-item'} data-testid="shelf-sheet-item" data-product-id={x.product_id}>
                <button type="button" class="shelf-link shelf-open" onClick={() => p.onBuy(x)}>
                  <span class="shelf-pos">{x.position}</span>
                  <Thumb src={imageThumb(x.image_id)} alt={x.title} size="sm" />
                  <span class="shelf-text">
                    <span class="shelf-title">{x.title}</span>
                    <Price minor={x.price_minor} currency={x.currency} />
                    {on && <span class="explaining-tag">{t('room.shelf.explainingNow')}</span>}
                  </span>
                </button>
                <Button class="small" onClick={() => p.onBuy(x)} data-testid="shelf-buy">
                  {t('room.buy')}
                </Button>
              </li>
            );
          })}
        </ol>
      )}
    </Sheet>
  );
}

/**
 * ExplainCard floats over the video: the product the host presents now
 * (or, in a replay, presented at the playhead), with Buy.
 */
export function ExplainCard({ product, onBuy, replay }: { product: LiveProduct | undefined; onBuy: (p: LiveProduct) => void; replay?: boolean }) {
  if (!product) return null;
  return (
    <div class="explaining-card" data-testid="explaining-card" data-product-id={product.product_id} key={product.product_id}>
      <Link href={`/products/${product.product_id}`} class="explain-link">
        <Thumb src={imageThumb(product.image_id)} alt={product.title} size="sm" />
        <span class="explaining-card-text">
          <span class="explaining-tag">{replay ? t('room.shelf.explainedHere') : t('room.shelf.explainingNow')}</span>
          <span class="explaining-card-title">{product.title}</span>
          <Price minor={product.price_minor} currency={product.currency} />
        </span>
      </Link>
      <button type="button" class="btn btn-primary small explain-buy" onClick={() => onBuy(product)} data-testid="explain-buy" aria-label={t('room.explain.buyLabel', { title: product.title, price: money(product.price_minor, product.currency) })}>
        {t('room.buy')}
      </button>
    </div>
  );
}
