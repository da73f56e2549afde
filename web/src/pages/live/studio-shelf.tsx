// The shelf as the host uses it on air: every product with its price and
// stock, one tap on Explain to present it (viewers see it highlighted and
// the replay gets a moment to jump to); the product being explained stands out.
import { imageThumb } from '../../components/live';
import type { SkuChoice } from '../../components/selling/console-kit';
import { t } from '../../i18n';
import type { LiveProduct } from '../../types';
import { Button, FormError, Price, Thumb } from '../../ui';

/** stockOf adds up the stock of a product's SKUs (undefined while they load). */
function stockOf(skus: SkuChoice[] | null, productID: string): number | undefined {
  if (!skus) return undefined;
  return skus.filter((c) => c.product.id === productID).reduce((n, c) => n + Math.max(0, c.sku.stock), 0);
}

export function ExplainShelf(p: {
  products: LiveProduct[];
  explaining: string;
  skus: SkuChoice[] | null;
  live: boolean;
  over: boolean;
  busy: boolean;
  error: unknown;
  onExplain: (x: LiveProduct) => void;
}) {
  return (
    <div class="studio-shelf">
      {p.products.length === 0 ? (
        <p class="muted small">{t('room.shelf.empty')}</p>
      ) : (
        <ol class="shelf" data-testid="shelf">
          {p.products.map((x) => {
            const on = x.product_id === p.explaining;
            const stock = stockOf(p.skus, x.product_id);
            return (
              <li key={x.product_id} class={on ? 'shelf-item explaining' : 'shelf-item'} data-testid="shelf-item" data-product-id={x.product_id} data-explaining={on ? 'true' : undefined}>
                <span class="shelf-pos">{x.position}</span>
                <Thumb src={imageThumb(x.image_id)} alt={x.title} size="sm" />
                <span class="shelf-text grow">
                  <span class="shelf-title">{x.title}</span>
                  <span class="studio-shelf-meta">
                    <Price minor={x.price_minor} currency={x.currency} />
                    {stock !== undefined && (
                      <span class={stock === 0 ? 'studio-stock out' : 'studio-stock'} data-testid="shelf-stock" data-stock={stock}>
                        {stock === 0 ? t('studio.shelf.soldOut') : t('studio.shelf.stock', { n: stock })}
                      </span>
                    )}
                  </span>
                  {on && <span class="explaining-tag">{t('studio.shelf.explainingNow')}</span>}
                </span>
                <Button
                  kind={on ? 'primary' : 'secondary'}
                  class="studio-explain"
                  disabled={!p.live || p.busy}
                  aria-pressed={on}
                  aria-label={on ? t('studio.shelf.explainingLabel', { title: x.title }) : t('studio.shelf.explainLabel', { title: x.title })}
                  onClick={() => p.onExplain(x)}
                  data-testid="explain"
                >
                  {on ? t('studio.shelf.explaining') : t('studio.shelf.explain')}
                </Button>
              </li>
            );
          })}
        </ol>
      )}
      <FormError err={p.error} />
      {!p.live && !p.over && <p class="hint">{t('studio.shelf.notLive')}</p>}
    </div>
  );
}
