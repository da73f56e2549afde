// A shop's public page: its profile and its products.
import { api, one } from '../api';
import { ProductGrid } from '../components/products';
import { FollowButton } from '../components/follow';
import { t } from '../i18n';
import { categoryLabel } from '../i18n/order-status';
import { Link } from '../router';
import { shopRole, useSession } from '../session';
import type { Shop } from '../types';
import { Loaded, StatusBadge, useAsync, useTitle } from '../ui';

export function ShopPage({ params }: { params: Record<string, string> }) {
  const s = useSession();
  const shop = useAsync(async (signal) => one<Shop>(await api.get(`/shops/${params.id}`, undefined, signal), 'shop'), [params.id]);
  useTitle(shop.data?.name ?? t('viewer.shop.title'));
  return (
    <Loaded a={shop}>
      {(sh) => (
        <div>
          <section class="shophead">
            <span class="shophead-logo" aria-hidden="true">
              {sh.name.charAt(0).toUpperCase()}
            </span>
            <div class="grow">
              <h1>{sh.name}</h1>
              <p class="muted">
                {categoryLabel(sh.category)} · {sh.region}
                {sh.county ? `, ${sh.county}` : ''}
                {sh.programme === 'rural' ? ` · ${t('viewer.programme.rural')}` : ''}
              </p>
              {sh.description && <p>{sh.description}</p>}
            </div>
            {sh.status !== 'approved' && <StatusBadge status={sh.status} />}
            {sh.status === 'approved' && <FollowButton kind="shop" id={sh.id} name={sh.name} />}
            {shopRole(s.me, sh.id) && (
              <Link class="btn btn-secondary" href={`/merchant/shops/${sh.id}`}>
                {t('viewer.shop.manage')}
              </Link>
            )}
          </section>
          <ProductGrid query={{ shop_id: sh.id }} />
        </div>
      )}
    </Loaded>
  );
}
