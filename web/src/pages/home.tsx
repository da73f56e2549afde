// The buyer's home page: the personal feed of live and upcoming rooms with
// the channels, then approved shops and the newest products, with search.
import { useMemo, useState } from 'preact/hooks';
import { list } from '../api';
import { categoryName } from '../components/feed';
import { ProductGrid } from '../components/products';
import { HomeFeed } from './feed';
import { t } from '../i18n';
import { Link, setQuery, useLocation } from '../router';
import { useSession } from '../session';
import type { Shop } from '../types';
import { useAsync, useTitle, val } from '../ui';

export function Home() {
  useTitle('');
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const [text, setText] = useState(q);
  const s = useSession();
  const shops = useAsync((signal) => list<Shop>('/shops', { limit: 50 }, signal), []);
  const byID = useMemo(() => new Map((shops.data?.items ?? []).map((sh) => [sh.id, sh])), [shops.data]);

  return (
    <div class="home">
      <section class="hero">
        <div>
          <h1>{t('discover.home.heading')}</h1>
          <p>{t('discover.home.tagline')}</p>
        </div>
        {s.me.user ? (
          <Link href="/merchant/shops" class="btn btn-light">
            {t('discover.home.sell')}
          </Link>
        ) : (
          <Link href="/signup" class="btn btn-light">
            {t('discover.home.join')}
          </Link>
        )}
      </section>

      <form
        class="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ q: text.trim() });
        }}
      >
        <input
          type="search"
          placeholder={t('discover.home.searchProducts')}
          aria-label={t('discover.home.searchProducts')}
          value={text}
          onInput={(e) => setText(val(e))}
          data-testid="search-input"
        />
        <button class="btn btn-primary" type="submit">
          {t('discover.home.search')}
        </button>
      </form>

      {!q && <HomeFeed />}

      {!q && shops.data && shops.data.items.length > 0 && (
        <section>
          <h2 class="section-title">{t('discover.home.shops')}</h2>
          <div class="shoprow" data-testid="shop-row">
            {shops.data.items.map((sh) => (
              <Link key={sh.id} href={`/shops/${sh.id}`} class="shopchip">
                <span class="shopchip-logo" aria-hidden="true">
                  {sh.name.charAt(0).toUpperCase()}
                </span>
                <span class="shopchip-text">
                  <b>{sh.name}</b>
                  <small class="muted">
                    {categoryName(sh.category)}
                    {sh.programme === 'rural' ? ` · ${t('discover.home.village')}` : ''}
                  </small>
                </span>
              </Link>
            ))}
          </div>
        </section>
      )}

      <section>
        <h2 class="section-title">{q ? t('discover.home.resultsFor', { q }) : t('discover.home.justListed')}</h2>
        <ProductGrid query={q ? { q } : {}} shops={byID} />
      </section>
    </div>
  );
}
