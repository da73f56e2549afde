// The buyer's home page: the personal feed of live and upcoming rooms with
// the channels, then approved shops and the newest products, with search.
import { useMemo, useState } from 'preact/hooks';
import { list } from '../api';
import { ProductGrid } from '../components/products';
import { HomeFeed } from './feed';
import { label } from '../format';
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
          <h1>Live shopping, straight from the makers</h1>
          <p>Farms, workshops and studios sell here live. Find something good.</p>
        </div>
        {s.me.user ? (
          <Link href="/merchant/shops" class="btn btn-light">
            Sell on liveshop
          </Link>
        ) : (
          <Link href="/signup" class="btn btn-light">
            Join liveshop
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
          placeholder="Search products"
          aria-label="Search products"
          value={text}
          onInput={(e) => setText(val(e))}
          data-testid="search-input"
        />
        <button class="btn btn-primary" type="submit">
          Search
        </button>
      </form>

      {!q && <HomeFeed />}

      {!q && shops.data && shops.data.items.length > 0 && (
        <section>
          <h2 class="section-title">Shops</h2>
          <div class="shoprow" data-testid="shop-row">
            {shops.data.items.map((sh) => (
              <Link key={sh.id} href={`/shops/${sh.id}`} class="shopchip">
                <span class="shopchip-logo" aria-hidden="true">
                  {sh.name.charAt(0).toUpperCase()}
                </span>
                <span class="shopchip-text">
                  <b>{sh.name}</b>
                  <small class="muted">
                    {label(sh.category)}
                    {sh.programme === 'rural' ? ' · Village' : ''}
                  </small>
                </span>
              </Link>
            ))}
          </div>
        </section>
      )}

      <section>
        <h2 class="section-title">{q ? `Results for “${q}”` : 'Just listed'}</h2>
        <ProductGrid query={q ? { q } : {}} shops={byID} />
      </section>
    </div>
  );
}
